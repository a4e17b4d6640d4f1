import type { AtRiskEntry, ReconcileAction, SafetyReport } from '../../../src-shared/model/safety';
import type { Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import type { ReconcilePolicy } from '../config/model';
import type { SessionLog } from '../session/session';
import { buildReport, type EntryStat } from '../safety/at-risk';
import type { BreakerLimits } from '../safety/breaker';
import type { DryRunResult } from '../safety/itemize';
import { TRASH_DIR } from '../safety/keep-rules';
import { judgeRoot, type RootIdentity, type RootVerdict } from '../safety/root-identity';
import { withoutNested } from '../plan/merge';
import { isWithin } from '../watch/byte-path';
import type { SafeTransport, Transport } from '../transport/transport';
import { DeleteBreaker } from './delete-breaker';
import type { TargetStore } from './target-store';
import { isEmptyDir, leftovers, rootHalt, rootIdentity, rootIdentityOrFile, sourceIsNewer, sourceStats, trashStamp, withoutDeletes } from './gate-source';

export { rootHalt, sourceIsNewer, trashStamp };

export interface SafetyGateOptions {
  readonly source: string;
  readonly transport: SafeTransport;
  readonly store: TargetStore;
  /** What a full sync does with entries at risk: ask, or decide without asking. */
  readonly policy: ReconcilePolicy;
  readonly limits: BreakerLimits;
  /** The breaker's window closes after this long without a delete (ms; 0 judges each batch alone). */
  readonly windowMs?: number;
  /** The command that takes a decision, for the messages that ask for one. */
  readonly decideHint?: string;
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
  readonly breaker: DeleteBreaker;
  /** The trash stamp the running batch's deletions go to (the breaker's window), if any. */
  #holdingStamp: string | null = null;

  constructor(private readonly options: SafetyGateOptions) {
    this.description = options.transport.description;
    const daily = options.trashDir ?? (() => null);
    this.breaker = new DeleteBreaker({
      limits: options.limits,
      windowMs: options.windowMs ?? 0,
      store: options.store,
      stampFor: (now) => {
        const day = daily();
        return day ? { stamp: day.slice(TRASH_DIR.length + 1), purge: false } : { stamp: `window-${trashStamp(now)}`, purge: true };
      },
    });
  }

  /** Where rsync keeps what the running batch deletes or overwrites (relative to the target), if anywhere. */
  backupDir(): string | null {
    return this.options.trashDir?.() ?? (this.#holdingStamp ? `${TRASH_DIR}/${this.#holdingStamp}` : null);
  }

  /** The command that takes a decision. */
  get decideHint(): string {
    return this.options.decideHint ?? 'tidemark check CONFIG --reconcile pull|keep|trash|delete [--path PATH]...';
  }

  /** Why deletions are held back while everything else flows, or null. */
  get holding(): string | null {
    const hold = this.breaker.hold;
    return hold ? `the deletions were held back: ${hold.reason}. Everything else still syncs. Decide with: ${this.decideHint}` : null;
  }

  /**
   * Closes the breaker's window once no delete came for its length, and removes its deletions
   * from the target's trash (they were kept there only so that a pull could bring them back).
   */
  async closeWindowIfDue(): Promise<void> {
    const closed = this.breaker.expire(this.options.now());
    if (closed?.purge) await this.#purge(closed.stamp);
  }

  async #purge(stamp: string): Promise<void> {
    const removed = await this.options.transport.removeTrashStamp(stamp);
    if (removed.kind !== 'ok') this.options.log?.('Warn', `${this.description}: ${removed.reason}`);
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
      return { kind: 'halt', reason: rootHalt(root) };
    }
    if (plan.full && plan.moves.length > 0) {
      // The renames first (a journal's, replayed after a crash): the check must see their
      // origins gone from the target and their destinations there, not the other way round.
      const renamed = await this.options.transport.apply({ moves: plan.moves, sync: [], deletes: [], allowDelete: false, full: false });
      if (renamed.kind !== 'ok') return renamed;
      return this.apply({ ...plan, moves: [] });
    }
    if (!plan.full) return this.#applyRunning(plan);
    const held = await this.#checkFull(plan);
    if (held && held.kind !== 'ok') return held;
    this.#report = null;
    // `held` ok: the check's dry run found nothing to change, so the full sync is not run again.
    const outcome = held ?? (await this.#run(plan));
    if (outcome.kind === 'ok') {
      this.#expectedDeletes = [];
      this.#expectedChanges = new Set();
      // The whole tree is mirrored as decided: nothing is held back any more.
      if (this.breaker.hold || this.breaker.window) {
        const closed = this.breaker.release();
        if (closed?.purge) await this.#purge(closed.stamp);
      }
    }
    return outcome;
  }

  async #run(plan: Plan): Promise<Outcome> {
    const kept = await this.#trashRenameVictims(plan);
    return kept ?? this.options.transport.apply(plan);
  }

  /**
   * A running batch. While a limit is on, one that deletes is judged with the deletions of the
   * breaker's window; when it would cross a limit its deletions are held back (and so are those
   * of later batches) until a decision, while everything else in it runs. A batch that runs
   * keeps what it deletes in the window's directory of the trash, so that a pull restores the
   * whole window.
   */
  async #applyRunning(given: Plan): Promise<Outcome> {
    let plan = given;
    await this.closeWindowIfDue();
    const { breaker, transport } = { breaker: this.breaker, transport: this.options.transport };
    const deleting = plan.allowDelete && plan.deletes.length > 0;
    if (!breaker.on || (!deleting && !breaker.hold)) return this.#run(plan);
    if (plan.moves.length > 0) {
      // The renames first: a dry run before them would count a renamed directory's old name as deleted.
      const kept = await this.#trashRenameVictims(plan);
      if (kept) return kept;
      const renamed = await transport.apply({ moves: plan.moves, sync: [], deletes: [], allowDelete: false, full: false });
      if (renamed.kind !== 'ok') return renamed;
      plan = { ...plan, moves: [] };
    }
    if (breaker.hold) return this.#applyWhileHolding(plan);
    const dryRun = await transport.dryRun(withoutNested(plan.sync));
    if ('kind' in dryRun) return dryRun;
    const deleted = dryRun.deletes.map((entry) => entry.path);
    const verdict = breaker.judge(deleted, dryRun.creates ?? 0, this.options.now(), this.options.treeSize(), (count) => count >= EMPTIED_FLOOR && isEmptyDir(this.options.source));
    if (verdict.kind === 'hold') {
      breaker.holdBack(withoutNested(plan.sync), verdict.reason);
      const report = await this.#heldReport();
      if ('kind' in report) return report;
      this.#report = report;
      this.options.log?.('Error', `${this.description}: waiting for a decision: ${this.holding}`);
      return transport.apply(withoutDeletes(plan));
    }
    this.#holdingStamp = (this.options.windowMs ?? 0) > 0 ? verdict.window.stamp : null;
    let outcome: Outcome;
    try {
      outcome = await transport.apply(plan);
    } finally {
      this.#holdingStamp = null;
    }
    if (outcome.kind === 'ok') breaker.ran(verdict.window, (this.options.windowMs ?? 0) > 0 ? deleted : []);
    return outcome;
  }

  /**
   * While deletions are held, a batch runs without deleting, and its deletions join the decision
   * awaited; but for those of entries created moments ago (a pull's or an editor's temporary
   * files), which are net zero and go at once.
   */
  async #applyWhileHolding(plan: Plan): Promise<Outcome> {
    const { breaker, transport } = { breaker: this.breaker, transport: this.options.transport };
    if (!plan.allowDelete || plan.deletes.length === 0) return transport.apply(withoutDeletes(plan));
    const netZero = new Set(plan.deletes.filter((path) => breaker.wasBorn(path)));
    if (netZero.size > 0) {
      const gone = await transport.apply({ moves: [], sync: [...netZero], deletes: [...netZero], allowDelete: true, full: false });
      if (gone.kind !== 'ok') return gone;
    }
    const rest = { ...plan, sync: plan.sync.filter((path) => !netZero.has(path)), deletes: plan.deletes.filter((path) => !netZero.has(path)) };
    if (rest.deletes.length > 0) {
      breaker.holdBack(withoutNested(rest.sync.filter((path) => rest.deletes.includes(path))));
      this.options.log?.('Normal', `${this.description}: ${rest.deletes.length} more deletion(s) join the decision awaited`);
      const report = await this.#heldReport();
      if (!('kind' in report)) this.#report = report;
    }
    return transport.apply(withoutDeletes(rest));
  }

  /** What the breaker holds: the held paths' deletions as a dry run says now, and the window's deletions so far. */
  async #heldReport(): Promise<SafetyReport | Outcome> {
    const hold = this.breaker.hold;
    if (!hold) return { kind: 'ok', moved: 0, listed: 0 };
    const dryRun = await this.options.transport.dryRun(hold.sync);
    if ('kind' in dryRun) return dryRun;
    return this.#report_('mass-delete', { deletes: dryRun.deletes, overwrites: [] }, true);
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
    const named = paths ? new Set(paths) : null;
    const chosen = named ? report.entries.filter((entry) => named.has(entry.path)) : report.entries.filter((entry) => entry.atRisk);
    if (chosen.length === 0) return { kind: 'ok', moved: 0, listed: 0 };
    const { log } = this.options;
    log?.('Normal', `${this.description}: ${action} ${chosen.length} entries (${report.reason === 'startup' ? 'startup check' : 'mass-delete breaker'})`);
    const inTree = chosen.filter((entry) => entry.heldIn === undefined);
    const done = inTree.length === 0 ? ({ kind: 'ok', moved: 0, listed: 0 } as const) : await this.#decideInTree(action, inTree);
    if (done.kind !== 'ok') return done;
    const outOfTree = await this.#decideHeldInTrash(action, chosen.filter((entry) => entry.heldIn !== undefined));
    if (outOfTree.kind !== 'ok') return outOfTree;
    if (action === 'pull') this.breaker.noteRestored(chosen.map((entry) => entry.path), this.options.now());
    this.breaker.decided(paths ?? null, action === 'keep' || action === 'trash');
    if (report.reason === 'mass-delete' || this.breaker.hold) await this.#afterHoldDecision();
    return done;
  }

  /** After a decision on held deletions: the hold ends once nothing in it is at risk any more. */
  async #afterHoldDecision(): Promise<void> {
    const report = await this.#heldReport();
    if ('kind' in report) return;
    if (report.atRisk > 0) {
      this.#report = report;
      return;
    }
    this.#report = null;
    const closed = this.breaker.release();
    if (closed?.purge) await this.#purge(closed.stamp);
  }

  /** Entries the window already moved out of the mirror (into its directory of the trash). */
  async #decideHeldInTrash(action: ReconcileAction, entries: readonly AtRiskEntry[]): Promise<Outcome> {
    // keep and trash: they stay where they are, in the trash (the window's directory is kept);
    // delete: they go with the window.
    if (action !== 'pull') return { kind: 'ok', moved: 0, listed: 0 };
    for (const stamp of new Set(entries.map((entry) => entry.heldIn!))) {
      // Every entry, not only the outermost: a listed directory is restored without its contents.
      const paths = entries.filter((entry) => entry.heldIn === stamp && !sourceIsNewer(this.options.source, entry)).map((entry) => entry.path);
      if (paths.length === 0) continue;
      const restored = await this.options.transport.restoreFromTrash(stamp, paths);
      if (restored.kind !== 'ok') return restored;
    }
    return { kind: 'ok', moved: 0, listed: 0 };
  }

  async #decideInTree(action: ReconcileAction, chosen: readonly AtRiskEntry[]): Promise<Outcome> {
    const names = chosen.map((entry) => entry.path);
    const { transport, store } = this.options;
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
    if (dryRun.itemized === 0 && !this.breaker.window?.deleted.length) return { kind: 'ok', moved: 0, listed: 0 };
    const report = await this.#report_('startup', dryRun, plan.allowDelete);
    if ('kind' in report) return report;
    return this.#hold(report);
  }

  /** A report with entries at risk waits for a decision, or gets the policy's. */
  async #hold(report: SafetyReport): Promise<Outcome | null> {
    if (report.atRisk === 0) return null;
    const policy = this.options.policy;
    if (policy === 'ask') {
      this.#report = report;
      return { kind: 'decide', reason: `${report.summary}. Nothing was touched. Decide with: ${this.decideHint}` };
    }
    this.options.log?.('Normal', `${report.summary}; reconcile = '${policy}'`);
    const done = await this.decide(policy, report);
    return done.kind === 'ok' ? null : done;
  }

  async #report_(reason: SafetyReport['reason'], given: Pick<DryRunResult, 'deletes' | 'overwrites'>, allowDelete: boolean): Promise<SafetyReport | Outcome> {
    const named = [...given.deletes.map((entry) => entry.path), ...given.overwrites];
    // What the breaker's window already deleted waits in its directory of the trash: listed too.
    const window = this.breaker.window;
    const inTree = new Set(named);
    const held = (window?.deleted ?? []).filter((path) => !inTree.has(path));
    const heldAt = (path: RelPath) => `${TRASH_DIR}/${window!.stamp}/${path}`;
    const found = await this.options.transport.statTarget([...named, ...held.map(heldAt)]);
    if ('kind' in found) return found as Outcome;
    const targetStats = found as Map<RelPath, EntryStat>;
    const heldIn = new Set<RelPath>();
    for (const path of held) {
      const stat = targetStats.get(heldAt(path));
      if (stat) {
        targetStats.set(path, stat);
        heldIn.add(path);
      }
    }
    const dryRun = { deletes: [...given.deletes, ...held.filter((path) => heldIn.has(path)).map((path) => ({ path, dir: targetStats.get(path)!.entry === 'dir' }))], overwrites: given.overwrites };
    return buildReport({
      target: this.description,
      reason,
      dryRun,
      heldIn: (path) => (heldIn.has(path) ? window!.stamp : undefined),
      targetStats,
      sourceStats: sourceStats(this.options.source, dryRun.overwrites),
      deletes: allowDelete,
      expectedDeletes: (path) => this.#expectedDeletes.some((deleted) => isWithin(path, deleted)),
      expectedChanges: (path) => this.#expectedChanges.has(path),
      // rsync's temporary copy of a file the source has is an interrupted transfer's, whether or
      // not the journal says a transfer was under way (a crash during a whole-tree sync leaves
      // no journal: CI saw the restart ask about one).
      leftovers: leftovers(this.options.source, dryRun, targetStats as Map<RelPath, EntryStat>),
    });
  }
}
