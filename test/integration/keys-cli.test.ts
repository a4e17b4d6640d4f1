// `tidemark keys` end to end: the real build of the CLI, as a child process, with its keys in a
// real Secret Service (gnome-keyring under dbus-run-session) or in the opt-in file store, and
// its one-line answer when no Secret Service can be reached.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile, execFileSync, spawn } from 'node:child_process';
import { readdir, readFile, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startKeyringSession, type KeyringSession } from '../fixtures/keyring';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const BUILD = join(ROOT, '.cache', `keys-cli-test-${process.pid}`);
const CLI = join(BUILD, 'tidemark.js');

let session: KeyringSession;

beforeAll(async () => {
  // This checkout's CLI, built on its own so the test never runs a stale out/ build.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.cli.config.ts', '--outDir', BUILD, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT });
  session = await startKeyringSession();
}, 90_000);
afterAll(async () => {
  await session?.stop();
  await rm(BUILD, { recursive: true, force: true });
});

/** Runs `tidemark keys ARGS` with `env` only (plus PATH), feeding `input` on stdin. */
function keys(args: string[], env: Record<string, string> = session.env, input = ''): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [CLI, 'keys', ...args], { env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env }, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (text: string) => (stdout += text));
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code: code ?? -1, stdout, stderr }));
    child.stdin.end(input);
  });
}

const configDir = () => join(session.env.XDG_CONFIG_HOME!, 'tidemark', 'keys');

describe('tidemark keys', () => {
  it('makes, lists, exports, renames and deletes a key kept in the keychain', async () => {
    expect(await keys([])).toMatchObject({ code: 0, stdout: expect.stringContaining('no keys yet') });
    const made = await keys(['new', 'work', '--comment', 'me@desk']);
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    const fingerprint = (await run('ssh-keygen', ['-lf', join(configDir(), 'work.pub')])).stdout.trim();
    expect(made.stdout).toBe(`work: ${fingerprint}, private key in the keychain\n${(await readFile(join(configDir(), 'work.pub'), 'utf8'))}`);
    // The private key is in the Secret Service, where another program finds it.
    const stored = await run('secret-tool', ['lookup', 'service', 'tidemark', 'account', 'key:work'], { env: { ...process.env, ...session.env } });
    expect(stored.stdout).toContain('BEGIN OPENSSH PRIVATE KEY');

    const exported = await keys(['export', 'work']);
    expect(exported).toEqual({ code: 0, stdout: await readFile(join(configDir(), 'work.pub'), 'utf8'), stderr: '' });
    expect((await keys(['list'])).stdout).toMatch(new RegExp(`^work  keychain  no passphrase  ${fingerprint.replace(/[+()]/g, '\\$&')}\n$`));

    expect(await keys(['rename', 'work', 'home'])).toMatchObject({ code: 0, stdout: 'work is now home\n' });
    expect((await keys(['export', 'home'])).stdout).toBe(exported.stdout);
    expect(await keys(['export', 'work'])).toMatchObject({ code: 1, stderr: 'tidemark keys: no key named work\n' });
    expect(await keys(['delete', 'home'])).toMatchObject({ code: 0, stdout: 'home: deleted\n' });
    expect(await readdir(configDir())).toEqual([]);
    await expect(run('secret-tool', ['lookup', 'service', 'tidemark', 'account', 'key:home'], { env: { ...process.env, ...session.env } })).rejects.toThrow();
  });

  it('takes a passphrase on stdin, never in argv', async () => {
    const made = await keys(['new', 'locked', '--passphrase-stdin'], session.env, 'a long passphrase\n');
    expect(made.code, made.stderr).toBe(0);
    expect(made.stdout + made.stderr).not.toContain('a long passphrase');
    expect((await keys(['list'])).stdout).toMatch(/^locked  keychain  passphrase  256 SHA256:/);
    expect(await keys(['delete', 'locked'])).toMatchObject({ code: 0 });
  });

  it('keeps the key in a 0600 file only when asked, with --key-store file', async () => {
    const made = await keys(['new', 'filed', '--key-store', 'file']);
    expect(made.code, made.stderr).toBe(0);
    const stateDir = join(session.env.HOME!, '.local', 'state', 'tidemark', 'keys');
    expect(made.stdout).toContain(`private key in the file store (${stateDir})`);
    expect((await stat(stateDir)).mode & 0o777).toBe(0o700);
    expect((await stat(join(stateDir, 'key:filed'))).mode & 0o777).toBe(0o600);
    expect(await keys(['delete', 'filed'])).toMatchObject({ code: 0 });
    expect(await readdir(stateDir)).toEqual([]);
  });

  it('refuses a name that could leave the keys directory, and bad usage', async () => {
    for (const name of ['../escape', 'a/b', '.hidden']) {
      const refused = await keys(['new', name]);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toMatch(/is not a key name/);
    }
    expect((await keys(['new', 'x', '--key-store', 'vault'])).code).toBe(2);
    expect((await keys(['frobnicate'])).code).toBe(2);
    expect(await readdir(join(session.env.XDG_CONFIG_HOME!, 'tidemark', 'keys'))).toEqual([]);
  });

  it('says in one line what to start when there is no D-Bus, and writes nothing', async () => {
    const { DBUS_SESSION_BUS_ADDRESS: _bus, ...noBus } = session.env;
    const failed = await keys(['new', 'nobus'], noBus);
    expect(failed.code).toBe(1);
    expect(failed.stderr.trim().split('\n')).toHaveLength(1);
    expect(failed.stderr).toMatch(/^tidemark keys: the keychain needs a D-Bus session .*dbus-run-session.*--key-store file\n$/);
    expect(await readdir(configDir())).toEqual([]);

    const underSystemd = await keys(['new', 'nobus'], { ...noBus, INVOCATION_ID: 'f00d' });
    expect(underSystemd.code).toBe(1);
    expect(underSystemd.stderr).toMatch(/^tidemark keys: the keychain is not reachable from a systemd service .*--key-store file.*\n$/);
    // What works there: the file store, asked for by the unit's environment.
    const filed = await keys(['new', 'svc'], { ...noBus, INVOCATION_ID: 'f00d', TIDEMARK_KEY_STORE: 'file' });
    expect(filed.code, filed.stderr).toBe(0);
    expect(await keys(['delete', 'svc'], noBus)).toMatchObject({ code: 0 });
  });
});
