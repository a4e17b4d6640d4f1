// The content of one batch in the making: events folded into per-path changes, move hints and
// resync subtrees. No timing here; the batcher decides when an accumulator is shipped.
//
// Invariants (after every `apply`):
// - `changes` never holds a path whose events collapsed to nothing (the COLLAPSE table's null).
// - A deleted path has no pending change below it: deleting a directory subsumes its subtree.
// - A moved path has no pending change below it: they were rebased onto the destination.
// - `below` counts, for every ancestor of a pending path, how many pending paths lie under it,
//   so the subtree work above costs nothing when there is no subtree (a burst of file deletes).
// - `moves` keeps every move in order, even when its endpoints collapsed to nothing: a move onto
//   an existing name that is then deleted leaves no change, yet the target must lose that name.
import type { ChangeBatch, EntryKind, FsEvent, Move, PathChange, RelPath } from '../../../src-shared/model/sync';
import { collapse } from './collapse';

export interface Accumulator {
  apply(event: FsEvent): void;
  /** Collapsed paths pending: changed paths plus resync subtrees (what maxDelays counts). */
  size(): number;
  /** True when there is nothing to ship: no change, no move hint, no resync. */
  isEmpty(): boolean;
  /** The batch so far; the accumulator must not be used afterwards. */
  toBatch(firstAt: number, firedAt: number): ChangeBatch;
}

export function createAccumulator(): Accumulator {
  return new PathAccumulator();
}

class PathAccumulator implements Accumulator {
  readonly #changes = new Map<RelPath, PathChange>();
  readonly #below = new Map<RelPath, number>();
  readonly #moves: Move[] = [];
  /** A Set keeps the arrival order and drops repeats. */
  readonly #resync = new Set<RelPath>();
  #events = 0;

  apply(event: FsEvent): void {
    this.#events++;
    switch (event.kind) {
      case 'overflow':
        this.#resync.add(event.path);
        return;
      case 'move':
        this.#move(event.from, event.path, event.entry);
        return;
      case 'delete':
        this.#takeBelow(event.path);
        this.#fold(event.path, 'delete');
        return;
      default:
        this.#fold(event.path, event.kind);
    }
  }

  size(): number {
    return this.#changes.size + this.#resync.size;
  }

  isEmpty(): boolean {
    return this.size() === 0 && this.#moves.length === 0;
  }

  toBatch(firstAt: number, firedAt: number): ChangeBatch {
    return {
      changes: this.#changes,
      moves: this.#moves,
      resync: [...this.#resync],
      eventCount: this.#events,
      firstAt,
      firedAt,
    };
  }

  /** A move is a delete at `from` and a create at `to`, and carries the subtree along. */
  #move(from: RelPath, to: RelPath, entry: EntryKind): void {
    this.#moves.push({ from, to, entry });
    for (const [path, change] of this.#takeBelow(from)) this.#fold(rebase(path, from, to), change);
    // Events lost under `from` were lost for what now lives under `to`: resync both places.
    for (const path of [...this.#resync]) {
      if (path === from || isBelow(path, from)) this.#resync.add(rebase(path, from, to));
    }
    this.#fold(from, 'delete');
    this.#fold(to, 'create');
  }

  #fold(path: RelPath, next: PathChange): void {
    const prev = this.#changes.get(path);
    const result = collapse(prev, next);
    if (result === null) {
      if (prev !== undefined) this.#remove(path);
      return;
    }
    this.#changes.set(path, result);
    if (prev === undefined) this.#count(path, 1);
  }

  /** Removes and returns every pending change strictly below `dir`. */
  #takeBelow(dir: RelPath): [RelPath, PathChange][] {
    if ((this.#below.get(dir) ?? 0) === 0) return [];
    const taken: [RelPath, PathChange][] = [];
    for (const [path, change] of this.#changes) {
      if (isBelow(path, dir)) taken.push([path, change]);
    }
    for (const [path] of taken) this.#remove(path);
    return taken;
  }

  #remove(path: RelPath): void {
    this.#changes.delete(path);
    this.#count(path, -1);
  }

  #count(path: RelPath, delta: number): void {
    for (const ancestor of ancestorsOf(path)) {
      const n = (this.#below.get(ancestor) ?? 0) + delta;
      if (n === 0) this.#below.delete(ancestor);
      else this.#below.set(ancestor, n);
    }
  }
}

/** Whether `path` lies strictly below `dir` ('' is the root, above everything else). */
function isBelow(path: RelPath, dir: RelPath): boolean {
  return dir === '' ? path !== '' : path.startsWith(`${dir}/`);
}

/** Strict ancestors, the root '' first: 'a/b/c' -> '', 'a', 'a/b'. */
function ancestorsOf(path: RelPath): RelPath[] {
  if (path === '') return [];
  const out: RelPath[] = [''];
  for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
    if (i > 0) out.push(path.slice(0, i));
  }
  return out;
}

/** `path` (equal to or below `from`) as it reads after `from` was renamed to `to`. */
function rebase(path: RelPath, from: RelPath, to: RelPath): RelPath {
  if (path === from) return to;
  const rest = from === '' ? path : path.slice(from.length + 1);
  return to === '' ? rest : `${to}/${rest}`;
}
