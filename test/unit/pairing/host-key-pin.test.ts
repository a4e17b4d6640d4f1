// The pin file's bookkeeping on a temporary directory; real ssh reads it in
// test/integration/pairing-pin.test.ts.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fingerprintOf } from '../../../src-main/services/pairing/host-key';
import { pinHostKey, pinnedFingerprint } from '../../../src-main/services/pairing/host-key-pin';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIC0hTiiPqAvv130asG/dZte8sDrME3elsjt52T/RIuyA';
const EC = 'AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBE2DFsqqolE5GP/oaVq6w/YykJDBj4wFXyA5opa/IATM97M0qp/ob9KMQQGXpSku6sutIMpQKyOUysvZBD+9Uck=';
const ed = Buffer.from(ED, 'base64');
const ec = Buffer.from(EC, 'base64');

let dir: string;
let file: string;
beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'tidemark-pin-unit-'));
  file = join(dir, 'known_hosts');
});
afterEach(() => rmSync(dir, { recursive: true, force: true }));

describe('pinHostKey', () => {
  it('keeps other hosts, comments and the same host on other ports when it replaces a pin', async () => {
    const others = ['# pinned by Tidemark', `web ssh-ed25519 ${ED}`, `[db]:2200 ssh-ed25519 ${ED}`];
    writeFileSync(file, [...others, `[db]:2222 ssh-ed25519 ${ED}`, ''].join('\n'));
    const result = await pinHostKey(file, 'db', 2222, ec, { replacing: fingerprintOf(ed) });
    expect(result).toEqual({ kind: 'ok', fingerprint: fingerprintOf(ec), change: 'replaced' });
    expect(readFileSync(file, 'utf8')).toBe([...others, `[db]:2222 ecdsa-sha2-nistp256 ${EC}`, ''].join('\n'));
    expect(await pinnedFingerprint(file, 'db', 2200)).toBe(fingerprintOf(ed));
  });

  it('writes nothing when a changed key comes without the old fingerprint', async () => {
    writeFileSync(file, `web ssh-ed25519 ${ED}\n`);
    const result = await pinHostKey(file, 'WEB', 22, ec);
    expect(result).toMatchObject({ kind: 'failed', cause: 'host-key-changed', fingerprints: { expected: fingerprintOf(ed), offered: fingerprintOf(ec) } });
    expect(readFileSync(file, 'utf8')).toBe(`web ssh-ed25519 ${ED}\n`);
    expect(readdirSync(dir)).toEqual(['known_hosts']);
  });

  it('refuses to pin what is not a host key, writing nothing', async () => {
    const result = await pinHostKey(file, 'web', 22, Buffer.from([1, 2]));
    expect(result).toMatchObject({ kind: 'failed', step: 'host-key', cause: 'bad-request' });
    expect(readdirSync(dir)).toEqual([]);
  });

  it('loses no pin when several are written at once', async () => {
    const hosts = Array.from({ length: 8 }, (_, i) => `host${i}`);
    const results = await Promise.all(hosts.map((host) => pinHostKey(file, host, 22, ed)));
    expect(results.every((result) => result.kind === 'ok')).toBe(true);
    for (const host of hosts) expect(await pinnedFingerprint(file, host, 22)).toBe(fingerprintOf(ed));
  });

  it('says nothing is pinned when there is no file yet', async () => {
    expect(await pinnedFingerprint(join(dir, 'none'), 'web', 22)).toBeNull();
  });
});
