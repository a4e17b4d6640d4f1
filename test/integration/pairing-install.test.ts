// Pairing's authenticate and install-key steps against the fixture's OpenSSH, with its password
// account: the key installed as ssh-copy-id would (and then usable by real ssh), and each
// failure named, with the password in no message and nothing left on the server.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { installPublicKey, type InstallKeyRequest } from '../../src-main/services/pairing/install-key';
import type { StepResult } from '../../src-main/services/pairing/step-result';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { fakeServer, type FakeServer } from './support/fake-servers';

const isRoot = process.getuid?.() === 0;
let sshd: SshdFixture;
let keysOnly: SshdFixture;
let scratch: string;
const servers: FakeServer[] = [];

beforeAll(async () => {
  if (!isRoot) return;
  [sshd, keysOnly] = await Promise.all([startSshd(), startSshd({ passwordLogin: false })]);
  scratch = mkdtempSync(join(tmpdir(), 'tidemark-install-'));
}, 60_000);
afterAll(async () => {
  await Promise.all([sshd?.dispose(), keysOnly?.dispose()]);
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
  if (sshd) rmSync(join(sshd.home, '.ssh'), { recursive: true, force: true });
});

/** A new key pair made by ssh-keygen: the private key's path and the public key line. */
function newKey(name: string): { path: string; line: string } {
  const path = join(scratch, name);
  execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', `tidemark@${name}`, '-f', path]);
  return { path, line: readFileSync(`${path}.pub`, 'utf8').trim() };
}

function request(over: Partial<InstallKeyRequest> & Pick<InstallKeyRequest, 'publicKeyLine'>): InstallKeyRequest {
  return { host: '127.0.0.1', port: sshd.port, user: sshd.user, password: sshd.password, expectedFingerprint: sshd.hostKeyFingerprint, timeoutMs: 10_000, ...over };
}

/** Real ssh logging in with only this key (the fixture's own key list is not offered). */
function sshWithKey(keyPath: string): number | null {
  return spawnSync('ssh', [
    '-F', '/dev/null', '-p', String(sshd.port), '-i', keyPath, '-o', 'IdentitiesOnly=yes', '-o', 'IdentityAgent=none',
    '-o', `UserKnownHostsFile=${sshd.knownHostsPath}`, '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes',
    `${sshd.user}@127.0.0.1`, 'true',
  ], { timeout: 20_000 }).status;
}

const authorizedKeys = () => join(sshd.home, '.ssh', 'authorized_keys');

/** The failure's text, all of it, for the checks that no secret is in it. */
function expectNoPassword(result: StepResult<object>, password: string): void {
  expect(password.length).toBeGreaterThan(8);
  expect(JSON.stringify(result)).not.toContain(password);
}

describe.skipIf(!isRoot)('installPublicKey', () => {
  it('installs the key as ssh-copy-id does: ~/.ssh 0700, authorized_keys 0600, one line, and ssh logs in with it', async () => {
    const key = newKey('first');
    expect(sshWithKey(key.path)).toBe(255);
    expect(await installPublicKey(request({ publicKeyLine: key.line }))).toEqual({ kind: 'ok', added: true });
    expect(statSync(join(sshd.home, '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(authorizedKeys()).mode & 0o777).toBe(0o600);
    expect(readFileSync(authorizedKeys(), 'utf8')).toBe(`${key.line}\n`);
    expect(sshWithKey(key.path)).toBe(0);

    expect(await installPublicKey(request({ publicKeyLine: key.line }))).toEqual({ kind: 'ok', added: false });
    const sameKeyOtherComment = `${key.line.split(' ').slice(0, 2).join(' ')} renamed@laptop`;
    expect(await installPublicKey(request({ publicKeyLine: sameKeyOtherComment }))).toEqual({ kind: 'ok', added: false });
    expect(readFileSync(authorizedKeys(), 'utf8')).toBe(`${key.line}\n`);
  });

  it('does not break an existing authorized_keys whose last line has no newline', async () => {
    const theirs = newKey('theirs');
    const ours = newKey('ours');
    const { uid, gid } = statSync(sshd.home);
    mkdirSync(join(sshd.home, '.ssh'), { mode: 0o755 });
    writeFileSync(authorizedKeys(), `# their keys\n${theirs.line}`, { mode: 0o644 });
    chownSync(join(sshd.home, '.ssh'), uid, gid);
    chownSync(authorizedKeys(), uid, gid);

    expect(await installPublicKey(request({ publicKeyLine: ours.line }))).toEqual({ kind: 'ok', added: true });
    expect(readFileSync(authorizedKeys(), 'utf8')).toBe(`# their keys\n${theirs.line}\n${ours.line}\n`);
    expect(statSync(join(sshd.home, '.ssh')).mode & 0o777).toBe(0o700);
    expect(statSync(authorizedKeys()).mode & 0o777).toBe(0o600);
    expect(sshWithKey(theirs.path)).toBe(0);
    expect(sshWithKey(ours.path)).toBe(0);
  });

  it('a wrong password fails the authenticate step, names it, and leaves nothing behind', async () => {
    const key = newKey('wrongpw');
    const wrong = `${sshd.password}-not`;
    const logBefore = readFileSync(join(sshd.dir, 'sshd.log'), 'utf8').length;
    const result = await installPublicKey(request({ publicKeyLine: key.line, password: wrong }));
    expect(result).toEqual({
      kind: 'failed', step: 'authenticate', cause: 'wrong-password',
      reason: `${sshd.user}@127.0.0.1 port ${sshd.port} refused the password`,
      fix: 'Check the user name and the password (they are case-sensitive) and try again.',
    });
    expectNoPassword(result, wrong);
    expectNoPassword(result, sshd.password);
    // What sshd logs when a password is tried: the line the other cases must not show.
    expect(readFileSync(join(sshd.dir, 'sshd.log'), 'utf8').slice(logBefore)).toContain(`Failed password for ${sshd.user}`);
    expect(existsSync(join(sshd.home, '.ssh'))).toBe(false);
  });

  it('a server that allows no password login says so, never sending the password, and leaves nothing behind', async () => {
    const key = newKey('keysonly');
    const log = join(keysOnly.dir, 'sshd.log');
    const result = await installPublicKey({ host: '127.0.0.1', port: keysOnly.port, user: keysOnly.user, password: keysOnly.password, expectedFingerprint: keysOnly.hostKeyFingerprint, publicKeyLine: key.line, timeoutMs: 10_000 });
    expect(result).toMatchObject({ kind: 'failed', step: 'authenticate', cause: 'no-password-login', reason: `${keysOnly.user}@127.0.0.1 port ${keysOnly.port} does not accept password logins` });
    if (result.kind === 'failed') expect(result.fix).toMatch(/PasswordAuthentication/);
    expectNoPassword(result, keysOnly.password);
    expect(readFileSync(log, 'utf8')).not.toMatch(/password for/);
    expect(existsSync(join(keysOnly.home, '.ssh'))).toBe(false);
  });

  it('a host key other than the confirmed one is refused before the password is sent', async () => {
    const key = newKey('mitm');
    const log = join(sshd.dir, 'sshd.log');
    const logBefore = readFileSync(log, 'utf8').length;
    const confirmed = 'SHA256:uoWGIvHSAKKkr6zqvVmVM30QMlmw3+TfbMjBuHz3DqU';
    const result = await installPublicKey(request({ publicKeyLine: key.line, expectedFingerprint: confirmed }));
    expect(result).toMatchObject({ kind: 'failed', step: 'host-key', cause: 'host-key-changed', fingerprints: { expected: confirmed, offered: sshd.hostKeyFingerprint } });
    if (result.kind === 'failed') expect(result.reason).toMatch(/the password was not sent$/);
    expectNoPassword(result, sshd.password);
    expect(readFileSync(log, 'utf8').slice(logBefore)).not.toMatch(/password for/);
    expect(existsSync(join(sshd.home, '.ssh'))).toBe(false);
  });

  it('a server that never answers fails within the bound', async () => {
    const silent = await fakeServer(() => undefined);
    servers.push(silent);
    const started = Date.now();
    const result = await installPublicKey(request({ publicKeyLine: newKey('silent').line, port: silent.port, timeoutMs: 1000 }));
    expect(Date.now() - started).toBeLessThan(3000);
    expect(result).toMatchObject({ kind: 'failed', step: 'authenticate', cause: 'timeout' });
    expectNoPassword(result, sshd.password);
  });

  it('a public key line that is not one is refused before connecting', async () => {
    const key = newKey('broken');
    for (const bad of [`${key.line}\nssh-ed25519 AAAA injected`, 'ssh-ed25519 not-base64!', `ssh-rsa ${key.line.split(' ')[1]}`, `command="sh" ${key.line}`]) {
      const result = await installPublicKey(request({ publicKeyLine: bad }));
      expect(result).toMatchObject({ kind: 'failed', step: 'install-key', cause: 'bad-request' });
    }
    expect(existsSync(join(sshd.home, '.ssh'))).toBe(false);
  });
});
