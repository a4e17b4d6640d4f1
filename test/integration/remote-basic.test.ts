// Remote targets over the loopback sshd: one master connection per target, renames as remote
// renames, hostile names inert on the server, outages survived, host keys enforced, and hosts
// resolved as OpenSSH resolves them.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lstat, mkdir, readdir, rename, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SshTransport } from '../../src-main/core/transport/ssh-transport';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { waitForConvergence } from '../fixtures/tree-oracle';
import type { LocalMirror } from './support/local-mirror';
import { startRemoteMirror } from './support/remote-mirror';
import { stateBecomes } from './support/test-sync';

const CONVERGE_MS = 20_000;
let sshd: SshdFixture;
let mirror: LocalMirror | undefined;

beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());
afterEach(async () => {
  await mirror?.dispose();
  mirror = undefined;
});

const converge = (m: LocalMirror) => waitForConvergence(m.source, m.target, CONVERGE_MS);
const connections = (m: LocalMirror) => (m.runner.transport as SshTransport).connectionsOpened;


describe('remote mirror over one master connection', () => {
  it('mirrors at startup and live, renames directories remotely (inodes kept), deletes, all over one connection', async () => {
    mirror = await startRemoteMirror({
      sshd,
      prepare: async (source) => {
        await mkdir(join(source, 'site/assets'), { recursive: true });
        await writeFile(join(source, 'site/assets/app.js'), 'console.log(1)');
        await writeFile(join(source, 'site/index.html'), '<h1>hi</h1>');
      },
    });
    await converge(mirror);
    const before = (await lstat(join(mirror.target, 'site/assets/app.js'))).ino;
    await rename(join(mirror.source, 'site'), join(mirror.source, 'www'));
    await converge(mirror);
    expect((await lstat(join(mirror.target, 'www/assets/app.js'))).ino).toBe(before);
    for (let i = 0; i < 5; i++) {
      await writeFile(join(mirror.source, `www/page${i}.html`), `page ${i}`);
      await converge(mirror);
    }
    await rm(join(mirror.source, 'www/assets'), { recursive: true });
    await converge(mirror);
    expect(connections(mirror)).toBe(1);
  });

  it('carries hostile names to the server without running any of them', async () => {
    const names = ['$(touch PWNED)', '`touch PWNED2`', "it's; touch PWNED3", '-rf', 'a\nb', '[x]', 'back\\slash', Buffer.from([0x66, 0xff]).toString('latin1')];
    const bytes = (name: string) => Buffer.from(name, 'latin1');
    mirror = await startRemoteMirror({ sshd });
    for (const name of names) await writeFile(Buffer.concat([Buffer.from(`${mirror.source}/`), bytes(name)]), name);
    await converge(mirror);
    await mkdir(join(mirror.source, 'dir'));
    for (const name of names) await rename(Buffer.concat([Buffer.from(`${mirror.source}/`), bytes(name)]), Buffer.concat([Buffer.from(`${mirror.source}/dir/`), bytes(name)]));
    await converge(mirror);
    for (const place of [sshd.home, mirror.target, join(mirror.target, 'dir'), mirror.source, process.cwd(), tmpdir()]) {
      const found = (await readdir(place).catch(() => [] as string[])).filter((name) => name.startsWith('PWNED'));
      expect(found, `in ${place}`).toEqual([]);
    }
  });

  it('survives an outage: retries while sshd is down, then converges with everything queued meanwhile', async () => {
    mirror = await startRemoteMirror({ sshd, prepare: (source) => writeFile(join(source, 'before'), 'x') });
    await sshd.stop();
    // The master's own session outlives the listener: end it too, as a network outage would.
    execFileSync('pkill', ['-KILL', '-u', sshd.user]);
    try {
      await writeFile(join(mirror.source, 'during-1'), 'written while the server was down');
      const reason = await stateBecomes(mirror, 'retrying');
      expect(reason).toMatch(/connection was refused|unreachable|dropped/);
      await writeFile(join(mirror.source, 'during-2'), 'also queued');
      await rename(join(mirror.source, 'before'), join(mirror.source, 'after'));
    } finally {
      await sshd.start();
    }
    mirror.runner.syncNow();
    await converge(mirror);
  }, 60_000);
});

describe('hosts and host keys', () => {
  it('resolves a host alias from an ssh_config file with a non-standard port, as OpenSSH does', async () => {
    const configFile = join(sshd.dir, 'alias_config');
    await writeFile(configFile, [
      'Host mirror-alias',
      '  HostName 127.0.0.1',
      `  Port ${sshd.port}`,
      `  User ${sshd.user}`,
      `  IdentityFile ${sshd.clientKeyPath}`,
      '  IdentitiesOnly yes',
      `  UserKnownHostsFile ${sshd.knownHostsPath}`,
      '  StrictHostKeyChecking yes',
      '',
    ].join('\n'));
    mirror = await startRemoteMirror({ sshd, host: 'mirror-alias', ssh: { binary: 'ssh', options: {}, extra: ['-F', configFile] }, prepare: (source) => writeFile(join(source, 'via-alias'), 'ok') });
    await converge(mirror);
    expect(mirror.logs.some((line) => line.startsWith('Warn:'))).toBe(false);
  });

  it('warns once, with the way to pin the key, when a config switches host key checking off', async () => {
    mirror = await startRemoteMirror({
      sshd,
      ssh: { binary: 'ssh', options: { StrictHostKeyChecking: 'no', UserKnownHostsFile: '/dev/null' }, extra: ['-F', '/dev/null', '-p', String(sshd.port), '-i', sshd.clientKeyPath, '-o', 'IdentitiesOnly=yes'] },
    });
    await writeFile(join(mirror.source, 'x'), 'x');
    await converge(mirror);
    const warnings = mirror.logs.filter((line) => line.includes('host key checking is off'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/ssh-keyscan -p \d+ 127\.0\.0\.1/);
  });
  // Last: it leaves the fixture with a host key that its known_hosts does not pin.
  it('halts on a changed host key, naming the target, and touches nothing', async () => {
    mirror = await startRemoteMirror({ sshd, prepare: (source) => writeFile(join(source, 'a'), 'a') });
    await converge(mirror);
    await sshd.restartWithNewHostKey();
    // The master may still hold its old session: drop it, as a reinstall would, so it reconnects.
    await (mirror.runner.transport as SshTransport).close();
    await writeFile(join(mirror.source, 'b'), 'b');
    const reason = await stateBecomes(mirror, 'halted');
    expect(reason).toMatch(/host key/i);
    expect(reason).toContain('@127.0.0.1:');
    expect(existsSync(join(mirror.target, 'b'))).toBe(false);
  }, 60_000);

});
