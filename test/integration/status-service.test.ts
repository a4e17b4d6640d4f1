import * as v from 'valibot';
import { afterEach, describe, expect, it } from 'vitest';
import { appendFile, mkdir, mkdtemp, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TargetStatusSchema, type TargetStatus } from '../../src-shared/model/status';
import type { RsyncTable } from '../../src-main/core/config/model';
import { SyncRunner } from '../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../src-main/core/session/system-clock';
import { spawnRunner } from '../../src-main/core/transport/process-runner';
import { StatusService, type StatusUpdate } from '../../src-main/services/status/status-service';
import { testSync } from './support/test-sync';

interface Live {
  readonly source: string;
  readonly runner: SyncRunner;
  readonly service: StatusService;
  /** Every snapshot sent, each already parsed by TargetStatusSchema. */
  readonly snapshots: TargetStatus[];
  /** The `to` of every StatusEvent the runner emitted, as the runner told it (JSON). */
  readonly transitions: string[];
  /** The argv of every rsync the runner ran (spawnRunner does the running). */
  readonly rsyncs: string[][];
}

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** A real SyncRunner (real inotify, real rsync) on temp dirs, followed by a StatusService from before its start. */
async function live(options: { rsync?: Partial<RsyncTable>; prepare?: (source: string) => Promise<void>; coalesceMs?: number } = {}): Promise<Live> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-status-'));
  const source = join(base, 'src');
  await mkdir(source);
  await options.prepare?.(source);
  const rsyncs: string[][] = [];
  const runner = new SyncRunner({
    id: 'status:1',
    config: testSync({ source, target: { kind: 'local', dir: join(base, 'dst') }, rsync: { binary: 'rsync', flags: {}, values: {}, extra: [], ...options.rsync } }),
    clock: systemClock,
    runner: {
      run: (file, args, run) => {
        if (file === 'rsync') rsyncs.push([...args]);
        return spawnRunner.run(file, args, run);
      },
    },
    backoff: { baseMs: 50, maxMs: 500 },
  });
  const service = new StatusService({ clock: systemClock, coalesceMs: options.coalesceMs });
  const snapshots: TargetStatus[] = [];
  const transitions: string[] = [];
  runner.onStatus((event) => transitions.push(JSON.stringify(event.to)));
  service.subscribe((update: StatusUpdate) => {
    if (update.kind === 'target') snapshots.push(v.parse(TargetStatusSchema, update.status));
  });
  service.attach({ id: 'status:1', profile: 'status', source, target: join(base, 'dst'), kind: 'local', watcher: 'inotify', runner });
  cleanups.push(async () => {
    service.detach('status:1');
    await runner.stop();
    await rm(base, { recursive: true, force: true });
  });
  await runner.start();
  await runner.settled();
  return { source, runner, service, snapshots, transitions, rsyncs };
}

/**
 * The states of the stream, each change once: coalesced snapshots in between repeat the state
 * they follow. (The session never emits a state equal to the one before, so nothing real merges.)
 */
function stateChanges(snapshots: readonly TargetStatus[]): string[] {
  const states = snapshots.map((snapshot) => JSON.stringify(snapshot.state));
  return states.filter((state, i) => i === 0 || state !== states[i - 1]);
}

/** Waits (10 s at most) until the service's view of the target satisfies `test`. */
async function until(l: Live, what: string, test: (status: TargetStatus) => boolean): Promise<TargetStatus> {
  for (const started = Date.now(); Date.now() - started < 10_000; ) {
    const status = l.service.get('status:1')!;
    if (test(status)) return status;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`never: ${what}; the view is ${JSON.stringify(l.service.get('status:1'))}`);
}

/** Whether the recent changes hold `path` as `kind` (from `from`, for a move). */
function shipped(status: TargetStatus, path: string, kind: string, from?: string): boolean {
  return status.recent.some((change) => change.path === path && change.kind === kind && (from === undefined || change.from === from));
}

describe('StatusService on a live local mirror', () => {
  it('streams every transition in order, and lists created, modified, moved and deleted files', async () => {
    const l = await live();
    expect(l.snapshots[0]?.state.kind).toBe('starting');
    // Every transition the runner made went out as its own snapshot, in the same order.
    expect(stateChanges(l.snapshots).slice(1)).toEqual(l.transitions);
    const kinds = l.transitions.map((state) => (JSON.parse(state) as { kind: string }).kind);
    expect(kinds.slice(0, 1)).toEqual(['scanning']);
    expect(kinds.slice(-2)).toEqual(['syncing', 'idle']);
    expect(l.service.get('status:1')).toMatchObject({ watchedDirs: 1, watcher: 'inotify', lastSyncAt: expect.any(Number), transfer: null });

    await writeFile(join(l.source, 'a.txt'), 'one');
    await mkdir(join(l.source, 'dir with space'));
    await writeFile(join(l.source, 'dir with space', 'inner'), 'x');
    await until(l, 'a.txt created', (s) => shipped(s, 'a.txt', 'created') && s.state.kind === 'idle');
    await until(l, 'the directory created', (s) => shipped(s, 'dir with space', 'created') || shipped(s, 'dir with space/inner', 'created'));
    await appendFile(join(l.source, 'a.txt'), ' two');
    await until(l, 'a.txt modified', (s) => shipped(s, 'a.txt', 'modified'));
    await rename(join(l.source, 'a.txt'), join(l.source, 'b.txt'));
    await until(l, 'a.txt moved to b.txt', (s) => shipped(s, 'b.txt', 'moved', 'a.txt'));
    await unlink(join(l.source, 'b.txt'));
    const done = await until(l, 'b.txt deleted', (s) => shipped(s, 'b.txt', 'deleted') && s.state.kind === 'idle');

    expect(done.recent[0]).toMatchObject({ path: 'b.txt', kind: 'deleted' });
    expect(done.errors).toEqual([]);
    expect(done.pending).toBe(0);
    expect(stateChanges(l.snapshots).slice(1)).toEqual(l.transitions);
    // syncing -> idle for every batch, in the stream itself.
    const pairs = stateChanges(l.snapshots).map((state) => (JSON.parse(state) as { kind: string }).kind).join(' ');
    expect(pairs.match(/syncing idle/g)?.length).toBeGreaterThanOrEqual(5);
  });

  it('reports the progress of a slow transfer of 3 x 30 MB, and its throughput', async () => {
    const l = await live({
      rsync: { values: { bwlimit: '30000' } }, // 30 MB/s: the 90 MB take about 3 s
      coalesceMs: 100,
      prepare: async (source) => {
        const block = Buffer.alloc(30 * 1024 * 1024, 7);
        for (const name of ['big 1', 'big 2', 'big 3']) await writeFile(join(source, name), block);
      },
    });
    const during = l.snapshots.filter((snapshot) => snapshot.transfer !== null).map((snapshot) => snapshot.transfer!);
    expect(during.length).toBeGreaterThanOrEqual(3);
    const bytes = during.map((transfer) => transfer.bytesDone);
    for (let i = 1; i < bytes.length; i++) expect(bytes[i]).toBeGreaterThanOrEqual(bytes[i - 1]!);
    expect(new Set(bytes).size).toBeGreaterThanOrEqual(3);
    expect(during.some((transfer) => transfer.bytesDone > 0 && transfer.bytesDone < 90 * 1024 * 1024 && transfer.bytesPerSecond > 0)).toBe(true);
    expect(during.every((transfer) => transfer.bytesTotal >= transfer.bytesDone)).toBe(true);
    expect(during.some((transfer) => transfer.current !== null && /^big [123]$/.test(transfer.current))).toBe(true);
    expect(during.at(-1)!.filesTotal).toBeGreaterThanOrEqual(3);

    const after = l.service.get('status:1')!;
    expect(after.state.kind).toBe('idle');
    expect(after.transfer).toBeNull();
    expect(after.recent.map((change) => `${change.kind} ${change.path}`).sort()).toEqual(['created big 1', 'created big 2', 'created big 3']);
    expect(after.throughput.length).toBeGreaterThanOrEqual(1);
    const sent = after.throughput.reduce((sum, sample) => sum + sample.bytesPerSecond * 5, 0);
    expect(sent).toBe(3 * 30 * 1024 * 1024);
  });

  it('adds no rsync flags while nobody listens: a runner without a status service transfers as before', async () => {
    const l = await live();
    await writeFile(join(l.source, 'heard.txt'), 'x'.repeat(300 * 1024)); // too big for the quick copy: rsync sends it
    await until(l, 'heard.txt created', (s) => shipped(s, 'heard.txt', 'created'));
    const heard = l.rsyncs.at(-1)!;
    expect(heard).toContain('--info=progress2');
    l.service.detach('status:1');
    const before = l.rsyncs.length;
    await writeFile(join(l.source, 'quiet.txt'), 'x'.repeat(300 * 1024));
    for (let waited = 0; l.rsyncs.length === before && waited < 10_000; waited += 20) await new Promise((resolve) => setTimeout(resolve, 20));
    await l.runner.settled();
    const quiet = l.rsyncs.slice(before);
    expect(quiet.length).toBeGreaterThan(0);
    for (const argv of quiet) expect(argv.some((arg) => arg.startsWith('--info=') || arg.startsWith('--out-format='))).toBe(false);
    // The same run as the listened one (the file list goes on stdin), but for the progress flags.
    expect(quiet.at(-1)).toEqual(heard.filter((arg) => !arg.startsWith('--info=') && !arg.startsWith('--out-format=')));
    expect(l.runner.state.kind).toBe('idle');
  });
});
