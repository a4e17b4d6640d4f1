// The headless CLI end to end: the real build of `tidemark`, run as a child process on lsyncd
// config files and command-line syncs, mirroring with real rsync and real inotify.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForConvergence } from '../fixtures/tree-oracle';

const ROOT = join(import.meta.dirname, '../..');
const BUILD = join(ROOT, '.cache', `cli-test-${process.pid}`);
const CLI = join(BUILD, 'tidemark.js');

interface Run {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

const running: Run[] = [];
let base: string;

beforeAll(async () => {
  // Build this checkout's CLI on its own, so the test never runs a stale out/ build.
  execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.cli.config.ts', '--outDir', BUILD, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT });
}, 60_000);
afterAll(() => rm(BUILD, { recursive: true, force: true }));
afterEach(async () => {
  for (const run of running.splice(0)) {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await run.exited;
  }
  if (base) await rm(base, { recursive: true, force: true });
});

/** Starts the built CLI with `args`, collecting its output. */
function tidemark(args: string[], cwd = base): Run {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  let err = '';
  child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  const run = { child, exited, stdout: () => out, stderr: () => err };
  running.push(run);
  return run;
}

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

const read = (path: string) => readFile(path, 'utf8').catch(() => '');

/** A fresh base dir with a source holding a few files, and paths for everything else. */
async function workspace() {
  base = await mkdtemp(join(tmpdir(), 'tidemark-cli-'));
  const dirs = { source: join(base, 'src'), target: join(base, 'dst'), log: join(base, 'tidemark.log'), status: join(base, 'tidemark.status'), pid: join(base, 'tidemark.pid'), config: join(base, 'lsyncd.conf.lua') };
  await mkdir(join(dirs.source, 'docs'), { recursive: true });
  await writeFile(join(dirs.source, 'docs/readme.txt'), 'hello');
  await writeFile(join(dirs.source, 'skip.tmp'), 'excluded');
  return dirs;
}

describe('tidemark run CONFIG', () => {
  it('mirrors an lsyncd config, writes lsyncd log and status files, follows live changes, and fades on TERM with 143', async () => {
    const w = await workspace();
    await writeFile(w.config, [
      'settings {',
      `  logfile = "${w.log}",`,
      `  statusFile = "${w.status}",`,
      '  statusInterval = 1,',
      `  pidfile = "${w.pid}",`,
      '  nodaemon = true,',
      '}',
      'sync {',
      '  default.rsync,',
      `  source = "${w.source}",`,
      `  target = "${w.target}",`,
      '  delay = 0,',
      '  exclude = { "*.tmp" },',
      '}',
    ].join('\n'));
    const run = tidemark(['run', w.config]);
    await until('the startup sync to finish', async () => (await read(w.log)).includes('Startup of'));
    const log = await read(w.log);
    expect(log).toMatch(/Normal: recursive startup rsync: .*src\/ -> .*dst\//);
    expect(log).toMatch(/Normal: Startup of .*src\/ -> .*dst\/ finished\./);
    expect(await read(join(w.target, 'docs/readme.txt'))).toBe('hello');
    expect(existsSync(join(w.target, 'skip.tmp'))).toBe(false);
    expect(Number(await read(w.pid))).toBe(run.child.pid);

    await writeFile(join(w.source, 'docs/live.txt'), 'written while running');
    await waitForConvergence(w.source, w.target, 15_000, { ignore: (path) => path.toString().endsWith('.tmp') });

    await until('the status file', async () => (await read(w.status)).startsWith('Lsyncd status report at'));
    const status = await read(w.status);
    expect(status).toContain('From excludes:');
    expect(status).toContain('- *.tmp');
    expect(status).toMatch(/Inotify watching \d+ directories/);

    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
    expect(existsSync(w.pid)).toBe(false);
  });

  it('reloads the config on HUP: a sync added to the file starts mirroring', async () => {
    const w = await workspace();
    const second = join(base, 'dst2');
    const syncTo = (target: string) => `sync { default.rsync, source = "${w.source}", target = "${target}", delay = 0 }`;
    await writeFile(w.config, `settings { logfile = "${w.log}", nodaemon = true }\n${syncTo(w.target)}\n`);
    const run = tidemark([w.config]);
    await until('the startup sync', async () => (await read(w.log)).includes('Startup of'));
    expect(existsSync(second)).toBe(false);

    await writeFile(w.config, `settings { logfile = "${w.log}", nodaemon = true }\n${syncTo(w.target)}\n${syncTo(second)}\n`);
    run.child.kill('SIGHUP');
    await waitForConvergence(w.source, second, 15_000);
    await writeFile(join(w.source, 'after-reload.txt'), 'both targets');
    await waitForConvergence(w.source, second, 15_000);
    await waitForConvergence(w.source, w.target, 15_000);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
  });

  it('detaches without nodaemon, as lsyncd does, and keeps mirroring from the background', async () => {
    const w = await workspace();
    await writeFile(w.config, `settings { logfile = "${w.log}", pidfile = "${w.pid}" }\nsync { default.rsync, source = "${w.source}", target = "${w.target}", delay = 0 }\n`);
    const run = tidemark([w.config]);
    expect((await run.exited).code).toBe(0);
    await until('the detached daemon to write its pidfile', async () => Number(await read(w.pid)) > 0);
    const daemonPid = Number(await read(w.pid));
    expect(daemonPid).not.toBe(run.child.pid);
    try {
      await waitForConvergence(w.source, w.target, 15_000);
      await writeFile(join(w.source, 'late.txt'), 'after the parent left');
      await waitForConvergence(w.source, w.target, 15_000);
    } finally {
      process.kill(daemonPid, 'SIGTERM'); // the daemon this test started, by its pidfile
    }
    await until('the daemon to exit', () => !isAlive(daemonPid));
  });
});

describe('tidemark with command-line syncs', () => {
  it('runs lsyncd\'s -rsync SRC TGT form with -nodaemon and -delay', async () => {
    const w = await workspace();
    const run = tidemark(['-nodaemon', '-delay', '0', '-rsync', w.source, w.target]);
    await waitForConvergence(w.source, w.target, 15_000);
    await writeFile(join(w.source, 'docs/next.txt'), 'next');
    await waitForConvergence(w.source, w.target, 15_000);
    run.child.kill('SIGINT');
    expect((await run.exited).code).toBe(143);
  });

  it('prints the version as lsyncd does', async () => {
    await workspace();
    const run = tidemark(['-version']);
    expect((await run.exited).code).toBe(0);
    expect(run.stdout()).toMatch(/^Version: \d+\.\d+\.\d+\n$/);
  });
});

describe('tidemark refuses bad configs before touching any target', () => {
  const cases: { description: string; config: (w: { source: string; target: string }) => string; expected: RegExp }[] = [
    {
      description: 'a Lua syntax error names file:line',
      config: (w) => `settings { nodaemon = true }\nsync { default.rsync, source = "${w.source}", target = "${w.target}"\n`,
      expected: /lsyncd\.conf\.lua:\d+: /,
    },
    {
      description: 'a misspelt key names the right one',
      config: (w) => `settings { nodaemon = true }\n\nsync { default.rsync, source = "${w.source}", target = "${w.target}", Delay = 5 }\n`,
      expected: /lsyncd\.conf\.lua:3: unknown key 'Delay' in sync\{\} \(did you mean 'delay'\?\)/,
    },
    {
      description: 'a tutorial misspelling in settings names the right key',
      config: (w) => `settings {\n  nodaemon = true,\n  statusIntervall = 5,\n}\nsync { default.rsync, source = "${w.source}", target = "${w.target}" }\n`,
      expected: /lsyncd\.conf\.lua:\d+: unknown key 'statusIntervall' in settings\{\} \(did you mean 'statusInterval'\?\)/,
    },
    {
      description: 'a dangerous target (the source itself) is refused',
      config: (w) => `settings { nodaemon = true }\nsync { default.rsync, source = "${w.source}",\n  target = "${w.source}/" }\n`,
      expected: /lsyncd\.conf\.lua:3: refused target: the target is the source itself/,
    },
    {
      description: 'a layer 2/3 action is not supported',
      config: (w) => `settings { nodaemon = true }\nsync { default.rsync, source = "${w.source}", target = "${w.target}",\n  onCreate = "cp ^source ^target" }\n`,
      expected: /lsyncd\.conf\.lua:\d+: not supported: onCreate/,
    },
  ];
  for (const c of cases) {
    it(`${c.description}, with exit code 2`, async () => {
      const w = await workspace();
      await writeFile(w.config, c.config(w));
      const run = tidemark(['run', w.config]);
      expect((await run.exited).code).toBe(2);
      expect(run.stderr()).toMatch(c.expected);
      expect(existsSync(w.target)).toBe(false);
    });
  }

  it('a missing config file is an error with exit code 2', async () => {
    const w = await workspace();
    const run = tidemark(['run', join(base, 'nope.lua')]);
    expect((await run.exited).code).toBe(2);
    expect(run.stderr()).toMatch(/nope\.lua: cannot read config/);
    expect(existsSync(w.target)).toBe(false);
  });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
