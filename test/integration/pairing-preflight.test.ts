// Pairing's preflight against the fixture's OpenSSH, logged in by key as the sync will be:
// rsync and its version, the target made and probed (no probe left), its free space; and the
// failures (no rsync, a directory that cannot be made or written), each leaving nothing behind.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { preflight, type PreflightRequest } from '../../src-main/services/pairing/preflight';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { fakeServer, type FakeServer } from './support/fake-servers';

let sshd: SshdFixture;
const servers: FakeServer[] = [];
const made: string[] = [];

beforeAll(async () => {
  sshd = await startSshd();
}, 60_000);
afterAll(async () => sshd?.dispose());
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  for (const path of made.splice(0)) rmSync(path, { recursive: true, force: true });
});

function request(targetDir: string, over: Partial<PreflightRequest> = {}): PreflightRequest {
  return { host: '127.0.0.1', port: sshd.port, user: sshd.user, targetDir, sshCommand: ['ssh', ...sshd.sshArgs()], timeoutMs: 15_000, ...over };
}

/** What the local rsync says its version is: the server is this machine. */
const localRsyncVersion = () => /version\s+(\S+)/.exec(execFileSync('rsync', ['--version'], { encoding: 'utf8' }))![1];

describe('preflight', () => {
  it('finds rsync and its version, creates the target, probes it without leaving the probe, and reports free space', async () => {
    const home = sshd.home;
    made.push(join(home, 'mirror'));
    const result = await preflight(request('mirror/sub'));
    if (result.kind !== 'ok') throw new Error(result.reason);
    expect(result).toMatchObject({ rsyncVersion: localRsyncVersion(), created: true, directory: join(home, 'mirror', 'sub') });
    expect(result.rsyncProtocol).toBeGreaterThan(29);
    expect(result.freeBytes).toBeGreaterThan(0);
    expect(result.freeBytes % 1024).toBe(0);
    expect(readdirSync(join(home, 'mirror', 'sub'))).toEqual([]);
    expect(statSync(join(home, 'mirror', 'sub')).uid).toBe(statSync(home).uid);

    const again = await preflight(request('~/mirror/sub'));
    expect(again).toMatchObject({ kind: 'ok', created: false, directory: join(home, 'mirror', 'sub') });
  });

  it('passes a hostile directory name through as one argument, never as shell', async () => {
    const name = `it's a "dir" $(touch pwned) ;x\n`;
    made.push(join(sshd.home, name), join(sshd.home, 'pwned'));
    const result = await preflight(request(name));
    expect(result).toMatchObject({ kind: 'ok', created: true });
    expect(statSync(join(sshd.home, name)).isDirectory()).toBe(true);
    expect(existsSync(join(sshd.home, 'pwned'))).toBe(false);
  });

  it('a server without rsync says so, and creates nothing', async () => {
    const result = await preflight(request('mirror-no-rsync', { rsyncPath: '/nonexistent/bin/rsync' }));
    expect(result).toEqual({
      kind: 'failed', step: 'preflight', cause: 'no-rsync',
      reason: `/nonexistent/bin/rsync is not installed on 127.0.0.1 (not found in the PATH of ${sshd.user})`,
      fix: 'Install rsync on the server (Debian: apt install rsync), or give the path of its rsync.',
    });
    expect(existsSync(join(sshd.home, 'mirror-no-rsync'))).toBe(false);
  });

  it('a target directory that cannot be created says so, and leaves no level of it behind', async () => {
    const locked = join(sshd.dir, 'locked'); // root's, 0755: the account can enter but not write
    mkdirSync(locked, { mode: 0o755 });
    made.push(locked);
    const result = await preflight(request(`${locked}/a/b`));
    expect(result).toMatchObject({ kind: 'failed', step: 'preflight', cause: 'target-not-creatable' });
    if (result.kind === 'failed') {
      expect(result.reason).toMatch(new RegExp(`^the target directory ${sshd.user}@127\\.0\\.0\\.1:${locked}/a/b does not exist and cannot be created: mkdir: cannot create directory .*Permission denied$`));
      expect(result.fix).toMatch(/Create it on the server/);
    }
    expect(readdirSync(locked)).toEqual([]);
  });

  it('an existing directory the account cannot write says so, and leaves no probe file', async () => {
    const readonly = join(sshd.dir, 'readonly');
    mkdirSync(readonly, { mode: 0o755 });
    made.push(readonly);
    const result = await preflight(request(readonly));
    expect(result).toMatchObject({ kind: 'failed', step: 'preflight', cause: 'target-not-writable' });
    if (result.kind === 'failed') expect(result.reason).toMatch(new RegExp(`^the target directory .*:${readonly} is not writable by ${sshd.user}: .*Permission denied$`));
    expect(readdirSync(readonly)).toEqual([]);
  });

  it('a file where the directory should be says so', async () => {
    const file = join(sshd.home, 'a-file');
    writeFileSync(file, 'x');
    made.push(file);
    expect(await preflight(request('a-file'))).toMatchObject({ kind: 'failed', step: 'preflight', cause: 'target-not-directory' });
  });

  it('a key the server does not accept fails as ssh explains it', async () => {
    const wrongKey = join(sshd.dir, 'not-installed');
    execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', wrongKey]);
    const args = sshd.sshArgs();
    args[args.indexOf('-i') + 1] = wrongKey;
    const result = await preflight(request('mirror-wrong-key', { sshCommand: ['ssh', ...args] }));
    expect(result).toMatchObject({ kind: 'failed', step: 'preflight', cause: 'ssh-failed' });
    if (result.kind === 'failed') expect(result.reason).toMatch(/with the key: the login was refused/);
    expect(existsSync(join(sshd.home, 'mirror-wrong-key'))).toBe(false);
  });

  it('a server that never answers fails within the bound', async () => {
    const silent = await fakeServer(() => undefined);
    servers.push(silent);
    const started = Date.now();
    const result = await preflight(request('x', { port: silent.port, sshCommand: ['ssh', '-F', '/dev/null', '-o', `UserKnownHostsFile=${sshd.knownHostsPath}`], timeoutMs: 1500 }));
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ kind: 'failed', step: 'preflight', cause: 'timeout', reason: `the preflight on 127.0.0.1 port ${silent.port} did not finish within 1500 ms` });
  });
});
