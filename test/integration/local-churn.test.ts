// Seeded random churn against a real SyncRunner (real watcher, real rsync, real temp dirs):
// files and directories created, rewritten, renamed (into other directories, over existing
// names), deleted (rm -rf), chmodded and symlinked, some back to back and some with pauses.
// Once the churn stops the target must converge, and every directory must still be watched.
//
// Scale it up:  TIDEMARK_CHURN_SEEDS=50 TIDEMARK_CHURN_OPS=2000 npx vitest run --project integration test/integration/local-churn.test.ts
// Replay one:   TIDEMARK_CHURN_SEED=7 TIDEMARK_CHURN_OPS=300 npx vitest run --project integration test/integration/local-churn.test.ts -t 'inotify watcher'
import { afterEach, describe, it } from 'vitest';
import { unlink, writeFile } from 'node:fs/promises';
import type { WatcherKind } from '../../src-main/core/watch/source-watcher';
import { printablePath, scanTree, waitForConvergence } from '../fixtures/tree-oracle';
import { churn } from './support/churn';
import { startLocalMirror, type LocalMirror } from './support/local-mirror';

const CONVERGE_MS = 30_000;

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, not ${JSON.stringify(raw)}`);
  return value;
}

const OPS = envInt('TIDEMARK_CHURN_OPS', 300);
const REPLAY = process.env.TIDEMARK_CHURN_SEED;
const SEEDS = REPLAY !== undefined && REPLAY !== '' ? [envInt('TIDEMARK_CHURN_SEED', 0)] : Array.from({ length: envInt('TIDEMARK_CHURN_SEEDS', 6) }, (_, i) => i + 1);
const OTHER_WATCHERS: readonly WatcherKind[] = ['chokidar', 'poll'];

/** Each seed with the default watcher; the first seed (or a replayed one) with every other kind too. */
const RUNS: { seed: number; watcher: WatcherKind }[] = [
  ...SEEDS.map((seed) => ({ seed, watcher: 'inotify' as const })),
  ...SEEDS.slice(0, 1).flatMap((seed) => OTHER_WATCHERS.map((watcher) => ({ seed, watcher }))),
];

let mirror: LocalMirror | undefined;
afterEach(async () => {
  await mirror?.dispose();
  mirror = undefined;
});

/** A file written into, then removed from, every directory: each must still be watched. */
async function probeEveryDir(m: LocalMirror): Promise<void> {
  const dirs = [...(await scanTree(m.source))].filter(([, e]) => e.type === 'dir').map(([key]) => Buffer.from(`${key}/`, 'latin1'));
  const probes = [Buffer.alloc(0), ...dirs].map((dir) => Buffer.concat([Buffer.from(`${m.source}/`), dir, Buffer.from('churn-probe')]));
  for (const probe of probes) await writeFile(probe, 'probe');
  await waitForConvergence(m.source, m.target, CONVERGE_MS);
  for (const probe of probes) await unlink(probe);
  await waitForConvergence(m.source, m.target, CONVERGE_MS);
}

/** Source directories the runner does not watch (inotify only: chokidar lists what it likes). */
async function unwatched(): Promise<string> {
  if (!mirror) return '';
  const m = mirror;
  // Both sides spell a directory as `${source}/${latin1 relative path}/`.
  const watched = new Set(m.runner.watchedDirs());
  const dirs = [...(await scanTree(m.source).catch(() => new Map()))].filter(([, e]) => e.type === 'dir').map(([key]) => key as string);
  const missing = dirs.filter((key) => !watched.has(`${m.source}/${key}/`));
  return missing.length > 0 ? `source directories not watched: ${missing.map((key) => printablePath(Buffer.from(key, 'latin1'))).join(', ')}\n` : '';
}

describe('local mirror: seeded random churn', () => {
  for (const { seed, watcher } of RUNS) {
    const replay = `TIDEMARK_CHURN_SEED=${seed} TIDEMARK_CHURN_OPS=${OPS} npx vitest run --project integration test/integration/local-churn.test.ts -t '${watcher} watcher'`;
    it(`seed ${seed}, ${OPS} ops, ${watcher} watcher: the target converges once the churn stops`, { timeout: 60_000 + OPS * 200 }, async () => {
      const log: string[] = [];
      let phase = 'starting the mirror';
      try {
        const m = (mirror = await startLocalMirror({ watcher }));
        phase = 'churning';
        await churn(m.source, { seed, ops: OPS, log });
        phase = 'converging after the churn';
        await waitForConvergence(m.source, m.target, CONVERGE_MS);
        phase = 'probing every directory after the churn';
        await probeEveryDir(m);
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        throw new Error(
          `churn seed ${seed} (${OPS} ops, ${watcher} watcher) failed while ${phase}: ${message}\n` +
            `replay: ${replay}\n${await unwatched()}last operations (of ${log.length}):\n  ${log.slice(-25).join('\n  ')}`,
          { cause: error },
        );
      }
    });
  }
});
