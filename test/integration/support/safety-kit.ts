// What the safety suites (safety-suite.ts, safety-live-suite.ts) share: the mirror's life
// within a test (started, restarted, disposed), convergence, and exact views of both trees.
import { afterEach, expect, type TestContext } from 'vitest';
import { lstat, mkdir, readdir, readFile, readlink, utimes, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { waitForConvergence, type CompareOptions } from '../../fixtures/tree-oracle';
import { printLogsOnFailure, type LocalMirror, type StartMirror } from './local-mirror';

/** 2023-11-14T22:13:20Z: the source's files get this mtime, so "newer" and "older" are exact. */
export const T0 = 1_700_000_000;
export const HOUR = 3600;
export const TRASH = '.tidemark-trash';
/** `2026-11-29T10-04-06.123Z`: an ISO time without colons. */
export const TRASH_STAMP = /^\d{4}-\d\d-\d\dT\d\d-\d\d-\d\d\.\d{3}Z$/;

/** The oracle's view without the target's trash (the source never has one). */
export const withoutTrash: CompareOptions = { ignore: (rel) => rel.toString('latin1') === TRASH };

/** Writes `rel` below `root` (parents made), with mtime `seconds` when given. */
export async function put(root: string, rel: string, content: string, seconds?: number): Promise<void> {
  const path = join(root, rel);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, content);
  if (seconds !== undefined) await utimes(path, seconds, seconds);
}

export const read = (root: string, rel: string) => readFile(join(root, rel), 'utf8');
export const exists = (root: string, rel: string) => lstat(join(root, rel)).then(() => true, () => false);
export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** An entry's identity: inode and birth time (a rename keeps both, a re-send does not). */
export async function identity(root: string, rel: string): Promise<string> {
  const st = await lstat(join(root, rel), { bigint: true });
  return `inode ${st.ino} born ${st.birthtimeNs}`;
}

/** The names in a target directory that belong to the mirror (not Tidemark's trash or the breaker's window). */
export async function mirrorNames(dir: string): Promise<string[]> {
  return (await readdir(dir)).filter((name) => name !== TRASH);
}

/** Every entry below `dir` with its inode, mtime (ns) and content: equal snapshots = untouched. */
export async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of (await readdir(dir, { recursive: true })).sort()) {
    const path = join(dir, name);
    const st = await lstat(path, { bigint: true });
    const what = st.isFile() ? `file ${JSON.stringify(await readFile(path, 'utf8'))}` : st.isSymbolicLink() ? `-> ${await readlink(path)}` : 'dir';
    out.push(`${name} ${what} ino ${st.ino} mtime ${st.isDirectory() ? '-' : st.mtimeNs}`);
  }
  return out;
}

/** Waits until the target's `rel` reads `content` (20 s at most). */
export async function arrives(m: LocalMirror, rel: string, content: string): Promise<void> {
  for (const started = Date.now(); Date.now() - started < 20_000; await sleep(25)) {
    if ((await read(m.target, rel).catch(() => null)) === content) return;
  }
  throw new Error(`${rel} never arrived on the target with ${JSON.stringify(content)} (it reads ${JSON.stringify(await read(m.target, rel).catch(String))})`);
}

/** The state's reason once it matches `pattern` (the root poll may reword a halt). */
export async function reasonBecomes(m: LocalMirror, kind: string, pattern: RegExp): Promise<string> {
  for (const started = Date.now(); Date.now() - started < 20_000; await sleep(25)) {
    const state = m.runner.state;
    if (state.kind === kind && 'reason' in state && pattern.test(state.reason)) return state.reason;
  }
  throw new Error(`the target never became ${kind} with a reason matching ${pattern} (it is ${JSON.stringify(m.runner.state)})`);
}

/** Every state the runner goes through from now on. */
export function recordStates(m: LocalMirror): string[] {
  const seen: string[] = [];
  m.runner.onStatus((event) => seen.push(event.to.kind));
  return seen;
}

/** A report's entries as comparable rows: path, risk, kind, size, atRisk. */
export function rows(m: LocalMirror): [string, string, string, number, boolean][] {
  const report = m.runner.report;
  expect(report, `a report is awaited (the target is ${JSON.stringify(m.runner.state)})`).not.toBeNull();
  return report!.entries.map((entry) => [entry.path, entry.risk, entry.entry, entry.size, entry.atRisk]);
}

/**
 * The mtime a report gives `rel`, against the one it has (find prints decimal seconds); a target
 * read in whole seconds (an rsync daemon) reports the end of its second, up to `slackMs` later.
 */
export function expectMtime(m: LocalMirror, rel: string, seconds: number, side: 'target' | 'source' = 'target', slackMs = 0): void {
  const entry = m.runner.report?.entries.find((found) => found.path === rel);
  expect(entry, `${rel} is in the report`).toBeDefined();
  const reported = side === 'target' ? entry!.mtimeMs : entry!.sourceMtimeMs!;
  const late = reported - seconds * 1000;
  expect(late > -1 && late < 1 + slackMs, `${side} mtime of ${rel}: ${reported} vs ${seconds * 1000}`).toBe(true);
}

export interface SafetyKit {
  /** A mirror for this test, disposed after it; its log is printed when the test fails. */
  start: StartMirror;
  /**
   * The same for a concurrent test: tied to that test's own context, as the kit's one mirror
   * slot (and vitest's global hooks) would mix up tests that run at once.
   */
  startConcurrent(test: TestContext, options?: Parameters<StartMirror>[0]): Promise<LocalMirror>;
  /** The mirror's runner restarted on the same dirs (see LocalMirror.restart). */
  restart(m: LocalMirror, whileStopped?: (source: string, target: string) => Promise<void>): Promise<LocalMirror>;
  /** Equal trees, the runner out of work, and still equal. */
  converge(m: LocalMirror, options?: CompareOptions): Promise<void>;
}

/** Call once per describe-registering function, at its top level (it registers an afterEach). */
export function safetyKit(startMirror: StartMirror, convergeMs: number): SafetyKit {
  let mirror: LocalMirror | undefined;
  afterEach(async () => {
    await mirror?.dispose();
    mirror = undefined;
  });
  return {
    async start(options = {}) {
      mirror = await startMirror(options);
      printLogsOnFailure(mirror);
      return mirror;
    },
    async startConcurrent(test, options = {}) {
      const own = await startMirror(options);
      test.onTestFinished(() => own.dispose());
      printLogsOnFailure(own, test.onTestFailed);
      return own;
    },
    async restart(m, whileStopped) {
      if (!m.restart) throw new Error('this mirror cannot restart');
      mirror = await m.restart(whileStopped);
      return mirror;
    },
    async converge(m, options = {}) {
      await waitForConvergence(m.source, m.target, convergeMs, options);
      await m.runner.settled();
      await waitForConvergence(m.source, m.target, convergeMs, options);
    },
  };
}
