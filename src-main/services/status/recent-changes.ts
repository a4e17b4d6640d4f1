// The changes a target shipped, newest first, capped: what rsync itemized (exact: created,
// content changed, deleted), the plan's renames, and the plan's deletions rsync did not name.
// They are gathered per plan and kept only once the plan ran OK.
import { STATUS_LIMITS, type RecentChange } from '../../../src-shared/model/status';
import type { Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import { printablePath } from '../../core/report/printable';

export type ChangeKind = RecentChange['kind'];

/**
 * What rsync's itemize flags (`%i`) say happened to an entry, or null for what is not worth
 * listing: a directory whose times or modes alone changed (every file made in it does that).
 */
export function changeOf(flags: string): ChangeKind | null {
  if (flags.startsWith('*deleting')) return 'deleted';
  const update = flags[0];
  const type = flags[1];
  if (update === '.') return type === 'f' ? 'modified' : null; // a file touched or chmodded
  if (update !== '<' && update !== '>' && update !== 'c' && update !== 'h') return null;
  return flags.slice(2) === '+++++++++' ? 'created' : 'modified';
}

/** The changes of the plan running now, one per path (the first word on a path wins), capped. */
export class RecentChanges {
  readonly #limit: number;
  /** Oldest first, trimmed back to the limit once it holds twice as many (amortised). */
  #kept: RecentChange[] = [];
  #view: readonly RecentChange[] | null = [];
  #running = new Map<RelPath, RecentChange>();

  constructor(limit: number = STATUS_LIMITS.recent) {
    this.#limit = limit;
  }

  /** An entry rsync (or the quick copy) itemized in the plan running now. */
  item(flags: string, path: RelPath, at: number): void {
    const kind = changeOf(flags);
    if (kind === null) return;
    const rel = path.endsWith('/') ? path.slice(0, -1) : path;
    if (rel === '' || rel === '.') return;
    this.#add({ path: rel, kind }, at);
  }

  /**
   * The plan ended: when it ran OK its renames and the deletions rsync did not name join what
   * rsync itemized, and all of it is kept; otherwise it is dropped, for the retry says it again.
   */
  finish(plan: Plan, outcome: Outcome, at: number): boolean {
    const running = this.#running;
    this.#running = new Map();
    if (outcome.kind !== 'ok') return false;
    const moves = new Map<RelPath, RecentChange>();
    for (const move of plan.moves) moves.set(move.to, { path: printablePath(move.to), kind: 'moved', from: printablePath(move.from), at });
    const shipped = [...moves.values()];
    // A rename that fell back to a transfer shows as the rename the user made, once.
    for (const [path, change] of running) if (!moves.has(path)) shipped.push(change);
    if (plan.allowDelete) {
      for (const path of plan.deletes) {
        if (shipped.length >= this.#limit) break;
        if (!running.has(path) && !moves.has(path)) shipped.push({ path: printablePath(path), kind: 'deleted', at });
      }
    }
    if (shipped.length === 0) return false;
    this.#kept.push(...shipped.slice(-this.#limit));
    if (this.#kept.length > 2 * this.#limit) this.#kept = this.#kept.slice(-this.#limit);
    this.#view = null;
    return true;
  }

  /** Newest first, at most the limit; the same array until something changes. */
  view(): readonly RecentChange[] {
    this.#view ??= this.#kept.slice(-this.#limit).reverse();
    return this.#view;
  }

  #add(change: { path: RelPath; kind: ChangeKind }, at: number): void {
    // A full sync of a big tree lists every file: only the first ones are kept (the limit).
    if (this.#running.has(change.path) || this.#running.size >= this.#limit) return;
    this.#running.set(change.path, { path: printablePath(change.path), kind: change.kind, at });
  }
}
