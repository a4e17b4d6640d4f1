import { onTestFailed } from 'vitest';
import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeleteMode, FilterRule, SyncConfig } from '../../../src-main/core/config/model';
import { testSync } from './test-sync';
import { SyncRunner } from '../../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../../src-main/core/session/system-clock';
import { spawnRunner } from '../../../src-main/core/transport/process-runner';
import type { WatcherKind } from '../../../src-main/core/watch/source-watcher';

export interface MirrorOptions {
  delete?: DeleteMode;
  filters?: FilterRule[];
  delaySeconds?: number;
  watcher?: WatcherKind;
  kind?: SyncConfig['kind'];
  /** A watch budget below the kernel's inotify limit. */
  watchLimit?: number;
  /** Called with the fresh source dir before the runner starts (pre-existing content). */
  prepare?: (source: string, target: string) => Promise<void>;
  /** Tidemark's safety keys (reconcile, maxDeletes, maxDeletePercent, trash, trashDays). */
  safety?: SafetyKeys;
  /** Boolean keys of the sync's `rsync = {}` table (compress, say); none by default. */
  rsyncFlags?: Record<string, boolean>;
}

export type SafetyKeys = Partial<Pick<SyncConfig, 'reconcile' | 'maxDeletes' | 'maxDeletePercent' | 'maxDeleteWindow' | 'trash' | 'trashDays'>>;

/** What the shared suites (hard cases, hostile names, churn) ask of any mirror, local or remote. */
export type SuiteMirrorOptions = Pick<MirrorOptions, 'delete' | 'filters' | 'watcher' | 'prepare' | 'delaySeconds' | 'safety' | 'rsyncFlags'>;

/** Starts a mirror for a shared suite: startLocalMirror, or startRemoteMirror bound to an sshd. */
export type StartMirror = (options?: SuiteMirrorOptions) => Promise<LocalMirror>;

export interface LocalMirror {
  readonly source: string;
  readonly target: string;
  readonly runner: SyncRunner;
  /** What the runner logged, as `Category: message`. */
  readonly logs: string[];
  /** The runner's state directory (kept entries, journal), where the mirror has one. */
  readonly stateDir?: string;
  /**
   * Stops the runner and starts a new SyncRunner on the same source, target and state dir (its
   * log goes on in `logs`), as a daemon restart does; `whileStopped` runs in between, with the
   * source and target (a remote target's new entries then belong to its user, as after prepare).
   * Resolves once the new runner has settled, with the mirror to use from then on.
   */
  restart?(whileStopped?: (source: string, target: string) => Promise<void>): Promise<LocalMirror>;
  dispose(): Promise<void>;
}

/** A temp source and target mirrored by a real SyncRunner (real inotify, real rsync). */
export async function startLocalMirror(options: MirrorOptions = {}): Promise<LocalMirror> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-mirror-'));
  const source = join(base, 'src');
  const target = join(base, 'dst');
  await mkdir(source);
  await options.prepare?.(source, target);
  const config = testSync({
    kind: options.kind ?? 'rsync',
    source,
    target: { kind: 'local', dir: target },
    delay: options.delaySeconds ?? 0,
    delete: options.delete ?? true,
    filters: options.filters ?? [],
    rsync: { binary: 'rsync', flags: options.rsyncFlags ?? {}, values: {}, extra: [] },
    ...options.safety,
  });
  const logs: string[] = [];
  const stateDir = join(base, 'state');
  const launch = async (): Promise<SyncRunner> => {
    const runner = new SyncRunner({
      id: 'test',
      config,
      clock: systemClock,
      runner: spawnRunner,
      watcher: options.watcher,
      watchLimit: options.watchLimit,
      stateDir,
      backoff: { baseMs: 50, maxMs: 500 },
      log: (category, message) => logs.push(`${category}: ${message}`),
    });
    await runner.start();
    await runner.settled();
    return runner;
  };
  let live: SyncRunner | null = await launch();
  const stopLive = async (): Promise<void> => {
    const runner = live;
    live = null;
    await runner?.stop();
  };
  const mirrorOf = (runner: SyncRunner): LocalMirror => ({
    source,
    target,
    runner,
    logs,
    stateDir,
    async restart(whileStopped) {
      await stopLive();
      await whileStopped?.(source, target);
      logs.push('Test: --- restart: a new runner on the same source, target and state dir ---');
      live = await launch();
      return mirrorOf(live);
    },
    async dispose() {
      await stopLive();
      await rm(base, { recursive: true, force: true });
    },
  });
  return mirrorOf(live);
}

/**
 * Call within a test: if it fails, the runner's last log lines are printed with it (a retry, a
 * rename made by transfer instead, a watch error), which the oracle's difference cannot show.
 */
export function printLogsOnFailure(m: LocalMirror, onFailed: typeof onTestFailed = onTestFailed): void {
  onFailed(() => {
    console.error(`runner log of the failed test (${m.logs.length} lines, the last 40):\n  ${m.logs.slice(-40).join('\n  ')}`);
  });
}
