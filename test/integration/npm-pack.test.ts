// The server install: `npm pack` of this checkout, `npm install -g` of the tarball into a
// temporary prefix, and the installed `tidemark` mirroring a directory. Packed from a staging
// copy with its own CLI build, so the repository's out/ is never written while other suites read
// it. The install skips install scripts: the CLI must run without keytar's or ssh2's native
// builds (keytar loads only when the keychain is used), and nothing of the app is built.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = join(import.meta.dirname, '../..');
/** The install's budget: the registry is asked for metadata, the tarballs mostly come from the cache. */
const INSTALL_TIMEOUT_MS = 100_000;

interface Finished {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly timedOut: boolean;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs a command to its end, killed (SIGKILL) after `timeoutMs`: nothing here may hang. */
function run(command: string, args: readonly string[], options: { cwd: string; timeoutMs: number; env?: NodeJS.ProcessEnv }): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: options.env ?? process.env, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let timedOut = false;
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGKILL');
    }, options.timeoutMs);
    child.on('error', (error) => {
      clearTimeout(timer);
      reject(error);
    });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, timedOut, stdout, stderr });
    });
  });
}

/** The last lines of a command's output, for a failure message. */
const tail = (text: string, lines = 15) => text.trimEnd().split('\n').slice(-lines).join('\n');

/** Polls until `check` holds, failing with `what` after `timeoutMs`. */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 15_000): Promise<void> {
  const started = Date.now();
  while (!(await check())) {
    if (Date.now() - started > timeoutMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

const readText = (path: string) => readFile(path, 'utf8').catch(() => '');

/**
 * The environment for a nested npm: under `npm test` the outer npm exports its settings, and its
 * npm_config_local_prefix would make `npm pack` pack the checkout instead of the staging copy.
 */
function npmEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const name of ['npm_config_local_prefix', 'npm_config_prefix', 'npm_config_global_prefix', 'npm_config_global', 'npm_config_location']) delete env[name];
  return env;
}

let work: string;
let packed: { filename: string; files: string[] };
let prefix: string;
let daemon: ChildProcess | undefined;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tidemark-npm-pack-'));
  const stage = join(work, 'stage');
  await mkdir(join(stage, 'out'), { recursive: true });
  for (const path of ['package.json', 'README.md', 'bin', 'build/systemd', 'scripts/check-pack.mjs']) await cp(join(ROOT, path), join(stage, path), { recursive: true });
  // The CLI as `npm run build` makes it, built here so that out/ is neither needed nor touched.
  const vite = await run(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '-c', join(ROOT, 'vite.cli.config.ts'), '--outDir', join(stage, 'out/cli'), '--emptyOutDir', '--logLevel', 'error'], { cwd: ROOT, timeoutMs: 60_000 });
  if (vite.code !== 0) throw new Error(`building the CLI failed:\n${tail(vite.stderr)}`);
  // The screens are packed when the checkout has built them (npm test builds first).
  if (existsSync(join(ROOT, 'out/renderer/index.html'))) await cp(join(ROOT, 'out/renderer'), join(stage, 'out/renderer'), { recursive: true });

  const pack = await run('npm', ['pack', '--json', '--pack-destination', work], { cwd: stage, timeoutMs: 60_000, env: npmEnv() });
  if (pack.code !== 0) throw new Error(`npm pack failed (${pack.code}):\n${tail(pack.stderr)}`);
  const [entry] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packed = { filename: join(work, entry!.filename), files: entry!.files.map((file) => file.path) };
}, 90_000);

afterAll(async () => {
  if (daemon && daemon.exitCode === null && daemon.signalCode === null) daemon.kill('SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

describe('npm pack and npm install -g', () => {
  it('packs the built CLI, its entry and the docs, and no sources', () => {
    expect(packed.files).toEqual(expect.arrayContaining(['package.json', 'README.md', 'bin/tidemark.js', 'out/cli/tidemark.js', 'build/systemd/tidemark@.service']));
    if (existsSync(join(ROOT, 'out/renderer/index.html'))) expect(packed.files).toContain('out/renderer/index.html');
    expect(packed.files.filter((path) => /^(src-|test\/|scripts\/|node_modules\/)|\.map$|\.ts$/.test(path))).toEqual([]);
  });

  it('installs from the tarball without install scripts, devDependencies or electron, and runs tidemark -version', async () => {
    prefix = join(work, 'prefix');
    const install = await run('npm', ['install', '--global', '--prefix', prefix, packed.filename, '--ignore-scripts', '--prefer-offline', '--no-audit', '--no-fund', '--fetch-timeout=30000', '--fetch-retries=1', '--loglevel=error'], { cwd: work, timeoutMs: INSTALL_TIMEOUT_MS, env: npmEnv() });
    if (install.timedOut || install.code !== 0) {
      const what = install.timedOut ? `did not finish within ${INSTALL_TIMEOUT_MS / 1000} s` : `failed with exit code ${install.code}`;
      throw new Error(`npm install -g of the packed tarball ${what}. Its dependencies come from the npm cache or the npm registry: is the registry reachable (npm ping)? npm said:\n${tail(install.stderr + install.stdout)}`);
    }
    const installed = join(prefix, 'lib/node_modules/tidemark');
    expect(existsSync(join(installed, 'node_modules/valibot'))).toBe(true);
    for (const notShipped of ['electron', 'electron-builder', 'vite', 'svelte', 'typescript']) expect(existsSync(join(installed, 'node_modules', notShipped)), notShipped).toBe(false);
    expect(existsSync(join(installed, 'src-main'))).toBe(false);

    const version = await run(join(prefix, 'bin/tidemark'), ['-version'], { cwd: work, timeoutMs: 20_000 });
    expect(version.stderr).toBe('');
    expect(version.stdout).toContain(`Version: ${pkg.version}`);
    expect(version.code).toBe(0);
  }, INSTALL_TIMEOUT_MS + 30_000);

  it('mirrors a directory with the installed tidemark -nodaemon -rsync, and exits 143 on TERM', async () => {
    if (!prefix) throw new Error('the install above failed');
    const source = join(work, 'source');
    const target = join(work, 'target');
    const state = join(work, 'state');
    await mkdir(source);
    await mkdir(target);
    await writeFile(join(source, 'before.txt'), 'there before the start\n');

    const child = spawn(join(prefix, 'bin/tidemark'), ['-nodaemon', '-delay', '0', '-rsync', source, target], {
      cwd: work,
      env: { ...process.env, TIDEMARK_STATE_DIR: state, XDG_RUNTIME_DIR: join(state, 'run') },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    daemon = child;
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await until('the startup sync to copy before.txt', async () => (await readText(join(target, 'before.txt'))) === 'there before the start\n');
      await writeFile(join(source, 'live.txt'), 'written while it runs\n');
      await until('the live sync to copy live.txt', async () => (await readText(join(target, 'live.txt'))) === 'written while it runs\n');
    } catch (error) {
      throw new Error(`${(error as Error).message}\n--- tidemark said:\n${tail(output, 30)}`);
    }
    child.kill('SIGTERM');
    const code = await Promise.race([exited, new Promise<'hung'>((resolve) => setTimeout(() => resolve('hung'), 10_000))]);
    expect(code, output).toBe(143);
  }, 60_000);
});
