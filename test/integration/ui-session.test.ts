// A full session through `tidemark ui` (the built CLI), with a WebSocket client and the token, on
// real parts: the sshd fixture with a password account and a real gnome-keyring. The client
// pairs the server step by step, sees the profile's first sync finish in the status stream,
// resolves a file only on the target through the safety channels, and pauses and resumes; a
// client without the token, or with hostile messages, is refused and changes nothing.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKeyringSession, type KeyringSession } from '../fixtures/keyring';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { until, useCli, type CliRun } from './support/cli-run';
import { parseUiUrl, UiClient, type UiEvent } from './support/ui-client';
import type { TargetStatus } from '../../src-shared/model/status';

const isRoot = process.getuid?.() === 0;
const cli = useCli();
let sshd: SshdFixture;
let keyring: KeyringSession;
let base: string;

const dirs = {
  get home() { return join(base, 'home'); },
  get config() { return join(base, 'config'); },
  get state() { return join(base, 'state'); },
  get source() { return join(base, 'src'); },
};

beforeAll(async () => {
  if (!isRoot) return;
  [sshd, keyring] = await Promise.all([startSshd({ createUser: true }), startKeyringSession()]);
  base = await mkdtemp(join(tmpdir(), 'tidemark-ui-session-'));
  await Promise.all([mkdir(dirs.home), mkdir(dirs.config), mkdir(dirs.state), mkdir(dirs.source)]);
  await writeFile(join(dirs.source, 'hello.txt'), 'hello through the ui');
}, 90_000);
afterAll(async () => {
  await Promise.all([sshd?.dispose(), keyring?.stop()]);
  if (base) await rm(base, { recursive: true, force: true });
});

/** `tidemark ui` on any free port; the test's end (useCli) ends it. */
async function startUi(): Promise<{ ui: CliRun; url: string }> {
  const ui = cli.tidemark(['ui', '--port', '0'], {
    cwd: base,
    stateDir: join(dirs.state, 'tidemark'),
    env: { ...keyring.env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_STATE_HOME: dirs.state, TIDEMARK_KEY_STORE: 'keychain' },
  });
  await until('the URL line of tidemark ui', () => /URL: \S+/.test(ui.stdout()) || ui.child.exitCode !== null, 30_000);
  const url = /URL: (\S+)/.exec(ui.stdout())?.[1];
  if (!url) throw new Error(`tidemark ui printed no URL: ${ui.stderr()}`);
  return { ui, url };
}

const statuses = (events: readonly UiEvent[], id: string) =>
  events.filter((event) => event.event === 'status:target' && (event.payload as TargetStatus).id === id).map((event) => event.payload as TargetStatus);
const mirror = () => join(sshd.home, 'mirror');

describe.runIf(isRoot)('tidemark ui: a full session over the WebSocket', () => {
  it('refuses a client without the token, and hostile messages change nothing', { timeout: 60_000 }, async () => {
    const { url } = await startUi();
    const { origin, host } = parseUiUrl(url);
    expect((await fetch(`${origin}/`)).status).toBe(401);
    await expect(UiClient.connect(`http://${host}/#token=${'x'.repeat(43)}`)).rejects.toThrow(/401/);
    const client = await UiClient.connect(url);
    try {
      const profile = { enabled: true, syncs: [{ source: dirs.source, target: { kind: 'local', dir: join(base, 'elsewhere') } }] };
      await expect(client.call('profiles:save', { name: '../escape', profile })).rejects.toThrow(/invalid input for 'profiles:save'/);
      await expect(client.call('profiles:save', { ...JSON.parse('{"__proto__": {"polluted": 1}}'), name: 'x', profile })).rejects.toThrow(/invalid input for 'profiles:save'/);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await expect(client.call('no:such', {})).rejects.toThrow(/unknown IPC channel/);
      expect(await client.call('profiles:list')).toEqual([]);
      expect(existsSync(join(dirs.config, 'tidemark', 'profiles', 'escape.json'))).toBe(false);
    } finally {
      client.close();
    }
  });

  it('pairs the server, sees the first sync finish, resolves a target-only file, pauses and resumes', { timeout: 120_000 }, async () => {
    const { url } = await startUi();
    const client = await UiClient.connect(url);
    try {
      const { pairing } = await client.call<{ pairing: string }>('pairing:begin');
      const connected = await client.call<{ kind: string; fingerprint: string; pinned: string | null }>('pairing:connect', { pairing, host: '127.0.0.1', port: sshd.port, user: sshd.user });
      expect(connected).toMatchObject({ kind: 'ok', fingerprint: sshd.hostKeyFingerprint, pinned: null });
      expect(await client.call('pairing:confirm-host-key', { pairing, fingerprint: connected.fingerprint })).toEqual({ kind: 'ok', change: 'added' });
      expect(await client.call('pairing:install-key', { pairing, keyName: 'site', password: sshd.password })).toEqual({ kind: 'ok', added: true });
      expect(await client.call('pairing:verify', { pairing })).toEqual({ kind: 'ok' });
      expect(await client.call('pairing:preflight', { pairing, targetDir: 'mirror' })).toMatchObject({ kind: 'ok', created: true });
      expect(await client.call('pairing:save', { pairing, name: 'site', source: dirs.source, targetDir: 'mirror' })).toEqual({ kind: 'ok', profile: 'site' });

      // The first sync of the new profile, in the status stream.
      await until('site:1 idle after its first sync', () => statuses(client.events, 'site:1').some((status) => status.state.kind === 'idle'), 60_000);
      expect(await readFile(join(mirror(), 'hello.txt'), 'utf8')).toBe('hello through the ui');
      // No private key on disk: the key lives in the keychain, the agent serves it.
      for (const entry of await readdir(dirs.config, { recursive: true })) {
        const text = await readFile(join(dirs.config, entry)).catch(() => Buffer.alloc(0));
        expect(text.toString('latin1')).not.toContain('PRIVATE KEY');
      }

      // A file made only on the target waits for a decision when the profile starts again.
      await writeFile(join(mirror(), 'only-remote.txt'), 'made on the server');
      await client.call('profiles:set-enabled', { name: 'site', enabled: false });
      await client.call('profiles:set-enabled', { name: 'site', enabled: true });
      await until('site:1 awaiting a decision', () => statuses(client.events, 'site:1').at(-1)?.state.kind === 'awaiting-decision', 60_000);
      const safety = await client.call<{ target: string; report: { entries: { path: string }[] } }[]>('safety:targets');
      expect(safety.find((entry) => entry.target === 'site:1')!.report.entries.map((entry) => entry.path)).toEqual(['only-remote.txt']);
      expect(await client.call('safety:decide', { target: 'site:1', action: 'pull' })).toEqual({ kind: 'ok' });
      expect(await readFile(join(dirs.source, 'only-remote.txt'), 'utf8')).toBe('made on the server');
      await until('site:1 idle after the decision', () => statuses(client.events, 'site:1').at(-1)?.state.kind === 'idle', 60_000);

      // Pause holds changes back; resume sends them.
      expect(await client.call('control:pause', { target: 'site:1' })).toEqual({ targets: 1 });
      await until('site:1 paused', () => statuses(client.events, 'site:1').at(-1)?.state.kind === 'paused', 30_000);
      await writeFile(join(dirs.source, 'later.txt'), 'after the pause');
      await new Promise((resolve) => setTimeout(resolve, 1500));
      expect(existsSync(join(mirror(), 'later.txt'))).toBe(false);
      expect(await client.call('control:resume', {})).toEqual({ targets: 1 });
      await until('later.txt on the server', () => existsSync(join(mirror(), 'later.txt')), 30_000);
      expect(client.events.some((event) => event.event === 'logs:line')).toBe(true);
    } finally {
      client.close();
    }
  });
});
