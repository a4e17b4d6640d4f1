// Profiles from the built CLI: import an lsyncd config, list it, run it by name (a local target
// mirrors), check it by name, export it, and have lsyncd 2.2.3 itself run the export.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { readText, until, useCli } from './support/cli-run';

const cli = useCli();
let base: string | undefined;
afterEach(async () => {
  if (base) await rm(base, { recursive: true, force: true });
  base = undefined;
});

/** A temp dir with a source of a few files, a config home, and a state dir. */
async function workspace() {
  base = await mkdtemp(join(tmpdir(), 'tidemark-profiles-cli-'));
  const w = { base, source: join(base, 'src'), target: join(base, 'dst'), config: join(base, 'config'), state: join(base, 'state'), lua: join(base, 'lsyncd.conf.lua') };
  await mkdir(join(w.source, 'docs'), { recursive: true });
  await writeFile(join(w.source, 'docs/readme.txt'), 'hello');
  await writeFile(join(w.source, 'skip.tmp'), 'excluded');
  return w;
}

type Workspace = Awaited<ReturnType<typeof workspace>>;

/** Runs the CLI to its end in `w`, with its own XDG_CONFIG_HOME. */
async function tidemark(w: Workspace, args: string[]) {
  const run = cli.tidemark(args, { cwd: w.base, stateDir: w.state, env: { XDG_CONFIG_HOME: w.config } });
  const { code } = await run.exited;
  return { code, stdout: run.stdout(), stderr: run.stderr() };
}

const config = (w: Workspace) => `settings { nodaemon = true }
sync {
  default.rsync,
  source = "${w.source}",
  target = "${w.target}",
  delay = 0,
  exclude = { "*.tmp" },
  excludeFrom = "${join(w.base, 'excludes')}",
  reconcile = "delete",
  maxDeletes = 500,
}
`;

describe('tidemark import, profiles, export', () => {
  it('imports a config into a 0600 profile, says what mapped, lists it, and refuses to overwrite it without --force', async () => {
    const w = await workspace();
    await writeFile(join(w.base, 'excludes'), '*.bak\n');
    await writeFile(w.lua, config(w));
    const imported = await tidemark(w, ['import', w.lua, '--name', 'site']);
    expect(imported.code).toBe(0);
    const file = join(w.config, 'tidemark/profiles/site.json');
    expect(imported.stdout).toContain(`Imported ${w.lua} into profile 'site' (${file}).`);
    expect(imported.stdout).toContain(`${w.lua}:5: target: -> $.syncs[0].target`);
    expect(imported.stdout).toMatch(/Not mapped \(1\):\n.*lsyncd\.conf\.lua:8: excludeFrom: the file is not linked/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(JSON.parse(await readFile(file, 'utf8')).syncs[0].filters).toEqual(['- *.tmp', '- *.bak']);

    const again = await tidemark(w, ['import', w.lua, '--name', 'site']);
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/a profile named 'site' exists already .*add --force to replace it/);
    expect((await tidemark(w, ['import', w.lua, '--name', 'site', '--force'])).code).toBe(0);

    const listed = await tidemark(w, ['profiles']);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^NAME\s+ENABLED\s+SOURCE\s+TARGET\s+PAIRING$/);
    expect(listed.stdout).toMatch(new RegExp(`^site\\s+yes\\s+${w.source}\\s+${w.target}\\s+-$`, 'm'));
  });

  it('refuses a profile name that is a path', async () => {
    const w = await workspace();
    await writeFile(w.lua, config(w));
    const run = await tidemark(w, ['import', w.lua, '--name', '../escape']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/profile name "..\/escape" is a path/);
    expect(existsSync(join(w.config, 'tidemark/escape.json'))).toBe(false);
  });

  it('exports a config that lsyncd 2.2.3 runs: it mirrors, and its log says the startup finished', async () => {
    const w = await workspace();
    await writeFile(join(w.base, 'excludes'), '*.bak\n');
    await writeFile(w.lua, config(w));
    expect((await tidemark(w, ['import', w.lua, '--name', 'site'])).code).toBe(0);
    const exported = await tidemark(w, ['export', 'site']);
    expect(exported.code).toBe(0);
    expect(exported.stdout).toContain('rawget(_G, "tidemark") and { reconcile = "delete", maxDeletes = 500 } or nil,');
    const out = join(w.base, 'exported.lua');
    await writeFile(out, exported.stdout);
    // Tidemark reads the export back into the same profile.
    expect((await tidemark(w, ['import', out, '--name', 'again'])).code).toBe(0);
    expect(await readFile(join(w.config, 'tidemark/profiles/again.json'), 'utf8')).toBe(await readFile(join(w.config, 'tidemark/profiles/site.json'), 'utf8'));

    const log = join(w.base, 'lsyncd.log');
    const lsyncd = spawn('/usr/bin/lsyncd', ['-nodaemon', '-log', 'all', '-logfile', log, out], { cwd: w.base, stdio: 'ignore' });
    try {
      await until('lsyncd to finish its startup', async () => /Normal: Startup of .* finished/.test(await readText(log)), 30_000);
      expect(await readText(log)).not.toMatch(/Error/);
      expect(await readFile(join(w.target, 'docs/readme.txt'), 'utf8')).toBe('hello');
      expect(existsSync(join(w.target, 'skip.tmp'))).toBe(false);
    } finally {
      // lsyncd finishes a running transfer on TERM; one that hangs is killed after 5 s.
      const exited = new Promise((resolve) => (lsyncd.exitCode !== null || lsyncd.signalCode !== null ? resolve(undefined) : lsyncd.on('exit', resolve)));
      if (lsyncd.pid !== undefined && lsyncd.exitCode === null) process.kill(lsyncd.pid, 'SIGTERM');
      const killer = setTimeout(() => lsyncd.kill('SIGKILL'), 5000);
      await exited;
      clearTimeout(killer);
    }
  });
});

describe('a profile NAME wherever a config file goes', () => {
  it('run NAME mirrors to a local target and follows changes; check NAME reads the same profile', async () => {
    const w = await workspace();
    await writeFile(join(w.base, 'excludes'), '*.bak\n');
    await writeFile(w.lua, config(w));
    expect((await tidemark(w, ['import', w.lua, '--name', 'site'])).code).toBe(0);
    const check = await tidemark(w, ['check', 'site']);
    expect(check.stderr).toBe('');
    expect([0, 3]).toContain(check.code);

    const run = cli.tidemark(['run', 'site', '-nodaemon'], { cwd: w.base, stateDir: w.state, env: { XDG_CONFIG_HOME: w.config } });
    await until('the startup sync', () => existsSync(join(w.target, 'docs/readme.txt')));
    await writeFile(join(w.source, 'docs/later.txt'), 'live');
    await until('a live change', () => existsSync(join(w.target, 'docs/later.txt')));
    await rm(join(w.source, 'skip.tmp'));
    await waitForConvergence(w.source, w.target, 15_000);
    run.child.kill('SIGTERM');
    expect((await run.exited).code).toBe(143);
  });

  it('says clearly when a word is neither a config file nor a profile', async () => {
    const w = await workspace();
    for (const args of [['run', 'nosuch'], ['check', 'nosuch'], ['kept', 'nosuch'], ['restore', 'nosuch']]) {
      const run = await tidemark(w, args);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain(`'nosuch' is neither a config file (there is no ${join(w.base, 'nosuch')}) nor a profile (none in ${join(w.config, 'tidemark/profiles')}; tidemark profiles lists them)`);
    }
    const bare = await tidemark(w, ['nosuch']);
    expect(bare.code).toBe(2);
    expect(bare.stderr).toMatch(/unknown command "nosuch", and no config file or profile by that name/);
  });

  it('reports a broken profile with its file and JSON path, touching nothing', async () => {
    const w = await workspace();
    await mkdir(join(w.config, 'tidemark/profiles'), { recursive: true });
    await writeFile(join(w.config, 'tidemark/profiles/bad.json'), JSON.stringify({ enabled: true, syncs: [{ source: w.source, target: { kind: 'local', dir: w.target }, delay: 'soon' }] }));
    const run = await tidemark(w, ['run', 'bad', '-nodaemon']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('bad.json: $.syncs[0].delay: must be number (got "soon")\n');
    expect(existsSync(w.target)).toBe(false);
    const listed = await tidemark(w, ['profiles']);
    expect(listed.stdout).toMatch(/^bad\s+invalid\s+-\s+bad\.json: \$\.syncs\[0\]\.delay: must be number/m);
  });
});
