import { opendirSync } from 'node:fs';
import type { ReconcileAction, SafetyReport } from '../../../src-shared/model/safety';
import type { Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import type { ReconcilePolicy } from '../config/model';
import type { SessionLog } from '../session/session';
import { buildReport, rsyncTempOf, type EntryStat } from '../safety/at-risk';
import { breakerTrips, type BreakerLimits } from '../safety/breaker';
import type { DryRunResult } from '../safety/itemize';
import { TRASH_DIR } from '../safety/keep-rules';
import { judgeRoot, type RootIdentity, type RootVerdict } from '../safety/root-identity';
import { withoutNested } from '../plan/merge';
import { absoluteBytes, isWithin } from '../watch/byte-path';
import { lstatOrNull } from '../watch/stat-paths';
import type { SafeTransport, Transport } from '../transport/transport';
import type { TargetStore } from './target-store';

export interface SafetyGateOptions {
  readonly source: string;
  readonly transport: SafeTransport;
  readonly store: TargetStore;
  /** What a full sync does with entries at risk: ask, or decide without asking. */
  readonly policy: ReconcilePolicy;
  readonly limits: BreakerLimits;
  /** Entries in the source now (the watcher's count), the measure of "the tree". */
  readonly treeSize: () => number;
  readonly now: () => number;
  readonly log?: SessionLog;
  /** The trash of running sync (`trash = true`), if on: a rename never replaces a file there. */
  readonly trashDir?: () => string | null;
}

/**
 * A batch whose deletions leave the source root empty waits when it would delete at least this
 * many entries on the target: an emptied tree is how an unmounted disk or a stray `rm -rf`
 * looks, while a person removing their last few files is not worth a question.
 */
export const EMPTIED_FLOOR = 10;

/**
 * Every plan passes here before it reaches the target (DESIGN.md decision 6):
 * - the source root must be the directory the sync started on, or the target halts;
 * - a full sync first runs a dry run, and entries it would delete or overwrite wait for a
 *   decision (or get the policy's), unless the policy is lsyncd's 'delete';
 * - a batch that would delete more than the breaker allows, or empty the tree, waits too.
 * What waits stays queued in the session; nothing is touched until a decision is taken.
 */
export class SafetyGate implements Transport {
  readonly description: string;
  #root: RootIdentity | null = null;
  #report: SafetyReport | null = null;
  #rootTrouble: RootVerdict | null = null;
  /** Deletions the journal says the user made before a crash: target-only because of them, expectedly. */
  #expectedDeletes: readonly RelPath[] = [];
  /** Files the journal says the user changed: a differing copy on the target is an interrupted transfer's. */
  #expectedChanges: ReadonlySet<RelPath> = new Set();
  #afterCrash = false;

  constructor(private readonly options: SafetyGateOptions) {
    this.description = options.transport.description;
  }

  /** Remembers the source root as it is now; plans check against it. */
  adoptRoot(): void {
    this.#root = rootIdentity(this.options.source);
    this.#rootTrouble = null;
  }

  /**
   * Reads what the store's journal says the last run left unshipped (a crash): its deletions and
   * old rename names are the user's own, a differing target copy of a file it changed is an
   * interrupted transfer's, and so are rsync's temporary files. The next full sync's check asks
   * about none of them.
   */
  expectJournal(): void {
    const { store } = this.options;
    this.#expectedDeletes = withoutNested(store.journaledDeletes());
    this.#expectedChanges = new Set(store.journaledChanges());
    this.#afterCrash = store.journal.length > 0 || store.journalEvents.length > 0;
  }

  /** The report a decision is awaited on, if any. */
  get report(): SafetyReport | null {
    return this.#report;
  }

  /** Why the root halted the target, while it does. */
  get rootTrouble(): RootVerdict | null {
    return this.#rootTrouble;
  }

  /** Records a root problem found outside a plan (the runner's look while idle). */
  noteRootTrouble(verdict: RootVerdict): void {
    if (verdict.kind !== 'same') this.#rootTrouble = verdict;
  }

  /** The root compared with the adopted one ('same' when nothing was adopted). */
  judgeRoot(): RootVerdict {
    if (!this.#root) return { kind: 'same' };
    return judgeRoot(this.options.source, this.#root, rootIdentityOrFile(this.options.source));
  }

  async apply(given: Plan): Promise<Outcome> {
    const plan = this.#withoutKeptMoves(given);
    const root = this.judgeRoot();
    if (root.kind !== 'same') {
      this.#rootTrouble = root;
      return { kind: 'halt', reason: `${root.reason}; nothing was touched on the target` };
    }
    if (plan.full && plan.moves.length > 0) {
      // The renames first (a journal's, replayed after a crash): the check must see their
      // origins gone from the target and their destinations there, not the other way round.
      const renamed = await this.options.transport.apply({ moves: plan.moves, sync: [], deletes: [], allowDelete: false, full: false });
      if (renamed.kind !== 'ok') return renamed;
      return this.apply({ ...plan, moves: [] });
    }
    const held = plan.full ? await this.#checkFull(plan) : await this.#checkDeletes(plan);
    if (held && held.kind !== 'ok') return held;
    this.#report = null;
    const kept = await this.#trashRenameVictims(plan);
    if (kept) return kept;
    // `held` ok: the check's dry run found nothing to change, so the full sync is not run again.
    const outcome = held ?? (await this.options.transport.apply(plan));
    if (plan.full && outcome.kind === 'ok') {
      this.#expectedDeletes = [];
      this.#expectedChanges = new Set();
      this.#afterCrash = false;
    }
    return outcome;
  }

  close(): Promise<void> {
    return this.options.transport.close();
  }

  /** The check a full sync gets (also `tidemark check`): what it would delete or overwrite. */
  async check(allowDelete: boolean): Promise<SafetyReport | Outcome> {
    const dryRun = await this.options.transport.dryRun(null);
    if ('kind' in dryRun) return dryRun;
    return this.#report_('startup', dryRun, allowDelete);
  }

  /** Takes a decision on entries of the awaited report (all entries at risk when none are named). */
  async decide(action: ReconcileAction, report: SafetyReport, paths?: readonly RelPath[]): Promise<Outcome> {
    const chosen = paths ? report.entries.filter((entry) => paths.includes(entry.path)) : report.entries.filter((entry) => entry.atRisk);
    if (chosen.length === 0) return { kind: 'ok', moved: 0, listed: 0 };
    const names = chosen.map((entry) => entry.path);
    const { transport, store, log } = this.options;
    log?.('Normal', `${this.description}: ${action} ${chosen.length} entries (${report.reason === 'startup' ? 'startup check' : 'mass-delete breaker'})`);
    switch (action) {
      case 'pull': {
        // rsync's --update compares whole seconds: a source file changed since the report, in
        // the same second, could still be overwritten. Such entries stay where they are.
        const pulled = chosen.filter((entry) => !sourceIsNewer(this.options.source, entry)).map((entry) => entry.path);
        return pulled.length === 0 ? { kind: 'ok', moved: 0, listed: 0 } : transport.pull(pulled);
      }
      case 'keep':
        store.keep(withoutNested(names));
        return { kind: 'ok', moved: 0, listed: 0 };
      case 'trash':
        return transport.moveToTrash(chosen, `${TRASH_DIR}/${trashStamp(this.options.now())}`);
      case 'delete':
        return transport.replaceFromSource(names);
    }
  }

  /**
   * A rename never moves a kept entry on the target, nor lands on one: such a move is dropped,
   * and its destination (in the sync list) is transferred, which the kept rules filter.
   */
  #withoutKeptMoves(plan: Plan): Plan {
    const kept = this.options.store.kept;
    if (kept.length === 0 || plan.moves.length === 0) return plan;
    const touchesKept = (path: RelPath) => kept.some((entry) => isWithin(path, entry) || isWithin(entry, path));
    const moves = plan.moves.filter((move) => !touchesKept(move.from) && !touchesKept(move.to));
    return moves.length === plan.moves.length ? plan : { ...plan, moves };
  }

  /**
   * With a trash, what a rename would replace on the target (a file or link at its destination)
   * goes to the trash first, as rsync's --backup keeps what it overwrites.
   */
  async #trashRenameVictims(plan: Plan): Promise<Outcome | null> {
    const dir = this.options.trashDir?.() ?? null;
    if (!dir || plan.moves.length === 0) return null;
    const found = await this.options.transport.statTarget(plan.moves.map((move) => move.to));
    if ('kind' in found) return found as Outcome;
    const victims = [...(found as Map<RelPath, EntryStat>)].filter(([, stat]) => stat.entry !== 'dir').map(([path, stat]) => ({ path, entry: stat.entry }));
    if (victims.length === 0) return null;
    const moved = await this.options.transport.moveToTrash(victims, dir);
    return moved.kind === 'ok' ? null : moved;
  }

  async #checkFull(plan: Plan): Promise<Outcome | null> {
    if (this.options.policy === 'delete') return null;
    // An empty target (a first sync) has nothing at risk: no dry run over the whole tree.
    const empty = await this.options.transport.isEmpty();
    if (empty === true) return null;
    if (empty !== false) return empty;
    const dryRun = await this.options.transport.dryRun(null);
    if ('kind' in dryRun) return dryRun;
    // A target already in sync (a restart after a clean stop): the dry run was the full sync.
    if (dryRun.itemized === 0) return { kind: 'ok', moved: 0, listed: 0 };
    const report = await this.#report_('startup', dryRun, plan.allowDelete);
    if ('kind' in report) return report;
    return this.#hold(report);
  }

  async #checkDeletes(plan: Plan): Promise<Outcome | null> {
    if (!plan.allowDelete || plan.deletes.length === 0) return null;
    const { maxDeletes, maxDeletePercent } = this.options.limits;
    if (maxDeletes === false && maxDeletePercent === false) return null;
    const dryRun = await this.options.transport.dryRun(withoutNested(plan.sync));
    if ('kind' in dryRun) return dryRun;
    const count = dryRun.deletes.length;
    // An emptied tree is 100% deleted: maxDeletePercent = false turns its guard off too.
    const emptied = () => maxDeletePercent !== false && count >= EMPTIED_FLOOR && isEmptyDir(this.options.source);
    const tripped = breakerTrips(count, this.options.treeSize() + count, this.options.limits)
      ?? (emptied() ? `it empties the source root, and would delete ${count} entries on the target` : null);
    if (!tripped) return null;
    const report = await this.#report_('mass-delete', { deletes: dryRun.deletes, overwrites: [] }, true);
    if ('kind' in report) return report;
    this.#report = report;
    return { kind: 'decide', reason: `the batch was held back: ${tripped}. Decide: pull the entries back into the source, keep them on the target, trash them, or delete them` };
  }

  /** A report with entries at risk waits for a decision, or gets the policy's. */
  async #hold(report: SafetyReport): Promise<Outcome | null> {
    if (report.atRisk === 0) return null;
    const policy = this.options.policy;
    if (policy === 'ask') {
      this.#report = report;
      return { kind: 'decide', reason: `${report.summary}. Nothing was touched. See them with tidemark check, then decide: pull, keep, trash or delete` };
    }
    this.options.log?.('Normal', `${report.summary}; reconcile = '${policy}'`);
    const done = await this.decide(policy, report);
    return done.kind === 'ok' ? null : done;
  }

  async #report_(reason: SafetyReport['reason'], dryRun: Pick<DryRunResult, 'deletes' | 'overwrites'>, allowDelete: boolean): Promise<SafetyReport | Outcome> {
    const named = [...dryRun.deletes.map((entry) => entry.path), ...dryRun.overwrites];
    const targetStats = await this.options.transport.statTarget(named);
    if ('kind' in targetStats) return targetStats as Outcome;
    return buildReport({
      target: this.description,
      reason,
      dryRun,
      targetStats: targetStats as Map<RelPath, EntryStat>,
      sourceStats: sourceStats(this.options.source, dryRun.overwrites),
      deletes: allowDelete,
      expectedDeletes: (path) => this.#expectedDeletes.some((deleted) => isWithin(path, deleted)),
      expectedChanges: (path) => this.#expectedChanges.has(path),
      leftovers: this.#afterCrash ? leftovers(this.options.source, dryRun, targetStats as Map<RelPath, EntryStat>) : undefined,
    });
  }
}

/** `.tidemark-trash/2026-11-29T10-04-06.123Z`: sortable, and no colon for tools that mind. */
export function trashStamp(now: number): string {
  return new Date(now).toISOString().replace(/:/g, '-');
}

function rootIdentity(root: string): RootIdentity | null {
  const found = rootIdentityOrFile(root);
  return found === 'file' ? null : found;
}

function rootIdentityOrFile(root: string): RootIdentity | null | 'file' {
  const stats = lstatOrNull(absoluteBytes(root, ''));
  if (!stats) return null;
  if (!stats.isDirectory()) return 'file';
  return { dev: stats.dev, ino: stats.ino, birthtimeMs: stats.birthtimeMs };
}

/** Whether a directory has no entry: one read, never a listing of the whole root. */
function isEmptyDir(dir: string): boolean {
  try {
    const handle = opendirSync(dir);
    try {
      return handle.readSync() === null;
    } finally {
      handle.closeSync();
    }
  } catch {
    return false;
  }
}

/** Whether the source has a file at the entry's path at least as new as the target's copy. */
export function sourceIsNewer(source: string, entry: { readonly path: RelPath; readonly mtimeMs: number; readonly entry: string }): boolean {
  if (entry.entry === 'dir') return false;
  const found = lstatOrNull(absoluteBytes(source, entry.path));
  return found !== null && found.mtimeMs >= entry.mtimeMs;
}

/** Target-only files named as rsync's temporary copy of a file the source has. */
function leftovers(source: string, dryRun: Pick<DryRunResult, 'deletes'>, targetStats: ReadonlyMap<RelPath, EntryStat>): Set<RelPath> {
  const found = new Set<RelPath>();
  for (const { path, dir } of dryRun.deletes) {
    const original = dir ? null : rsyncTempOf(path);
    if (original === null || targetStats.get(path)?.entry !== 'file') continue;
    // Only beside a file the source has: anything else is a file of the user's.
    if (lstatOrNull(absoluteBytes(source, original))?.isFile()) found.add(path);
  }
  return found;
}

/** The source's copies of the files a sync would overwrite (one that vanished since is left out). */
function sourceStats(source: string, paths: readonly RelPath[]): Map<RelPath, EntryStat> {
  const stats = new Map<RelPath, EntryStat>();
  for (const path of paths) {
    const found = lstatOrNull(absoluteBytes(source, path));
    if (found) stats.set(path, { entry: found.isDirectory() ? 'dir' : found.isSymbolicLink() ? 'symlink' : 'file', size: found.size, mtimeMs: found.mtimeMs });
  }
  return stats;
}
