// Seeded random churn (support/churn.ts) against a real SyncRunner: real watcher, real rsync,
// real temp dirs, and a target that is local or across the loopback sshd (the caller's mirror
// factory decides). Once the churn stops the target must converge, and every directory must
// still be watched. Each failure names its seed and the command that replays it.
//
// Environment, for every file that runs this suite:
//   TIDEMARK_CHURN_SEEDS=n  run seeds 1..n          TIDEMARK_CHURN_OPS=n  operations per seed
//   TIDEMARK_CHURN_SEED=s   replay seed s alone (with every watcher kind the file runs)
import { afterEach, describe, it } from 'vitest';
import { unlink, writeFile } from 'node:fs/promises';
import type { WatcherKind } from '../../../src-main/core/watch/source-watcher';
import { printablePath, scanTree, waitForConvergence } from '../../fixtures/tree-oracle';
import { churn } from './churn';
import { printLogsOnFailure, type LocalMirror, type StartMirror } from './local-mirror';

export interface ChurnSuiteSettings {
  /** The test file, for the replay command. */
  readonly file: string;
  /** Seeds 1..n when TIDEMARK_CHURN_SEEDS is unset. */
  readonly seeds: number;
  /** Operations per seed when TIDEMARK_CHURN_OPS is unset. */
  readonly ops: number;
  /** Watchers besides inotify that run the first seed (or the replayed one) too. */
  readonly otherWatchers: readonly WatcherKind[];
  /** How long the trees may take to become equal once the churn stops (default 30 s). */
  readonly convergeMs?: number;
}

function envInt(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${name} must be a non-negative integer, not ${JSON.stringify(raw)}`);
  return value;
}

/** A file written into, then removed from, every directory: each must still be watched. */
async function probeEveryDir(m: LocalMirror, convergeMs: number): Promise<void> {
  const dirs = [...(await scanTree(m.source))].filter(([, e]) => e.type === 'dir').map(([key]) => Buffer.from(`${key}/`, 'latin1'));
  const probes = [Buffer.alloc(0), ...dirs].map((dir) => Buffer.concat([Buffer.from(`${m.source}/`), dir, Buffer.from('churn-probe')]));
  for (const probe of probes) await writeFile(probe, 'probe');
  await waitForConvergence(m.source, m.target, convergeMs);
  for (const probe of probes) await unlink(probe);
  await waitForConvergence(m.source, m.target, convergeMs);
}

/** Source directories the runner does not watch (inotify only: chokidar lists what it likes). */
async function unwatched(m: LocalMirror | undefined): Promise<string> {
  if (!m) return '';
  // Both sides spell a directory as `${source}/${latin1 relative path}/`.
  const watched = new Set(m.runner.watchedDirs());
  const dirs = [...(await scanTree(m.source).catch(() => new Map()))].filter(([, e]) => e.type === 'dir').map(([key]) => key as string);
  const missing = dirs.filter((key) => !watched.has(`${m.source}/${key}/`));
  return missing.length > 0 ? `source directories not watched: ${missing.map((key) => printablePath(Buffer.from(key, 'latin1'))).join(', ')}\n` : '';
}

/**
 * Registers one test per seed (inotify watcher), and the first seed again with each of
 * `otherWatchers`, as `${label}: seeded random churn`. Call it once per test file, at the top
 * level (it registers an afterEach).
 */
export function describeChurn(label: string, startMirror: StartMirror, settings: ChurnSuiteSettings): void {
  const convergeMs = settings.convergeMs ?? 30_000;
  const ops = envInt('TIDEMARK_CHURN_OPS', settings.ops);
  const replaying = process.env.TIDEMARK_CHURN_SEED !== undefined && process.env.TIDEMARK_CHURN_SEED !== '';
  const seeds = replaying ? [envInt('TIDEMARK_CHURN_SEED', 0)] : Array.from({ length: envInt('TIDEMARK_CHURN_SEEDS', settings.seeds) }, (_, i) => i + 1);
  const runs: { seed: number; watcher: WatcherKind }[] = [
    ...seeds.map((seed) => ({ seed, watcher: 'inotify' as const })),
    ...seeds.slice(0, 1).flatMap((seed) => settings.otherWatchers.map((watcher) => ({ seed, watcher }))),
  ];

  let mirror: LocalMirror | undefined;
  afterEach(async () => {
    await mirror?.dispose();
    mirror = undefined;
  });

  describe(`${label}: seeded random churn`, () => {
    for (const { seed, watcher } of runs) {
      const replay = `TIDEMARK_CHURN_SEED=${seed} TIDEMARK_CHURN_OPS=${ops} npx vitest run --project integration ${settings.file} -t '${watcher} watcher'`;
      it(`seed ${seed}, ${ops} ops, ${watcher} watcher: the target converges once the churn stops`, { timeout: 60_000 + ops * 200 }, async () => {
        const log: string[] = [];
        let phase = 'starting the mirror';
        try {
          // The breaker at its defaults: churn renames, re-creates and deletes what it made itself,
          // and retries rsync's vanished files; none of it may count as the user's mass delete.
          const m = (mirror = await startMirror({ watcher }));
          printLogsOnFailure(m);
          phase = 'churning';
          await churn(m.source, { seed, ops, log });
          phase = 'converging after the churn';
          await waitForConvergence(m.source, m.target, convergeMs);
          phase = 'probing every directory after the churn';
          await probeEveryDir(m, convergeMs);
        } catch (error) {
          const message = error instanceof Error ? error.message : String(error);
          throw new Error(
            `churn seed ${seed} (${ops} ops, ${watcher} watcher) failed while ${phase}: ${message}\n` +
              `replay: ${replay}\n${await unwatched(mirror)}last operations (of ${log.length}):\n  ${log.slice(-25).join('\n  ')}`,
            { cause: error },
          );
        }
      });
    }
  });
}
