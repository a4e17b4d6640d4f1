#!/usr/bin/env node
// What trips the mass-delete breaker at its defaults, and what does not: everyday operations
// run against the built CLI (`tidemark run`, out/cli) on the checkout's disk, each with a few
// `delay` values, and one line each: held or not, and how many entries the mirror lost.
//
//   npm run build:cli && node bench/breaker-cases.js [--delays 0,1,5] [--only TEXT] [--work-dir DIR]
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '..');
const CLI = join(ROOT, 'out/cli/tidemark.js');
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const at = args.indexOf(`--${name}`);
  return at >= 0 ? args[at + 1] : fallback;
};
const delays = option('delays', '0,1,5').split(',').map(Number);
const only = option('only', '');
const workBase = option('work-dir', join(ROOT, '.bench'));
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

function put(root, rel, text) {
  const path = join(root, rel);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
}

/** Entries below `dir`, the trash at the root left out. */
function count(dir) {
  let n = 0;
  const walk = (at, top) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      if (top && entry.name === '.tidemark-trash') continue;
      n += 1;
      if (entry.isDirectory()) walk(join(at, entry.name), false);
    }
  };
  walk(dir, true);
  return n;
}

const git = (cwd, ...rest) => execFileSync('git', ['-c', 'user.email=b@b', '-c', 'user.name=b', ...rest], { cwd, stdio: 'ignore' });

const CASES = [
  {
    name: 'slow rm -rf: 36 of 40 directories (2,040 entries), one every 0.3 s',
    prepare: (src) => { for (let d = 0; d < 40; d++) for (let f = 0; f < 50; f++) put(src, `d${d}/f${f}`, `${d}.${f}`); },
    act: async (src) => { for (let d = 0; d < 36; d++) { rmSync(join(src, `d${d}`), { recursive: true }); await sleep(300); } },
  },
  {
    name: 'a build replaces its output directory (900 of 1,000 entries): rm -rf out, then writes it again',
    prepare: (src) => { for (let i = 0; i < 99; i++) put(src, `src/f${i}`, `${i}`); for (let i = 0; i < 899; i++) put(src, `out/o${i}`, `old ${i}`); },
    act: async (src) => { rmSync(join(src, 'out'), { recursive: true }); for (let i = 0; i < 899; i++) put(src, `out/o${i}`, `new ${i}`); },
  },
  {
    name: 'a slow build: rm -rf out (900 of 1,000 entries), and its new output 2 s later',
    prepare: (src) => { for (let i = 0; i < 99; i++) put(src, `src/f${i}`, `${i}`); for (let i = 0; i < 899; i++) put(src, `out/o${i}`, `old ${i}`); },
    act: async (src) => { rmSync(join(src, 'out'), { recursive: true }); await sleep(2000); for (let i = 0; i < 899; i++) put(src, `out/o${i}`, `new ${i}`); },
  },
  {
    name: 'git checkout of a branch that replaces 600 of 1,000 files',
    prepare: (src) => {
      for (let i = 0; i < 1000; i++) put(src, `f${i}`, `${i}`);
      git(src, 'init', '-q', '-b', 'main'); git(src, 'add', '-A'); git(src, 'commit', '-qm', 'a');
      git(src, 'checkout', '-q', '-b', 'other');
      for (let i = 0; i < 600; i++) rmSync(join(src, `f${i}`));
      for (let i = 0; i < 600; i++) put(src, `g${i}`, `${i}`);
      git(src, 'add', '-A'); git(src, 'commit', '-qm', 'b'); git(src, 'checkout', '-q', 'main');
    },
    act: async (src) => git(src, 'checkout', '-q', 'other'),
  },
  {
    name: 'moving a directory of 1,900 of 2,000 entries (mv big moved)',
    prepare: (src) => { for (let i = 0; i < 1899; i++) put(src, `big/f${i}`, `${i}`); for (let i = 0; i < 100; i++) put(src, `s${i}`, `${i}`); },
    act: async (src) => renameSync(join(src, 'big'), join(src, 'moved')),
  },
  {
    name: '200 temporary files made and deleted a second later, in a tree of 12',
    prepare: (src) => { for (let i = 0; i < 12; i++) put(src, `k${i}`, `${i}`); },
    act: async (src) => { for (let i = 0; i < 200; i++) put(src, `tmp/t${i}`, `${i}`); await sleep(1000); rmSync(join(src, 'tmp'), { recursive: true }); },
  },
];

async function run(testCase, delay) {
  mkdirSync(workBase, { recursive: true });
  const base = mkdtempSync(join(workBase, 'breaker-'));
  const src = join(base, 'src');
  const dst = join(base, 'dst');
  const status = join(base, 'status');
  mkdirSync(src);
  testCase.prepare(src);
  writeFileSync(join(base, 'conf.lua'), `settings { statusFile = ${JSON.stringify(status)}, statusInterval = 1, nodaemon = true }\nsync { default.rsync, source = ${JSON.stringify(src)}, target = ${JSON.stringify(dst)}, delay = ${delay}, exclude = { '.git' } }\n`);
  const child = spawn(process.execPath, [CLI, join(base, 'conf.lua')], { env: { ...process.env, TIDEMARK_STATE_DIR: join(base, 'state') }, stdio: 'ignore' });
  try {
    for (let i = 0; i < 200 && !(existsSync(status) && /State: idle/.test(readFileSync(status, 'utf8'))); i++) await sleep(100);
    const before = count(dst);
    await testCase.act(src);
    await sleep(delay * 1000 + 3000);
    const state = readFileSync(status, 'utf8');
    const held = /awaiting a decision: the deletions were held back: ([^.]*)/.exec(state);
    return { held: held ? held[1] : null, lost: Math.max(0, before - count(dst)), before };
  } finally {
    child.kill('SIGTERM');
    await new Promise((resolve) => child.on('exit', resolve));
    rmSync(base, { recursive: true, force: true });
  }
}

if (!existsSync(CLI)) throw new Error('build the CLI first: npm run build:cli');
console.log('| operation | delay | held? | entries the mirror lost |');
console.log('|---|---|---|---|');
for (const testCase of CASES.filter((candidate) => candidate.name.includes(only))) {
  for (const delay of delays) {
    const { held, lost, before } = await run(testCase, delay);
    console.log(`| ${testCase.name} | ${delay} | ${held ? `yes: ${held}` : 'no'} | ${lost} of ${before} |`);
  }
}
