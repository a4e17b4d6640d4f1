// The journal's writing discipline, with a fake clock and a store that counts its writes.
import { describe, expect, it } from 'vitest';
import type { FsEvent, Plan } from '../../../src-shared/model/sync';
import { JOURNAL_FLUSH_MS, Journal, MAX_JOURNALED_EVENTS } from '../../../src-main/core/daemon/journal';
import type { TargetStore } from '../../../src-main/core/daemon/target-store';
import { createFakeClock } from '../queue/fake-clock';

const plan = (path: string): Plan => ({ moves: [], sync: [path], deletes: [], allowDelete: true, full: false });
const created = (path: string): FsEvent => ({ kind: 'create', path, entry: 'file', at: 0 });

function recordingStore() {
  const writes: { plans: readonly Plan[]; events: readonly FsEvent[] }[] = [];
  const store = { writeAll: (plans: readonly Plan[], events: readonly FsEvent[]) => writes.push({ plans: [...plans], events: [...events] }) } as unknown as TargetStore;
  return { store, writes };
}

describe('Journal', () => {
  it('writes a burst of changes once, JOURNAL_FLUSH_MS after the first, with the latest state', () => {
    const clock = createFakeClock();
    const { store, writes } = recordingStore();
    const journal = new Journal(store, clock);
    for (let i = 0; i < 1000; i++) {
      journal.record([created(`f${i}`)]);
      journal.plans([plan(`p${i}`)]);
    }
    clock.advance(JOURNAL_FLUSH_MS - 1);
    expect(writes).toHaveLength(0);
    clock.advance(1);
    expect(writes).toHaveLength(1);
    expect(writes[0]!.plans).toEqual([plan('p999')]);
    expect(writes[0]!.events).toHaveLength(1000);
  });

  it('drops the events once they are batched, and writes the empty journal', () => {
    const clock = createFakeClock();
    const { store, writes } = recordingStore();
    const journal = new Journal(store, clock);
    journal.record([created('a')]);
    clock.advance(JOURNAL_FLUSH_MS);
    journal.batched();
    journal.plans([]);
    clock.advance(JOURNAL_FLUSH_MS);
    expect(writes.at(-1)).toEqual({ plans: [], events: [] });
  });

  it('beyond MAX_JOURNALED_EVENTS records one overflow event, so the restart resyncs', () => {
    const clock = createFakeClock();
    const { store, writes } = recordingStore();
    const journal = new Journal(store, clock);
    journal.record(Array.from({ length: MAX_JOURNALED_EVENTS + 5 }, (_, i) => created(`f${i}`)));
    journal.record([created('one more')]);
    clock.advance(JOURNAL_FLUSH_MS);
    expect(writes.at(-1)!.events).toEqual([expect.objectContaining({ kind: 'overflow', path: '' })]);
  });

  it('close() writes what is pending at once, and every later change immediately', () => {
    const clock = createFakeClock();
    const { store, writes } = recordingStore();
    const journal = new Journal(store, clock);
    journal.plans([plan('queued')]);
    journal.close();
    expect(writes).toEqual([{ plans: [plan('queued')], events: [] }]);
    journal.plans([]);
    expect(writes).toHaveLength(2);
    clock.advance(JOURNAL_FLUSH_MS * 2);
    expect(writes).toHaveLength(2);
  });
});
