// `tidemark export`: a Profile as an lsyncd config that lsyncd 2.2.3 and `tidemark run` both run,
// mirroring the same way, and that `tidemark import` turns back into the same profile.
//
// How Tidemark's own keys travel: lsyncd 2.2.3 refuses sync{} keys it does not know, so
// reconcile, maxDeletes, maxDeletePercent, maxDeleteWindow, trash, trashDays and watcher sit in
// a table written as the sync's second list entry, `rawget(_G, "tidemark") and { ... } or nil`.
// lsyncd has no `tidemark` global, so the entry is nil there; Tidemark's sandbox defines it, and
// a sync{} inherits the keys of its list-entry tables, in lsyncd as in Tidemark. What only the
// app uses (enabled, keyName, knownHosts) rides in comment lines (profile-comments.ts); a pinned
// known_hosts is also written as ssh options, so lsyncd checks the host key the same way.
// Tidemark preserves permissions where lsyncd does not, so `perms = true` is written out.
import { RSYNC_FLAGS } from '../../core/config/defaults';
import { pairingComment, profileComment } from './profile-comments';
import { knownHostsOptions, sshLogin, syncKindOf } from './profile-to-config';
import type { Profile, ProfileSync } from './profile-schema';

/** The global Tidemark's Lua sandbox defines and lsyncd does not (lua-prelude.ts). */
export const TIDEMARK_GLOBAL = 'tidemark';

const TIDEMARK_ONLY_KEYS = ['watcher', 'reconcile', 'maxDeletes', 'maxDeletePercent', 'maxDeleteWindow', 'trash', 'trashDays'] as const;
const LUA_KEYWORDS = new Set(['and', 'break', 'do', 'else', 'elseif', 'end', 'false', 'for', 'function', 'goto', 'if', 'in', 'local', 'nil', 'not', 'or', 'repeat', 'return', 'then', 'true', 'until', 'while']);

type LuaWritable = string | number | boolean | readonly string[] | { readonly [key: string]: LuaWritable | undefined };

/** A Lua string literal: quotes, backslashes and control characters escaped; other text as is (UTF-8). */
export function luaString(text: string): string {
  const escaped = text.replace(/[\\"\x00-\x1f\x7f]/g, (c) => {
    if (c === '\\' || c === '"') return `\\${c}`;
    if (c === '\n') return '\\n';
    if (c === '\t') return '\\t';
    if (c === '\r') return '\\r';
    return `\\${String(c.charCodeAt(0)).padStart(3, '0')}`;
  });
  return `"${escaped}"`;
}

function luaKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !LUA_KEYWORDS.has(key) ? key : `[${luaString(key)}]`;
}

function luaValue(value: LuaWritable): string {
  if (typeof value === 'string') return luaString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (Array.isArray(value)) return `{ ${(value as readonly string[]).map(luaString).join(', ')} }`;
  const fields = Object.entries(value as { readonly [key: string]: LuaWritable | undefined }).filter((entry): entry is [string, LuaWritable] => entry[1] !== undefined);
  return fields.length === 0 ? '{}' : `{ ${fields.map(([key, item]) => `${luaKey(key)} = ${luaValue(item)}`).join(', ')} }`;
}

/** `key = value,` lines of a table body, skipping undefined values. */
function fieldLines(fields: readonly (readonly [string, LuaWritable | undefined])[], indent: string): string[] {
  return fields.filter((field): field is readonly [string, LuaWritable] => field[1] !== undefined).map(([key, value]) => `${indent}${luaKey(key)} = ${luaValue(value)},`);
}

/** The lsyncd config text for `profile`, named `name` in its header. */
export function profileToLua(name: string, profile: Profile): string {
  const out = [
    `-- lsyncd config exported by \`tidemark export ${name}\`. lsyncd 2.2.3 runs it as it is.`,
    '-- Tidemark\'s own keys are in the `rawget(_G, "tidemark") and { ... } or nil` entry of each',
    '-- sync{}: lsyncd has no `tidemark` global, so only Tidemark sees them (lsyncd refuses unknown',
    '-- keys). The `-- tidemark ...:` comments keep what only the app uses; `tidemark import` reads',
    '-- both back into the same profile.',
    profileComment({ enabled: profile.enabled }),
  ];
  const settings = Object.entries(profile.settings ?? {});
  if (settings.length > 0) out.push('', 'settings {', ...fieldLines(settings, '  '), '}');
  for (const sync of profile.syncs) out.push('', ...syncLines(sync));
  return `${out.join('\n')}\n`;
}

function syncLines(sync: ProfileSync): string[] {
  const kind = syncKindOf(sync);
  const target = sync.target;
  const lines: string[] = [];
  if (target.kind === 'ssh') {
    const comment = pairingComment({ keyName: target.keyName, knownHosts: target.knownHosts });
    if (comment) lines.push(comment);
  }
  lines.push('sync {', `  default.${kind},`);
  const own = TIDEMARK_ONLY_KEYS.map((key) => [key, sync[key]] as const).filter(([, value]) => value !== undefined);
  if (own.length > 0) lines.push(`  rawget(_G, ${luaString(TIDEMARK_GLOBAL)}) and ${luaValue(Object.fromEntries(own))} or nil,`);
  const where: [string, LuaWritable | undefined][] =
    target.kind === 'local'
      ? [['target', target.dir]]
      : target.kind === 'rsyncd'
        ? [['target', target.address]]
        : kind === 'rsyncssh'
          ? [['host', sshLogin(target, kind)], ['targetdir', target.dir]]
          : [['target', `${sshLogin(target, kind)}:${target.dir}`]];
  const filters = sync.filters ?? [];
  // Only '-' rules: lsyncd's exclude, which every lsyncd reads; otherwise the ordered filter list.
  const excludesOnly = filters.every((rule) => rule.startsWith('-'));
  const filterField: [string, LuaWritable | undefined] = filters.length === 0 ? ['exclude', undefined] : excludesOnly ? ['exclude', filters.map((rule) => rule.replace(/^- ?/, ''))] : ['filter', filters];
  lines.push(
    ...fieldLines(
      [
        ['source', sync.source],
        ...where,
        ['delay', sync.delay],
        ['maxDelays', sync.maxDelays],
        ['maxProcesses', sync.maxProcesses],
        ['delete', sync.delete],
        ['init', sync.init],
        filterField,
        ['rsync', rsyncTable(sync)],
        ['ssh', sshTable(sync)],
      ],
      '  ',
    ),
    '}',
  );
  return lines;
}

/** The rsync table, with perms = true written out unless the profile turns it off (or archive implies it). */
function rsyncTable(sync: ProfileSync): LuaWritable {
  const table = { ...sync.rsync };
  if (table['perms'] === undefined && table['archive'] !== true) table['perms'] = true;
  // Flags first in lsyncd's order, then valued options, binary and _extra: a stable text.
  const ordered = Object.entries(table).sort(([a], [b]) => rank(a) - rank(b) || a.localeCompare(b));
  return Object.fromEntries(ordered) as { readonly [key: string]: LuaWritable | undefined };
}

function rank(key: string): number {
  return RSYNC_FLAGS.includes(key) ? 0 : key === 'binary' ? 2 : key === '_extra' ? 3 : 1;
}

function sshTable(sync: ProfileSync): LuaWritable | undefined {
  const target = sync.target;
  const port = target.kind === 'ssh' ? target.port : undefined;
  const options = { ...sync.ssh?.options, ...(target.kind === 'ssh' && target.knownHosts !== undefined ? knownHostsOptions(target.knownHosts) : {}) };
  const table = {
    ...(sync.ssh?.binary !== undefined ? { binary: sync.ssh.binary } : {}),
    ...(port !== undefined ? { port } : {}),
    ...(sync.ssh?.identityFile !== undefined ? { identityFile: sync.ssh.identityFile } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(sync.ssh?._extra !== undefined ? { _extra: sync.ssh._extra } : {}),
  };
  return Object.keys(table).length === 0 ? undefined : table;
}
