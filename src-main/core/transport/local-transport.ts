import { availableParallelism } from 'node:os';
import { lstat, mkdir, readdir, rename, unlink } from 'node:fs/promises';
import type { Move, Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import type { FilterRule, RsyncTable } from '../config/model';
import { absoluteBytes, fromBytes, parentOf, toBytes } from '../watch/byte-path';
import { compileFilters, type PathFilter } from '../plan/filter';
import { combineOutcomes, splitTopLevel } from './full-sync-split';
import { quickCopy } from './quick-copy';
import { classifyRsyncExit } from './exit-codes';
import type { ProcessRunner } from './process-runner';
import { filterArgs, rsyncOptionArgs } from './rsync-argv';
import type { Transport } from './transport';
import { withoutNested } from '../plan/merge';
import { lstatPaths } from '../watch/stat-paths';

export interface LocalTransportOptions {
  readonly source: string;
  readonly targetDir: string;
  readonly rsync: RsyncTable;
  readonly filters: readonly FilterRule[];
  readonly runner: ProcessRunner;
  /** How many rsyncs a full-tree sync may run side by side (default: the cores, at most 4). */
  readonly parallelism?: number;
}

/**
 * A target directory on this machine (default.rsync to a path, and default.direct). Moves are
 * renames in place; content and deletions go through one rsync per batch, its file list fed
 * NUL-separated on stdin so that no name ever passes through a shell or a glob.
 */
export class LocalTransport implements Transport {
  readonly description: string;

  readonly #filter: PathFilter;

  constructor(private readonly options: LocalTransportOptions) {
    this.description = `${options.targetDir}/`;
    this.#filter = compileFilters(options.filters);
  }

  /**
   * The whole tree. With several cores and several top-level directories, one rsync first
   * mirrors the root without recursing (its files, its attributes, and with deletes on the
   * removal of whatever the source no longer has at the top), then one rsync per group of
   * top-level directories mirrors those recursively, side by side.
   */
  async startupSync({ deleteExtraneous }: { deleteExtraneous: boolean }): Promise<Outcome> {
    await mkdir(this.options.targetDir, { recursive: true });
    const deleteArgs = deleteExtraneous ? ['--delete'] : [];
    const groups = splitTopLevel(await this.#topLevelDirs(), this.options.parallelism ?? Math.min(availableParallelism(), 4));
    if (!groups) return this.#rsync(['--recursive', ...deleteArgs], null);
    const root = await this.#rsync(['--dirs', ...deleteArgs], null);
    if (root.kind !== 'ok') return root;
    const listArgs = ['--recursive', '--from0', '--files-from=-', ...(deleteExtraneous ? ['--delete-missing-args', ...deleteArgs] : ['--ignore-missing-args'])];
    return combineOutcomes(await Promise.all(groups.map((group) => this.#rsync(listArgs, group))));
  }

  /** An rsync table that sets nothing: the fast path copies exactly what rsync's defaults would. */
  #plainTable(): boolean {
    const { flags, values, extra } = this.options.rsync;
    return Object.keys(flags).length === 0 && Object.keys(values).length === 0 && extra.length === 0;
  }

  /** The source's top-level directories that the filter lets through. */
  async #topLevelDirs(): Promise<RelPath[]> {
    const entries = await readdir(absoluteBytes(this.options.source, ''), { withFileTypes: true, encoding: 'buffer' }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => fromBytes(entry.name))
      .filter((name) => !this.#filter.isExcluded(name, true));
  }

  async apply(plan: Plan): Promise<Outcome> {
    let moved = 0;
    for (const move of plan.moves) if (await this.#renameOnTarget(move)) moved += 1;
    if (plan.full) return this.startupSync({ deleteExtraneous: plan.allowDelete });
    if (plan.sync.length === 0) return { kind: 'ok', moved, listed: 0 };
    const listed = await this.#listable(plan.sync, plan.deletes);
    if (listed.length === 0) return { kind: 'ok', moved, listed: 0 };
    const deleteArgs = plan.allowDelete ? ['--delete-missing-args', '--delete'] : ['--ignore-missing-args'];
    // Small files land first by a copy in-process; rsync then only corrects their times.
    const quick = plan.moves.length === 0 && this.#plainTable() && quickCopy(listed, this.options.source, this.options.targetDir, this.#filter);
    const outcome = await this.#rsync(['--recursive', '--from0', '--files-from=-', ...deleteArgs, ...(quick ? ['--checksum'] : [])], listed);
    return outcome.kind === 'ok' ? { kind: 'ok', moved, listed: listed.length } : outcome;
  }

  async close(): Promise<void> {}

  async #rsync(modeArgs: readonly string[], list: readonly RelPath[] | null): Promise<Outcome> {
    const { source, targetDir, rsync, filters, runner } = this.options;
    // rsync's quick check counts whole seconds only (--modify-window defaults to 0), so a file
    // rewritten at the same size within the second of the previous transfer is skipped: stale
    // content, or a file copied mid-write keeping its half-way mtime. -1 compares nanoseconds
    // (both ends here are the local rsync, >= 3.1.3). First, so a table's `_extra` can override it.
    const args = ['--modify-window=-1', ...rsyncOptionArgs(rsync, { preservePerms: true }), ...modeArgs, ...filterArgs(filters), '--', `${source}/`, `${targetDir}/`];
    const input = list ? Buffer.concat(list.flatMap((path) => [toBytes(path), Buffer.from([0])])) : undefined;
    const result = await runner.run(rsync.binary, args, { input });
    if (result.spawnError) return { kind: 'halt', reason: `cannot run ${rsync.binary}: ${result.spawnError}` };
    const verdict = classifyRsyncExit(result.exitCode, result.signal ?? undefined);
    if (verdict.verdict === 'ok') return { kind: 'ok', moved: 0, listed: list?.length ?? 0 };
    const detail = `rsync exited ${result.exitCode ?? result.signal} (${verdict.meaning}): ${lastLines(result.stderr)}`;
    return verdict.verdict === 'halt' || verdict.verdict === 'config'
      ? { kind: 'halt', reason: detail }
      : { kind: 'retry', reason: detail, code: result.exitCode ?? undefined };
  }

  /**
   * Renames on the target when the origin is there with the same kind. Anything else falls
   * back to transferring the destination (it is in the sync list), never to deleting.
   */
  async #renameOnTarget(move: Move): Promise<boolean> {
    const from = absoluteBytes(this.options.targetDir, move.from);
    const to = absoluteBytes(this.options.targetDir, move.to);
    const origin = await lstat(from).catch(() => null);
    if (!origin || kindMatches(origin, move.entry) === false) return false;
    try {
      await mkdir(absoluteBytes(this.options.targetDir, parentOf(move.to)), { recursive: true });
      const existing = await lstat(to).catch(() => null);
      // A symlink at the destination is replaced, never written through (LSYNCD.md bug 3).
      if (existing?.isSymbolicLink() && move.entry === 'dir') await unlink(to);
      await rename(from, to);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * The paths worth listing, checked against the source as it is now:
   * - A path whose source parent is no longer a directory is dropped. The parent vanished,
   *   moved or changed type, and that is an event of its own (a delete, a move or a re-send of
   *   the parent) which covers everything below. Listing the path, or its lost parent, would
   *   make rsync delete on the target the very tree that a pending move is about to rename.
   * - A path this plan deleted last that exists again was re-created since; that is a later
   *   event too. Copying it now would occupy the name that a pending move is about to take.
   */
  async #listable(paths: readonly RelPath[], deletes: readonly RelPath[]): Promise<RelPath[]> {
    const deleted = new Set(deletes);
    const parents = [...new Set(paths.map(parentOf))].filter((dir) => dir !== '');
    const wanted = [...parents, ...paths.filter((path) => deleted.has(path))];
    const stats = await lstatPaths(wanted.map((path) => absoluteBytes(this.options.source, path)));
    const statOf = new Map(wanted.map((path, i) => [path, stats[i]]));
    return withoutNested(paths.filter((path) => {
      const parent = parentOf(path);
      if (parent !== '' && !statOf.get(parent)?.isDirectory()) return false;
      return !(deleted.has(path) && statOf.get(path));
    }));
  }
}

function kindMatches(stats: { isDirectory(): boolean; isSymbolicLink(): boolean }, kind: Move['entry']): boolean {
  if (kind === 'dir') return stats.isDirectory();
  if (kind === 'symlink') return stats.isSymbolicLink();
  return !stats.isDirectory();
}

function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
