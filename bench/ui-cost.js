#!/usr/bin/env node
// What the app's faces cost over the bare engine, in one run on this machine:
//   1. burst: N files of 1 KiB in M new directories into a profile with a local target, delay 1,
//      run by `tidemark run PROFILE -nodaemon` (the bare engine) and by `tidemark ui` with a
//      WebSocket client attached that receives every status and log event (the status stream's
//      cost). Time from the start of the burst until the target holds every byte; median of
//      --repeat runs each, alternated; the goal is ui/run <= 1.1.
//   2. idle memory: `tidemark ui` with two profiles running, each a tree of --idle-files files,
//      VmRSS 10 s after both are idle.
// Usage: node bench/ui-cost.js [--repeat 3] [--files 10000] [--dirs 100] [--idle-files 2000]
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import WebSocket from 'ws';
import { treeLayout, writeTree, walk } from './lib/tree.js';
import { median, sleep, waitFor } from './lib/util.js';
import { memoryOf } from './lib/proc.js';

const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..');
const cliPath = join(repoRoot, 'bin/tidemark.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? Number(args[at + 1]) : fallback;
};
const opts = { repeat: option('repeat', 3), files: option('files', 10_000), dirs: option('dirs', 100), idleFiles: option('idle-files', 2000) };

function workspace(profiles) {
  const base = mkdtempSync(join(tmpdir(), 'tidemark-ui-bench-'));
  const env = { ...process.env, HOME: base, XDG_CONFIG_HOME: join(base, 'config'), XDG_STATE_HOME: join(base, 'state'), XDG_RUNTIME_DIR: join(base, 'run') };
  delete env.TIDEMARK_STATE_DIR;
  mkdirSync(env.XDG_RUNTIME_DIR, { mode: 0o700, recursive: true });
  mkdirSync(join(env.XDG_CONFIG_HOME, 'tidemark/profiles'), { recursive: true, mode: 0o700 });
  const dirs = profiles.map((name) => {
    const src = join(base, `${name}-src`);
    const dst = join(base, `${name}-dst`);
    mkdirSync(src);
    mkdirSync(dst);
    writeFileSync(join(src, 'warmup'), 'w');
    const profile = { enabled: true, syncs: [{ source: src, target: { kind: 'local', dir: dst }, delay: 1, reconcile: 'delete' }] };
    writeFileSync(join(env.XDG_CONFIG_HOME, 'tidemark/profiles', `${name}.json`), JSON.stringify(profile), { mode: 0o600 });
    return { name, src, dst };
  });
  return { base, env, dirs };
}

function startProcess(argv, env) {
  const child = spawn(process.execPath, ['--expose-gc', cliPath, ...argv], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (chunk) => (out += chunk));
  child.stderr.on('data', (chunk) => (out += chunk));
  const handle = { child, exited: false, toolName: argv[0], exitDescription: () => `exit ${child.exitCode}: ${out.slice(-500)}`, output: () => out };
  child.on('exit', () => (handle.exited = true));
  return handle;
}

async function stop(handle) {
  if (handle.exited) return;
  handle.child.kill('SIGTERM');
  await waitFor(() => handle.exited, { what: 'the process to end after TERM', timeoutMs: 20_000 }).catch(() => handle.child.kill('SIGKILL'));
}

/** Starts the face; for ui, connects a client that hears every event. Returns a handle with the event count. */
async function startFace(face, w) {
  if (face === 'run') {
    const handle = startProcess(['run', w.dirs[0].name, '-nodaemon'], w.env);
    return { handle, events: () => 0, close: () => stop(handle) };
  }
  const handle = startProcess(['ui', '--port', '0'], w.env);
  const url = await waitFor(() => /URL: (\S+)/.exec(handle.output())?.[1], { what: 'the URL line of tidemark ui', timeoutMs: 30_000, daemon: handle });
  const page = new URL(url);
  const token = new URLSearchParams(page.hash.slice(1)).get('token') ?? page.searchParams.get('token');
  const socket = new WebSocket(`ws://${page.host}/api`, ['tidemark.v1', `token.${token}`], { origin: page.origin });
  let events = 0;
  socket.on('message', () => events++);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('error', reject);
  });
  return { handle, events: () => events, close: async () => { socket.close(); await stop(handle); } };
}

async function burstOnce(face) {
  const w = workspace(['burst']);
  const { src, dst } = w.dirs[0];
  const running = await startFace(face, w);
  try {
    await waitFor(() => walk(dst).files === 1, { what: 'the warm-up file on the target', timeoutMs: 30_000, daemon: running.handle });
    await sleep(1500);
    const t0 = performance.now();
    const written = writeTree(src, treeLayout(opts.dirs, opts.files, 'burst/'), Buffer.alloc(1024, 'b'));
    const want = { files: written.files + 1, bytes: written.bytes + 1 };
    await waitFor(() => {
      if (walk(dst).files !== want.files) return false;
      return walk(dst, { bytes: true }).bytes === want.bytes;
    }, { what: `the burst on the target (${want.files} files)`, timeoutMs: 180_000, daemon: running.handle });
    return { seconds: (performance.now() - t0) / 1000, events: running.events() };
  } finally {
    await running.close();
    rmSync(w.base, { recursive: true, force: true });
  }
}

async function idleMemory() {
  const w = workspace(['first', 'second']);
  for (const { src } of w.dirs) writeTree(src, treeLayout(20, opts.idleFiles, 'tree/'), Buffer.alloc(1024, 'i'));
  const running = await startFace('ui', w);
  try {
    for (const { dst } of w.dirs) {
      await waitFor(() => walk(dst).files === opts.idleFiles + 1, { what: 'both profiles mirrored', timeoutMs: 120_000, daemon: running.handle });
    }
    await sleep(10_000);
    return memoryOf(running.handle.child.pid).rss / (1024 * 1024);
  } finally {
    await running.close();
    rmSync(w.base, { recursive: true, force: true });
  }
}

const results = { run: [], ui: [] };
let events = 0;
for (let i = 0; i < opts.repeat; i++) {
  for (const face of i % 2 === 0 ? ['run', 'ui'] : ['ui', 'run']) {
    const result = await burstOnce(face);
    results[face].push(result.seconds);
    if (face === 'ui') events = Math.max(events, result.events);
    console.error(`burst ${i + 1}/${opts.repeat} ${face}: ${result.seconds.toFixed(2)} s${face === 'ui' ? ` (${result.events} events heard)` : ''}`);
  }
}
const rss = await idleMemory();
const run = median(results.run);
const ui = median(results.ui);
console.log(`| burst of ${opts.files} × 1 KiB files (median of ${opts.repeat}) | tidemark run | tidemark ui + a client | ratio (goal ≤ 1.1) |`);
console.log('|---|---|---|---|');
console.log(`| burst start → target complete | ${run.toFixed(2)} s | ${ui.toFixed(2)} s (${events} events) | ${(ui / run).toFixed(2)}× |`);
console.log(`\nUI host idle RSS with two profiles running (${opts.idleFiles} files each): ${rss.toFixed(0)} MB`);
process.exitCode = ui / run <= 1.1 ? 0 : 1;
