// The mass-delete breaker's hold from a shell, end to end with the built CLI: what it holds is
// shown by `tidemark check` (exit 3) and resolved by `tidemark check --reconcile`, against a
// running daemon (through its control socket) and at the next start; a new file
// reaches the target while the deletions wait; every message names the command that resolves it.
import { afterAll, describe, expect, it, onTestFailed } from 'vitest';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { readText, until, useCli } from './support/cli-run';
import { exists, put, read } from './support/safety-kit';

const { tidemark } = useCli();

interface Workspace {
  readonly base: string;
  readonly source: string;
  readonly target: string;
  readonly state: string;
  readonly log: string;
  readonly status: string;
  readonly config: string;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

/** 20 directories of 10 files, mirrored with delay = 1 by a config at its defaults (the breaker on). */
async function workspace(): Promise<Workspace> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-cli-breaker-'));
  const w = { base, source: join(base, 'src'), target: join(base, 'dst'), state: join(base, 'state'), log: join(base, 'tidemark.log'), status: join(base, 'tidemark.status'), config: join(base, 'site.lua') };
  await mkdir(w.source);
  for (let d = 1; d <= 20; d++) for (let f = 1; f <= 10; f++) await put(w.source, `d${d}/f${f}`, `${d}.${f}`);
  const settings = `settings {\n  logfile = ${JSON.stringify(w.log)},\n  statusFile = ${JSON.stringify(w.status)},\n  statusInterval = 1,\n  nodaemon = true,\n}\n`;
  await writeFile(w.config, `${settings}sync {\n  default.rsync,\n  source = ${JSON.stringify(w.source)},\n  target = ${JSON.stringify(w.target)},\n  delay = 1,\n}\n`);
  onTestFailed(async () => console.log(`--- log of the failed test:\n${await readText(w.log)}`));
  cleanups.push(() => rm(base, { recursive: true, force: true }));
  return w;
}

const start = (w: Workspace, args: string[]) => tidemark(args, { cwd: w.base, stateDir: w.state });

async function check(w: Workspace, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = start(w, ['check', w.config, ...args]);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

/** `rm -rf src/*; echo new > src/index.html` under a running daemon, until it holds; the daemon. */
async function holdAll(w: Workspace): Promise<ReturnType<typeof start>> {
  const run = start(w, ['run', w.config]);
  await until('the startup sync', async () => (await readText(w.log)).includes('finished'), 20_000);
  await waitForConvergence(w.source, w.target, 15_000);
  for (const name of await readdir(w.source)) await rm(join(w.source, name), { recursive: true });
  await writeFile(join(w.source, 'index.html'), 'new');
  await until('the hold', async () => (await readText(w.log)).includes('waiting for a decision'));
  return run;
}

const RESOLVE = /Decide with: tidemark check \S*site\.lua --reconcile pull\|keep\|trash\|delete/;

describe('a held mass delete from the shell', () => {
  it('the new file arrives while 200 deletions wait; the log and the status file name the command; check shows the hold (exit 3); check --reconcile pull against the running daemon restores everything', async () => {
    const w = await workspace();
    const run = await holdAll(w);
    await until('index.html on the target', async () => (await read(w.target, 'index.html').catch(() => '')) === 'new');
    expect(await readText(w.log)).toMatch(new RegExp(`Error: .*dst/: waiting for a decision: the deletions were held back: (it empties the source root|it would delete 2\\d\\d of 2\\d\\d entries).*Everything else still syncs\\. ${RESOLVE.source}`));
    expect(run.stderr()).toMatch(RESOLVE);
    await until('the status file to say so', async () => RESOLVE.test(await readText(w.status)));
    // While the held batch's other changes run, the state reads 'syncing; awaiting a decision: ...'.
    expect(await readText(w.status)).toMatch(/State: (?:[^;\n]+; )?awaiting a decision: the deletions were held back/);
    expect(await exists(w.target, 'd7/f3')).toBe(true);

    const shown = await check(w);
    expect(shown.code).toBe(3);
    expect(shown.stdout).toMatch(/the mass-delete breaker holds deletions back: (it empties the source root|it would delete 2\d\d of 2\d\d entries)/);
    expect(shown.stdout).toMatch(/220 entries only on the target .* that the sync would delete: a decision is needed/);

    const asked = Date.now();
    const pulled = await check(w, '--reconcile', 'pull');
    expect(pulled.stdout).toContain('pull: done (by the running daemon)');
    expect(pulled.code).toBe(0);
    expect(Date.now() - asked).toBeLessThan(10_000);
    expect(await read(w.source, 'd20/f10')).toBe('20.10');
    await waitForConvergence(w.source, w.target, 15_000);
    await until('the status file to say idle', async () => /State: idle/.test(await readText(w.status)));
    expect(run.child.exitCode).toBeNull();
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
  });

  it('after a stop the hold is still there (check exits 3); run -reconcile delete applies to it at the next start, and the mirror converges', async () => {
    const w = await workspace();
    const run = await holdAll(w);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
    expect(await exists(w.target, 'd1/f1')).toBe(true);

    const shown = await check(w);
    expect(shown.code).toBe(3);
    expect(shown.stdout).toContain('the mass-delete breaker holds deletions back');

    const again = start(w, ['run', w.config, '-reconcile', 'delete']);
    await waitForConvergence(w.source, w.target, 15_000);
    expect((await readdir(w.target)).sort()).toEqual(['index.html']);
    expect((await check(w)).code).toBe(0);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(143);
  });

  it('run -reconcile pull at the next start brings the held entries back into the source', async () => {
    const w = await workspace();
    const run = await holdAll(w);
    run.child.kill('SIGTERM');
    await run.exited;
    const again = start(w, ['run', w.config, '-reconcile', 'pull']);
    await until('the pull', async () => (await read(w.source, 'd1/f1').catch(() => '')) === '1.1');
    await waitForConvergence(w.source, w.target, 15_000);
    expect((await readdir(w.source)).length).toBe(21);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(143);
  });
});
