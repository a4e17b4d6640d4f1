// The breaker's bookkeeping of what is net zero: entries created within the window, and rsync's
// temporary files wherever they are (a pull makes them inside directories it restores, where a
// new directory is listed whole and no create event of their own is seen).
import { describe, expect, it } from 'vitest';
import { DeleteBreaker } from '../../../src-main/core/daemon/delete-breaker';
import { TargetStore } from '../../../src-main/core/daemon/target-store';

function breaker(): DeleteBreaker {
  return new DeleteBreaker({
    limits: { maxDeletes: 3, maxDeletePercent: false },
    windowMs: 60_000,
    store: new TargetStore(null),
    stampFor: (now) => ({ stamp: `window-${now}`, purge: true }),
  });
}

const emptied = () => false;

describe('DeleteBreaker: what counts against the limits', () => {
  it('a pull restored d20: deleting its files again counts, deleting rsync temp files in it does not', () => {
    const b = breaker();
    b.noteCreated(['d20'], 1000);
    b.noteRestored(['d20', 'd20/f1', 'd20/f2'], 2000);
    expect(b.wasBorn('d20/f1')).toBe(false);
    expect(b.wasBorn('d20/.f32.fHPZPk')).toBe(true);
    const verdict = b.judge(['d20/.f32.fHPZPk', 'd20/.f33.a1B2c3', 'd20/.f34.ZZZZZZ', 'd20/.f35.q9q9q9'], 0, 3000, 100, emptied);
    expect(verdict.kind).toBe('run');
    if (verdict.kind === 'run') b.ran(verdict.window, ['d20/.f32.fHPZPk']);
    expect(b.window?.deleted ?? []).toEqual([]);
  });

  it('four old files over a limit of 3 hold; names that merely look like temp files of another shape count', () => {
    const b = breaker();
    expect(b.judge(['a', 'b', '.c', 'd.tmp'], 0, 1000, 100, emptied).kind).toBe('hold');
    expect(b.wasBorn('.c.abc')).toBe(false); // 3 characters: not rsync's 6-character suffix
  });

  it('files created within the window are net zero, unless a pull brought them back', () => {
    const b = breaker();
    b.noteCreated(['tmp/a', 'tmp/b', 'tmp/c', 'tmp/d'], 1000);
    expect(b.judge(['tmp/a', 'tmp/b', 'tmp/c', 'tmp/d'], 0, 2000, 100, emptied).kind).toBe('run');
    b.noteRestored(['tmp/a', 'tmp/b', 'tmp/c', 'tmp/d'], 3000);
    b.noteCreated(['tmp/a', 'tmp/b', 'tmp/c', 'tmp/d'], 3001);
    expect(b.judge(['tmp/a', 'tmp/b', 'tmp/c', 'tmp/d'], 0, 4000, 100, emptied).kind).toBe('hold');
  });
});
