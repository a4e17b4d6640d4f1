// A throwaway OpenSSH server on 127.0.0.1 for the remote scenarios (ported from test/fixtures/sshd.ts):
// its own host key, a generated ed25519 client key, a throwaway account (`useradd -m`, removed with
// `userdel -r`), a port from the kernel, and `sshd -D -e` so its log arrives on our pipe. The log is
// parsed for "Connection from" lines: the TCP connections sshd accepted, i.e. SSH connections opened.
// Everything is spawned with argv arrays; no path passes through a shell.
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, chmodSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import os from 'node:os';
import { join } from 'node:path';
import { processTree } from './proc.js';
import { sleep } from './util.js';

const HOST = '127.0.0.1';
const SSHD = '/usr/sbin/sshd';
const READY_TIMEOUT_MS = 10_000;
const BIND_ATTEMPTS = 5;
const CONNECTION_LINE = /Connection from \S+ port \d+ on /;

/** Every fixture not yet disposed, for the synchronous exit path (see killAllSshdSync). */
const live = new Set();

function must(file, args, input, timeout = 30_000) {
  try {
    return execFileSync(file, args, { encoding: 'utf8', input, stdio: ['pipe', 'pipe', 'pipe'], timeout });
  } catch (err) {
    throw new Error(`${file} ${args.join(' ')} failed: ${(err.stderr ?? '').trim() || err.message}`);
  }
}

/** Asks the kernel for a free port. Racy by nature, hence the bind retry. */
async function freePort() {
  const server = net.createServer();
  server.listen(0, HOST);
  await once(server, 'listening');
  const { port } = server.address();
  server.close();
  await once(server, 'close');
  return port;
}

/** A TCP connect alone can hit a half-started sshd; the identification string proves it serves. */
function hasBanner(port) {
  return new Promise((resolve) => {
    const sock = net.connect({ host: HOST, port });
    let seen = '';
    const done = (ok) => { sock.destroy(); resolve(ok); };
    sock.setTimeout(1000, () => done(false));
    sock.on('data', (d) => { seen += d.toString('latin1'); if (seen.includes('SSH-2.0')) done(true); });
    sock.on('error', () => done(false));
    sock.on('close', () => done(false));
  });
}

/** The pids of the processes running as `uid` (an rsync --server or session the daemons left). */
function pidsOfUid(uid) {
  const out = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let status;
    try { status = readFileSync(`/proc/${name}/status`, 'utf8'); } catch { continue; }
    const m = status.match(/^Uid:\s+(\d+)/m);
    if (m && Number(m[1]) === uid) out.push(Number(name));
  }
  return out;
}

function killPids(pids, signal) {
  for (const pid of pids) {
    try { process.kill(pid, signal); } catch { /* gone */ }
  }
}

/**
 * Start the server. `dir` is a fresh directory for its files (keys, config, log). As root, a
 * throwaway account `tmbXXXX` is created to log in as; otherwise the bench logs in as the current
 * user. The targets live in `targets` (created, and owned by that account): a directory of the bench's
 * work dir, so they are on the same filesystem as the local scenarios' targets (--work-dir).
 */
export async function startSshd(dir, { targets, log = () => {} } = {}) {
  const isRoot = process.getuid?.() === 0;
  mkdirSync(dir, { recursive: true });
  chmodSync(dir, 0o755); // sshd reads AuthorizedKeysFile with the user's privileges
  const p = (name) => join(dir, name);
  const fx = {
    host: HOST, port: 0, pid: 0, dir,
    user: os.userInfo().username,
    uid: os.userInfo().uid,
    home: null,
    targets,
    userCreated: false,
    clientKeyPath: p('client_ed25519'),
    knownHostsPath: p('known_hosts'),
    logPath: p('sshd.log'),
    connections: 0,
    accepted: 0,
    child: null,
  };
  if (!live.size) process.once('exit', killAllSshdSync); // safety net, whatever the caller does
  live.add(fx);
  try {
    if (isRoot) mkdirSync('/run/sshd', { recursive: true, mode: 0o755 }); // privilege separation dir
    must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tidemark-bench-host', '-f', p('hostkey')]);
    must('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-C', 'tidemark-bench-client', '-f', fx.clientKeyPath]);
    writeFileSync(p('authorized_keys'), readFileSync(`${fx.clientKeyPath}.pub`), { mode: 0o644 });
    if (isRoot) {
      fx.user = `tmb${randomBytes(3).toString('hex')}`;
      // /bin/sh rather than bash: a slow login shell would land in every lsyncd connection.
      must('useradd', ['-m', '-s', '/bin/sh', fx.user]);
      fx.userCreated = true;
      // useradd leaves the account locked ('!'), which sshd refuses even for keys with UsePAM no;
      // '*' unlocks it with no password that could ever match.
      must('usermod', ['-p', '*', fx.user]);
      const entry = must('getent', ['passwd', fx.user]).trim().split(':');
      fx.uid = Number(entry[2]);
      fx.home = entry[5];
    } else {
      fx.home = os.userInfo().homedir;
    }
    mkdirSync(targets, { recursive: true, mode: 0o755 });
    chownToUser(fx, targets);
    for (let attempt = 1; ; attempt++) {
      fx.port = await freePort();
      if (await launch(fx)) break;
      if (attempt >= BIND_ATTEMPTS) throw new Error(`sshd could not bind a free port in ${BIND_ATTEMPTS} attempts`);
    }
    const [type, key] = readFileSync(`${p('hostkey')}.pub`, 'utf8').trim().split(/\s+/);
    writeFileSync(fx.knownHostsPath, `[${HOST}]:${fx.port} ${type} ${key}\n`);
  } catch (err) {
    await disposeSshd(fx).catch(() => undefined);
    throw err;
  }
  log(`bench: sshd pid ${fx.pid} on ${HOST}:${fx.port}, user ${fx.user}${fx.userCreated ? ' (throwaway)' : ''}, targets in ${fx.targets}`);
  return fx;
}

async function launch(fx) {
  const configPath = join(fx.dir, 'sshd_config');
  writeFileSync(configPath, [
    `ListenAddress ${HOST}`,
    `Port ${fx.port}`,
    `HostKey ${join(fx.dir, 'hostkey')}`,
    `AuthorizedKeysFile ${join(fx.dir, 'authorized_keys')}`,
    'PasswordAuthentication no',
    'KbdInteractiveAuthentication no',
    'UsePAM no',
    'PidFile none',
    'StrictModes no', // the key file lives under /tmp, which is world-writable
    'LogLevel VERBOSE', // "Connection from …" is logged at VERBOSE
    'MaxStartups 100:30:200',
    '',
  ].join('\n'));
  must(SSHD, ['-t', '-f', configPath]);
  const proc = spawn(SSHD, ['-D', '-e', '-f', configPath], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  let partial = '';
  proc.stderr.on('data', (chunk) => {
    const text = chunk.toString();
    stderr += text.length < 4096 ? text : '';
    appendFileSync(fx.logPath, chunk);
    const lines = (partial + text).split('\n');
    partial = lines.pop();
    for (const line of lines) {
      if (CONNECTION_LINE.test(line)) fx.connections++;
      if (line.includes('Accepted publickey for')) fx.accepted++;
    }
  });
  const closed = new Promise((resolve) => proc.once('close', resolve));
  proc.on('error', (e) => appendFileSync(fx.logPath, `spawn error: ${e.message}\n`));
  fx.child = proc;
  fx.pid = proc.pid ?? 0;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null || proc.signalCode !== null) {
      await closed;
      fx.child = null;
      if (/Address already in use|Cannot bind any address/.test(stderr)) return false;
      throw new Error(`sshd exited (${proc.exitCode ?? proc.signalCode}) during startup:\n${stderr.trim()}`);
    }
    if (await hasBanner(fx.port)) {
      proc.unref();
      proc.stderr.unref();
      return true;
    }
    await sleep(50);
  }
  throw new Error(`sshd did not serve a banner on port ${fx.port} within ${READY_TIMEOUT_MS} ms:\n${stderr.trim()}`);
}

/** Lua text for the `ssh = {...}` table of a default.rsyncssh sync (keys as lsyncd 2.2.3 knows them). */
export function sshTableLua(fx, luaString) {
  return [
    'ssh = {',
    `    port = ${fx.port},`,
    `    identityFile = ${luaString(fx.clientKeyPath)},`,
    '    options = {',
    `      UserKnownHostsFile = ${luaString(fx.knownHostsPath)},`,
    '      StrictHostKeyChecking = "yes",',
    '      GlobalKnownHostsFile = "/dev/null",',
    '      BatchMode = "yes",',
    '      IdentitiesOnly = "yes",',
    '    },',
    // lsyncd 2.2.3 passes _extra to its own ssh calls (mv, rm) only, not to rsync's -e.
    '    _extra = { "-o", "LogLevel=ERROR" },',
    '  }',
  ].join('\n');
}

/**
 * Give the directory `path` (a target made by the bench, as root) to the remote user: not its
 * contents, unless `recursive` (a target pre-filled by the bench, as in remote-restart).
 */
export function chownToUser(fx, path, { recursive = false } = {}) {
  if (!fx.userCreated) return;
  if (recursive) must('chown', ['-R', '--no-dereference', `${fx.user}:`, path], undefined, 600_000);
  else must('chown', ['--no-dereference', `${fx.user}:`, path]);
}

/** Stop the listener and every session under it (by pid), then remove the account. */
export async function disposeSshd(fx) {
  if (!live.has(fx)) return;
  const child = fx.child;
  fx.child = null;
  if (child && child.exitCode === null && child.signalCode === null) {
    const sessions = processTree(child.pid).filter((pid) => pid !== child.pid);
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    const hard = setTimeout(() => child.kill('SIGKILL'), 5000);
    await exited;
    clearTimeout(hard);
    killPids(sessions, 'SIGTERM');
  }
  if (fx.userCreated) {
    for (let attempt = 0; ; attempt++) {
      killPids(pidsOfUid(fx.uid), 'SIGKILL');
      let code = 0;
      try { execFileSync('userdel', ['-r', fx.user], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 30_000 }); } catch (err) { code = err.status ?? 1; }
      // 6: no such user (already gone); 8: still in use; 12: the home could not be removed fully
      if (code === 0 || code === 6) break;
      if (code !== 8 || attempt >= 20) throw new Error(`userdel -r ${fx.user} exited ${code}`);
      await sleep(100);
    }
    fx.userCreated = false;
  }
  live.delete(fx);
}

/** Last resort on process exit: SIGKILL every listener with its sessions, remove the accounts. Synchronous. */
export function killAllSshdSync() {
  for (const fx of live) {
    if (fx.child) killPids(processTree(fx.child.pid), 'SIGKILL');
    if (fx.userCreated) {
      for (let attempt = 0; attempt < 20; attempt++) {
        killPids(pidsOfUid(fx.uid), 'SIGKILL');
        try {
          execFileSync('userdel', ['-r', fx.user], { stdio: 'ignore', timeout: 30_000 });
          break;
        } catch (err) {
          if (err.status !== 8) break; // 8: still in use by a process that is not gone yet
          Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100);
        }
      }
    }
  }
  live.clear();
}
