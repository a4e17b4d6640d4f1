import { describe, expect, it } from 'vitest';
import type { Outcome, Plan, Stall } from '../../../src-shared/model/sync';
import { StalledFiles } from '../../../src-main/core/daemon/stalled-files';
import type { SessionLog } from '../../../src-main/core/session/session';
import { createFakeClock } from '../queue/fake-clock';
import { plan } from './scripted-transport';

const BIG: Stall = { path: 'd/big.iso', needs: 1_048_576, free: 262_144 };

/** An ok outcome, with the files it set aside. */
const ok = (...stalled: Stall[]): Outcome => ({ kind: 'ok', moved: 0, listed: 1, ...(stalled.length > 0 ? { stalled } : {}) });

function setUp() {
  const clock = createFakeClock();
  const retried: (readonly string[])[] = [];
  const logs: Parameters<SessionLog>[] = [];
  const files = new StalledFiles({ clock, backoff: { baseMs: 1000, maxMs: 4000 }, description: '/dst/', log: (...line) => logs.push(line), retry: (paths) => retried.push(paths) });
  return { clock, retried, logs, files };
}

describe('StalledFiles', () => {
  it('sets a file aside with its own retry, naming it, its size and the free space', () => {
    const { clock, retried, logs, files } = setUp();
    files.note(plan('a', 'd'), ok(BIG));
    expect(files.files).toEqual([{ stall: BIG, attempt: 1, nextAt: 1000 }]);
    expect(logs).toEqual([['Warn', '/dst/: no space left on the target: "d/big.iso" needs 1.0 MB (1048576 bytes), 256.0 KB (262144 bytes) free on the target; it is set aside and the other changes go on (retry 1 of it in 1 s)']]);
    clock.advance(999);
    expect(retried).toEqual([]);
    clock.advance(1);
    expect(retried).toEqual([['d/big.iso']]);
  });

  it('backs off while the file still does not fit (1 s, 2 s, 4 s, capped)', () => {
    const { clock, retried, files } = setUp();
    const own: Plan = plan('d/big.iso');
    const due: number[] = [];
    files.note(plan('d'), ok(BIG));
    for (let i = 0; i < 4; i++) {
      due.push(files.files[0]!.nextAt - clock.now());
      clock.advance(due.at(-1)!);
      files.note(own, ok(BIG));
    }
    expect(due).toEqual([1000, 2000, 4000, 4000]);
    expect(retried).toHaveLength(4);
    expect(files.files[0]!.attempt).toBe(5);
  });

  it('keeps it while other runs succeed, and lets it go once a run that covered it names it no more', () => {
    const { clock, logs, files } = setUp();
    files.note(plan('d'), ok(BIG));
    files.note(plan('other'), ok());
    files.note(plan('d/small'), ok());
    expect(files.files).toHaveLength(1);
    files.note(plan('d'), { kind: 'retry', reason: 'host down' });
    expect(files.files).toHaveLength(1);
    files.note(plan('d/big.iso'), ok());
    expect(files.files).toEqual([]);
    expect(logs.at(-1)).toEqual(['Normal', '/dst/: "d/big.iso" is no longer set aside for want of room']);
    expect(clock.armed()).toBe(0);
  });

  it('a full sync covers every file', () => {
    const { files } = setUp();
    files.note(plan('d'), ok(BIG));
    files.note({ moves: [], sync: [], deletes: [], allowDelete: true, full: true }, ok());
    expect(files.files).toEqual([]);
  });

  it('close() cancels every retry', () => {
    const { clock, retried, files } = setUp();
    files.note(plan('d'), ok(BIG, { path: 'other.bin', needs: 10, free: 1 }));
    files.close();
    clock.advance(60_000);
    expect(retried).toEqual([]);
    expect(clock.armed()).toBe(0);
  });
});
