import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncStatusInfo } from '../../../src-main/core/report/status-format';
import type { Clock } from '../../../src-main/core/queue/clock';
import type { StatusFileError, StatusFiles } from '../../../src-main/core/report/status-writer';
import { StatusWriter } from '../../../src-main/core/report/status-writer';

/** Lets pending promise callbacks run. */
const flush = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** A manual clock: timers fire only when `advance` passes them. */
function fakeClock(start: Date) {
  let now = start.getTime();
  let nextId = 1;
  const timers = new Map<number, { at: number; callback: () => void }>();
  const clock: Clock = {
    now: () => now,
    setTimer: (ms, callback) => {
      timers.set(nextId, { at: now + ms, callback });
      return nextId++;
    },
    clearTimer: (handle) => void timers.delete(handle as number),
  };
  async function advance(ms: number): Promise<void> {
    const end = now + ms;
    for (;;) {
      const due = [...timers.entries()].filter(([, t]) => t.at <= end).sort((a, b) => a[1].at - b[1].at)[0];
      if (!due) break;
      timers.delete(due[0]);
      now = due[1].at;
      due[1].callback();
      await flush();
    }
    now = end;
    await flush();
  }
  /** Moves time without running timers, as a stalled event loop does. */
  const jump = (ms: number) => void (now += ms);
  return { clock, advance, jump, pendingTimers: () => timers.size };
}

/** Status files in memory; `gate` holds writes until released; `failWrites` makes them reject. */
function memoryFiles() {
  const disk = new Map<string, string>();
  const log: string[] = [];
  const state = { failWrites: false, gate: null as Promise<void> | null, modes: [] as number[] };
  const files: StatusFiles = {
    async writeFile(path, text, mode) {
      log.push(`write ${path}`);
      state.modes.push(mode);
      if (state.gate) await state.gate;
      if (state.failWrites) throw new Error('ENOSPC');
      disk.set(path, text);
    },
    async rename(from, to) {
      log.push(`rename ${from} -> ${to}`);
      const text = disk.get(from);
      if (text === undefined) throw new Error('ENOENT');
      disk.delete(from);
      disk.set(to, text);
    },
    async unlink(path) {
      log.push(`unlink ${path}`);
      disk.delete(path);
    },
  };
  return { files, disk, log, state };
}

/** One idle sync, so every report is small and predictable. */
const info = (): readonly SyncStatusInfo[] => [{ source: '/src', delays: [], excludes: ['*.tmp'], watchedDirs: ['/src/'] }];
const stamp = (text: string | undefined) => text?.split('\n')[0];
const temp = `/run/.status.${process.pid}.tmp`;

describe('StatusWriter', () => {
  it('writes at start through a temp file in the same directory, then renames', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 10, clock: t.clock, files: mem.files });
    await w.start(info);
    expect(mem.log).toEqual([`write ${temp}`, `rename ${temp} -> /run/status`]);
    expect(mem.disk.get('/run/status')).toBe(
      'Lsyncd status report at Wed Nov 25 13:00:00 2026\n\nSync1 source=/src/\nThere are 0 delays\nFiltering:\nFrom excludes:\n- *.tmp\n\n\nInotify watching 1 directories\n  1: /src/\n',
    );
    expect(mem.state.modes).toEqual([0o644]);
    await w.stop();
  });

  it('keeps the report fresh while idle: a rewrite every interval (LSYNCD.md #14)', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 10, clock: t.clock, files: mem.files });
    await w.start(info);
    await t.advance(9_999);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:00 2026');
    await t.advance(1);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:10 2026');
    await t.advance(60_000);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:01:10 2026');
    await w.stop();
  });

  it('writeNow() writes at once and restarts the interval from there', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 10, clock: t.clock, files: mem.files });
    await w.start(info);
    await t.advance(4_000);
    await w.writeNow();
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:04 2026');
    await t.advance(9_000);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:04 2026');
    await t.advance(1_000);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:14 2026');
    expect(t.pendingTimers()).toBe(1);
    await w.stop();
  });

  it('coalesces writeNow() calls during a write into one follow-up with fresh data', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    let release = () => {};
    mem.state.gate = new Promise<void>((resolve) => (release = resolve));
    let delays = 0;
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 10, clock: t.clock, files: mem.files });
    const first = w.start(() => [{ source: '/src', delays: Array.from({ length: delays }, () => ({ kind: 'Create' as const, path: 'x' })), excludes: [], watchedDirs: [] }]);
    delays = 2;
    const second = w.writeNow();
    const third = w.writeNow();
    mem.state.gate = null;
    release();
    await Promise.all([first, second, third]);
    expect(mem.log.filter((l) => l.startsWith('write'))).toHaveLength(2);
    expect(mem.disk.get('/run/status')).toContain('There are 2 delays\n');
    await w.stop();
  });

  it('changed() writes at once, at most once per interval (lsyncd throttle)', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 10, clock: t.clock, files: mem.files });
    await w.start(info);
    await t.advance(3_000);
    w.changed(); // 3 s after the last write: the periodic refresh at 10 s will show it
    await flush();
    expect(mem.log.filter((l) => l.startsWith('write'))).toHaveLength(1);
    await t.advance(7_000);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:10 2026');
    await w.stop();

    const t2 = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const w2 = new StatusWriter({ path: '/run/status', intervalSeconds: 0, clock: t2.clock, files: mem.files });
    await w2.start(info);
    await t2.advance(999);
    w2.changed();
    await flush();
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:00 2026');
    await t2.advance(1); // the 1 s refresh
    await t2.advance(500);
    w2.changed(); // 0.5 s after: throttled
    await flush();
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:01 2026');
    await t2.advance(600);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:02 2026');
    await w2.stop();
  });

  it('changed() writes at once when the last write is an interval old', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 10, clock: t.clock, files: mem.files });
    await w.start(info);
    t.jump(12_000); // a busy event loop: time passed, the refresh timer has not run yet
    w.changed();
    await flush();
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:12 2026');
    expect(t.pendingTimers()).toBe(1); // the refresh was rescheduled, not doubled
    await w.stop();
  });

  it('reports a failed write, removes the temp file and tries again next interval', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const errors: StatusFileError[] = [];
    mem.state.failWrites = true;
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 5, clock: t.clock, files: mem.files, onError: (e) => errors.push(e) });
    await w.start(info);
    expect(errors.map((e) => e.message)).toEqual(['Cannot write status file [/run/status]: ENOSPC']);
    expect(mem.log).toContain(`unlink ${temp}`);
    mem.state.failWrites = false;
    await t.advance(5_000);
    expect(stamp(mem.disk.get('/run/status'))).toBe('Lsyncd status report at Wed Nov 25 13:00:05 2026');
    await w.stop();
  });

  it('stop() ends the refresh and leaves the last report', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 1, clock: t.clock, files: mem.files });
    await w.start(info);
    await w.stop();
    expect(t.pendingTimers()).toBe(0);
    await t.advance(10_000);
    await w.writeNow();
    expect(mem.log.filter((l) => l.startsWith('write'))).toHaveLength(1);
    expect(w.running).toBe(false);
  });

  it('refreshes at least every second when statusInterval is 0', async () => {
    const t = fakeClock(new Date(2026, 10, 25, 13, 0, 0));
    const mem = memoryFiles();
    const w = new StatusWriter({ path: '/run/status', intervalSeconds: 0, clock: t.clock, files: mem.files });
    await w.start(info);
    await t.advance(3_000);
    expect(mem.log.filter((l) => l.startsWith('write'))).toHaveLength(4);
    await w.stop();
  });
});

describe('StatusWriter on a real filesystem', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('leaves only the status file, 0644 under umask 022', async () => {
    dir = mkdtempSync(join(tmpdir(), 'tidemark-status-'));
    const path = join(dir, 'lsyncd.status');
    const w = new StatusWriter({ path, intervalSeconds: 10 });
    await w.start(info);
    await w.writeNow();
    await w.stop();
    expect(readdirSync(dir)).toEqual(['lsyncd.status']);
    expect(readFileSync(path, 'utf8')).toMatch(/^Lsyncd status report at \w{3} \w{3} [ \d]\d \d\d:\d\d:\d\d \d{4}\n\nSync1 source=\/src\/\n/);
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~process.umask());
  });
});
