// The mass-delete breaker of one target, with its state: the window of recent deletions, the
// paths created recently (net zero when deleted again), and the deletions it holds back while
// everything else keeps flowing. The judgement itself is pure (safety/delete-window.ts); this
// class keeps the state and writes it to the target's store at every change.
import type { RelPath } from '../../../src-shared/model/sync';
import { withoutNested } from '../plan/merge';
import { rsyncTempOf } from '../safety/at-risk';
import type { BreakerLimits } from '../safety/breaker';
import {
  RecentCreations, windowExpired, windowTrips, withBatch, withDeleted, type BatchDeletions, type DeleteWindowState,
} from '../safety/delete-window';
import { isWithin } from '../watch/byte-path';
import type { HoldRecord, TargetStore } from './target-store';

export interface DeleteBreakerOptions {
  readonly limits: BreakerLimits;
  /** The window closes after this long without a delete (ms); 0 judges every batch alone. */
  readonly windowMs: number;
  readonly store: TargetStore;
  /** The stamp (a directory of the trash) a new window keeps its deletions in, and whether it goes with the window. */
  readonly stampFor: (now: number) => { stamp: string; purge: boolean };
}

/** What a deleting batch comes to: run it (in this window), or hold its deletions. */
export type BreakerVerdict =
  | { readonly kind: 'run'; readonly window: DeleteWindowState }
  | { readonly kind: 'hold'; readonly reason: string };

export class DeleteBreaker {
  readonly #born = new RecentCreations();
  /** Paths a decision pulled back into the source: their creation events are not the birth of anything new. */
  readonly #restored = new RecentCreations();
  #window: DeleteWindowState | null;
  #hold: HoldRecord | null;

  constructor(private readonly options: DeleteBreakerOptions) {
    ({ window: this.#window, hold: this.#hold } = options.store.breaker);
  }

  /** Whether any limit is on. */
  get on(): boolean {
    return this.options.limits.maxDeletes !== false || this.options.limits.maxDeletePercent !== false;
  }

  get window(): DeleteWindowState | null {
    return this.#window;
  }

  get hold(): HoldRecord | null {
    return this.#hold;
  }

  /** Paths that came into existence now: deleting them again within the window is net zero. */
  noteCreated(paths: readonly RelPath[], at: number): void {
    if (!this.on) return;
    for (const path of paths) if (!this.#restored.has(path)) this.#born.note(path, at);
  }

  /** A pull brought these back into the source: deleting them again is a deletion like any other. */
  noteRestored(paths: readonly RelPath[], at: number): void {
    for (const path of paths) {
      this.#restored.note(path, at);
      this.#born.forget(path);
    }
  }

  /**
   * Whether deleting the path is net zero: it came into existence within the window, or it is
   * one of rsync's temporary files (`dir/.name.XXXXXX`). Those are never a user's data, and a
   * pull makes them inside the directories it restores, where no create event of their own may
   * be seen (a new directory is listed whole), so they are judged by their name.
   */
  wasBorn(path: RelPath): boolean {
    return this.#born.has(path) || rsyncTempOf(path) !== null;
  }

  /**
   * Closes a window with no delete for windowMs (never while deletions are held: a pull needs
   * its entries). Returns the window closed, whose stamp may be purged, or null.
   */
  expire(now: number): DeleteWindowState | null {
    const windowMs = this.options.windowMs;
    // Creations older than a window are part of the tree from now on.
    if (!this.#window) this.#born.prune(now - windowMs);
    this.#restored.prune(now - windowMs);
    if (this.#hold || !windowExpired(this.#window, now, windowMs)) return null;
    const closed = this.#window;
    this.#window = null;
    this.#born.prune(now - windowMs);
    this.#save();
    return closed;
  }

  /** Judges a deleting batch: `deletes` are the entries a dry run says it would delete. */
  judge(deletes: readonly RelPath[], creates: number, now: number, treeAfter: number, emptied: (count: number) => boolean): BreakerVerdict {
    const born = deletes.filter((path) => this.wasBorn(path)).length;
    const batch: BatchDeletions = { deletes: deletes.length, born, creates };
    const current = this.options.windowMs === 0 ? null : this.#window;
    const window = withBatch(current, batch, { now, treeAfter, ...(current ? { stamp: current.stamp, purge: current.purge } : this.options.stampFor(now)) });
    const tripped = windowTrips(window, this.options.limits, this.options.windowMs);
    if (tripped) return { kind: 'hold', reason: tripped };
    // An emptied tree is 100% deleted: maxDeletePercent = false turns its guard off too. What
    // was created moments ago (a build's scratch files) does not count: an unmounted disk takes
    // entries that were there before.
    const lost = deletes.length - born;
    if (this.options.limits.maxDeletePercent !== false && emptied(lost)) {
      return { kind: 'hold', reason: `it empties the source root, and would delete ${lost} entries on the target that were there before` };
    }
    return { kind: 'run', window };
  }

  /** The batch ran in `window`: its deletions (but the net-zero ones) are the window's now. */
  ran(window: DeleteWindowState, deleted: readonly RelPath[]): void {
    // With no window (maxDeleteWindow = 0) each batch is judged alone and nothing waits in the trash.
    if (this.options.windowMs === 0) return;
    this.#window = withDeleted(window, deleted.filter((path) => !this.wasBorn(path)));
    this.#save();
  }

  /** Holds back the deletions of these paths (a new hold, or more for the one there is). */
  holdBack(sync: readonly RelPath[], reason?: string): void {
    this.#hold = { sync: withoutNested([...(this.#hold?.sync ?? []), ...sync]), reason: reason ?? this.#hold?.reason ?? 'deletions are held' };
    this.#save();
  }

  /**
   * A decision was taken on `paths` (entries of the held report; all of them when absent):
   * they leave the window's list. With `keepStamp`, the window's directory in the trash stays
   * (its entries were kept or trashed: they live there from now on).
   */
  decided(paths: readonly RelPath[] | null, keepStamp: boolean): void {
    if (this.#window) {
      const gone = (path: RelPath) => paths === null || paths.some((decided) => isWithin(path, decided));
      this.#window = { ...this.#window, deleted: this.#window.deleted.filter((path) => !gone(path)), purge: this.#window.purge && !keepStamp };
    }
    this.#save();
  }

  /**
   * Ends the hold (nothing at risk is left in it): the window closes with it, and a new one
   * opens with the next delete, against the tree as it is then. Returns the window closed.
   */
  release(): DeleteWindowState | null {
    const closed = this.#window;
    this.#hold = null;
    this.#window = null;
    this.#save();
    return closed;
  }

  #save(): void {
    this.options.store.saveBreaker({ window: this.#window, hold: this.#hold });
  }
}
