// The built-in agent on real parts: keys made into a real Secret Service (gnome-keyring under
// dbus-run-session), served from memory on a unix socket, and used by the real ssh, ssh-add and
// rsync against the sshd fixture. No private key may reach a file.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execa } from 'execa';
import { lstat, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startKeyringSession, type KeyringSession } from '../fixtures/keyring';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { agentSshEnv, agentSshOptions } from '../../src-main/keys/agent-ssh-options';
import { defaultKeyPaths, type KeyPaths } from '../../src-main/keys/key-paths';
import { KeyService } from '../../src-main/keys/key-service';
import { KeytarStore } from '../../src-main/keys/keytar-store';
import { startKeyAgent, type SshAgent } from '../../src-main/keys/ssh-agent';

const PASSPHRASE = 'tide pools at dawn';

let fx: SshdFixture;
let session: KeyringSession;
let savedEnv: Record<string, string | undefined>;
let paths: KeyPaths;
let keys: KeyService;
let agent: SshAgent;
let scratch: string;

/** ssh to the fixture with the app's options for key `name`, through the agent unless told. */
function sshWith(name: string, command: string[], env: Record<string, string> = agentSshEnv(agent.socketPath)) {
  const options = agentSshOptions({ knownHostsFile: fx.knownHostsPath, publicKeyFile: keys.publicKeyFile(name) });
  return execa('ssh', ['-F', '/dev/null', '-p', String(fx.port), '-o', 'ConnectTimeout=10', ...options, '-v', `${fx.user}@${fx.host}`, '--', ...command], {
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', ...env },
    extendEnv: false,
    reject: false,
  });
}

/** Every file below `dir`, for the no-private-key-on-disk check. */
async function filesBelow(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  const files: string[] = [];
  for (const entry of entries) {
    const full = join(dir, entry);
    if ((await lstat(full)).isFile()) files.push(full);
  }
  return files;
}

beforeAll(async () => {
  fx = await startSshd();
  session = await startKeyringSession();
  savedEnv = Object.fromEntries(Object.keys(session.env).map((key) => [key, process.env[key]]));
  Object.assign(process.env, session.env);
  scratch = await mkdtemp(join(tmpdir(), 'tidemark-agent-test-'));
  paths = defaultKeyPaths(session.env);
  const store = new KeytarStore('tidemark', session.env);
  keys = new KeyService({ configDir: paths.configDir, storeFor: () => store });
  await keys.create('target', { store: 'keychain', passphrase: PASSPHRASE, comment: 'tidemark-target' });
  await keys.create('other', { store: 'keychain', comment: 'tidemark-other' });
  // Installed as pairing installs it: the line on stdin, never in a command string.
  const install = await execa('ssh', [...fx.sshArgs(), `${fx.user}@${fx.host}`, 'umask 077; mkdir -p .ssh && cat >> .ssh/authorized_keys'], {
    input: `${await keys.exportPublic('target')}\n`,
    reject: false,
  });
  expect(install.stderr).toBe('');
  agent = await startKeyAgent(keys, [{ name: 'target', passphrase: PASSPHRASE }, { name: 'other' }], { runtimeDir: paths.runtimeDir });
});

afterAll(async () => {
  await agent?.stop();
  for (const [key, value] of Object.entries(savedEnv ?? {})) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  await session?.stop();
  await fx?.dispose();
  if (scratch) await rm(scratch, { recursive: true, force: true });
});

describe('the built-in agent', () => {
  it('serves on a 0600 socket in a 0700 directory, and ssh-add -l lists its keys', async () => {
    expect(agent.socketPath.startsWith(`${session.env.XDG_RUNTIME_DIR}/tidemark/`)).toBe(true);
    expect((await lstat(agent.socketPath)).mode & 0o777).toBe(0o600);
    expect((await lstat(paths.runtimeDir)).mode & 0o777).toBe(0o700);
    const listed = await execa('ssh-add', ['-l'], { env: agentSshEnv(agent.socketPath), reject: false });
    expect(listed.stderr).toBe('');
    expect(listed.stdout.trim().split('\n').sort()).toEqual([(await keys.get('other')).fingerprint, (await keys.get('target')).fingerprint].sort());
  });

  it('logs ssh in by publickey with the pinned host key, offering only the key the options name', async () => {
    const result = await sshWith('target', ['id', '-un']);
    expect(result.exitCode, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe(fx.user);
    const target = (await keys.get('target')).fingerprint.split(' ')[1]!;
    const other = (await keys.get('other')).fingerprint.split(' ')[1]!;
    expect(result.stderr).toMatch(/Authenticated to 127\.0\.0\.1 .* using "publickey"/);
    const offered = result.stderr.split('\n').filter((line) => line.includes('Offering public key') || line.includes('Will attempt key'));
    expect(offered.length).toBeGreaterThan(0);
    for (const line of offered) {
      expect(line).toContain(target);
      expect(line).not.toContain(other);
    }
    expect(offered.join('\n')).toContain('agent');
    expect(await readFile(join(fx.dir, 'sshd.log'), 'utf8')).toContain(`Accepted publickey for ${fx.user} from 127.0.0.1`);
  });

  it('offers nothing else: another key of the agent, or no agent at all, is refused', async () => {
    const other = await sshWith('other', ['true']);
    expect(other.exitCode).toBe(255);
    expect(other.stderr).toMatch(/Permission denied \(publickey/);
    expect(other.stderr).not.toContain((await keys.get('target')).fingerprint.split(' ')[1]!);
    const noAgent = await sshWith('target', ['true'], {});
    expect(noAgent.exitCode).toBe(255);
    expect(noAgent.stderr).toMatch(/Permission denied \(publickey/);
  });

  it('refuses a host whose key is not the pinned one', async () => {
    const strangers = join(scratch, 'known_hosts_other');
    await writeFile(strangers, `[127.0.0.1]:${fx.port} ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl\n`);
    const options = agentSshOptions({ knownHostsFile: strangers, publicKeyFile: keys.publicKeyFile('target') });
    const result = await execa('ssh', ['-F', '/dev/null', '-p', String(fx.port), ...options, `${fx.user}@${fx.host}`, 'true'], {
      env: { PATH: process.env.PATH ?? '', ...agentSshEnv(agent.socketPath) }, extendEnv: false, reject: false,
    });
    expect(result.exitCode).toBe(255);
    expect(result.stderr).toMatch(/REMOTE HOST IDENTIFICATION HAS CHANGED|Host key verification failed/);
  });

  it('carries rsync over ssh through the agent', async () => {
    const src = join(scratch, 'src');
    await mkdir(join(src, 'sub'), { recursive: true });
    await writeFile(join(src, 'a.txt'), 'alpha\n');
    await writeFile(join(src, 'sub', 'b.txt'), 'beta\n');
    const ssh = ['ssh', '-F', '/dev/null', '-p', String(fx.port), ...agentSshOptions({ knownHostsFile: fx.knownHostsPath, publicKeyFile: keys.publicKeyFile('target') })];
    // rsync splits -e itself and honours single quotes; these temporary paths need none.
    expect(ssh.every((word) => /^[\w@%+=:,./-]+$/.test(word))).toBe(true);
    const result = await execa('rsync', ['-a', '-e', ssh.join(' '), `${src}/`, `${fx.user}@${fx.host}:dst/`], {
      env: { PATH: process.env.PATH ?? '', ...agentSshEnv(agent.socketPath) }, extendEnv: false, reject: false,
    });
    expect(result.stderr).toBe('');
    expect(result.exitCode).toBe(0);
    expect(await readFile(join(fx.home, 'dst', 'sub', 'b.txt'), 'utf8')).toBe('beta\n');
  });

  it('answers an extension request (OpenSSH 9\'s first) with one failure and stays in step', async () => {
    const replies = await agentExchange(agent.socketPath, [
      frame(27, Buffer.concat([sshString('session-bind@openssh.com'), Buffer.alloc(40, 7)])),
      frame(11, Buffer.alloc(0)),
      frame(17, Buffer.alloc(0)), // SSH_AGENTC_ADD_IDENTITY: never served
      frame(11, Buffer.alloc(0)),
    ], 4);
    expect(replies.map((reply) => reply[4])).toEqual([5, 12, 5, 12]);
    expect(replies[1]!.readUInt32BE(5)).toBe(2);
  });

  it('leaves no private key in any file under HOME, state or config, and removes its socket on stop', async () => {
    const roots = [session.home, paths.configDir, paths.fileStoreDir];
    for (const root of roots) {
      for (const file of await filesBelow(root)) {
        const text = await readFile(file, 'latin1');
        expect(text, file).not.toContain('PRIVATE KEY');
        expect(text, file).not.toContain('openssh-key-v1');
      }
    }
    expect((await filesBelow(paths.configDir)).map((file) => file.slice(paths.configDir.length + 1)).sort()).toEqual(['other.json', 'other.pub', 'target.json', 'target.pub']);
    const socket = agent.socketPath;
    await agent.stop();
    await expect(lstat(socket)).rejects.toMatchObject({ code: 'ENOENT' });
  });
});

function sshString(text: string): Buffer {
  const body = Buffer.from(text);
  const length = Buffer.alloc(4);
  length.writeUInt32BE(body.length);
  return Buffer.concat([length, body]);
}

function frame(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(5);
  head.writeUInt32BE(body.length + 1);
  head[4] = type;
  return Buffer.concat([head, body]);
}

/** Sends `frames` in one write (as a pipelining client could) and collects `count` whole replies. */
function agentExchange(socketPath: string, frames: Buffer[], count: number): Promise<Buffer[]> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(socketPath);
    let buffered = Buffer.alloc(0);
    const replies: Buffer[] = [];
    socket.on('error', reject);
    socket.on('connect', () => socket.write(Buffer.concat(frames)));
    socket.on('data', (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readUInt32BE(0)) {
        const length = buffered.readUInt32BE(0);
        replies.push(buffered.subarray(0, 4 + length));
        buffered = buffered.subarray(4 + length);
      }
      if (replies.length >= count) {
        socket.destroy();
        resolve(replies);
      }
    });
  });
}
