// The collapse table: what is left of two successive changes to one path within a batch.
// Policy as data (lsyncd's table, which it left dead since 2.2.0): change a rule here, and the
// table test in test/unit/queue/collapse.test.ts names every pair.
import type { PathChange } from '../../../src-shared/model/sync';

/** `null` means nothing is left: the path did not exist before the batch and does not now. */
export type Collapsed = PathChange | null;

/**
 * COLLAPSE[prev][next]. Rows are the change already pending, columns the new one.
 * - A delete followed by a create is a replacement (possibly by another type): rsync replaces, so
 *   it collapses to modify, never to create (the target may still hold the old entry).
 * - Anything after a create stays a create, except a delete, which cancels it.
 */
export const COLLAPSE: Readonly<Record<PathChange, Readonly<Record<PathChange, Collapsed>>>> = {
  create: { create: 'create', modify: 'create', attrib: 'create', delete: null },
  modify: { create: 'modify', modify: 'modify', attrib: 'modify', delete: 'delete' },
  attrib: { create: 'modify', modify: 'modify', attrib: 'attrib', delete: 'delete' },
  delete: { create: 'modify', modify: 'modify', attrib: 'modify', delete: 'delete' },
};

/** Folds `next` into what is pending for a path (`undefined` = nothing pending yet). */
export function collapse(prev: PathChange | undefined, next: PathChange): Collapsed {
  return prev === undefined ? next : COLLAPSE[prev][next];
}
