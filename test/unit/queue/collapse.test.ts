import { describe, expect, it } from 'vitest';
import type { PathChange } from '../../../src-shared/model/sync';
import { COLLAPSE, collapse } from '../../../src-main/core/queue/collapse';

// Every pair of the collapse table, named. `null` = nothing is left of the path.
const cases: { description: string; prev: PathChange; next: PathChange; expected: PathChange | null }[] = [
  { description: 'a created file written to is still new', prev: 'create', next: 'modify', expected: 'create' },
  { description: 'a created file chmod-ed is still new', prev: 'create', next: 'attrib', expected: 'create' },
  { description: 'created then deleted leaves nothing', prev: 'create', next: 'delete', expected: null },
  { description: 'a repeated create is one create', prev: 'create', next: 'create', expected: 'create' },
  { description: 'two writes are one write', prev: 'modify', next: 'modify', expected: 'modify' },
  { description: 'a write then a chmod is a write (rsync sends both)', prev: 'modify', next: 'attrib', expected: 'modify' },
  { description: 'a written file then deleted is a delete', prev: 'modify', next: 'delete', expected: 'delete' },
  { description: 'a create over a modified name (missed delete) stays a modify', prev: 'modify', next: 'create', expected: 'modify' },
  { description: 'two chmods are one chmod', prev: 'attrib', next: 'attrib', expected: 'attrib' },
  { description: 'a chmod then a write is a write', prev: 'attrib', next: 'modify', expected: 'modify' },
  { description: 'a chmod-ed file then deleted is a delete', prev: 'attrib', next: 'delete', expected: 'delete' },
  { description: 'a create over a chmod-ed name (missed delete) is a modify', prev: 'attrib', next: 'create', expected: 'modify' },
  { description: 'deleted then created is a replacement, maybe by another type', prev: 'delete', next: 'create', expected: 'modify' },
  { description: 'deleted then written (missed create) is a modify', prev: 'delete', next: 'modify', expected: 'modify' },
  { description: 'deleted then chmod-ed (missed create) is a modify', prev: 'delete', next: 'attrib', expected: 'modify' },
  { description: 'two deletes are one delete', prev: 'delete', next: 'delete', expected: 'delete' },
];

describe('collapse table', () => {
  it.each(cases)('$prev + $next: $description', ({ prev, next, expected }) => {
    expect(collapse(prev, next)).toBe(expected);
    expect(COLLAPSE[prev][next]).toBe(expected);
  });

  it('lists every pair exactly once', () => {
    const kinds: PathChange[] = ['create', 'modify', 'attrib', 'delete'];
    const listed = new Set(cases.map((c) => `${c.prev}+${c.next}`));
    expect(listed.size).toBe(cases.length);
    expect([...listed].sort()).toEqual(kinds.flatMap((p) => kinds.map((n) => `${p}+${n}`)).sort());
  });

  it.each(['create', 'modify', 'attrib', 'delete'] as const)('nothing pending + %s keeps it', (next) => {
    expect(collapse(undefined, next)).toBe(next);
  });
});
