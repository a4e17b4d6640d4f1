// Crash safety of `tidemark run`, end to end: the built CLI killed with SIGKILL while changes
// wait in the `delay` window or while a large batch is being shipped, then started again on the
// same config and state directory. What was unshipped is in $TIDEMARK_STATE_DIR/targets/*/
// journal.json; the restart must replay it (a rename stays a rename, a delete is the user's own)
// and converge without asking anything, with nothing lost.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { execFileSync } from 'node:child_process';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { mkdir, mkdtemp, readdir, rename, rm, unlink, writeFile } from 'node:fs/promises';
import { readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { journals, processesMentioning, readText, until, useCli, type CliRun } from './support/cli-run';
import { exists, identity, put } from './support/safety-kit';

const { tidemark } = useCli();
const CONVERGE_MS = 30_000;
const bases: string[] = [];
afterAll(async () => {
  for (const base of bases.splice(0)) await rm(base, { recursive: true, force: true });
});

interface Workspace {
  readonly base: string;
  readonly source: string;
  readonly target: string;
  readonly state: string;
  readonly log: string;
  readonly config: string;
}

/** Where the target lives: a local directory, or the loopback sshd's user's (rsyncssh). */
type Where = { readonly sshd: () => SshdFixture } | null;

/**
 * A source with a.txt, keep.txt and proj/f1..f5, an empty target, and a config with `delay`;
 * with `where`, the target is an rsyncssh one in the sshd user's home (read here by its path).
 */
async function workspace(delay: number, where: Where = null): Promise<Workspace> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-cli-crash-'));
  const sshd = where?.sshd();
  const dirName = `crash-${base.slice(-6)}`;
  const target = sshd ? join(sshd.home, dirName) : join(base, 'dst');
  const w = { base, source: join(base, 'src'), target, state: join(base, 'state'), log: join(base, 'tidemark.log'), config: join(base, 'lsyncd.conf.lua') };
  await mkdir(w.target);
  if (sshd) execFileSync('chown', [`${sshd.user}:`, w.target]);
  await put(w.source, 'a.txt', 'on both sides, deleted later');
  await put(w.source, 'keep.txt', 'stays');
  for (let i = 1; i <= 5; i++) await put(w.source, `proj/f${i}`, `file ${i}`);
  const lua = (values: readonly string[]) => `{ ${values.map((value) => JSON.stringify(value)).join(', ')} }`;
  const sync = sshd
    ? `sync { default.rsyncssh, source = ${JSON.stringify(w.source)}, host = ${JSON.stringify(`${sshd.user}@${sshd.host}`)}, targetdir = ${JSON.stringify(dirName)}, ssh = { _extra = ${lua(sshd.sshArgs())} }, delay = ${delay} }`
    : `sync { default.rsync, source = ${JSON.stringify(w.source)}, target = ${JSON.stringify(w.target)}, delay = ${delay} }`;
  await writeFile(w.config, [`settings { logfile = ${JSON.stringify(w.log)}, nodaemon = true }`, sync, ''].join('\n'));
  onTestFailed(async () => console.log(`--- log of the failed test:\n${await readText(w.log)}`));
  bases.push(base);
  if (sshd) bases.push(target);
  return w;
}

const journalText = (w: Workspace) => journals(w.state).map((path) => readFileSync(path, 'utf8')).join('');

/** Starts the daemon (waiting for its startup sync on a first start); returns it and the log's length before it. */
async function startDaemon(w: Workspace, options: { group?: boolean; restart?: boolean } = {}): Promise<{ run: CliRun; logFrom: number }> {
  const logFrom = (await readText(w.log)).length;
  const run = tidemark(['run', w.config], { cwd: w.base, stateDir: w.state, group: options.group });
  if (!options.restart) await until('the startup sync to finish', async () => /Startup of .* finished/.test((await readText(w.log)).slice(logFrom)), CONVERGE_MS);
  return { run, logFrom };
}

/** The restarted daemon makes the trees equal; a decision it waits for instead fails at once, with its log line. */
async function convergesWithoutAsking(w: Workspace, logFrom: number): Promise<void> {
  let done = false;
  const asked = (async () => {
    while (!done) {
      const line = (await readText(w.log)).slice(logFrom).split('\n').find((text) => text.includes('waiting for a decision'));
      if (line) {
        const check = tidemark(['check', w.config], { cwd: w.base, stateDir: w.state });
        await check.exited;
        throw new Error(`the restart waits for a decision instead of converging:\n${line}\ntidemark check says:\n${check.stdout()}`);
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  })();
  try {
    await Promise.race([waitForConvergence(w.source, w.target, CONVERGE_MS), asked]);
  } finally {
    done = true;
  }
  await asked;
}

/** Waits for the rsync a killed daemon left running on this target to end (it is not ours to stop). */
const orphansGone = (w: Workspace) => until('the orphaned rsync to end', () => processesMentioning(w.target).length === 0, CONVERGE_MS);

/** The crash cases against a local target, or (with `where`) an rsyncssh one. */
function crashCases(label: string, where: Where): void {
  describe(`tidemark run killed with SIGKILL (${label})`, () => {
    it('inside the delay window: the restart replays the journal (create, own delete, dir rename kept a rename) and converges without asking', async () => {
      const w = await workspace(3, where);
      const { run: first } = await startDaemon(w);
      await waitForConvergence(w.source, w.target, CONVERGE_MS);
      const files = ['f1', 'f3', 'f5'];
      const before = await Promise.all(files.map((name) => identity(w.target, `proj/${name}`)));

      await put(w.source, 'new.txt', 'created before the crash');
      await unlink(join(w.source, 'a.txt'));
      await rename(join(w.source, 'proj'), join(w.source, 'renamed'));
      // The 100 ms journal flush has run once all three events are in it; the 3 s delay has not.
      await until('the events to be journaled', () => ['"new.txt"', '"a.txt"', '"renamed"'].every((name) => journalText(w).includes(name)), 2_000, 10);
      first.child.kill('SIGKILL');
      expect((await first.exited).signal).toBe('SIGKILL');
      expect(journals(w.state)).toHaveLength(1);
      const journal = JSON.parse(journalText(w)) as { plans: unknown[]; events: { kind: string; path: string; from?: string }[] };
      expect(journal.events.map((event) => [event.kind, event.path, event.from])).toEqual(expect.arrayContaining([
        ['create', 'new.txt', undefined], ['delete', 'a.txt', undefined], ['move', 'renamed', 'proj'],
      ]));
      // Nothing was shipped before the kill: the delay window still held it all.
      expect([await exists(w.target, 'a.txt'), await exists(w.target, 'proj/f1'), await exists(w.target, 'new.txt')]).toEqual([true, true, false]);

      const { run: second, logFrom } = await startDaemon(w, { restart: true });
      await convergesWithoutAsking(w, logFrom);
      // The log line of a run follows its end, which the oracle may see first.
      await until('the replayed rename in the log', async () => (await readText(w.log)).slice(logFrom).includes('Moving /proj -> /renamed'), 5_000);
      expect((await readText(w.log)).slice(logFrom)).toMatch(/replaying \d+ unbatched event\(s\) from the journal/);
      expect(await Promise.all(files.map((name) => identity(w.target, `renamed/${name}`)))).toEqual(before);
      await until('the journal to be gone', () => journals(w.state).length === 0, 5_000);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(143);
    });

    /** Writes `count` files of `size` bytes into source/big/, then `huge` bytes as big/huge.bin (resolving once that is written). */
    async function bigBatch(w: Workspace, count: number, size: number, huge = 0): Promise<{ huge: Promise<void> }> {
      await mkdir(join(w.source, 'big'));
      for (let i = 0; i < count; i++) writeFileSync(join(w.source, `big/f${String(i).padStart(4, '0')}`), Buffer.alloc(size, i % 251));
      return { huge: huge > 0 ? writeFile(join(w.source, 'big/huge.bin'), Buffer.alloc(huge, 7)) : Promise.resolve() };
    }

    const shipped = async (w: Workspace) => (await readdir(join(w.target, 'big')).catch(() => [] as string[])).length;

    it('in the middle of a 2,000-file batch: the restart converges with nothing lost', async () => {
      const w = await workspace(0, where);
      const { run: first } = await startDaemon(w);
      await bigBatch(w, 2000, 4096);
      await until('the batch to be under way', async () => journals(w.state).length > 0 && (await shipped(w)) > 0, CONVERGE_MS, 5);
      first.child.kill('SIGKILL');
      await first.exited;
      expect(journals(w.state), 'the kill left unshipped work in the journal').toHaveLength(1);
      await orphansGone(w);

      const { run: second, logFrom } = await startDaemon(w, { restart: true });
      await convergesWithoutAsking(w, logFrom);
      expect(await shipped(w)).toBe(2000);
      await until('the journal to be gone', () => journals(w.state).length === 0, 5_000);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(143);
    });

    it("in the middle of a transfer, together with its rsync (a crash of the whole process group): rsync's half-written temp file does not stop the restart from converging", async () => {
      const w = await workspace(0, where);
      const { run: first } = await startDaemon(w, { group: true });
      const written = await bigBatch(w, 2000, 4096, 256 * 1024 * 1024);
      const temp = /^\.huge\.bin\.\w{6}$/;
      await until("rsync's temp file of huge.bin", async () => (await readdir(join(w.target, 'big')).catch(() => [] as string[])).some((name) => temp.test(name)), CONVERGE_MS, 2);
      process.kill(-first.child.pid!, 'SIGKILL'); // the group this test started: the daemon and its rsync
      await first.exited;
      await written.huge;
      await until('its rsync to be gone', () => processesMentioning(w.target).length === 0, 5_000);
      const leftovers = (await readdir(join(w.target, 'big'))).filter((name) => temp.test(name));
      // Locally the killed rsync leaves its temp file (the case under test). Over ssh the remote
      // rsync sees the link drop and removes its own: the restart must converge either way.
      expect(leftovers, 'temp files left by the killed rsync').toHaveLength(where ? 0 : 1);

      const { run: second, logFrom } = await startDaemon(w, { restart: true });
      await convergesWithoutAsking(w, logFrom);
      await until('the journal to be gone', () => journals(w.state).length === 0, 5_000);
      second.child.kill('SIGTERM');
      expect((await second.exited).code).toBe(143);
    });
  });
}

crashCases('local target', null);

describe('over the loopback sshd', () => {
  let sshd: SshdFixture;
  beforeAll(async () => {
    sshd = await startSshd({ createUser: true });
  }, 60_000);
  afterAll(async () => sshd?.dispose());
  crashCases('rsyncssh target', { sshd: () => sshd });
});
