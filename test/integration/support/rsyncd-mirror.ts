import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { DeleteMode, FilterRule } from '../../../src-main/core/config/model';
import { parseRsyncdAddress } from '../../../src-main/core/config/rsyncd-address';
import { SyncRunner } from '../../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../../src-main/core/session/system-clock';
import { spawnRunner } from '../../../src-main/core/transport/process-runner';
import type { WatcherKind } from '../../../src-main/core/watch/source-watcher';
import type { RsyncdFixture } from '../../fixtures/rsyncd';
import type { LocalMirror, SafetyKeys } from './local-mirror';
import { testSync } from './test-sync';

export interface RsyncdMirrorOptions {
  readonly rsyncd: RsyncdFixture;
  /** The module (default mirror) and the address as the config writes it (default rsync://127.0.0.1:PORT/module/mirror-XXXXXX). */
  readonly module?: 'mirror' | 'secure' | 'ro';
  readonly address?: (dir: string) => string;
  /** Valued options of the rsync table (password_file, for example). */
  readonly rsyncValues?: Record<string, string>;
  /** The rsync table's `_extra` (--port=N for a host::module address, for example). */
  readonly rsyncExtra?: string[];
  /** Wait for the startup sync to finish (default true; a target meant to fail never does). */
  readonly settle?: boolean;
  readonly delete?: DeleteMode;
  readonly filters?: FilterRule[];
  readonly delaySeconds?: number;
  readonly watcher?: WatcherKind;
  readonly prepare?: (source: string, target: string) => Promise<void>;
  readonly safety?: SafetyKeys;
}

/**
 * A temp source mirrored by a real SyncRunner to a directory of the fixture daemon's module, over
 * the daemon protocol: real inotify, real rsync, a real rsync daemon. The module lives on this
 * machine, so the test reads the target directly for the oracle.
 */
export async function startRsyncdMirror(options: RsyncdMirrorOptions): Promise<LocalMirror> {
  const { rsyncd } = options;
  const base = await mkdtemp(join(tmpdir(), 'tidemark-rsyncd-mirror-'));
  const source = join(base, 'src');
  await mkdir(source);
  const module = options.module ?? 'mirror';
  const dirName = `mirror-${base.slice(-6)}`;
  const target = join(rsyncd.pathOf(module), dirName);
  const address = options.address?.(dirName) ?? rsyncd.url(module, dirName);
  const parsed = parseRsyncdAddress(address);
  if (parsed.kind !== 'ok') throw new Error(parsed.message);
  await options.prepare?.(source, target);
  const config = testSync({
    source,
    target: parsed.target,
    delay: options.delaySeconds ?? 0,
    delete: options.delete ?? true,
    filters: options.filters ?? [],
    rsync: { binary: 'rsync', flags: {}, values: options.rsyncValues ?? {}, extra: options.rsyncExtra ?? [] },
    ...options.safety,
  });
  const logs: string[] = [];
  const stateDir = join(base, 'state');
  const launch = async (settle: boolean): Promise<SyncRunner> => {
    const runner = new SyncRunner({
      id: 'rsyncd',
      config,
      clock: systemClock,
      runner: spawnRunner,
      stateDir,
      watcher: options.watcher,
      backoff: { baseMs: 100, maxMs: 1000 },
      log: (category, message) => logs.push(`${category}: ${message}`),
    });
    await runner.start();
    if (settle) await runner.settled();
    return runner;
  };
  let live: SyncRunner | null = await launch(options.settle !== false);
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
      live = await launch(true);
      return mirrorOf(live);
    },
    async dispose() {
      await stopLive();
      await rm(base, { recursive: true, force: true });
      await rm(target, { recursive: true, force: true });
    },
  });
  return mirrorOf(live);
}
