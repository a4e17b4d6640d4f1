import { availableParallelism } from 'node:os';
import { readdir } from 'node:fs/promises';
import type { Outcome, RelPath, Stall } from '../../../src-shared/model/sync';
import type { FilterRule, RsyncTable } from '../config/model';
import { withoutNested } from '../plan/merge';
import { compileFilters, type PathFilter } from '../plan/filter';
import { absoluteBytes, fromBytes, parentOf } from '../watch/byte-path';
import { lstatOrNull, lstatPaths } from '../watch/stat-paths';
import { ITEMIZE_FORMAT, parseItemized, type DryRunResult } from '../safety/itemize';
import { exactExcludeRule, TRASH_DIR } from '../safety/keep-rules';
import { noSpaceName, stallText, stalledPath, type TargetSpace } from '../safety/no-space';
import { classifyRsyncExit } from './exit-codes';
import { combineOutcomes, splitTopLevel } from './full-sync-split';
import type { ProcessResult, ProcessRunner } from './process-runner';
import { fileListInput, filterArgs, rsyncOptionArgs } from './rsync-argv';
import { PROGRESS_ARGS, RsyncProgressParser, type RsyncProgressEvent } from './rsync-progress';

/** What a listener hears of the runs of a target: each rsync's events under its run number, then its end. */
export type TransferEvent = RsyncProgressEvent | { readonly kind: 'end' };
export type TransferListener = (run: number, event: TransferEvent) => void;

let runs = 0;
/** A number no other run of this process has: parallel runs of one full sync are told apart by it. */
export function nextRunId(): number {
  return ++runs;
}

export interface RsyncTransferOptions {
  readonly source: string;
  /** rsync's destination: `/dir` or `host:/dir`, without the trailing slash. */
  readonly destination: string;
  /** How failure messages name the target ("host:dir/"). */
  readonly label: string;
  readonly rsync: RsyncTable;
  readonly filters: readonly FilterRule[];
  readonly runner: ProcessRunner;
  /** Arguments every run gets after the table's (the SSH transport's --rsh). */
  readonly extraArgs?: readonly string[];
  /** How many rsyncs a full-tree sync may run side by side (default: the cores, at most 4). */
  readonly parallelism?: number;
  /** A failed run that this says more about than the exit code (ssh's own failures). */
  readonly explainFailure?: (result: ProcessResult) => Outcome | null;
  /** A file of NUL-terminated exclude rules for the entries the user chose to keep, if any. */
  readonly keepRules?: () => string | null;
  /** Where the target keeps what a sync deletes or overwrites (relative to it), if it does. */
  readonly backupDir?: () => string | null;
  /** The target's physical directory and free bytes, read after a run that found no room (null when unreadable). */
  readonly space?: () => Promise<TargetSpace | null>;
  /**
   * Who listens to the progress of the runs that send (read at each run). Only while there is
   * one does rsync print it (PROGRESS_ARGS): without, every run is exactly as before.
   */
  readonly progress?: () => TransferListener | null;
}

/** How many files one run sets aside for want of room before it gives up: then the target is simply full. */
const MAX_SET_ASIDE = 8;

/** Which way a run copies: to the target (every sync), or back into the source (pull). */
type Direction = 'push' | 'pull';

/**
 * The rsync half of every transport: one rsync per batch with its file list NUL-separated on
 * stdin (no name ever passes through a shell or a glob), full-tree syncs split across cores,
 * and the checks of a batch's paths against the source as it is when the batch runs.
 */
export class RsyncTransfer {
  readonly filter: PathFilter;

  constructor(private readonly options: RsyncTransferOptions) {
    this.filter = compileFilters(options.filters);
  }

  /**
   * The whole tree. With several cores and several top-level directories, one rsync first
   * mirrors the root without recursing (its files, its attributes, and with deletes on the
   * removal of whatever the source no longer has at the top), then one rsync per group of
   * top-level directories mirrors those recursively, side by side.
   */
  async fullSync(deleteExtraneous: boolean): Promise<Outcome> {
    const deleteArgs = deleteExtraneous ? ['--delete'] : [];
    const groups = splitTopLevel(await this.#topLevelDirs(), this.options.parallelism ?? Math.min(availableParallelism(), 4));
    if (!groups) return this.run(['--recursive', ...deleteArgs], null);
    const root = await this.run(['--dirs', ...deleteArgs], null);
    if (root.kind !== 'ok') return root;
    const listArgs = ['--recursive', '--from0', '--files-from=-', ...(deleteExtraneous ? ['--delete-missing-args', ...deleteArgs] : ['--ignore-missing-args'])];
    return combineOutcomes([root, ...(await Promise.all(groups.map((group) => this.run(listArgs, group))))]);
  }

  /** Mirrors the listed paths (recursively), deleting on the target what the source lost when allowed. */
  listed(paths: readonly RelPath[], allowDelete: boolean, more: readonly string[] = []): Promise<Outcome> {
    const deleteArgs = allowDelete ? ['--delete-missing-args', '--delete'] : ['--ignore-missing-args'];
    return this.run(['--recursive', '--from0', '--files-from=-', ...deleteArgs, ...more], paths);
  }

  /**
   * The paths worth listing, checked against the source as it is now:
   * - A path whose source parent is no longer a directory is dropped. The parent vanished,
   *   moved or changed type, and that is an event of its own (a delete, a move or a re-send of
   *   the parent) which covers everything below. Listing the path, or its lost parent, would
   *   make rsync delete on the target the very tree that a pending move is about to rename.
   * - A path this plan deleted last that exists again was re-created since; that is a later
   *   event too. Copying it now would occupy the name that a pending move is about to take.
   * - A move destination that the batch left in place (`landed`) but that is gone now was moved
   *   on or deleted since (a -> b, then b -> c a moment later): a later event again. Listing it
   *   would delete on the target the entry this plan's rename just put there, and the later
   *   rename b -> c would find nothing there and send c's whole content instead.
   */
  async listable(paths: readonly RelPath[], deletes: readonly RelPath[], landed: readonly RelPath[] = []): Promise<RelPath[]> {
    const deleted = new Set(deletes);
    const arrived = new Set(landed);
    const parents = [...new Set(paths.map(parentOf))].filter((dir) => dir !== '');
    const wanted = [...parents, ...paths.filter((path) => deleted.has(path) || arrived.has(path))];
    const stats = await lstatPaths(wanted.map((path) => absoluteBytes(this.options.source, path)));
    const statOf = new Map(wanted.map((path, i) => [path, stats[i]]));
    return withoutNested(
      paths.filter((path) => {
        const parent = parentOf(path);
        if (parent !== '' && !statOf.get(parent)?.isDirectory()) return false;
        if (arrived.has(path) && !statOf.get(path)) return false;
        return !(deleted.has(path) && statOf.get(path));
      }),
    );
  }

  /**
   * What a sync would delete and overwrite on the target: the whole tree (list null), or the
   * listed paths. Always with --delete, so that target-only entries are listed even when the
   * sync itself would not delete them.
   */
  async dryRun(list: readonly RelPath[] | null): Promise<DryRunResult | Outcome> {
    const dry = ['--dry-run', '--itemize-changes', ITEMIZE_FORMAT];
    const listed = [...dry, '--recursive', '--from0', '--files-from=-', '--delete-missing-args', '--delete'];
    if (list) return this.#dryRuns([{ args: listed, list }]);
    // The whole tree, split as fullSync splits it: the root without recursing, then groups of
    // top-level directories side by side (a restart's check walks the whole tree once more).
    const groups = splitTopLevel(await this.#topLevelDirs(), this.options.parallelism ?? Math.min(availableParallelism(), 4));
    if (!groups) return this.#dryRuns([{ args: [...dry, '--recursive', '--delete'], list: null }]);
    return this.#dryRuns([{ args: [...dry, '--dirs', '--delete'], list: null }, ...groups.map((group) => ({ args: listed, list: group }))]);
  }

  /** Dry runs side by side, read as one. */
  async #dryRuns(runs: readonly { readonly args: readonly string[]; readonly list: readonly RelPath[] | null }[]): Promise<DryRunResult | Outcome> {
    const done = await Promise.all(runs.map((run) => this.#exec(run.args, run.list, 'push')));
    const failed = done.find((run) => run.outcome.kind !== 'ok');
    if (failed) return failed.outcome;
    const results = done.map((run) => parseItemized(run.stdout));
    return {
      deletes: results.flatMap((result) => result.deletes),
      overwrites: results.flatMap((result) => result.overwrites),
      itemized: results.reduce((sum, result) => sum + result.itemized, 0),
      creates: results.reduce((sum, result) => sum + (result.creates ?? 0), 0),
    };
  }

  /**
   * Copies the listed target entries back into the source. --update leaves a source file that
   * is newer alone; no --delete, so nothing in the source is ever removed.
   */
  pull(paths: readonly RelPath[], from: RelPath = ''): Promise<Outcome> {
    return this.#exec(['--update', '--from0', '--files-from=-'], paths, 'pull', from).then(({ outcome }) => outcome);
  }

  /**
   * One rsync run; the list (when given) goes NUL-separated on stdin, each path as `./path`
   * (fileListInput). A file the target has no room for stops rsync at once, so the run is made
   * again without it (an exact exclude rule): what fits arrives, and the outcome names the file
   * set aside (`stalled`, with its size and the target's free bytes) for a retry of its own.
   */
  async run(modeArgs: readonly string[], list: readonly RelPath[] | null): Promise<Outcome> {
    const stalled: Stall[] = [];
    for (;;) {
      const { outcome, stderr } = await this.#exec(modeArgs, list, 'push', '', stalled.map((stall) => stall.path), this.options.progress?.() ?? null);
      if (outcome.kind === 'ok') return stalled.length > 0 ? { ...outcome, stalled } : outcome;
      const stall = outcome.kind === 'retry' ? await this.#stallOf(stderr) : null;
      if (!stall || stalled.some((known) => known.path === stall.path)) return outcome;
      stalled.push(stall);
      if (stalled.length > MAX_SET_ASIDE) {
        const reason = `${this.options.label}: no space left on the target: ${stalled.length} files did not fit, the last ${stallText(stall)}`;
        return { kind: 'retry', reason, code: outcome.kind === 'retry' ? outcome.code : undefined };
      }
    }
  }

  /** The file a run's stderr says had no room on the target, with its size and the target's free bytes. */
  async #stallOf(stderr: string): Promise<Stall | null> {
    const printed = noSpaceName(stderr);
    if (printed === null) return null;
    const space = (await this.options.space?.()) ?? null;
    const source = this.options.source;
    const path = stalledPath(printed, space?.root ?? null, (rel) => lstatOrNull(absoluteBytes(source, rel))?.isFile() === true);
    const stats = path === null ? null : lstatOrNull(absoluteBytes(source, path));
    if (path === null || !stats) return null;
    return { path, needs: stats.size, free: space?.free ?? null };
  }

  async #exec(
    modeArgs: readonly string[],
    list: readonly RelPath[] | null,
    direction: Direction,
    from: RelPath = '',
    setAside: readonly RelPath[] = [],
    listener: TransferListener | null = null,
  ): Promise<{ outcome: Outcome; stdout: string; stderr: string }> {
    const { source, destination, rsync, filters, runner } = this.options;
    const keepRules = this.options.keepRules?.() ?? null;
    const backupDir = direction === 'push' ? (this.options.backupDir?.() ?? null) : null;
    const pulledFrom = from === '' ? destination : `${destination}/${from}`;
    // rsync's quick check counts whole seconds only (--modify-window defaults to 0), so a file
    // rewritten at the same size within the second of the previous transfer is skipped: stale
    // content, or a file copied mid-write keeping its half-way mtime. -1 compares nanoseconds
    // (rsync >= 3.1.3 at both ends). First, so a table's `_extra` can override it.
    const args = [
      // Not for pulls: rsync 3.5.0 with --modify-window=-1 lets --update copy an older file over
      // a newer one (measured), and a pull must never overwrite a newer source file.
      ...(direction === 'push' ? ['--modify-window=-1'] : []),
      ...rsyncOptionArgs(rsync, { preservePerms: true }),
      ...(this.options.extraArgs ?? []),
      ...modeArgs,
      ...(listener ? PROGRESS_ARGS : []),
      ...(backupDir ? ['--backup', `--backup-dir=${backupDir}`] : []),
      // The trash, the files set aside for want of room, and the kept entries come first: the
      // first matching rule wins.
      `--filter=- /${TRASH_DIR}/`,
      ...setAside.map((path) => `--filter=${exactExcludeRule(path)}`),
      ...(keepRules ? ['--from0', `--filter=merge ${keepRules}`] : []),
      ...filterArgs(filters),
      '--',
      ...(direction === 'push' ? [`${source}/`, `${destination}/`] : [`${pulledFrom}/`, `${source}/`]),
    ];
    const input = list ? fileListInput(list) : undefined;
    if (!listener) {
      const result = await runner.run(rsync.binary, args, { input, stdoutEncoding: 'latin1' });
      return { outcome: this.#outcomeOf(result, list), stdout: result.stdout, stderr: result.stderr };
    }
    const run = nextRunId();
    const parser = new RsyncProgressParser((event) => listener(run, event));
    const result = await runner.run(rsync.binary, args, { input, stdoutEncoding: 'latin1', onStdout: (chunk) => parser.push(chunk) });
    parser.end();
    listener(run, { kind: 'end' });
    return { outcome: this.#outcomeOf(result, list), stdout: result.stdout, stderr: result.stderr };
  }

  #outcomeOf(result: ProcessResult, list: readonly RelPath[] | null): Outcome {
    const { rsync } = this.options;
    if (result.spawnError) return { kind: 'halt', reason: `${this.options.label}: cannot run ${rsync.binary}: ${result.spawnError}` };
    const verdict = classifyRsyncExit(result.exitCode, result.signal ?? undefined);
    if (verdict.verdict === 'ok') return { kind: 'ok', moved: 0, listed: list?.length ?? 0 };
    const explained = this.options.explainFailure?.(result);
    if (explained) return explained;
    const detail = `${this.options.label}: rsync exited ${result.exitCode ?? result.signal} (${verdict.meaning}): ${lastLines(result.stderr)}`;
    return verdict.verdict === 'halt' || verdict.verdict === 'config'
      ? { kind: 'halt', reason: detail }
      : { kind: 'retry', reason: detail, code: result.exitCode ?? undefined };
  }

  /** The source's top-level directories that the filter lets through. */
  async #topLevelDirs(): Promise<RelPath[]> {
    const entries = await readdir(absoluteBytes(this.options.source, ''), { withFileTypes: true, encoding: 'buffer' }).catch(() => []);
    return entries
      .filter((entry) => entry.isDirectory())
      .map((entry) => fromBytes(entry.name))
      .filter((name) => !this.filter.isExcluded(name, true));
  }
}

/** The last lines of a child's stderr, on one line, for a log message. */
export function lastLines(text: string, count = 5): string {
  return text.trim().split('\n').slice(-count).join(' | ');
}
