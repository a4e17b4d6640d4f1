// rsync daemon addresses, read as rsync reads them: `rsync://[user@]host[:port]/module[/dir]`
// (the scheme in any case) and `[user@]host::module[/dir]` (a '::' before any '/'). A host may
// be an [IPv6] literal. Pure: no node:* imports.
import type { RsyncdTarget } from './model';

export type RsyncdAddressResult = { readonly kind: 'ok'; readonly target: RsyncdTarget } | { readonly kind: 'error'; readonly message: string };

const URL_PREFIX = /^rsync:\/\//i;

/** Whether rsync would read `text` as a daemon address (and not as a local path or host:dir). */
export function isRsyncdAddress(text: string): boolean {
  return URL_PREFIX.test(text) || /^[^/]*::/.test(text);
}

/** The parts of a daemon address, or why rsync could not use it as a sync's target. */
export function parseRsyncdAddress(text: string): RsyncdAddressResult {
  const address = text.replace(/\/+$/, '');
  let authority: string;
  let path: string;
  if (URL_PREFIX.test(text)) {
    const rest = text.slice('rsync://'.length);
    const slash = rest.indexOf('/');
    authority = slash < 0 ? rest : rest.slice(0, slash);
    path = slash < 0 ? '' : rest.slice(slash + 1);
  } else {
    const split = text.indexOf('::');
    authority = text.slice(0, split);
    path = text.slice(split + 2);
  }
  const at = authority.lastIndexOf('@');
  const user = at < 0 ? undefined : authority.slice(0, at);
  let hostPort = authority.slice(at + 1);
  let port: number | undefined;
  const withPort = /^(\[[^\]]*\]|[^:[\]]*):(\d*)$/.exec(hostPort);
  if (withPort && URL_PREFIX.test(text)) {
    hostPort = withPort[1] ?? '';
    const digits = withPort[2] ?? '';
    port = Number(digits);
    if (digits === '' || !Number.isInteger(port) || port < 1 || port > 65535) return error(text, `its port '${digits}' is not a port number (1-65535)`);
  }
  const bracketed = /^\[([^\]/@]+)\]$/.exec(hostPort);
  const host = bracketed ? (bracketed[1] ?? '') : hostPort;
  if (host === '' || (!bracketed && /[[\]:@]/.test(host))) return error(text, `'${hostPort}' is not a host name (rsync://host[:port]/module/dir or host::module/dir)`);
  if (user === '') return error(text, "its user before '@' is empty");
  const trimmed = path.replace(/^\/+/, '');
  const slash = trimmed.indexOf('/');
  const module = slash < 0 ? trimmed : trimmed.slice(0, slash);
  const dir = slash < 0 ? '' : trimmed.slice(slash + 1).replace(/^\/+|\/+$/g, '');
  if (module === '') return error(text, 'it names no module: a daemon target is rsync://host/module/dir or host::module/dir (rsync --list-only rsync://host/ lists the modules)');
  return { kind: 'ok', target: { kind: 'rsyncd', address, host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}), module, dir } };
}

function error(text: string, why: string): RsyncdAddressResult {
  return { kind: 'error', message: `target '${text}' is an rsync daemon address, but ${why}` };
}

/** The module's own address (its root), in the form the target was written in. */
export function moduleAddress(target: RsyncdTarget): string {
  const login = target.user !== undefined ? `${target.user}@` : '';
  const host = target.host.includes(':') ? `[${target.host}]` : target.host;
  if (URL_PREFIX.test(target.address)) return `rsync://${login}${host}${target.port !== undefined ? `:${target.port}` : ''}/${target.module}`;
  return `${login}${host}::${target.module}`;
}
