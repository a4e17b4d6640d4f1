// The built `tidemark` CLI as a child process, for the CLI suites: this checkout's build (made
// once per file with vite), each run with its own state directory, its output collected, and
// every run still alive at the end of a test killed.
import { afterAll, afterEach, beforeAll, onTestFailed } from 'vitest';
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';

const ROOT = join(import.meta.dirname, '../../..');

export interface CliRun {
  readonly child: ChildProcess;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stdout(): string;
  stderr(): string;
}

export interface CliOptions {
  readonly cwd: string;
  /** $TIDEMARK_STATE_DIR of the child: always a temp dir, never the user's own state. */
  readonly stateDir: string;
  /** Its own process group, so that a crash can take the daemon and its rsync together. */
  readonly group?: boolean;
  /** More environment for the child (XDG_CONFIG_HOME for profiles). */
  readonly env?: Readonly<Record<string, string>>;
  /** Written to the child's stdin, which is then closed (a password for --password-stdin); none: no stdin. */
  readonly input?: string;
  /** Leave stdin open for the test to write to (child.stdin), as a person answering prompts. */
  readonly openStdin?: boolean;
  /** Programs to run the CLI under, e.g. a pseudo-terminal wrapper: PREFIX... node tidemark.js ARGS. */
  readonly prefix?: readonly string[];
}

/**
 * Builds the CLI before the file's tests and removes the build after them; kills what a test
 * left running. Call once per test file, at the top level.
 */
export function useCli(): { tidemark(args: readonly string[], options: CliOptions): CliRun } {
  const build = join(ROOT, '.cache', `cli-test-${process.pid}-${randomBytes(3).toString('hex')}`);
  const running: CliRun[] = [];
  beforeAll(() => {
    execFileSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', 'vite.cli.config.ts', '--outDir', build, '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT });
  }, 60_000);
  afterAll(() => rm(build, { recursive: true, force: true }));
  afterEach(async () => {
    for (const run of running.splice(0)) {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      await run.exited;
    }
  });
  return {
    tidemark(args, options) {
      const env = { ...process.env, TIDEMARK_STATE_DIR: options.stateDir, XDG_RUNTIME_DIR: join(options.stateDir, 'run'), ...options.env };
      const [program = process.execPath, ...before] = options.prefix ? [...options.prefix, process.execPath] : [process.execPath];
      const stdin = options.input === undefined && !options.openStdin ? 'ignore' : 'pipe';
      const child = spawn(program, [...before, join(build, 'tidemark.js'), ...args], { cwd: options.cwd, env, stdio: [stdin, 'pipe', 'pipe'], detached: options.group ?? false });
      if (options.input !== undefined) child.stdin!.end(options.input);
      let out = '';
      let err = '';
      child.stdout!.on('data', (chunk: Buffer) => (out += chunk.toString()));
      child.stderr!.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
      const run = { child, exited, stdout: () => out, stderr: () => err };
      running.push(run);
      onTestFailed(() => console.log(`--- tidemark ${args.join(' ')}\n--- stdout:\n${out}--- stderr:\n${err}`));
      return run;
    },
  };
}

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
export async function until(what: string, check: () => Promise<boolean> | boolean, timeoutMs = 15_000, everyMs = 25): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, everyMs));
  }
}

/** A file's text, or '' while it does not exist. */
export const readText = (path: string) => readFile(path, 'utf8').catch(() => '');

/** The journal.json files below a state directory (one per target with unshipped work). */
export function journals(stateDir: string): string[] {
  const targets = join(stateDir, 'targets');
  let dirs: string[];
  try {
    dirs = readdirSync(targets);
  } catch {
    return [];
  }
  return dirs.flatMap((dir) => (readdirSync(join(targets, dir)).includes('journal.json') ? [join(targets, dir, 'journal.json')] : []));
}

/** Processes whose command line mentions `text` (the rsync a killed daemon left behind). */
export function processesMentioning(text: string): number[] {
  const found: number[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name) || Number(name) === process.pid) continue;
    try {
      if (readFileSync(`/proc/${name}/cmdline`, 'latin1').split('\0').some((arg) => arg.includes(text))) found.push(Number(name));
    } catch {
      // gone meanwhile
    }
  }
  return found;
}
