// Pairing end to end with the built CLI, on real parts: the sshd fixture with a password account
// and a real gnome-keyring. `tidemark pair` installs the app's key by password once and pins the
// host key; `tidemark run NAME` then mirrors through the app's agent alone (no private key on
// disk, a publickey login in sshd's log). Re-pairing changes nothing; a wrong fingerprint, a
// wrong password and a changed host key each say so and leave nothing behind.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chmodSync, existsSync, mkdirSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import { startKeyringSession, type KeyringSession } from '../fixtures/keyring';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { until, useCli } from './support/cli-run';

const isRoot = process.getuid?.() === 0;
const execFileAsync = promisify(execFile);
const cli = useCli();
let sshd: SshdFixture;
let session: KeyringSession;
let base: string;

/** The places a private key must never be: HOME, the config and the state directories. */
const w = {
  get home() { return join(base, 'home'); },
  get config() { return join(base, 'config'); },
  get state() { return join(base, 'state'); },
  get source() { return join(base, 'src'); },
  get knownHosts() { return join(base, 'config', 'tidemark', 'known_hosts'); },
  get profile() { return join(base, 'config', 'tidemark', 'profiles', 'site.json'); },
};

beforeAll(async () => {
  if (!isRoot) return;
  [sshd, session] = await Promise.all([startSshd({ createUser: true }), startKeyringSession()]);
  base = await mkdtemp(join(tmpdir(), 'tidemark-pair-e2e-'));
  await Promise.all([mkdir(w.home), mkdir(w.config), mkdir(w.state), mkdir(w.source)]);
  await writeFile(join(w.source, 'hello.txt'), 'hello over the agent');
}, 90_000);
afterAll(async () => {
  await Promise.all([sshd?.dispose(), session?.stop()]);
  if (base) await rm(base, { recursive: true, force: true });
});

const env = () => ({ ...session.env, HOME: w.home, XDG_CONFIG_HOME: w.config, TIDEMARK_KEY_STORE: 'keychain' });

/** `tidemark ARGS` to its end, with `input` on stdin. */
async function tidemark(args: string[], input?: string, over: Record<string, string> = {}) {
  const run = cli.tidemark(args, { cwd: base, stateDir: w.state, env: { ...env(), ...over }, input });
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const pairArgs = (fingerprint: string, name = 'site') => ['pair', `${sshd.user}@127.0.0.1:${sshd.port}`, '--source', w.source, '--target', 'mirror', '--name', name, '--fingerprint', fingerprint, '--password-stdin'];
const authorizedKeys = () => readFile(join(sshd.home, '.ssh', 'authorized_keys'), 'utf8').catch(() => '');
const lines = (text: string) => text.split('\n').filter(Boolean);

/** Every file below `dir` whose text holds a private key. */
async function privateKeysBelow(dir: string): Promise<string[]> {
  const found: string[] = [];
  for (const entry of await readdir(dir, { recursive: true }).catch(() => [] as string[])) {
    const full = join(dir, entry);
    if (!(await lstat(full)).isFile()) continue;
    if ((await readFile(full)).toString('latin1').includes('PRIVATE KEY')) found.push(full);
  }
  return found;
}

describe.runIf(isRoot)('tidemark pair, then run NAME through the agent', () => {
  it('refuses a wrong --fingerprint before any password is sent, and leaves nothing', async () => {
    const wrong = 'SHA256:' + 'A'.repeat(43);
    const result = await tidemark(pairArgs(wrong), `${sshd.password}\n`);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain(`ED25519 key fingerprint is ${sshd.hostKeyFingerprint}.`);
    expect(result.stderr).toContain(`tidemark pair: host-key failed: the server shows host key ${sshd.hostKeyFingerprint}, not the ${wrong} that was confirmed`);
    expect(existsSync(w.knownHosts)).toBe(false);
    expect(existsSync(w.profile)).toBe(false);
    expect(existsSync(join(w.config, 'tidemark', 'keys', 'site.json'))).toBe(false);
    expect(await authorizedKeys()).toBe('');
  }, 60_000);

  it('refuses a profile name that cannot name a file before touching the server', async () => {
    const result = await tidemark(pairArgs(sshd.hostKeyFingerprint, '../escape'), `${sshd.password}\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tidemark pair: .*escape/);
    expect(existsSync(w.knownHosts)).toBe(false);
  });

  it('a keychain that cannot be reached names the key step and takes its pin back', async () => {
    const { DBUS_SESSION_BUS_ADDRESS: _bus, ...noBus } = session.env;
    const run = cli.tidemark(pairArgs(sshd.hostKeyFingerprint), { cwd: base, stateDir: w.state, env: { ...noBus, HOME: w.home, XDG_CONFIG_HOME: w.config }, input: `${sshd.password}\n` });
    expect((await run.exited).code).toBe(1);
    expect(run.stderr()).toMatch(/^tidemark pair: key failed: the keychain needs a D-Bus session /);
    expect(run.stderr()).not.toContain('left behind');
    expect(existsSync(w.knownHosts)).toBe(false);
    expect(await authorizedKeys()).toBe('');
  }, 60_000);

  it('refuses without --fingerprint and without a terminal', async () => {
    const args = pairArgs('x').slice(0, -3).concat('--password-stdin');
    const result = await tidemark(args, `${sshd.password}\n`);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^tidemark pair: refusing to trust a host key nobody confirmed: pass --fingerprint SHA256:/);
  });

  it('a wrong password names the step, keeps the password out of the message, and removes its pin and its new key', async () => {
    const result = await tidemark(pairArgs(sshd.hostKeyFingerprint), 'not-the-password-at-all\n');
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tidemark pair: authenticate failed: .*password/);
    expect(result.stderr + result.stdout).not.toContain('not-the-password-at-all');
    expect(existsSync(w.knownHosts)).toBe(false);
    expect(existsSync(w.profile)).toBe(false);
    expect(existsSync(join(w.config, 'tidemark', 'keys', 'site.json'))).toBe(false);
    expect(await authorizedKeys()).toBe('');
  }, 60_000);

  it('pairs, then mirrors through the agent alone; re-pairing changes nothing; tidemark profiles shows the pairing', async () => {
    const paired = await tidemark(pairArgs(sshd.hostKeyFingerprint), `${sshd.password}\n`);
    expect(paired.stderr, `tidemark pair said: ${paired.stderr}`).toBe('');
    expect(paired.code).toBe(0);
    expect(paired.stdout).toContain(`ED25519 key fingerprint is ${sshd.hostKeyFingerprint}.`);
    expect(paired.stdout).toContain('saved the profile site');
    // The preflight and the pre-restart check of the new target, before the first sync.
    expect(paired.stdout).toMatch(/preflight: rsync \d+\.\d+\.\d+ on the server; .*mirror (created|exists) and is writable; .* free there/);
    expect(paired.stdout).toContain('The pre-restart check of the new target:');
    expect(paired.stdout).toContain('Nothing there is at risk: start it with `tidemark run site`');
    const profile = JSON.parse(await readFile(w.profile, 'utf8'));
    expect(profile.syncs[0].target).toEqual({ kind: 'ssh', host: '127.0.0.1', user: sshd.user, port: sshd.port, dir: 'mirror', keyName: 'site', knownHosts: w.knownHosts });
    expect(lines(await readFile(w.knownHosts, 'utf8'))).toHaveLength(1);
    expect(lines(await authorizedKeys())).toHaveLength(1);

    // A re-pair keeps what the profile says besides the target.
    profile.syncs[0].delay = 1;
    profile.syncs[0].filters = ['- *.tmp'];
    await writeFile(w.profile, JSON.stringify(profile));
    const again = await tidemark(pairArgs(sshd.hostKeyFingerprint), `${sshd.password}\n`);
    expect(again.code).toBe(0);
    expect(JSON.parse(await readFile(w.profile, 'utf8')).syncs).toEqual([{ source: w.source, target: profile.syncs[0].target, delay: 1, filters: ['- *.tmp'] }]);
    expect(lines(await readFile(w.knownHosts, 'utf8'))).toHaveLength(1);
    expect(lines(await authorizedKeys())).toHaveLength(1);

    // check NAME reaches the paired target through the agent too: a file only there is at risk.
    await mkdir(join(sshd.home, 'mirror'), { recursive: true });
    await writeFile(join(sshd.home, 'mirror', 'only-there.txt'), 'written on the server');
    execFileSync('chown', ['-R', `${sshd.user}:`, join(sshd.home, 'mirror')]);
    const checked = await tidemark(['check', 'site']);
    expect(checked.stderr).toBe('');
    expect(checked.code).toBe(3);
    expect(checked.stdout).toContain('only-there.txt');
    await rm(join(sshd.home, 'mirror', 'only-there.txt'));

    const listed = await tidemark(['profiles']);
    expect(listed.stdout).toContain(`paired: key site (keychain), ${sshd.hostKeyFingerprint}`);

    const logBefore = (await readFile(join(sshd.dir, 'sshd.log'), 'utf8')).length;
    const run = cli.tidemark(['run', 'site', '-nodaemon'], { cwd: base, stateDir: w.state, env: env() });
    const mirrored = join(sshd.home, 'mirror', 'hello.txt');
    await until('the file on the paired target', async () => (await readFile(mirrored, 'utf8').catch(() => '')) === 'hello over the agent', 30_000);
    run.child.kill('SIGTERM');
    await run.exited;
    const log = (await readFile(join(sshd.dir, 'sshd.log'), 'utf8')).slice(logBefore);
    expect(log).toMatch(new RegExp(`Accepted publickey for ${sshd.user} from 127\\.0\\.0\\.1 .* ED25519 SHA256:`));
    expect(log).not.toMatch(/Accepted password/);
    for (const dir of [w.home, w.config, w.state]) expect(await privateKeysBelow(dir)).toEqual([]);
  }, 120_000);

  it('a changed host key halts the running target with both fingerprints, and a re-pair without confirming the new key is refused', async () => {
    const pinned = sshd.hostKeyFingerprint;
    const run = cli.tidemark(['run', 'site', '-nodaemon'], { cwd: base, stateDir: w.state, env: env() });
    const output = () => run.stdout() + run.stderr();
    await until('the startup sync', () => /Startup of .* finished: 0/.test(output()), 30_000);
    await sshd.restartWithNewHostKey();
    const offered = sshd.hostKeyFingerprint;
    expect(offered).not.toBe(pinned);
    // A reinstalled server drops its connections; the fixture's restart keeps the established
    // one, so the run's master connection is closed here (ssh -O exit on its control socket).
    const runtime = join((env() as Record<string, string | undefined>).XDG_RUNTIME_DIR ?? join(w.state, 'run'), 'tidemark');
    for (const socket of (await readdir(runtime)).filter((name) => name.startsWith('cm-'))) {
      await execFileAsync('ssh', ['-F', '/dev/null', '-o', `ControlPath=${join(runtime, socket)}`, '-O', 'exit', 'tidemark-master']).catch(() => undefined);
    }
    await writeFile(join(w.source, 'after.txt'), 'after the key changed');
    await until('the halt with both fingerprints', () => output().includes(`pinned ${pinned}, offered ${offered}`), 60_000);
    expect(output()).toContain(`tidemark pair USER@HOST --fingerprint ${offered}`);
    expect(await readFile(join(sshd.home, 'mirror', 'after.txt'), 'utf8').catch(() => 'absent')).toBe('absent');
    run.child.kill('SIGTERM');
    await run.exited;

    const refused = await tidemark(pairArgs(pinned), `${sshd.password}\n`);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toContain(`WARNING: the host key of [127.0.0.1]:${sshd.port} has CHANGED.\n  pinned:  ${pinned}\n  offered: ${offered}`);
    expect(refused.stderr).toContain('host-key failed');
    expect(await readFile(w.knownHosts, 'utf8')).toContain('ssh-ed25519');
    expect(lines(await readFile(w.knownHosts, 'utf8'))).toHaveLength(1);
    expect(lines(await authorizedKeys())).toHaveLength(1);
  }, 150_000);

  it('a re-pair that confirms the new host key replaces the pin, and the run syncs again', async () => {
    const offered = sshd.hostKeyFingerprint;
    const repaired = await tidemark(pairArgs(offered), `${sshd.password}\n`);
    expect(repaired.stderr).toBe('');
    expect(repaired.code).toBe(0);
    const pins = lines(await readFile(w.knownHosts, 'utf8'));
    expect(pins).toHaveLength(1);
    expect((await tidemark(['profiles'])).stdout).toContain(`paired: key site (keychain), ${offered}`);
    expect(lines(await authorizedKeys())).toHaveLength(1);
    const run = cli.tidemark(['run', 'site', '-nodaemon'], { cwd: base, stateDir: w.state, env: env() });
    await until('after.txt on the target', async () => (await readFile(join(sshd.home, 'mirror', 'after.txt'), 'utf8').catch(() => '')) === 'after the key changed', 30_000);
    run.child.kill('SIGTERM');
    await run.exited;
  }, 90_000);

  it('a preflight failure after the install removes the key line, the pin and the new key, and saves no profile', async () => {
    const config = join(base, 'config-preflight');
    const locked = join(sshd.dir, 'locked'); // root's, 0755: the account cannot write there
    mkdirSync(locked, { recursive: true });
    chmodSync(locked, 0o755);
    const before = await authorizedKeys();
    const args = ['pair', `${sshd.user}@127.0.0.1:${sshd.port}`, '--source', w.source, '--target', `${locked}/a`, '--name', 'blocked', '--fingerprint', sshd.hostKeyFingerprint, '--password-stdin'];
    const result = await tidemark(args, `${sshd.password}\n`, { XDG_CONFIG_HOME: config });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^tidemark pair: preflight failed: the target directory .*locked\/a does not exist and cannot be created/);
    expect(result.stderr).not.toContain('left behind');
    expect(await authorizedKeys()).toBe(before);
    expect(existsSync(join(config, 'tidemark', 'known_hosts'))).toBe(false);
    expect(existsSync(join(config, 'tidemark', 'profiles', 'blocked.json'))).toBe(false);
    expect(existsSync(join(config, 'tidemark', 'keys', 'blocked.json'))).toBe(false);
  }, 60_000);

  it('a key with a passphrase: pair takes it after the password; run refuses without it and syncs with it on stdin', async () => {
    const config = join(base, 'config-locked');
    const over = { XDG_CONFIG_HOME: config };
    const made = await tidemark(['keys', 'new', 'locked', '--passphrase-stdin'], 'sea glass\n', over);
    expect(made.code).toBe(0);
    const args = ['pair', `${sshd.user}@127.0.0.1:${sshd.port}`, '--source', w.source, '--target', 'mirror-locked', '--name', 'locked-site', '--key', 'locked', '--fingerprint', sshd.hostKeyFingerprint, '--password-stdin'];
    const paired = await tidemark(args, `${sshd.password}\nsea glass\n`, over);
    expect(paired.stderr).toBe('');
    expect(paired.code).toBe(0);

    const detaching = await tidemark(['run', 'locked-site'], 'sea glass\n', over);
    expect(detaching.code).toBe(1);
    expect(detaching.stderr).toContain('tidemark: the key locked is protected by a passphrase: give it on stdin with -nodaemon');
    const refused = await tidemark(['run', 'locked-site', '-nodaemon'], undefined, over);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('tidemark: the key locked is protected by a passphrase: give it on stdin with -nodaemon (e.g. tidemark run NAME -nodaemon < passphrase-file), or use a key without one\n');

    const run = cli.tidemark(['run', 'locked-site', '-nodaemon'], { cwd: base, stateDir: w.state, env: { ...env(), ...over }, input: 'sea glass\n' });
    await until('hello.txt on the target', async () => existsSync(join(sshd.home, 'mirror-locked', 'hello.txt')), 30_000);
    run.child.kill('SIGTERM');
    await run.exited;
    for (const dir of [w.home, config, w.state]) expect(await privateKeysBelow(dir)).toEqual([]);
  }, 90_000);

  it('on a terminal: asks yes for the host key and the password without echo; a "no" changes nothing', async () => {
    // A pseudo-terminal around the CLI (python's pty.spawn, argv only), answered as a person would.
    const pty = ['python3', '-c', 'import os, pty, sys; sys.exit(os.waitstatus_to_exitcode(pty.spawn(sys.argv[1:])))'];
    const config = join(base, 'config-tty');
    const args = ['pair', `${sshd.user}@127.0.0.1:${sshd.port}`, '--source', w.source, '--target', 'mirror-tty', '--name', 'tty-site'];
    const start = () => cli.tidemark(args, { cwd: base, stateDir: w.state, env: { ...env(), XDG_CONFIG_HOME: config }, openStdin: true, prefix: pty });

    const declined = start();
    await until('the host key question', () => declined.stdout().includes('(yes/no)? '), 30_000);
    expect(declined.stdout()).toContain(`ED25519 key fingerprint is ${sshd.hostKeyFingerprint}.`);
    declined.child.stdin!.write('no\r');
    expect((await declined.exited).code).toBe(1);
    expect(declined.stdout()).toContain('the host key was not confirmed; nothing was changed');
    expect(existsSync(join(config, 'tidemark', 'known_hosts'))).toBe(false);

    const run = start();
    await until('the host key question', () => run.stdout().includes('(yes/no)? '), 30_000);
    run.child.stdin!.write('yes\r');
    await until('the password prompt', () => run.stdout().includes(`${sshd.user}@[127.0.0.1]:${sshd.port}'s password: `), 30_000);
    run.child.stdin!.write(`${sshd.password}\r`);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toContain('saved the profile tty-site');
    expect(run.stdout()).not.toContain(sshd.password);
    expect(existsSync(join(config, 'tidemark', 'profiles', 'tty-site.json'))).toBe(true);
  }, 90_000);
});
