import { mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { DeleteMode, FilterRule, SyncConfig } from '../../../src-main/core/config/model';
import { SyncRunner } from '../../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../../src-main/core/session/system-clock';
import { spawnRunner } from '../../../src-main/core/transport/process-runner';
import type { WatcherKind } from '../../../src-main/core/watch/source-watcher';
import type { SshdFixture } from '../../fixtures/sshd';
import type { LocalMirror, SafetyKeys } from './local-mirror';
import { testSync } from './test-sync';

export interface RemoteMirrorOptions {
  /** The target directory as the config writes it, relative to the remote home (default mirror-XXXXXX). */
  readonly targetDir?: string;
  /** Wait for the startup sync to finish (default true; a target meant to fail never does). */
  readonly settle?: boolean;
  /** Valued options of the rsync table (rsh, for example). */
  readonly rsyncValues?: Record<string, string>;
  /** Boolean keys of the rsync table (compress, say). */
  readonly rsyncFlags?: Record<string, boolean>;
  readonly sshd: SshdFixture;
  readonly delete?: DeleteMode;
  readonly filters?: FilterRule[];
  readonly kind?: 'rsyncssh' | 'rsync';
  /** The batch delay (default 0: each batch fires at once). */
  readonly delaySeconds?: number;
  /** The source watcher (default: the runner's, inotify). */
  readonly watcher?: WatcherKind;
  /** The ssh table (default: the fixture's own options, key and pinned known_hosts). */
  readonly ssh?: SyncConfig['ssh'];
  /** The host as the config writes it (default user@127.0.0.1). */
  readonly host?: string;
  /** Called with the fresh source dir and the (local path of the) remote target before the runner starts. */
  readonly prepare?: (source: string, target: string) => Promise<void>;
  /** Tidemark's safety keys (reconcile, maxDeletes, maxDeletePercent, trash, trashDays). */
  readonly safety?: SafetyKeys;
}

/**
 * A temp source mirrored by a real SyncRunner over SSH to the loopback sshd's throwaway user:
 * real inotify, real rsync, a real OpenSSH master connection. The target lives in the user's
 * home, so the test (root) reads it directly for the oracle.
 */
export async function startRemoteMirror(options: RemoteMirrorOptions): Promise<LocalMirror & { readonly runtimeDir: string }> {
  const { sshd } = options;
  const base = await mkdtemp(join(tmpdir(), 'tidemark-remote-'));
  const source = join(base, 'src');
  await mkdir(source);
  const targetName = options.targetDir ?? `mirror-${base.slice(-6)}`;
  const target = join(sshd.home, targetName);
  const runtimeDir = join(base, 'run');
  // What the test put on the target belongs to the remote user, as if it had been there.
  const ownTarget = () => {
    if (existsSync(target)) execFileSync('chown', ['-R', '--no-dereference', `${sshd.user}:`, target], { stdio: 'ignore' });
  };
  if (options.prepare) {
    await options.prepare(source, target);
    ownTarget();
  }
  const config = testSync({
    kind: options.kind ?? 'rsyncssh',
    source,
    target: { kind: 'ssh', host: options.host ?? `${sshd.user}@${sshd.host}`, dir: targetName },
    delay: options.delaySeconds ?? 0,
    delete: options.delete ?? true,
    filters: options.filters ?? [],
    rsync: { binary: 'rsync', flags: options.rsyncFlags ?? {}, values: options.rsyncValues ?? {}, extra: [] },
    ssh: options.ssh ?? { binary: 'ssh', options: {}, extra: sshd.sshArgs() },
    ...options.safety,
  });
  const logs: string[] = [];
  const stateDir = join(base, 'state');
  const launch = async (settle: boolean): Promise<SyncRunner> => {
    const runner = new SyncRunner({
      id: 'remote',
      config,
      clock: systemClock,
      runner: spawnRunner,
      runtimeDir,
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
  const mirrorOf = (runner: SyncRunner): LocalMirror & { readonly runtimeDir: string } => ({
    source,
    target,
    runner,
    logs,
    runtimeDir,
    stateDir,
    async restart(whileStopped) {
      await stopLive();
      if (whileStopped) {
        await whileStopped(source, target);
        ownTarget();
      }
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
