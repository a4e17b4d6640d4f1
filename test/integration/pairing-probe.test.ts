// Pairing's connect step against real servers on loopback: the fixture's OpenSSH (its host key
// as ssh-keygen prints it, through an ssh_config alias too), and servers that are not SSH.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describeHostKey } from '../../src-main/services/pairing/host-key';
import { probeHost } from '../../src-main/services/pairing/probe-host';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { closedPort, fakeServer, type FakeServer } from './support/fake-servers';

let sshd: SshdFixture;
const servers: FakeServer[] = [];
/** ssh -G without the machine's own ~/.ssh/config, which must not steer the tests. */
const noConfig = ['ssh', '-F', '/dev/null'];

beforeAll(async () => {
  sshd = await startSshd({ createUser: false });
}, 60_000);
afterAll(async () => sshd?.dispose());
afterEach(async () => {
  for (const server of servers.splice(0)) await server.close();
});

/** What ssh-keygen -l prints for the fixture's host key: "256 SHA256:... comment (ED25519)". */
function keygenListing(): { fingerprint: string; label: string } {
  const out = execFileSync('ssh-keygen', ['-l', '-f', join(sshd.dir, 'hostkey.pub')], { encoding: 'utf8' });
  const match = /^\d+ (SHA256:\S+) .* \(([A-Z0-9-]+)\)$/m.exec(out);
  if (!match) throw new Error(`unexpected ssh-keygen output: ${out}`);
  return { fingerprint: match[1]!, label: match[2]! };
}

describe('probeHost', () => {
  it('returns the host key with its type and fingerprint exactly as OpenSSH prints them, and the raw key', async () => {
    const result = await probeHost({ host: sshd.host, port: sshd.port, sshCommand: noConfig, timeoutMs: 10_000 });
    if (result.kind !== 'ok') throw new Error(result.reason);
    const listing = keygenListing();
    expect(result.hostKey.fingerprint).toBe(listing.fingerprint);
    expect(result.hostKey.label).toBe(listing.label);
    expect(describeHostKey(result.hostKey)).toBe(`ED25519 key fingerprint is ${listing.fingerprint}.`);
    const [type, base64] = readFileSync(join(sshd.dir, 'hostkey.pub'), 'utf8').trim().split(' ');
    expect(result.hostKey.keyType).toBe(type);
    expect(result.hostKey.key.toString('base64')).toBe(base64);
    expect(result.target).toMatchObject({ hostname: '127.0.0.1', port: sshd.port });
  });

  it('resolves an ssh_config alias as OpenSSH does: HostName, Port and User', async () => {
    const config = join(sshd.dir, 'pairing_ssh_config');
    writeFileSync(config, `Host tidemark-pair-alias\n  HostName 127.0.0.1\n  Port ${sshd.port}\n  User deploy\n`);
    const result = await probeHost({ host: 'tidemark-pair-alias', sshCommand: ['ssh', '-F', config], timeoutMs: 10_000 });
    if (result.kind !== 'ok') throw new Error(result.reason);
    expect(result.target).toEqual({ alias: 'tidemark-pair-alias', hostname: '127.0.0.1', port: sshd.port, user: 'deploy' });
    expect(result.hostKey.fingerprint).toBe(sshd.hostKeyFingerprint);
  });

  it('a refused connection says no SSH server listens there', async () => {
    const port = await closedPort();
    const result = await probeHost({ host: '127.0.0.1', port, sshCommand: noConfig, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: 'failed', step: 'connect', cause: 'refused' });
    if (result.kind !== 'failed') return;
    expect(result.reason).toBe(`127.0.0.1 port ${port} refused the connection: no SSH server listens there`);
    expect(result.fix).toMatch(/Check the port/);
  });

  it('a server that accepts and stays silent times out within the bound', async () => {
    const silent = await fakeServer(() => undefined);
    servers.push(silent);
    const started = Date.now();
    const result = await probeHost({ host: '127.0.0.1', port: silent.port, sshCommand: noConfig, timeoutMs: 1500 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ kind: 'failed', step: 'connect', cause: 'timeout' });
    if (result.kind === 'failed') expect(result.reason).toBe(`127.0.0.1 port ${silent.port} accepted the connection but sent no SSH greeting within 1.5 s`);
  });

  it('a web server is not an SSH server, and the message quotes what it said', async () => {
    const web = await fakeServer((socket) => socket.end('HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n'));
    servers.push(web);
    const result = await probeHost({ host: '127.0.0.1', port: web.port, sshCommand: noConfig, timeoutMs: 5000 });
    expect(result).toMatchObject({ kind: 'failed', step: 'connect', cause: 'not-ssh' });
    if (result.kind !== 'failed') return;
    expect(result.reason).toBe(`127.0.0.1 port ${web.port} answered, but not as an SSH server (it said "HTTP/1.1 400 Bad Request")`);
    expect(result.fix).toMatch(/another service/);
  });

  it('a server streaming garbage is not an SSH server, found out before the timeout', async () => {
    const noisy = await fakeServer((socket) => {
      const timer = setInterval(() => socket.write(Buffer.alloc(1024, 0x07)), 5);
      socket.on('close', () => clearInterval(timer));
    });
    servers.push(noisy);
    const started = Date.now();
    const result = await probeHost({ host: '127.0.0.1', port: noisy.port, sshCommand: noConfig, timeoutMs: 10_000 });
    expect(Date.now() - started).toBeLessThan(5000);
    expect(result).toMatchObject({ kind: 'failed', step: 'connect', cause: 'not-ssh' });
    if (result.kind === 'failed') expect(result.reason).toMatch(/answered, but not as an SSH server \(it said "\?\?\?/);
  });

  it('a host name that is no name is refused before any program runs', async () => {
    const result = await probeHost({ host: '-oProxyCommand=touch /tmp/x', sshCommand: noConfig });
    expect(result).toMatchObject({ kind: 'failed', step: 'connect', cause: 'bad-request' });
  });
});
