// Where a sync{} writes: `target` for default.rsync and default.direct, host + targetdir for
// default.rsyncssh. rsync's own rule decides local or remote: a ':' before any '/' means host:dir.

import { resolve } from 'node:path';
import type { SyncKind, TargetSpec } from './model';

export type TargetResult = { readonly kind: 'ok'; readonly target: TargetSpec } | { readonly kind: 'error'; readonly message: string };

// [user@]host:dir, host may be [ipv6]. Anything with a '/' before the first ':' is a local path.
const REMOTE = /^((?:[^@/:[\]]+@)?(?:\[[^\]/]+\]|[^@/:[\]]+)):(.*)$/s;

export function parseTarget(kind: SyncKind, target: string, cwd: string): TargetResult {
  if (/^rsync:\/\//.test(target) || /^[^/]*::/.test(target)) {
    return { kind: 'error', message: `target '${target}' is an rsync daemon address; Tidemark syncs to local directories and over ssh (host:dir)` };
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
