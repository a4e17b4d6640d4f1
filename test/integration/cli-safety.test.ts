// The safety layer from a shell, end to end: `tidemark check`, `kept` and `restore`, and
// `tidemark run` facing a target where someone wrote files, all as the built CLI on lsyncd
// config files, with real rsync and real inotify (and one rsyncssh target over the loopback
// sshd). Each target here has files only on it, one in a directory only on it, one newer there
// and one older there: lsyncd would delete or overwrite all of them at its next start.
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { lstat, mkdir, mkdtemp, readdir, rm, unlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { journals, readText, until, useCli } from './support/cli-run';
import { exists, HOUR, put, read, snapshot, T0, TRASH, TRASH_STAMP } from './support/safety-kit';

const { tidemark } = useCli();
const NOTES = 'written on the target';
const DEEP = 'deep on the target';
const TARGET_EDIT = 'edited on the target';

interface Workspace {
  readonly base: string;
  readonly source: string;
  /** Where the test reads the target (for an rsyncssh target: the remote user's directory). */
  readonly target: string;
  readonly state: string;
  readonly log: string;
  readonly status: string;
  readonly config: string;
}

/**
 * A source (a.txt, sub/b.txt, newer.txt, older.txt at T0) mirrored by rsync -a, then edited on
 * the target: notes.txt and extra/deep.txt only there, newer.txt rewritten an hour later, older.txt
 * an hour earlier. The config's sync{} gets the `sync` lines given (default.rsync and delay = 0
 * unless they set others); `target` is an rsyncssh target's local path, whose lines name it.
 */
async function atRiskWorkspace(sync: string[] = [], target?: string): Promise<Workspace> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-cli-safety-'));
  const w = { base, source: join(base, 'src'), target: target ?? join(base, 'dst'), state: join(base, 'state'), log: join(base, 'tidemark.log'), status: join(base, 'tidemark.status'), config: join(base, 'lsyncd.conf.lua') };
  await mkdir(w.source);
  await put(w.source, 'a.txt', 'a', T0);
  await put(w.source, 'sub/b.txt', 'b', T0);
  await put(w.source, 'newer.txt', 'source v1', T0);
  await put(w.source, 'older.txt', 'source current', T0);
  execFileSync('rsync', ['-a', `${w.source}/`, `${w.target}/`]);
  await put(w.target, 'notes.txt', NOTES, T0 + 100.25);
  await put(w.target, 'extra/deep.txt', DEEP, T0 + 200.5);
  await put(w.target, 'newer.txt', TARGET_EDIT, T0 + HOUR);
  await put(w.target, 'older.txt', 'stale target copy', T0 - HOUR);
  const settings = `settings {\n  logfile = ${JSON.stringify(w.log)},\n  statusFile = ${JSON.stringify(w.status)},\n  statusInterval = 1,\n  nodaemon = true,\n}\n`;
  const targetLine = target === undefined ? [`target = ${JSON.stringify(w.target)},`] : [];
  const kind = sync.some((line) => line.startsWith('default.')) ? [] : ['default.rsync,'];
  const lines = [...kind, `source = ${JSON.stringify(w.source)},`, ...targetLine, ...(sync.some((line) => line.startsWith('delay')) ? [] : ['delay = 0,']), ...sync];
  await writeFile(w.config, `${settings}sync {\n  ${lines.join('\n  ')}\n}\n`);
  onTestFailed(async () => console.log(`--- log of the failed test:\n${await readText(w.log)}`));
  cleanups.push(() => rm(base, { recursive: true, force: true }));
  return w;
}

const cleanups: (() => Promise<void>)[] = [];
afterAll(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
});

const start = (w: Workspace, args: string[]) => tidemark(args, { cwd: w.base, stateDir: w.state });

/** `tidemark check CONFIG args...` to its end. */
async function check(w: Workspace, ...args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const run = start(w, ['check', w.config, ...args]);
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

interface JsonEntry { path: string; risk: string; entry: string; size: number; mtimeMs: number; sourceSize?: number; sourceMtimeMs?: number; atRisk: boolean }

/** The --json report of the config's only target. */
async function report(w: Workspace): Promise<{ code: number | null; report: { target: string; source: string; reason: string; entries: JsonEntry[]; atRisk: number; updates: number } }> {
  const { code, stdout } = await check(w, '--json');
  const reports = JSON.parse(stdout) as unknown[];
  expect(reports).toHaveLength(1);
  return { code, report: reports[0] as never };
}

const rows = (entries: JsonEntry[]) => entries.map((entry) => [entry.path, entry.risk, entry.entry, entry.size, entry.atRisk]);
const AT_RISK_ROWS = [
  ['extra', 'target-only', 'dir', 0, true],
  ['extra/deep.txt', 'target-only', 'file', DEEP.length, true],
  ['newer.txt', 'newer-on-target', 'file', TARGET_EDIT.length, true],
  ['notes.txt', 'target-only', 'file', NOTES.length, true],
];

describe('tidemark check', () => {
  it('with delete = true reports the target-only entries and the newer file, exits 3, and touches neither side', async () => {
    const w = await atRiskWorkspace();
    const before = [await snapshot(w.source), await snapshot(w.target)];
    const text = await check(w);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/3 entries only on the target \(39 B\) that the sync would delete; 1 file newer on the target .*: a decision is needed/);
    expect(text.stdout).toMatch(/^ +target-only +0 B .* extra\/$/m);
    expect(text.stdout).toMatch(/^ +target-only +18 B .* extra\/deep\.txt$/m);
    expect(text.stdout).toMatch(/^ +target-only +21 B .* notes\.txt$/m);
    expect(text.stdout).toMatch(/^ +newer-on-target +20 B +2023-11-14 23:13:20 +newer\.txt \(source: 9 B, 2023-11-14 22:13:20\)$/m);
    expect(text.stdout).toContain('1 file(s) are older on the target and will be updated');
    expect(text.stdout).not.toContain('older.txt'); // an update, not an entry at risk
    expect(text.stdout).toContain(`Decide with: tidemark check ${w.config} --reconcile`);

    const { code, report: json } = await report(w);
    expect(code).toBe(3);
    expect(json).toMatchObject({ target: `${w.target}/`, source: w.source, reason: 'startup', atRisk: 4, updates: 1 });
    expect(rows(json.entries)).toEqual(AT_RISK_ROWS);
    const mtimeOf = (path: string) => json.entries.find((entry) => entry.path === path)!.mtimeMs;
    expect(mtimeOf('notes.txt')).toBe((T0 + 100.25) * 1000);
    expect(mtimeOf('extra/deep.txt')).toBe((T0 + 200.5) * 1000);
    expect(mtimeOf('extra')).toBeCloseTo((await lstat(join(w.target, 'extra'))).mtimeMs, 0);
    expect(json.entries.find((entry) => entry.path === 'newer.txt')).toMatchObject({ mtimeMs: (T0 + HOUR) * 1000, sourceSize: 9, sourceMtimeMs: T0 * 1000 });
    expect([await snapshot(w.source), await snapshot(w.target)]).toEqual(before);
  });

  it('with delete = false lists the target-only entries as not at risk; only the newer file needs a decision', async () => {
    const w = await atRiskWorkspace(['delete = false,']);
    const before = await snapshot(w.target);
    const text = await check(w);
    expect(text.code).toBe(3);
    expect(text.stdout).toMatch(/ notes\.txt \[not at risk\]$/m);
    expect(text.stdout).toMatch(/ extra\/deep\.txt \[not at risk\]$/m);
    expect(text.stdout).toMatch(/ newer\.txt \(source: [^)]*\)$/m);
    const { code, report: json } = await report(w);
    expect(code).toBe(3);
    expect(rows(json.entries)).toEqual(AT_RISK_ROWS.map(([path, risk, entry, size]) => [path, risk, entry, size, path === 'newer.txt']));
    expect([json.atRisk, json.updates]).toEqual([1, 1]);
    expect(await snapshot(w.target)).toEqual(before);
  });

  it('exits 0 with "nothing at risk" on a target that mirrors the source', async () => {
    const w = await atRiskWorkspace();
    execFileSync('rsync', ['-a', '--delete', `${w.source}/`, `${w.target}/`]);
    const text = await check(w);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(`${w.target}/: nothing at risk (source ${w.source}/)`);
    expect(text.stdout).not.toContain('Decide with');
    const { code, report: json } = await report(w);
    expect([code, json.atRisk, json.updates, json.entries]).toEqual([0, 0, 0, []]);
  });

  it('--reconcile pull brings the target-only files and the newer copy into the source, leaving the target as it was', async () => {
    const w = await atRiskWorkspace();
    const target = await snapshot(w.target);
    const pulled = await check(w, '--reconcile', 'pull');
    expect(pulled.stdout).toContain(`${w.target}/: pull: done`);
    expect(pulled.code).toBe(0);
    expect(await read(w.source, 'notes.txt')).toBe(NOTES);
    expect(await read(w.source, 'extra/deep.txt')).toBe(DEEP);
    expect(await read(w.source, 'newer.txt')).toBe(TARGET_EDIT);
    expect((await lstat(join(w.source, 'newer.txt'))).mtimeMs).toBe((T0 + HOUR) * 1000);
    expect(await read(w.source, 'older.txt')).toBe('source current');
    expect(await snapshot(w.target)).toEqual(target);
    expect((await check(w)).code).toBe(0);
  });

  it('--reconcile trash moves the entries into .tidemark-trash/<stamp>/; restore lists the trash and puts one path back into the source', async () => {
    const w = await atRiskWorkspace();
    const source = await snapshot(w.source);
    const trashed = await check(w, '--reconcile', 'trash');
    expect(trashed.code).toBe(0);
    expect(trashed.stdout).toContain('trash: done');
    const stamps = await readdir(join(w.target, TRASH));
    expect(stamps).toHaveLength(1);
    const stamp = stamps[0]!;
    expect(stamp).toMatch(TRASH_STAMP);
    const bin = join(w.target, TRASH, stamp);
    expect([await read(bin, 'notes.txt'), await read(bin, 'extra/deep.txt'), await read(bin, 'newer.txt')]).toEqual([NOTES, DEEP, TARGET_EDIT]);
    for (const gone of ['notes.txt', 'extra', 'newer.txt']) expect(await exists(w.target, gone), gone).toBe(false);
    expect(await snapshot(w.source)).toEqual(source);
    expect((await check(w)).code).toBe(0);

    const listed = start(w, ['restore', w.config]);
    expect((await listed.exited).code).toBe(0);
    expect(listed.stdout()).toBe([`${w.target}/: 4 entries in the trash`, ...['extra/', 'extra/deep.txt', 'newer.txt', 'notes.txt'].map((path) => `  ${stamp}  ${path}`), ''].join('\n'));
    expect(await snapshot(w.source)).toEqual(source);

    const restored = start(w, ['restore', w.config, 'notes.txt']);
    expect((await restored.exited).code).toBe(0);
    expect(restored.stdout()).toContain(`1 entries restored into ${w.source}/`);
    expect(await read(w.source, 'notes.txt')).toBe(NOTES);
    expect((await lstat(join(w.source, 'notes.txt'))).mtimeMs).toBe((T0 + 100.25) * 1000);
    expect(await exists(w.source, 'extra')).toBe(false);
    expect(await read(w.source, 'newer.txt')).toBe('source v1');
  });

  it('--reconcile keep records the entries (kept lists them, a re-check exits 0); kept --release-all lets the check ask again', async () => {
    const w = await atRiskWorkspace();
    const before = [await snapshot(w.source), await snapshot(w.target)];
    expect((await check(w, '--reconcile', 'keep')).code).toBe(0);
    const kept = start(w, ['kept', w.config]);
    expect((await kept.exited).code).toBe(0);
    expect(kept.stdout()).toBe(`${w.target}/: 3 kept\n  extra\n  newer.txt\n  notes.txt\n`);
    expect((await check(w)).code).toBe(0);
    expect([await snapshot(w.source), await snapshot(w.target)]).toEqual(before);

    const released = start(w, ['kept', w.config, '--release-all']);
    expect((await released.exited).code).toBe(0);
    expect(released.stdout()).toContain('3 kept entries released');
    const { code, report: json } = await report(w);
    expect([code, json.atRisk]).toEqual([3, 4]);
    expect(rows(json.entries)).toEqual(AT_RISK_ROWS);
  });

  it('--reconcile delete --path acts on that path only; the rest still needs a decision', async () => {
    const w = await atRiskWorkspace();
    const deleted = await check(w, '--reconcile', 'delete', '--path', 'notes.txt');
    expect(deleted.code).toBe(3);
    expect(await exists(w.target, 'notes.txt')).toBe(false);
    expect(await read(w.target, 'extra/deep.txt')).toBe(DEEP);
    expect(await read(w.target, 'newer.txt')).toBe(TARGET_EDIT);
    expect(await exists(w.source, 'notes.txt')).toBe(false);
    const { report: json } = await report(w);
    expect(rows(json.entries)).toEqual(AT_RISK_ROWS.filter(([path]) => path !== 'notes.txt'));
  });
});

describe('tidemark run on a target with entries at risk', () => {
  it('without -reconcile waits for a decision, touching nothing and shipping no live change; after check --reconcile pull a restart converges', async () => {
    const w = await atRiskWorkspace();
    const before = await snapshot(w.target);
    const run = start(w, ['run', w.config]);
    await until('the daemon to wait for a decision', async () => (await readText(w.log)).includes('waiting for a decision'));
    expect(await readText(w.log)).toMatch(/Error: .*dst\/: waiting for a decision: 3 entries only on the target \(39 B\).*a decision is needed\. Nothing was touched/);
    await until('the status file to say so', async () => (await readText(w.status)).includes('State: awaiting a decision: '));

    // Live changes queue behind the decision (in the journal, for the next start), unshipped.
    await put(w.source, 'live.txt', 'written while waiting');
    await unlink(join(w.source, 'a.txt'));
    const journal = () => journals(w.state).map((path) => readFileSync(path, 'utf8')).join('');
    await until('the live changes to be queued', () => journal().includes('"live.txt"') && journal().includes('"a.txt"'));
    expect(run.child.exitCode).toBeNull();
    expect(await snapshot(w.target)).toEqual(before);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
    expect(await snapshot(w.target)).toEqual(before);

    // The journal's delete is the user's own: check neither counts a.txt nor pulls it back.
    const pulled = await check(w, '--reconcile', 'pull');
    expect(pulled.code).toBe(0);
    expect(await exists(w.source, 'a.txt')).toBe(false);
    expect(await read(w.source, 'notes.txt')).toBe(NOTES);
    const again = start(w, ['run', w.config]);
    await waitForConvergence(w.source, w.target, 15_000);
    expect(await read(w.target, 'live.txt')).toBe('written while waiting');
    expect(await read(w.target, 'older.txt')).toBe('source current');
    expect(await exists(w.target, 'a.txt')).toBe(false);
    await until('the journal to be gone', () => journals(w.state).length === 0);
    again.child.kill('SIGTERM');
    expect((await again.exited).code).toBe(143);
  });

  it('-reconcile pull puts the entries on both sides at startup, then mirrors live changes', async () => {
    const w = await atRiskWorkspace();
    const run = start(w, ['run', w.config, '-reconcile', 'pull']);
    await waitForConvergence(w.source, w.target, 15_000);
    for (const root of [w.source, w.target]) {
      expect(await read(root, 'notes.txt')).toBe(NOTES);
      expect(await read(root, 'extra/deep.txt')).toBe(DEEP);
      expect(await read(root, 'newer.txt')).toBe(TARGET_EDIT);
      expect(await read(root, 'older.txt')).toBe('source current');
    }
    await put(w.source, 'extra/live.txt', 'live');
    await waitForConvergence(w.source, w.target, 15_000);
    const log = await readText(w.log);
    expect(log).toContain("reconcile = 'pull'");
    expect(log).not.toContain('waiting for a decision');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
  });

  it("reconcile = 'delete' in the config is lsyncd's behaviour: target-only entries are deleted and the newer copy overwritten at startup", async () => {
    const w = await atRiskWorkspace(["reconcile = 'delete',"]);
    const run = start(w, ['run', w.config]);
    await waitForConvergence(w.source, w.target, 15_000);
    expect(await exists(w.target, 'notes.txt')).toBe(false);
    expect(await exists(w.target, 'extra')).toBe(false);
    expect(await read(w.target, 'newer.txt')).toBe('source v1');
    expect(await exists(w.source, 'notes.txt')).toBe(false);
    expect(await readText(w.log)).not.toContain('waiting for a decision');
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
  });
});

describe('tidemark check on an rsyncssh target (loopback sshd)', () => {
  let sshd: SshdFixture;
  beforeAll(async () => {
    sshd = await startSshd({ createUser: true });
  }, 60_000);
  afterAll(async () => sshd?.dispose());

  it('reports the remote entries at risk, touching nothing, and --reconcile pull fetches them over ssh', async () => {
    const dir = `mirror-${process.pid}`;
    const target = join(sshd.home, dir);
    cleanups.push(() => rm(target, { recursive: true, force: true }));
    const lua = (list: string[]) => `{ ${list.map((item) => JSON.stringify(item)).join(', ')} }`;
    const w = await atRiskWorkspace(['default.rsyncssh,', `host = ${JSON.stringify(`${sshd.user}@${sshd.host}`)},`, `targetdir = ${JSON.stringify(dir)},`, `ssh = { _extra = ${lua(sshd.sshArgs())} },`], target);
    execFileSync('chown', ['-R', `${sshd.user}:`, target]);
    const before = await snapshot(target);

    const { code, report: json } = await report(w);
    expect(code).toBe(3);
    expect(json).toMatchObject({ target: `${sshd.user}@${sshd.host}:${dir}/`, reason: 'startup', atRisk: 4, updates: 1 });
    expect(rows(json.entries)).toEqual(AT_RISK_ROWS);
    expect(json.entries.find((entry) => entry.path === 'notes.txt')!.mtimeMs).toBe((T0 + 100.25) * 1000);
    expect(await snapshot(target)).toEqual(before);

    expect((await check(w, '--reconcile', 'pull')).code).toBe(0);
    expect(await read(w.source, 'extra/deep.txt')).toBe(DEEP);
    expect(await read(w.source, 'newer.txt')).toBe(TARGET_EDIT);
    expect(await snapshot(target)).toEqual(before);
  });
});
