import { lstat, mkdir, realpath, rename, statfs, unlink } from 'node:fs/promises';
import type { EntryKind, Move, Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import type { FilterRule, RsyncTable } from '../config/model';
import { withoutNested } from '../plan/merge';
import type { EntryStat } from '../safety/at-risk';
import type { DryRunResult } from '../safety/itemize';
import type { TargetSpace } from '../safety/no-space';
import { TRASH_DIR } from '../safety/keep-rules';
import type { TrashEntry } from '../safety/trash-scripts';
import { absoluteBytes, joinRel, parentOf } from '../watch/byte-path';
import type { ProcessRunner } from './process-runner';
import { lstatOrNull } from '../watch/stat-paths';
import { MAX_FILES, quickCopy } from './quick-copy';
import { nextRunId, RsyncTransfer, type TransferListener } from './rsync-transfer';
import { TargetScripts } from './target-scripts';
import type { SafeTransport } from './transport';

export interface LocalTransportOptions {
  readonly source: string;
  readonly targetDir: string;
  readonly rsync: RsyncTable;
  readonly filters: readonly FilterRule[];
  readonly runner: ProcessRunner;
  /** How many rsyncs a full-tree sync may run side by side (default: the cores, at most 4). */
  readonly parallelism?: number;
  /** The kept entries' exclude rules (a file), when there are any. */
  readonly keepRules?: () => string | null;
  /** Whether quick copies may overwrite target files in place (not when a trash keeps them). */
  readonly quickCopy?: boolean;
  /** Where rsync keeps what it deletes or overwrites (relative to the target), when a trash is on. */
  readonly backupDir?: () => string | null;
  /** Who listens to the progress of the transfers now, if anyone. */
  readonly progress?: () => TransferListener | null;
}

/**
 * A target directory on this machine (default.rsync to a path, and default.direct). Moves are
 * renames in place; content and deletions go through one rsync per batch (RsyncTransfer).
 */
export class LocalTransport implements SafeTransport {
  readonly description: string;
  readonly #rsync: RsyncTransfer;
  readonly #scripts: TargetScripts;

  constructor(private readonly options: LocalTransportOptions) {
    this.description = `${options.targetDir}/`;
    this.#rsync = new RsyncTransfer({ ...options, destination: options.targetDir, label: this.description, space: () => this.#space() });
    this.#scripts = new TargetScripts(options.targetDir, this.description, async ([file, ...args], input) => {
      const result = await options.runner.run(file!, args, { input, stdoutEncoding: 'latin1' });
      return result.spawnError ? { kind: 'halt', reason: `${this.description}: cannot run ${file}: ${result.spawnError}` } : result;
    });
  }

  async apply(plan: Plan): Promise<Outcome> {
    let moved = 0;
    for (const move of plan.moves) if (await this.#renameOnTarget(move)) moved += 1;
    if (plan.full) {
      await mkdir(this.options.targetDir, { recursive: true });
      return this.#rsync.fullSync(plan.allowDelete);
    }
    if (plan.sync.length === 0) return { kind: 'ok', moved, listed: 0 };
    const listed = await this.#rsync.listable(plan.sync, plan.deletes, plan.landed);
    if (listed.length === 0) return { kind: 'ok', moved, listed: 0 };
    // Small files land first by a copy in-process; rsync then only corrects their times.
    // Not while entries are kept: the copy knows the config's filters, not the kept entries' rules.
    const quick = plan.moves.length === 0 && this.options.quickCopy !== false && !this.options.keepRules?.() && this.#plainTable() && this.#quickCopy(listed);
    const outcome = await this.#rsync.listed(listed, plan.allowDelete, quick ? ['--checksum'] : []);
    return outcome.kind === 'ok' ? { ...outcome, moved, listed: listed.length } : outcome;
  }

  async close(): Promise<void> {}

  /**
   * The fast path. A listener hears what it copied, created or replaced, as rsync would have
   * itemized it: the rsync after it finds those files in place and reports their times at most.
   */
  #quickCopy(listed: readonly RelPath[]): boolean {
    const { source, targetDir } = this.options;
    const listener = listed.length <= MAX_FILES ? (this.options.progress?.() ?? null) : null;
    const existed = listener ? listed.map((path) => lstatOrNull(absoluteBytes(targetDir, path)) !== null) : [];
    if (!quickCopy(listed, source, targetDir, this.#rsync.filter)) return false;
    if (listener) {
      const run = nextRunId();
      listed.forEach((path, i) => {
        const size = lstatOrNull(absoluteBytes(source, path))?.size ?? 0;
        listener(run, { kind: 'item', flags: existed[i] ? '>f.st......' : '>f+++++++++', size, path });
      });
      listener(run, { kind: 'end' });
    }
    return true;
  }

  dryRun(list: readonly RelPath[] | null): Promise<DryRunResult | Outcome> {
    return this.#rsync.dryRun(list);
  }

  statTarget(paths: readonly RelPath[]): Promise<Map<RelPath, EntryStat> | Outcome> {
    return this.#scripts.stat(paths);
  }

  isEmpty(): Promise<boolean | Outcome> {
    return this.#scripts.isEmpty();
  }

  listTrash(): Promise<TrashEntry[] | Outcome> {
    return this.#scripts.listTrash();
  }

  pruneTrash(olderThanMs: number): Promise<Outcome> {
    return this.#scripts.pruneTrash(olderThanMs);
  }

  removeTrashStamp(stamp: string): Promise<Outcome> {
    return this.#scripts.removeStamp(stamp);
  }

  restoreFromTrash(stamp: string, paths: readonly RelPath[]): Promise<Outcome> {
    return this.#rsync.pull(paths, joinRel(TRASH_DIR, stamp));
  }

  pull(paths: readonly RelPath[]): Promise<Outcome> {
    return this.#rsync.pull(paths);
  }

  async moveToTrash(entries: readonly { readonly path: RelPath; readonly entry: EntryKind }[], dir: RelPath): Promise<Outcome> {
    const failed: RelPath[] = [];
    for (const path of withoutNested(entries.map((entry) => entry.path))) {
      if (await this.#linkedParent(path)) {
        failed.push(path);
        continue;
      }
      const to = absoluteBytes(this.options.targetDir, joinRel(dir, path));
      try {
        await mkdir(absoluteBytes(this.options.targetDir, parentOf(joinRel(dir, path))), { recursive: true });
        await rename(absoluteBytes(this.options.targetDir, path), to);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') failed.push(path);
      }
    }
    if (failed.length === 0) return { kind: 'ok', moved: entries.length, listed: 0 };
    return { kind: 'retry', reason: `${this.description}: could not move ${failed.length} entries into ${dir}/` };
  }

  replaceFromSource(paths: readonly RelPath[]): Promise<Outcome> {
    return this.#rsync.listed(withoutNested(paths), true);
  }

  /** The target's physical directory (as rsync's receiver names files) and the bytes free on its filesystem. */
  async #space(): Promise<TargetSpace | null> {
    try {
      const [root, stats] = await Promise.all([realpath(this.options.targetDir), statfs(this.options.targetDir)]);
      return { root, free: stats.bavail * stats.bsize };
    } catch {
      return null;
    }
  }

  /** An rsync table that sets nothing: the fast path copies exactly what rsync's defaults would. */
  #plainTable(): boolean {
    const { flags, values, extra } = this.options.rsync;
    return Object.keys(flags).length === 0 && Object.keys(values).length === 0 && extra.length === 0;
  }

  /**
   * Renames on the target when the origin is there with the same kind. Anything else falls
   * back to transferring the destination (it is in the sync list), never to deleting.
   */
  async #renameOnTarget(move: Move): Promise<boolean> {
    // Never through a symlink: a parent that is a link on the target (the source replaced a link
    // by a directory, not mirrored yet) would move an entry out of, or into, a directory elsewhere.
    if ((await this.#linkedParent(move.from)) || (await this.#linkedParent(move.to))) return false;
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

  /** Whether a parent of `path` is a symlink on the target (a missing one ends the walk). */
  async #linkedParent(path: RelPath): Promise<boolean> {
    for (let end = path.indexOf('/'); end > 0; end = path.indexOf('/', end + 1)) {
      const st = await lstat(absoluteBytes(this.options.targetDir, path.slice(0, end))).catch(() => null);
      if (!st) return false;
      if (st.isSymbolicLink()) return true;
    }
    return false;
  }
}

function kindMatches(stats: { isDirectory(): boolean; isSymbolicLink(): boolean }, kind: Move['entry']): boolean {
  if (kind === 'dir') return stats.isDirectory();
  if (kind === 'symlink') return stats.isSymbolicLink();
  return !stats.isDirectory();
}
