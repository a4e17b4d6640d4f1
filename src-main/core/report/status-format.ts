// lsyncd 2.2.3's status file, byte for byte in shape (lsyncd.lua StatusFile.write, Sync.statusReport,
// Inotify.statusReport), as a real 2.2.3 run wrote it (shortened to two delays):
//
//   Lsyncd status report at Wed Nov 25 13:23:43 2026
//   <blank>
//   Sync1 source=/tmp/lsx2/src/
//   There are 2 delays
//   wait   Create /b.txt
//   wait   Delete /a.txt
//   Filtering:
//     nothing.
//   <blank>
//   <blank>
//   Inotify watching 2 directories
//     1: /tmp/lsx2/src/
//     2: /tmp/lsx2/src/sub/
//
// Excludes: 2.2.3 (and 2.3) mean to print them under `Filtering:` as a `From excludes:` heading
// followed by `- pattern` lines, after the filter rules (`+ pattern` / `- pattern`), but test
// `#self.excludes.list > 0` on a table keyed by pattern, which is always 0, so they always print
// `  nothing.` (LSYNCD.md #14). Tidemark prints what that code intended, in that place.
// Tidemark's one addition: an optional `State: ...` line right after the sync's header line,
// followed by a `Stalled: ...` line for each file the target had no room for.
// Pure: no node:* imports.

import type { FilterRule } from '../config/model';
import type { RelPath, TargetState } from '../../../src-shared/model/sync';
import { ctime } from './log-format';
import { printablePath, printableText } from './printable';

/** lsyncd's delay states: waiting for its time, being transferred, blocked behind another. */
export type DelayStatus = 'wait' | 'active' | 'block';

/** lsyncd's event types as the status file names them. */
export type DelayKind = 'Create' | 'Modify' | 'Attrib' | 'Delete' | 'Move' | 'Init' | 'Blanket';

export interface StatusDelay {
  readonly kind: DelayKind;
  /** Relative to the source ('' = the root); printed as `/path`, with `/` after a directory. */
  readonly path: RelPath;
  /** A Move's destination. */
  readonly path2?: RelPath;
  /** Defaults to 'wait'. */
  readonly status?: DelayStatus;
  readonly dir?: boolean;
}

export interface SyncStatusInfo {
  /** lsyncd's sync name; defaults to `Sync1`, `Sync2`, ... by position. */
  readonly name?: string;
  /** Absolute source root; a trailing slash is added when missing. */
  readonly source: string;
  readonly delays: readonly StatusDelay[];
  /** exclude / excludeFrom patterns, printed under `From excludes:` as `- pattern`. */
  readonly excludes: readonly string[];
  /** filter / filterFrom rules, printed first as `+ pattern` / `- pattern`. */
  readonly filters?: readonly FilterRule[];
  /** Absolute directories with a trailing slash, in watch order. */
  readonly watchedDirs: readonly string[];
  /** Tidemark only: one line of target state (see stateText). */
  readonly state?: string;
  /** Tidemark only: one `Stalled:` line per file set aside for want of room on the target. */
  readonly stalled?: readonly string[];
}

/** The sync's status block, ending with the blank line Sync.statusReport writes. */
function syncBlock(info: SyncStatusInfo, index: number): string {
  const source = info.source.endsWith('/') ? info.source : `${info.source}/`;
  let out = `${printableText(info.name ?? `Sync${index + 1}`)} source=${printableText(source)}\n`;
  if (info.state !== undefined) out += `State: ${printableText(info.state)}\n`;
  for (const stall of info.stalled ?? []) out += `Stalled: ${printableText(stall)}\n`;
  out += `There are ${info.delays.length} delays\n`;
  for (const delay of info.delays) out += delayLine(delay);
  out += 'Filtering:\n';
  const filters = info.filters ?? [];
  for (const rule of filters) out += `${rule.action} ${printableText(rule.pattern)}\n`;
  if (info.excludes.length > 0) {
    out += 'From excludes:\n';
    for (const pattern of info.excludes) out += `- ${printableText(pattern)}\n`;
  }
  if (filters.length === 0 && info.excludes.length === 0) out += '  nothing.\n';
  return `${out}\n`;
}

/** `wait   Create /b.txt`: the status padded to 7 columns, the type, the path(s). */
function delayLine(delay: StatusDelay): string {
  const status = delay.status ?? 'wait';
  const show = (path: RelPath): string => `/${printablePath(path)}${delay.dir && path !== '' ? '/' : ''}`;
  const target = delay.path2 !== undefined ? ` -> ${show(delay.path2)}` : '';
  return `${status.padEnd(7, ' ')}${delay.kind} ${show(delay.path)}${target}\n`;
}

/** One watch list for the whole daemon, as inotify has: a directory two syncs share counts once. */
function watchBlock(syncs: readonly SyncStatusInfo[]): string {
  const dirs = [...new Set(syncs.flatMap((sync) => sync.watchedDirs))];
  const lines = dirs.map((dir, i) => `  ${i + 1}: ${printableText(dir)}\n`);
  return `Inotify watching ${dirs.length} directories\n${lines.join('')}`;
}

/** The whole status file. */
export function formatStatusReport(at: Date, syncs: readonly SyncStatusInfo[]): string {
  const blocks = syncs.map((sync, i) => `${syncBlock(sync, i)}\n`).join('');
  return `Lsyncd status report at ${ctime(at)}\n\n${blocks}${watchBlock(syncs)}`;
}

/** A target state as the `State:` line reads. */
export function stateText(state: TargetState): string {
  switch (state.kind) {
    case 'starting':
      return 'starting';
    case 'scanning':
      return `scanning (${state.scanned} entries so far)`;
    case 'awaiting-decision':
      return `awaiting a decision: ${state.reason}`;
    case 'syncing':
      return `syncing ${state.paths} paths`;
    case 'idle':
      return state.lastSyncAt === null ? 'idle' : `idle since ${ctime(new Date(state.lastSyncAt))}`;
    case 'paused':
      return 'paused';
    case 'retrying':
      return `retrying (attempt ${state.attempt}) at ${ctime(new Date(state.nextAt))}: ${state.reason}`;
    case 'halted':
      return `halted: ${state.reason}`;
    case 'error':
      return `error: ${state.reason}`;
  }
}
