// PairingService refuses a step whose predecessor has not succeeded (no network is touched),
// and the PAIRING column and the agent's ssh options read as tidemark profiles and run show them.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { KeyService } from '../../../src-main/keys/key-service';
import { FileStore } from '../../../src-main/keys/file-store';
import { PairingService } from '../../../src-main/services/pairing/pairing-service';
import { loadPairingStatus } from '../../../src-main/services/pairing/pairing-status';
import { ProfileStore } from '../../../src-main/services/profiles/profile-store';
import type { Profile, ProfileSshTarget } from '../../../src-main/services/profiles/profile-schema';
import { agentPairingHooks } from '../../../src-main/services/profiles/profile-agent';

let dir: string;
let keys: KeyService;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'tidemark-pairing-unit-'));
  const store = new FileStore(join(dir, 'secrets'));
  keys = new KeyService({ configDir: join(dir, 'keys'), storeFor: () => store });
  await keys.create('work', { store: 'file' });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** A service at its start, with everything in the temp dir. */
const service = () => new PairingService({ keys, profiles: new ProfileStore(join(dir, 'profiles')), knownHostsFile: join(dir, 'known_hosts'), runtimeDir: join(dir, 'run') });

describe('PairingService: steps in order only', () => {
  const cases: { description: string; call: (s: PairingService) => Promise<{ kind: string; step?: string; reason?: string }>; step: string }[] = [
    { description: 'confirming a host key before connecting', call: (s) => s.confirmHostKey('SHA256:x'), step: 'host-key' },
    { description: 'installing the key before the host key is pinned', call: (s) => s.installKey('work', 'secret password'), step: 'install-key' },
    { description: 'verifying before the key is installed', call: (s) => s.verify(), step: 'verify' },
    { description: 'a preflight before the key login was verified', call: (s) => s.preflight('mirror'), step: 'preflight' },
    { description: 'saving before the preflight', call: (s) => s.save({ name: 'site', source: '/src', targetDir: 'mirror' }), step: 'save' },
  ];
  for (const c of cases) {
    it(`refuses ${c.description}`, async () => {
      const result = await c.call(service());
      expect(result).toMatchObject({ kind: 'failed', step: c.step, cause: 'bad-request' });
      expect(result.reason).toBe(`the step ${c.step} cannot run now: the pairing is at its start`);
      expect(JSON.stringify(result)).not.toContain('secret password');
    });
  }

  it('a failed pairing is over: its next step says to start again', async () => {
    const s = service();
    const refused = await s.connect({ host: '-oProxyCommand=x' });
    expect(refused.kind).toBe('failed');
    expect(s.stage).toBe('failed');
    expect(await s.confirmHostKey('SHA256:x')).toMatchObject({ kind: 'failed', fix: 'A failed pairing is over: start a new one.' });
  });
});

/** An ssh target of a profile, paired unless told otherwise. */
const target = (over: Partial<ProfileSshTarget> = {}): ProfileSshTarget => ({ kind: 'ssh', host: '127.0.0.1', port: 2222, dir: 'mirror', keyName: 'work', knownHosts: join(dir, 'pins'), ...over });
const listing = (t: ProfileSshTarget) => [{ kind: 'ok' as const, name: 'site', profile: { enabled: true, syncs: [{ source: '/src', target: t }] } satisfies Profile }];

describe('the PAIRING column', () => {
  it('shows key, store and the pinned fingerprint; or what is missing', async () => {
    // The fixture key of known-hosts tests: its fingerprint as ssh-keygen -l prints it.
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
    await writeFile(join(dir, 'pins'), `[127.0.0.1]:2222 ssh-ed25519 ${blob.toString('base64')}\n`);
    const { createHash } = await import('node:crypto');
    const fingerprint = `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
    const cases = [
      { description: 'paired', target: target(), expected: `paired: key work (file), ${fingerprint}` },
      { description: 'a key that is gone', target: target({ keyName: 'gone' }), expected: `incomplete: key gone MISSING, ${fingerprint}` },
      { description: 'no pin for that port', target: target({ port: 2200 }), expected: 'incomplete: key work (file), host key not pinned' },
      { description: 'never paired', target: target({ keyName: undefined, knownHosts: undefined }), expected: '-' },
    ];
    for (const c of cases) {
      const entries = listing(c.target);
      const status = await loadPairingStatus(entries, keys);
      expect(status.describe('site', c.target), c.description).toBe(c.expected);
    }
  });
});

describe('agentPairingHooks', () => {
  it('names the key by its public file, publickey only, and leaves known_hosts to the target', () => {
    const options = agentPairingHooks(keys).sshOptionsForKey('work');
    expect(options).toMatchObject({ IdentityFile: keys.publicKeyFile('work'), IdentitiesOnly: 'yes', PreferredAuthentications: 'publickey', BatchMode: 'yes', StrictHostKeyChecking: 'yes' });
    expect(options).not.toHaveProperty('UserKnownHostsFile');
  });
});
