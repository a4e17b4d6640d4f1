// One fresh mirror for one tool run: temp source and target, an lsyncd config, and the daemon's files.
import { mkdirSync, writeFileSync, readFileSync, existsSync, statSync, rmSync, renameSync } from 'node:fs';
import { join, basename } from 'node:path';
import { luaString, waitFor, BenchError } from './util.js';
import { sshTableLua, chownToUser } from './sshd.js';

export const SENTINEL = 'sentinel.txt';
const SENTINEL_TEXT = 'present before the daemon started\n';

/**
 * Make dir/{src,dst} with a sentinel file in src and write an lsyncd config for default.rsync.
 * `syncExtra` is Lua text added inside sync{} (e.g. 'delay=0'). `src` names an existing source
 * directory to use instead of dir/src (a large tree shared by the runs of a scenario).
 * With `remote` (a fixture from sshd.js), the config is default.rsyncssh to remote.user@127.0.0.1
 * and dst is a directory of the remote user's (remote.targets/<basename of dir>), read here as a local path.
 */
export function makeMirror(dir, { syncExtra = '', src: sharedSrc = null, remote = null } = {}) {
  const src = sharedSrc ?? join(dir, 'src');
  const dst = remote ? join(remote.targets, basename(dir)) : join(dir, 'dst');
  mkdirSync(dir, { recursive: true });
  mkdirSync(src, { recursive: true });
  mkdirSync(dst, { recursive: true });
  if (remote) chownToUser(remote, dst);
  writeFileSync(join(src, SENTINEL), SENTINEL_TEXT);
  const logPath = join(dir, 'daemon.log');
  const statusPath = join(dir, 'daemon.status');
  const configPath = join(dir, 'bench.lua');
  const config = [
    'settings {',
    '  nodaemon = true,',
    `  logfile = ${luaString(logPath)},`,
    `  statusFile = ${luaString(statusPath)},`,
    '}',
    'sync {',
    ...(remote ? [
      '  default.rsyncssh,',
      `  source = ${luaString(src)},`,
      `  host = ${luaString(`${remote.user}@${remote.host}`)},`,
      `  targetdir = ${luaString(dst)},`,
      `  ${sshTableLua(remote, luaString)},`,
    ] : [
      '  default.rsync,',
      `  source = ${luaString(src)},`,
      `  target = ${luaString(dst)},`,
    ]),
    ...(syncExtra ? [`  ${syncExtra},`] : []),
    '}',
    '',
  ].join('\n');
  writeFileSync(configPath, config);
  return { dir, src, sharedSrc: !!sharedSrc, dst, remote: !!remote, logPath, statusPath, configPath, outputPath: join(dir, 'daemon.out'), config, warmups: 0 };
}

/** True once `name` exists under dir with exactly `size` bytes. */
export function hasFile(dir, name, size) {
  const st = statSync(join(dir, name), { throwIfNoEntry: false });
  return !!st && st.isFile() && st.size === size;
}

/**
 * Wait until the startup sync is done and the daemon is live: the sentinel (present before start)
 * reached the target, and then a warm-up file written afterwards arrived too. A warm-up that does not
 * arrive within 3 s is followed by another, in case the watcher was not installed yet.
 */
export async function waitReady(m, daemon, { timeoutMs }) {
  const t0 = performance.now();
  await waitFor(() => hasFile(m.dst, SENTINEL, SENTINEL_TEXT.length), {
    what: 'the startup sync (sentinel file on the target)', timeoutMs, intervalMs: 10, daemon,
  });
  const startupMs = performance.now() - t0;
  const deadline = t0 + timeoutMs;
  for (;;) {
    const name = `warmup-${m.warmups++}.txt`;
    const text = `warm-up ${name}\n`;
    writeFileSync(join(m.src, name), text);
    try {
      await waitFor(() => hasFile(m.dst, name, text.length), {
        what: `warm-up file ${name} on the target`, timeoutMs: Math.max(1, Math.min(3000, deadline - performance.now())), intervalMs: 5, daemon,
      });
      return { startupMs, readyMs: performance.now() - t0 };
    } catch (err) {
      if (daemon.exited || performance.now() >= deadline) {
        throw new BenchError(`${err.message} (no warm-up write reached the target ${((performance.now() - t0) / 1000).toFixed(0)} s after start)`);
      }
    }
  }
}

/**
 * True once the daemon's log file has the line both lsyncd 2.2.3 and Tidemark write when the startup
 * rsync is done: `Startup of "SRC" finished` (2.2.3 writes it without quotes, as `SRC/ -> DST/`).
 */
export function startupLogged(m) {
  let text;
  try { text = readFileSync(m.logPath, 'utf8'); } catch { return false; }
  return /Startup of .* finished/.test(text);
}

/** The last lines of a file, for failure reports. */
export function tail(path, lines = 40) {
  if (!existsSync(path)) return `(no ${path})`;
  const text = readFileSync(path, 'utf8');
  const all = text.split('\n');
  const cut = all.slice(-lines - 1).join('\n');
  return all.length > lines + 1 ? `… (${all.length - lines - 1} earlier lines)\n${cut}` : cut;
}

/** Log excerpts of one run: the daemon's log file and its stdout/stderr. */
export function diagnostics(m) {
  return { config: m.config, log: tail(m.logPath), output: tail(m.outputPath) };
}

/**
 * Removes a run's dirs, or with `trash` (a directory on the same filesystem) moves them there, to be
 * deleted when the pass ends: on ext4 without a journal, creating files soon after deleting many costs
 * ~1 ms of system time each (fs-info.js), so a deletion between runs would slow the next run's writer
 * and daemon by seconds, whichever tool happened to run after it.
 */
let trashed = 0;
export function removeMirror(m, { trash = null } = {}) {
  const dirs = m.remote ? [m.dir, m.dst] : [m.dir];
  for (const dir of dirs) {
    if (trash) {
      try {
        mkdirSync(trash, { recursive: true });
        renameSync(dir, join(trash, `${trashed++}-${basename(dir)}`));
        continue;
      } catch {
        // another filesystem, or gone: removed now
      }
    }
    rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
  }
}
