// Where a sync{} writes: `target` for default.rsync and default.direct, host + targetdir for
// default.rsyncssh. rsync's own rules decide: rsync://... or a '::' before any '/' is an rsync
// daemon, a ':' before any '/' means host:dir over ssh, and anything else is a local path.

import { resolve } from 'node:path';
import type { SyncKind, TargetSpec } from './model';
import { isRsyncdAddress, parseRsyncdAddress } from './rsyncd-address';

export type TargetResult = { readonly kind: 'ok'; readonly target: TargetSpec } | { readonly kind: 'error'; readonly message: string };

// [user@]host:dir, host may be [ipv6]. Anything with a '/' before the first ':' is a local path.
const REMOTE = /^((?:[^@/:[\]]+@)?(?:\[[^\]/]+\]|[^@/:[\]]+)):(.*)$/s;

export function parseTarget(kind: SyncKind, target: string, cwd: string): TargetResult {
  if (isRsyncdAddress(target)) {
    if (kind === 'direct') {
      return { kind: 'error', message: `default.direct syncs to a local directory, but target '${target}' is an rsync daemon; use default.rsync` };
    }
    return parseRsyncdAddress(target);
  }
  const remote = REMOTE.exec(target);
  if (remote) {
    if (kind === 'direct') {
      return { kind: 'error', message: `default.direct syncs to a local directory, but target '${target}' is remote; use default.rsync or default.rsyncssh` };
    }
    const dir = remote[2] ?? '';
    return { kind: 'ok', target: { kind: 'ssh', host: remote[1] ?? '', dir: dir === '' ? '.' : dir } };
  }
  return { kind: 'ok', target: { kind: 'local', dir: resolve(cwd, target) } };
}
