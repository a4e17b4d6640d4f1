// The daemons under test: {name, label, probe(), start(configPath) -> handle}.
// A handle is {pid, stop(), exited, exitDescription(), outputPath}: one child process we started.
import { spawn, execFileSync } from 'node:child_process';
import { openSync, closeSync, existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { join } from 'node:path';
import { sleep } from './util.js';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));

/** Every handle still running, so Ctrl-C and crashes can stop them (see killAllSync, stopAll). */
const live = new Set();

/** Set on Ctrl-C: from then on no daemon is started, so the scenario loop cannot outrun the cleanup. */
let refusing = false;

export function refuseNewDaemons() {
  refusing = true;
}

function startDaemon({ toolName, command, args, cwd, outputPath }) {
  if (refusing) throw new Error('interrupted: not starting another daemon');
  const out = openSync(outputPath, 'a');
  // detached: the daemon gets its own process group, which only we and its own children are in,
  // so a stuck daemon and its rsync children can be killed as a group without touching anything else.
  const child = spawn(command, args, { cwd, detached: true, stdio: ['ignore', out, out] });
  closeSync(out);
  const handle = {
    toolName,
    pid: child.pid,
    outputPath,
    exited: false,
    exitCode: null,
    exitSignal: null,
    exitDescription() {
      return this.exitSignal ? `signal ${this.exitSignal}` : `exit code ${this.exitCode}`;
    },
    async stop() {
      if (!this.exited) {
        try { process.kill(this.pid, 'SIGTERM'); } catch { /* already gone */ }
        const deadline = Date.now() + 10_000;
        while (!this.exited && Date.now() < deadline) await sleep(20);
        if (!this.exited) {
          this.killedHard = true;
          killGroup(this.pid, 'SIGKILL');
          const hard = Date.now() + 5_000;
          while (!this.exited && Date.now() < hard) await sleep(20);
        }
      }
      // Children the daemon left behind in its group (an rsync still running) go too.
      if (groupAlive(this.pid)) {
        killGroup(this.pid, 'SIGTERM');
        await sleep(500);
        if (groupAlive(this.pid)) killGroup(this.pid, 'SIGKILL');
      }
      live.delete(this);
    },
  };
  const exited = new Promise((resolve) => {
    child.on('exit', (code, signal) => {
      handle.exited = true;
      handle.exitCode = code;
      handle.exitSignal = signal;
      resolve();
    });
    child.on('error', (err) => {
      handle.exited = true;
      handle.exitCode = null;
      handle.exitSignal = `spawn error: ${err.message}`;
      resolve();
    });
  });
  handle.exitedPromise = exited;
  live.add(handle);
  return handle;
}

function killGroup(pgid, signal) {
  try { process.kill(-pgid, signal); } catch { /* no such group */ }
}

function groupAlive(pgid) {
  try { process.kill(-pgid, 0); return true; } catch { return false; }
}

/** Stop every daemon still running (Ctrl-C path). */
export async function stopAll() {
  await Promise.all([...live].map((h) => h.stop()));
}

/** Last resort on process exit: SIGKILL the groups of daemons we started. Synchronous. */
export function killAllSync() {
  for (const h of live) killGroup(h.pid, 'SIGKILL');
  live.clear();
}

function run(command, args) {
  try {
    return { ok: true, out: execFileSync(command, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 15_000 }) };
  } catch (err) {
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}`.trim() || err.message };
  }
}

export const tidemark = {
  name: 'tidemark',
  label: 'Tidemark',
  probe() {
    if (!existsSync(join(repoRoot, 'out/cli/tidemark.js'))) return { ok: false, reason: 'the Tidemark CLI is not built (run `npm run build`)' };
    const r = run(join(repoRoot, 'bin/tidemark.js'), ['-version']);
    if (!r.ok) return { ok: false, reason: `\`bin/tidemark.js -version\` failed: ${r.out}` };
    const version = (r.out.match(/(\d+\.\d+\.\d+\S*)/) ?? [])[1] ?? '?';
    return { ok: true, version };
  },
  start(configPath, { outputPath }) {
    return startDaemon({
      toolName: 'Tidemark',
      // Run as the installed `tidemark` runs: through its shebang, which sets Node's flags.
      command: join(repoRoot, 'bin/tidemark.js'),
      args: ['-nodaemon', configPath],
      cwd: repoRoot,
      outputPath,
    });
  },
};

export const lsyncd = {
  name: 'lsyncd',
  label: 'lsyncd',
  probe() {
    const which = run('which', ['lsyncd']);
    if (!which.ok) return { ok: false, reason: 'lsyncd is not installed' };
    const path = which.out.trim();
    const r = run(path, ['-version']);
    const version = (r.out.match(/(\d+\.\d+\.\d+\S*)/) ?? [])[1] ?? '?';
    this.path = path;
    return { ok: true, version };
  },
  start(configPath, { outputPath }) {
    return startDaemon({
      toolName: 'lsyncd',
      command: this.path ?? 'lsyncd',
      args: ['-nodaemon', configPath],
      cwd: repoRoot,
      outputPath,
    });
  },
};

export const allTools = [tidemark, lsyncd];
