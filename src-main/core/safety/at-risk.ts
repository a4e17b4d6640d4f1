// Building the report of what a sync would delete or overwrite, from a dry run and the stats
// of both sides. Pure: no node:* imports.
import type { AtRiskEntry, AtRiskGroup, SafetyReport } from '../../../src-shared/model/safety';
import type { EntryKind, RelPath } from '../../../src-shared/model/sync';
import type { DryRunResult } from './itemize';

export interface EntryStat {
  readonly entry: EntryKind;
  readonly size: number;
  readonly mtimeMs: number;
}

export interface ReportInput {
  readonly target: string;
  readonly reason: SafetyReport['reason'];
  readonly dryRun: Pick<DryRunResult, 'deletes' | 'overwrites'>;
  /** The target's entries named by the dry run (missing ones vanished meanwhile: no risk). */
  readonly targetStats: ReadonlyMap<RelPath, EntryStat>;
  readonly sourceStats: ReadonlyMap<RelPath, EntryStat>;
  /** Whether the sync deletes; target-only entries are at risk only then. */
  readonly deletes: boolean;
  /** Deletions the user made in the source and that were not shipped yet (the journal): expected. */
  readonly expectedDeletes?: (path: RelPath) => boolean;
  /**
   * Files the user changed in the source and that were not shipped yet (the journal): a copy
   * that differs on the target is one that process left half-written, or an older one.
   */
  readonly expectedChanges?: (path: RelPath) => boolean;
  /** Target-only files that are rsync's temporary files of an interrupted transfer (see rsyncTempOf). */
  readonly leftovers?: ReadonlySet<RelPath>;
  /** The trash stamp of entries the breaker's window already moved out of the mirror. */
  readonly heldIn?: (path: RelPath) => string | undefined;
}

/**
 * The file a name would be rsync's temporary copy of (`dir/.name.XXXXXX` -> `dir/name`), or
 * null. rsync names its temporary files so, beside the file it writes, and a transfer killed
 * together with its daemon leaves one behind.
 */
export function rsyncTempOf(path: RelPath): RelPath | null {
  const slash = path.lastIndexOf('/');
  const match = /^\.(.+)\.[A-Za-z0-9]{6}$/s.exec(path.slice(slash + 1));
  return match ? `${path.slice(0, slash + 1)}${match[1]}` : null;
}

/**
 * Times closer than this count as equal: mtimes come from lstat (microseconds) on one side and
 * from find's %T@ (decimal seconds) on the other, which round differently.
 */
const SAME_TIME_MS = 1;

export function buildReport(input: ReportInput): SafetyReport {
  const entries: AtRiskEntry[] = [];
  let updates = 0;
  for (const { path } of input.dryRun.deletes) {
    const stat = input.targetStats.get(path);
    if (!stat) continue;
    const expected = input.expectedDeletes?.(path) ?? false;
    if (expected) continue;
    if (input.leftovers?.has(path)) {
      entries.push({ path, risk: 'interrupted-transfer', entry: stat.entry, size: stat.size, mtimeMs: stat.mtimeMs, atRisk: false });
      continue;
    }
    const heldIn = input.heldIn?.(path);
    const risk = input.reason === 'mass-delete' || heldIn !== undefined ? 'deleted-in-source' : 'target-only';
    entries.push({ path, risk, entry: stat.entry, size: stat.entry === 'dir' ? 0 : stat.size, mtimeMs: stat.mtimeMs, atRisk: input.deletes || heldIn !== undefined, ...(heldIn !== undefined ? { heldIn } : {}) });
  }
  for (const path of input.dryRun.overwrites) {
    const stat = input.targetStats.get(path);
    const source = input.sourceStats.get(path);
    if (!stat || !source || input.expectedChanges?.(path)) continue;
    const ahead = stat.mtimeMs - source.mtimeMs;
    if (ahead < -SAME_TIME_MS) {
      updates += 1;
      continue;
    }
    const risk = ahead > SAME_TIME_MS ? 'newer-on-target' : 'differs';
    entries.push({ path, risk, entry: stat.entry, size: stat.size, mtimeMs: stat.mtimeMs, sourceSize: source.size, sourceMtimeMs: source.mtimeMs, atRisk: true });
  }
  entries.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const atRisk = entries.filter((entry) => entry.atRisk).length;
  return { target: input.target, reason: input.reason, summary: summarize(input, entries, atRisk), entries, groups: groupByDir(entries), updates, atRisk };
}

function summarize(input: ReportInput, entries: readonly AtRiskEntry[], atRisk: number): string {
  const only = entries.filter((entry) => entry.risk === 'target-only' || entry.risk === 'deleted-in-source');
  const newer = entries.filter((entry) => entry.risk === 'newer-on-target' || entry.risk === 'differs');
  const bytes = only.reduce((sum, entry) => sum + entry.size, 0);
  const parts: string[] = [];
  const where = input.reason === 'mass-delete' ? 'deleted in the source' : 'only on the target';
  if (only.length > 0) parts.push(`${only.length} ${plural(only.length, 'entry', 'entries')} ${where} (${formatBytes(bytes)})${input.deletes ? ' that the sync would delete' : ', kept: this sync does not delete'}`);
  if (newer.length > 0) parts.push(`${newer.length} ${plural(newer.length, 'file')} newer on the target or different there, that the sync would overwrite`);
  const leftovers = entries.filter((entry) => entry.risk === 'interrupted-transfer').length;
  if (leftovers > 0) parts.push(`${leftovers} temporary ${plural(leftovers, 'file')} of an interrupted transfer, which the sync removes`);
  if (parts.length === 0) return `${input.target}: nothing at risk`;
  const verdict = atRisk > 0 ? 'a decision is needed' : 'nothing at risk';
  return `${input.target}: ${parts.join('; ')}: ${verdict}`;
}

/** Counts and bytes per top-level directory of the report ('' for entries at the root). */
export function groupByDir(entries: readonly AtRiskEntry[]): AtRiskGroup[] {
  const groups = new Map<RelPath, { count: number; bytes: number }>();
  for (const entry of entries) {
    const slash = entry.path.indexOf('/');
    const dir = slash === -1 ? (entry.entry === 'dir' ? entry.path : '') : entry.path.slice(0, slash);
    const group = groups.get(dir) ?? { count: 0, bytes: 0 };
    group.count += 1;
    group.bytes += entry.size;
    groups.set(dir, group);
  }
  return [...groups].map(([dir, { count, bytes }]) => ({ dir, count, bytes })).sort((a, b) => b.count - a.count || (a.dir < b.dir ? -1 : 1));
}

export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes / 1024;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  return `${value.toFixed(value < 10 ? 1 : 0)} ${units[unit]}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return count === 1 ? one : many;
}
