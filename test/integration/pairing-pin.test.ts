// Pairing's host-key step with real OpenSSH: a key pinned by Tidemark is what
// `ssh -o StrictHostKeyChecking=yes` accepts, and once the server's key changes ssh refuses and
// the pin is not replaced without the old fingerprint.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { HostKey } from '../../src-main/services/pairing/host-key';
import { pinHostKey, pinnedFingerprint } from '../../src-main/services/pairing/host-key-pin';
import { probeHost } from '../../src-main/services/pairing/probe-host';
import { startSshd, type SshdFixture } from '../fixtures/sshd';

let sshd: SshdFixture;
let dir: string;

beforeAll(async () => {
  sshd = await startSshd();
  dir = mkdtempSync(join(tmpdir(), 'tidemark-pin-'));
}, 60_000);
afterAll(async () => {
  await sshd?.dispose();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Real ssh, checking the host key against `knownHosts` only, strictly, never prompting. */
function sshWithPins(knownHosts: string): { code: number | null; stderr: string } {
  const result = spawnSync('ssh', [
    '-F', '/dev/null', '-p', String(sshd.port), '-i', sshd.clientKeyPath, '-o', 'IdentitiesOnly=yes',
    '-o', `UserKnownHostsFile=${knownHosts}`, '-o', 'GlobalKnownHostsFile=/dev/null',
    '-o', 'StrictHostKeyChecking=yes', '-o', 'BatchMode=yes', '-o', 'ConnectTimeout=10',
    `${sshd.user}@127.0.0.1`, 'true',
  ], { encoding: 'utf8', timeout: 20_000 });
  return { code: result.status, stderr: result.stderr };
}

async function probedKey(): Promise<HostKey> {
  const probe = await probeHost({ host: '127.0.0.1', port: sshd.port, sshCommand: ['ssh', '-F', '/dev/null'], timeoutMs: 10_000 });
  if (probe.kind !== 'ok') throw new Error(probe.reason);
  return probe.hostKey;
}

describe('pinned known_hosts', () => {
  it('a pinned key is what real ssh accepts under StrictHostKeyChecking=yes, plain or hashed; a changed key is refused by ssh and never replaced silently', async () => {
    const plain = join(dir, 'config', 'known_hosts');
    const hashed = join(dir, 'known_hosts_hashed');
    const original = await probedKey();

    const pinned = await pinHostKey(plain, '127.0.0.1', sshd.port, original.key);
    expect(pinned).toEqual({ kind: 'ok', fingerprint: sshd.hostKeyFingerprint, change: 'added' });
    expect(readFileSync(plain, 'utf8')).toBe(`[127.0.0.1]:${sshd.port} ssh-ed25519 ${original.key.toString('base64')}\n`);
    expect(statSync(plain).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, 'config')).mode & 0o777).toBe(0o700);
    expect(await pinnedFingerprint(plain, '127.0.0.1', sshd.port)).toBe(sshd.hostKeyFingerprint);
    expect(await pinHostKey(plain, '127.0.0.1', sshd.port, original.key)).toMatchObject({ kind: 'ok', change: 'unchanged' });
    expect(readFileSync(plain, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    expect(sshWithPins(plain)).toEqual({ code: 0, stderr: '' });

    expect(await pinHostKey(hashed, '127.0.0.1', sshd.port, original.key, { hashed: true })).toMatchObject({ kind: 'ok', change: 'added' });
    expect(readFileSync(hashed, 'utf8')).toMatch(/^\|1\|[A-Za-z0-9+/=]+\|[A-Za-z0-9+/=]+ ssh-ed25519 /);
    expect(readFileSync(hashed, 'utf8')).not.toContain('127.0.0.1');
    expect(await pinnedFingerprint(hashed, '127.0.0.1', sshd.port)).toBe(sshd.hostKeyFingerprint);
    expect(sshWithPins(hashed)).toEqual({ code: 0, stderr: '' });

    await sshd.restartWithNewHostKey();
    const refused = sshWithPins(plain);
    expect(refused.code).toBe(255);
    expect(refused.stderr).toContain('WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!');
    expect(refused.stderr).toContain('Host key verification failed.');
    expect(sshWithPins(hashed).stderr).toContain('Host key verification failed.');

    const changed = await probedKey();
    expect(changed.fingerprint).toBe(sshd.hostKeyFingerprint);
    expect(changed.fingerprint).not.toBe(original.fingerprint);
    const before = readFileSync(plain, 'utf8');
    const silently = await pinHostKey(plain, '127.0.0.1', sshd.port, changed.key);
    expect(silently).toMatchObject({ kind: 'failed', step: 'host-key', cause: 'host-key-changed', fingerprints: { expected: original.fingerprint, offered: changed.fingerprint } });
    if (silently.kind === 'failed') {
      expect(silently.reason).toBe(`the host key of [127.0.0.1]:${sshd.port} has CHANGED: pinned ${original.fingerprint}, offered ${changed.fingerprint}`);
      expect(silently.fix).toMatch(/administrator/);
    }
    const wrongOld = await pinHostKey(plain, '127.0.0.1', sshd.port, changed.key, { replacing: changed.fingerprint });
    expect(wrongOld).toMatchObject({ kind: 'failed', cause: 'host-key-changed' });
    expect(readFileSync(plain, 'utf8')).toBe(before);
    expect(await pinnedFingerprint(plain, '127.0.0.1', sshd.port)).toBe(original.fingerprint);

    const replaced = await pinHostKey(plain, '127.0.0.1', sshd.port, changed.key, { replacing: original.fingerprint });
    expect(replaced).toEqual({ kind: 'ok', fingerprint: changed.fingerprint, change: 'replaced' });
    expect(readFileSync(plain, 'utf8').split('\n').filter(Boolean)).toHaveLength(1);
    expect(sshWithPins(plain)).toEqual({ code: 0, stderr: '' });
    expect(readdirSync(join(dir, 'config'))).toEqual(['known_hosts']); // no temporary file left
  });
});
