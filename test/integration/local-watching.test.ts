// Watching limits and progress, on real inotify: a tree beyond the watch limit is polled (with
// advice on what to raise) rather than half-watched, whether it is too big at startup or grows
// past the limit while running; long startup scans report progress.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TargetState } from '../../src-shared/model/sync';
import { SyncRunner } from '../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../src-main/core/session/system-clock';
import { spawnRunner } from '../../src-main/core/transport/process-runner';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { startLocalMirror, type LocalMirror } from './support/local-mirror';
import { testSync } from './support/test-sync';

const CONVERGE_MS = 20_000;
let mirror: LocalMirror | undefined;
const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  await mirror?.dispose();
  mirror = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** `count` directories d0..dN-1 below `root`, each holding one file. */
async function dirs(root: string, count: number, prefix = 'd'): Promise<void> {
  for (let i = 0; i < count; i++) {
    await mkdir(join(root, `${prefix}${i}`), { recursive: true });
    await writeFile(join(root, `${prefix}${i}/file`), `${prefix}${i}`);
  }
}

describe('the inotify watch limit', () => {
  it('polls a tree that has more directories than the limit, says what to raise, and still mirrors', async () => {
    mirror = await startLocalMirror({ watchLimit: 5, prepare: (source) => dirs(source, 12) });
    const warning = mirror.logs.find((line) => line.startsWith('Warn:'));
    expect(warning).toMatch(/13 directories but inotify allows 5 watches/);
    expect(warning).toMatch(/sudo sysctl fs\.inotify\.max_user_watches=\d+/);
    expect(mirror.logs.some((line) => /watching 13 directories .* with poll$/.test(line))).toBe(true);
    await waitForConvergence(mirror.source, mirror.target, CONVERGE_MS);

    // Deep inside a directory that inotify could not have watched: polling sees it.
    await writeFile(join(mirror.source, 'd11/late'), 'seen by polling');
    await waitForConvergence(mirror.source, mirror.target, CONVERGE_MS);
  });

  it('switches to polling when the tree grows past the limit while running, and misses nothing', async () => {
    mirror = await startLocalMirror({ watchLimit: 4, prepare: (source) => dirs(source, 2) });
    expect(mirror.logs.some((line) => line.startsWith('Warn:'))).toBe(false);
    // Seven new directories, each filled at once: the later ones get no inotify watch.
    await dirs(mirror.source, 7, 'new');
    await waitForConvergence(mirror.source, mirror.target, CONVERGE_MS);
    expect(mirror.logs.find((line) => line.startsWith('Warn:'))).toMatch(/inotify allows 4 watches/);

    await writeFile(join(mirror.source, 'new6/after-switch'), 'still mirrored');
    await rm(join(mirror.source, 'new0'), { recursive: true });
    await waitForConvergence(mirror.source, mirror.target, CONVERGE_MS);
  });
});

describe('startup on a large tree', () => {
  it('reports scan progress in the status stream and the log before the first sync', async () => {
    const base = await mkdtemp(join(tmpdir(), 'tidemark-scan-'));
    cleanups.push(() => rm(base, { recursive: true, force: true }));
    const source = join(base, 'src');
    for (let d = 0; d < 60; d++) {
      await mkdir(join(source, `dir${d}`), { recursive: true });
      await Promise.all(Array.from({ length: 200 }, (_, f) => writeFile(join(source, `dir${d}/f${f}`), '')));
    }
    const logs: string[] = [];
    const runner = new SyncRunner({
      id: 'scan',
      config: testSync({ source, target: { kind: 'local', dir: join(base, 'dst') } }),
      clock: systemClock,
      runner: spawnRunner,
      log: (category, message) => logs.push(`${category}: ${message}`),
    });
    const states: TargetState[] = [];
    runner.onStatus((event) => states.push(event.to));
    cleanups.unshift(() => runner.stop());
    await runner.start();
    await runner.settled();

    const scanned = states.flatMap((state) => (state.kind === 'scanning' ? [state.scanned] : []));
    expect(scanned.filter((count) => count > 0)).toEqual([5000, 10000]);
    expect(logs.filter((line) => line.includes('entries so far'))).toHaveLength(2);
    // Scanning comes before the first transfer, and the tree is mirrored in the end.
    expect(states.findIndex((state) => state.kind === 'syncing')).toBeGreaterThan(states.findLastIndex((state) => state.kind === 'scanning'));
    await waitForConvergence(source, join(base, 'dst'), CONVERGE_MS);
  });
});
