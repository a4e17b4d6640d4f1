// The Linux package as `npm run dist` configures it (electron-builder.yml). Checked everywhere
// with a stand-in Electron distribution, which electron-builder only copies, and a stand-in fpm:
// app.asar holds the app root the code reads at runtime, the production dependencies and no
// sources; resources/bin/tidemark (the deb's /usr/bin/tidemark) runs the packaged CLI; the deb
// gets the CLI link, the unit, the depends and the desktop entry. Launching the packaged app
// (`--linux dir`) needs a real Electron distribution (electron-availability.ts) and a display, so
// that part skips here with the reason. Every electron-builder run has a bounded time and a
// refused mirror, so a missing file can never become a hanging download.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, readlinkSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { extractAll, listPackage } from '@electron/asar'; // electron-builder's own asar library
import { _electron } from 'playwright-core';
import { findElectronBinary } from './electron-availability';
import pkg from '../../package.json' with { type: 'json' };

const ROOT = join(import.meta.dirname, '../..');
const BUILDER_TIMEOUT_MS = 120_000;
/** Where the deb installs the app (/opt/${productName}) and what /usr/bin/tidemark links to. */
const DEB_CLI = '/opt/Tidemark/resources/bin/tidemark';

const notBuilt = ['out/main/main.js', 'out/preload/index.cjs', 'out/renderer/index.html', 'out/cli/tidemark.js'].filter((path) => !existsSync(join(ROOT, path)));
const buildSkip = notBuilt.length > 0 ? `Packaging test skipped: the app is not built (${notBuilt.join(', ')} missing); run \`npm run build\` first.` : null;
const electron = findElectronBinary();
const launchSkip = buildSkip
  ?? ('missing' in electron ? `Packaged-app launch skipped: ${electron.missing}. It runs wherever an Electron distribution exists (set ELECTRON_OVERRIDE_DIST_PATH).` : null)
  ?? (process.env.DISPLAY ? null : 'Packaged-app launch skipped: no DISPLAY (run the suite under xvfb-run -a).');
for (const reason of new Set([buildSkip, launchSkip])) if (reason) console.warn(reason);

interface Finished {
  readonly code: number | null;
  readonly output: string;
}

/** Runs a command to its end, killed after `timeoutMs` (then it fails, saying so). */
function run(command: string, args: readonly string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<Finished> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} ${args.join(' ')} did not finish within ${timeoutMs / 1000} s:\n${output}`));
    }, timeoutMs);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/**
 * `electron-builder --linux TARGET` of this checkout with `electronDist` (an unpacked Electron)
 * into `output`; returns linux-unpacked. Downloads are pointed at a closed local port, so anything
 * it would fetch fails at once instead of waiting on the network.
 */
async function packLinux(target: 'dir' | 'deb', electronDist: string, output: string, moreEnv: NodeJS.ProcessEnv = {}): Promise<string> {
  const env = {
    ...process.env,
    ...moreEnv,
    ELECTRON_BUILDER_CACHE: join(output, 'cache'),
    ELECTRON_MIRROR: 'http://127.0.0.1:9/',
    ELECTRON_BUILDER_BINARIES_MIRROR: 'http://127.0.0.1:9/',
    ELECTRON_BUILDER_BINARIES_ALLOW_HTTP: 'true',
  };
  const builder = join(ROOT, 'node_modules/electron-builder/cli.js');
  const args = [builder, '--linux', target, '--publish', 'never', `-c.electronDist=${electronDist}`, `-c.directories.output=${output}`];
  const built = await run(process.execPath, args, env, BUILDER_TIMEOUT_MS);
  if (built.code !== 0) throw new Error(`electron-builder --linux ${target} failed (${built.code}):\n${built.output}`);
  return join(output, 'linux-unpacked');
}

/** An Electron distribution whose `electron` is Node: enough for electron-builder to copy, and to run the CLI. */
async function stubElectronDist(dir: string): Promise<string> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  await writeFile(join(dir, 'electron'), `#!/bin/sh\n# Stands in for Electron with ELECTRON_RUN_AS_NODE=1.\nexec '${process.execPath}' "$@"\n`);
  chmodSync(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'version'), '0.0.0-stub');
  await writeFile(join(dir, 'LICENSE'), 'stub');
  return dir;
}

let work: string;
beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'tidemark-packaging-'));
});
afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true });
});

describe('the Linux package (electron-builder, as npm run dist configures it)', () => {
  /**
   * One build for the checks that need no real Electron: the deb target with a stand-in Electron
   * and a stand-in fpm (USE_SYSTEM_FPM) that records what electron-builder asks of the real one;
   * the deb target lays out linux-unpacked as the dir target does.
   */
  let stubBuild: Promise<{ unpacked: string; tools: string }> | undefined;
  const stubPackage = () => (stubBuild ??= (async () => {
    const tools = join(work, 'fake-fpm');
    await mkdir(tools);
    await writeFile(join(tools, 'fpm'), `#!/bin/sh\nprintf '%s\\n' "$@" > '${tools}/args'\nfor arg in "$@"; do case "$arg" in *.desktop=*) cp "\${arg%%=*}" '${tools}/entry.desktop' ;; esac; done\n`);
    chmodSync(join(tools, 'fpm'), 0o755);
    const unpacked = await packLinux('deb', await stubElectronDist(join(work, 'stub-electron')), join(work, 'stub-release'), { USE_SYSTEM_FPM: 'true', PATH: `${tools}:${process.env.PATH ?? ''}` });
    return { unpacked, tools };
  })());

  it.skipIf(buildSkip !== null)('gives fpm the deb\'s contents: /usr/bin/tidemark, the unit, the depends and the desktop entry', async () => {
    const { tools } = await stubPackage();
    const args = (await readFile(join(tools, 'args'), 'utf8')).split('\n');
    const depends = args.flatMap((arg, i) => (args[i - 1] === '-d' ? [arg] : []));
    expect(depends).toEqual(expect.arrayContaining(['rsync', 'openssh-client', 'libsecret-1-0']));
    expect(args).toEqual(expect.arrayContaining(['build/linux/usr-bin-tidemark=/usr/bin/tidemark', 'build/systemd/tidemark@.service=/usr/lib/systemd/system/tidemark@.service']));
    expect(args.some((arg) => arg.endsWith(`linux-unpacked/=${dirname(dirname(dirname(DEB_CLI)))}`)), 'the app goes where /usr/bin/tidemark points').toBe(true);
    // The entry's file name is package.json's desktopName, which Electron reports as its app_id.
    expect(args.some((arg) => arg.endsWith(`=/usr/share/applications/${pkg.desktopName}`))).toBe(true);
    const entry = await readFile(join(tools, 'entry.desktop'), 'utf8');
    for (const line of ['Name=Tidemark', 'Exec=/opt/Tidemark/tidemark-desktop %U', 'Icon=tidemark-desktop', `StartupWMClass=${pkg.desktopName.replace(/\.desktop$/, '')}`, 'Categories=Network;FileTransfer;Utility;']) expect(entry).toContain(line);
    expect(entry).toMatch(/^Comment=\S/m);
  }, BUILDER_TIMEOUT_MS + 30_000);

  it.skipIf(buildSkip !== null)('lays out the app root, the production dependencies and the CLI launcher', async () => {
    const { unpacked } = await stubPackage();
    expect(existsSync(join(unpacked, 'tidemark-desktop')), 'the executable is named linux.executableName').toBe(true);

    const asar = join(unpacked, 'resources/app.asar');
    const entries = listPackage(asar, { isPack: false });
    const root = entries.filter((path) => !path.startsWith('/node_modules/'));
    // What the code reads relative to the app root: main.ts, tray-icons.ts, run-ui.ts, bin/tidemark.js.
    expect(root).toEqual(expect.arrayContaining(['/package.json', '/bin/tidemark.js', '/out/main/main.js', '/out/preload/index.cjs', '/out/renderer/index.html', '/out/cli/tidemark.js', '/build/icon.png', '/build/icons/tray-idle-24.png', '/build/icons/tray-error-48.png']));
    expect(root.filter((path) => /^\/(src-|test|scripts|docs)|\.map$|\.ts$/.test(path))).toEqual([]);
    const modules = new Set(entries.filter((path) => path.startsWith('/node_modules/')).map((path) => path.split('/').slice(2, path.startsWith('/node_modules/@') ? 4 : 3).join('/')));
    for (const dependency of Object.keys(pkg.dependencies)) expect(modules.has(dependency), `${dependency} is packed`).toBe(true);
    for (const devDependency of ['electron', 'electron-builder', 'vite', 'svelte', 'vitest']) expect(modules.has(devDependency), `${devDependency} is not packed`).toBe(false);
    if (existsSync(join(ROOT, 'node_modules/keytar/build/Release/keytar.node'))) {
      expect(existsSync(join(unpacked, 'resources/app.asar.unpacked/node_modules/keytar/build/Release/keytar.node')), 'keytar is loadable outside the asar').toBe(true);
    }

    // The deb's /usr/bin/tidemark is a link to the launcher at the place the deb installs it.
    const launcher = join(unpacked, 'resources/bin/tidemark');
    expect(statSync(launcher).mode & 0o111, 'the launcher is executable').not.toBe(0);
    expect(readlinkSync(join(ROOT, 'build/linux/usr-bin-tidemark'))).toBe(DEB_CLI);

    // Node reads no asar, so the stand-in gets the archive unpacked in its place: the launcher then
    // runs the packaged CLI with the packaged node_modules, as Electron's node mode would.
    await extractAll(asar, join(unpacked, 'resources/app.asar.dir'));
    await rm(asar);
    await rename(join(unpacked, 'resources/app.asar.dir'), asar);
    const version = await run(launcher, ['-version'], process.env, 30_000);
    expect(version.output).toContain(`Version: ${pkg.version}`);
    expect(version.code).toBe(0);
  }, BUILDER_TIMEOUT_MS + 60_000);

  it.skipIf(launchSkip !== null)('starts the packaged app, which answers app:info, and its CLI runs in Electron\'s node mode', async () => {
    if (!('path' in electron)) throw new Error('unreachable: guarded by skipIf');
    const unpacked = await packLinux('dir', dirname(electron.path), join(work, 'release'));
    const app = await _electron.launch({ executablePath: join(unpacked, 'tidemark-desktop'), args: ['--no-sandbox'], timeout: 30_000 });
    try {
      const window = await app.firstWindow({ timeout: 30_000 });
      await expect.poll(() => window.getByTestId('version').textContent(), { timeout: 15_000 }).toBe(`Version ${pkg.version} (electron)`);
    } finally {
      await app.close();
    }
    const version = await run(join(unpacked, 'resources/bin/tidemark'), ['-version'], process.env, 30_000);
    expect(version.output).toContain(`Version: ${pkg.version}`);
    expect(version.code).toBe(0);
  }, BUILDER_TIMEOUT_MS + 90_000);
});
