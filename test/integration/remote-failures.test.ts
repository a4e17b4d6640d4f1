// Remote failures, each on the loopback sshd: a clear message naming the target, the right
// state (retrying or halted), and recovery; and a dead target never holds up another one.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SyncConfig, TidemarkConfig } from '../../src-main/core/config/model';
import { Daemon } from '../../src-main/core/daemon/daemon';
import { Logger } from '../../src-main/core/report/log-writer';
import { systemClock } from '../../src-main/core/session/system-clock';
import { spawnRunner } from '../../src-main/core/transport/process-runner';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { waitForConvergence } from '../fixtures/tree-oracle';
import type { LocalMirror } from './support/local-mirror';
import { until } from './support/cli-run';
import { startRemoteMirror } from './support/remote-mirror';
import { stateBecomes, testSync } from './support/test-sync';

let sshd: SshdFixture;
let mirror: LocalMirror | undefined;
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());
afterEach(async () => {
  await mirror?.dispose();
  mirror = undefined;
  for (const cleanup of cleanups.splice(0)) await cleanup();
});


/** The fixture's ssh options with another client key. */
function withKey(key: string): string[] {
  const args = sshd.sshArgs();
  args[args.indexOf('-i') + 1] = key;
  return args;
}

describe('remote failures', () => {
  it('a refused login retries, with a message naming the target', async () => {
    const wrongKey = join(sshd.dir, 'wrong_key');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    mirror = await startRemoteMirror({ sshd, settle: false, ssh: { binary: 'ssh', options: {}, extra: withKey(wrongKey) }, prepare: (s) => writeFile(join(s, 'f'), 'f') });
    const reason = await stateBecomes(mirror, 'retrying');
    expect(reason).toContain(`${sshd.user}@127.0.0.1:`);
    expect(reason).toMatch(/login was refused/);
  });

  it('a remote directory whose parent is missing retries, saying so', async () => {
    mirror = await startRemoteMirror({ sshd, settle: false, targetDir: 'no/such/parent/mirror', prepare: (s) => writeFile(join(s, 'f'), 'f') });
    const reason = await stateBecomes(mirror, 'retrying');
    expect(reason).toContain(':no/such/parent/mirror/');
    expect(reason).toMatch(/No such file or directory/);
  });

  it('a full remote disk: the file that does not fit is set aside, named with its size and the free space (df over the master), the rest arrives, and it follows once there is room', async () => {
    // A 256 KiB tmpfs as the remote user's target: the source holds 1 MiB, and two small files.
    const full = join(sshd.home, 'full');
    await mkdir(full, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256k', 'tidemark-test', full]);
    cleanups.push(async () => execFileSync('umount', [full]));
    execFileSync('chown', [`${sshd.user}:`, full]);
    mirror = await startRemoteMirror({
      sshd,
      settle: false,
      targetDir: 'full/mirror',
      prepare: async (s) => {
        await writeFile(join(s, 'big'), Buffer.alloc(1024 * 1024, 7));
        await writeFile(join(s, 'small'), 'fits');
      },
    });
    const m = mirror;
    await until('the big file to be set aside', () => m.runner.stalled.length === 1);
    expect(m.runner.stalled[0]!.stall).toMatchObject({ path: 'big', needs: 1024 * 1024 });
    expect(m.runner.stalled[0]!.stall.free).toBeLessThanOrEqual(256 * 1024);
    expect(m.logs.join('\n')).toMatch(/:full\/mirror\/: no space left on the target: "big" needs 1\.0 MB \(1048576 bytes\), .* \(\d+ bytes\) free on the target; it is set aside/);
    await until('the file that fits', () => existsSync(join(m.target, 'small')));
    await writeFile(join(m.source, 'later'), 'a later batch');
    await until('a later batch', () => existsSync(join(m.target, 'later')));
    execFileSync('mount', ['-o', 'remount,size=8m', full]);
    await waitForConvergence(m.source, m.target, 20_000);
    await until('the file to leave the set-aside list', () => m.runner.stalled.length === 0);
  });

  it("runs lsyncd tutorials' rsync = { rsh = ... } form, with the options in ssh._extra too", async () => {
    mirror = await startRemoteMirror({
      sshd,
      rsyncValues: { rsh: sshd.rsh() },
      ssh: { binary: 'ssh', options: {}, extra: sshd.sshArgs() },
      prepare: async (s) => {
        await mkdir(join(s, 'd'));
        await writeFile(join(s, 'd/f'), 'via rsh');
      },
    });
    await waitForConvergence(mirror.source, mirror.target, 20_000);
  });
});

describe('targets are independent', () => {
  it('a target whose host is down never holds up a local one', async () => {
    const base = await mkdtemp(join(tmpdir(), 'tidemark-indep-'));
    cleanups.push(() => rm(base, { recursive: true, force: true }));
    const source = join(base, 'src');
    await mkdir(source);
    const sync = (target: SyncConfig['target']): SyncConfig =>
      testSync({ source, target, ssh: { binary: 'ssh', options: {}, extra: [...sshd.sshArgs().filter((arg) => arg !== String(sshd.port) && arg !== '-p'), '-p', '1'] } });
    const config: TidemarkConfig = {
      settings: { statusInterval: 10, nodaemon: true, insist: false, inotifyMode: 'CloseWrite' },
      syncs: [sync({ kind: 'ssh', host: `${sshd.user}@127.0.0.1`, dir: 'unreachable' }), sync({ kind: 'local', dir: join(base, 'dst') })],
    };
    const logger = new Logger({ clock: systemClock });
    const daemon = new Daemon({ config, logger, clock: systemClock, runner: spawnRunner });
    cleanups.unshift(() => daemon.stop());
    await daemon.start();
    for (let i = 0; i < 5; i++) await writeFile(join(source, `f${i}`), `live ${i}`);
    await waitForConvergence(source, join(base, 'dst'), 20_000);
    const [remote, local] = daemon.runners;
    expect(remote!.state.kind).toBe('retrying');
    expect(local!.state.kind).not.toBe('retrying');
  });
});
