// The mass-delete breaker's window: the deletions of a run of batches are judged together, against
// the tree as it was when the first of them came, so that a slow `rm -rf` (many small batches)
// trips it as one big batch would. Pure: no node:* imports; time is passed in.
import type { RelPath } from '../../../src-shared/model/sync';
import { breakerTrips, type BreakerLimits } from './breaker';

/** How long a window stays open after its last delete, by default (ms): lsyncd users' delays are up to 15 s. */
export const DEFAULT_WINDOW_MS = 60_000;

export interface DeleteWindowState {
  /** When the first deleting batch of the window ran (epoch ms). */
  readonly openedAt: number;
  /** When the last deleting batch ran: the window closes windowMs after it. */
  readonly lastDeleteAt: number;
  /** Entries in the tree just before the window's first deletions (those born within the window left out). */
  readonly baseline: number;
  /** Entries of the baseline deleted on the target so far (net of what the same batches created). */
  readonly counted: number;
  /**
   * Where the window's deletions wait on the target until it closes (a directory of the trash,
   * `.tidemark-trash/STAMP`), so that a decision to pull restores the whole window.
   */
  readonly stamp: string;
  /** Whether `stamp` goes when the window closes: not when it is the day's trash (`trash = true`), or was kept. */
  readonly purge: boolean;
  /** The entries deleted on the target so far in this window (within `stamp`), outermost only. */
  readonly deleted: readonly RelPath[];
}

/** What one deleting batch is worth to the window. */
export interface BatchDeletions {
  /** Entries the batch would delete on the target (a dry run's count; what lies below a directory included). */
  readonly deletes: number;
  /** Of those, entries created within the window (temporary files): net zero against the baseline. */
  readonly born: number;
  /** Entries the batch creates on the target: a rename whose hint was lost is a delete plus as many creations. */
  readonly creates: number;
}

/** The batch's own weight: deletions of baseline entries, net of what it creates (never below 0). */
export function countedDeletions(batch: BatchDeletions): number {
  return Math.max(0, batch.deletes - batch.born - batch.creates);
}

/** Whether the window is over at `now` (no delete for windowMs). */
export function windowExpired(window: DeleteWindowState | null, now: number, windowMs: number): boolean {
  return window !== null && now - window.lastDeleteAt >= windowMs;
}

/**
 * The window as it would be with this batch in it: a new one when none is open (its baseline is
 * the tree just before the batch: `treeAfter` plus the batch's baseline deletions), or the open
 * one with the batch added.
 */
export function withBatch(window: DeleteWindowState | null, batch: BatchDeletions, at: { now: number; treeAfter: number; stamp: string; purge: boolean }): DeleteWindowState {
  const counted = countedDeletions(batch);
  if (!window) return { openedAt: at.now, lastDeleteAt: at.now, baseline: at.treeAfter + counted, counted, stamp: at.stamp, purge: at.purge, deleted: [] };
  return { ...window, lastDeleteAt: at.now, counted: window.counted + counted };
}

/** Records what the batch deleted once it has run. */
export function withDeleted(window: DeleteWindowState, paths: readonly RelPath[]): DeleteWindowState {
  const known = new Set(window.deleted);
  const added = paths.filter((path) => !known.has(path));
  return added.length === 0 ? window : { ...window, deleted: [...window.deleted, ...added] };
}

/** Why the window (with the batch in it) must hold, or null when the batch may run. */
export function windowTrips(window: DeleteWindowState, limits: BreakerLimits, windowMs: number): string | null {
  const tripped = breakerTrips(window.counted, window.baseline, limits);
  if (!tripped || windowMs === 0 || window.lastDeleteAt === window.openedAt) return tripped;
  const seconds = Math.max(1, Math.round((window.lastDeleteAt - window.openedAt) / 1000));
  return `in the last ${seconds} s ${tripped.replace(/^it would delete/, 'the source would lose')}`;
}

/**
 * Paths created recently (create events), so that their deletion counts as net zero: the
 * temporary files of a build or an editor. Kept for windowMs after creation, and for as long as
 * a window is open.
 */
export class RecentCreations {
  readonly #born = new Map<RelPath, number>();

  note(path: RelPath, at: number): void {
    this.#born.set(path, at);
  }

  /** Forgets a path that went (its deletion was counted or netted already). */
  forget(path: RelPath): void {
    this.#born.delete(path);
  }

  /** Whether the path, or a directory above it, was created recently. */
  has(path: RelPath): boolean {
    if (this.#born.size === 0) return false;
    for (let end = path.length; end > 0; end = path.lastIndexOf('/', end - 1)) {
      if (this.#born.has(path.slice(0, end))) return true;
    }
    return false;
  }

  /** Drops the creations older than `before` (epoch ms). */
  prune(before: number): void {
    for (const [path, at] of this.#born) if (at < before) this.#born.delete(path);
  }

  get size(): number {
    return this.#born.size;
  }
}
