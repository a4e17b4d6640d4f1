// An rsync daemon target (`target = "rsync://host:port/module/dir"` or `host::module/dir`) on
// real parts: the fixture's rsync --daemon on 127.0.0.1, a real SyncRunner (real inotify, real
// rsync) and, at the end, the built CLI on an lsyncd config. Everything crosses the daemon
// protocol only: there is no shell on the other side.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { lstat, mkdir, readFile, readdir, rename, rm, symlink, unlink, writeFile, chmod } from 'node:fs/promises';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startRsyncd, type RsyncdFixture } from '../fixtures/rsyncd';
import { printablePath, waitForConvergence } from '../fixtures/tree-oracle';
import { until, useCli } from './support/cli-run';
import { NAMES } from './support/hostile-names';
import { printLogsOnFailure, type LocalMirror } from './support/local-mirror';
import { startRsyncdMirror, type RsyncdMirrorOptions } from './support/rsyncd-mirror';
import { stateBecomes } from './support/test-sync';

const { tidemark } = useCli();
const CONVERGE_MS = 20_000;
const exists = (path: string | Buffer) => lstat(path).then(() => true, () => false);

let rsyncd: RsyncdFixture;
beforeAll(async () => {
  rsyncd = await startRsyncd();
}, 30_000);
afterAll(async () => rsyncd?.dispose());

let mirror: LocalMirror | undefined;
afterEach(async () => {
  await rsyncd.start(); // a test that stopped the daemon gets it back
  await mirror?.dispose();
  mirror = undefined;
});

async function start(options: Omit<RsyncdMirrorOptions, 'rsyncd'> = {}): Promise<LocalMirror> {
  const m = (mirror = await startRsyncdMirror({ rsyncd, ...options }));
  printLogsOnFailure(m);
  return m;
}

const converge = (m: LocalMirror) => waitForConvergence(m.source, m.target, CONVERGE_MS);

describe('rsync daemon target: mirroring', () => {
  it('copies the tree at startup, then creates, writes, permissions and symlinks; a renamed directory arrives under its new name and the old one goes; deletes', async () => {
    const m = await start({
      prepare: async (s) => {
        await mkdir(join(s, 'dir/deep'), { recursive: true });
        await writeFile(join(s, 'dir/deep/one.txt'), 'one');
        await writeFile(join(s, 'top.txt'), 'top');
      },
    });
    expect(await readFile(join(m.target, 'dir/deep/one.txt'), 'utf8')).toBe('one');
    await writeFile(join(m.source, 'two.txt'), 'two');
    await mkdir(join(m.source, 'new/deeper'), { recursive: true });
    await writeFile(join(m.source, 'new/deeper/three.txt'), 'three');
    await symlink('two.txt', join(m.source, 'link'));
    await writeFile(join(m.source, 'top.txt'), 'top, rewritten');
    await chmod(join(m.source, 'dir/deep/one.txt'), 0o600);
    await converge(m);

    await rename(join(m.source, 'dir'), join(m.source, 'renamed'));
    await converge(m);
    expect(await exists(join(m.target, 'dir'))).toBe(false);
    expect(await readFile(join(m.target, 'renamed/deep/one.txt'), 'utf8')).toBe('one');

    await unlink(join(m.source, 'two.txt'));
    await rm(join(m.source, 'new'), { recursive: true });
    await converge(m);
    expect(await exists(join(m.target, 'new'))).toBe(false);
    expect(m.logs.join('\n')).not.toMatch(/Error|halt/i);
  });

  it('hostile names arrive byte for byte at startup and live, follow a directory rename and go with their deletes', async () => {
    const b = (text: string) => Buffer.from(text);
    const at = (root: string, ...parts: (string | Buffer)[]) => Buffer.concat([b(root), ...parts.flatMap((part) => [b('/'), typeof part === 'string' ? b(part) : part])]);
    const fill = async (dir: Buffer, label: string) => {
      await mkdir(Buffer.concat([dir, b('/sub')]), { recursive: true });
      for (const { name } of NAMES) {
        await writeFile(Buffer.concat([dir, b('/'), name]), `${label}: ${printablePath(name)}`);
        await mkdir(Buffer.concat([dir, b('/sub/'), name]));
        await writeFile(Buffer.concat([dir, b('/sub/'), name, b('/inner')]), 'inner');
      }
    };
    // Deleting one directory of them removes over half of the tree: the breaker has its own tests.
    const m = await start({ prepare: (s) => fill(at(s, 'startup'), 'startup'), safety: { maxDeletePercent: false } });
    expect((await readdir(at(m.target, 'startup'), { encoding: 'buffer' })).length).toBe(NAMES.length + 1);
    await fill(at(m.source, 'live'), 'live');
    await converge(m);
    await rename(at(m.source, 'live'), at(m.source, 'moved'));
    await converge(m);
    expect(await exists(at(m.target, 'live'))).toBe(false);
    for (const { name } of NAMES) await unlink(at(m.source, 'startup', name));
    await rm(at(m.source, 'moved', 'sub'), { recursive: true });
    await converge(m);
    expect((await readdir(at(m.target, 'startup'), { encoding: 'buffer' })).map(String)).toEqual(['sub']);
  });

  it('a module that wants a password gets it from rsync.password_file, and the password appears in no log', async () => {
    const m = await start({
      module: 'secure',
      address: (dir) => `${rsyncd.user}@127.0.0.1::secure/${dir}`,
      rsyncValues: { password_file: rsyncd.passwordFile() },
      // host::module has no port of its own: rsync takes it from --port.
      rsyncExtra: [`--port=${rsyncd.port}`],
      prepare: async (s) => writeFile(join(s, 'secret.txt'), 'behind a password'),
    });
    await mkdir(join(m.source, 'later'));
    await writeFile(join(m.source, 'later/file'), 'live');
    await converge(m);
    expect(m.logs.join('\n')).not.toContain(rsyncd.password);
  });
});

describe('rsync daemon target: failures, each with what to do', () => {
  it('a wrong password halts the target: the login was refused, with where the password comes from', async () => {
    const m = await start({ module: 'secure', address: (dir) => rsyncd.url('secure', dir, rsyncd.user), rsyncValues: { password_file: rsyncd.passwordFile('not the password') }, settle: false });
    expect(await stateBecomes(m, 'halted')).toMatch(/refused the login to module secure: .*password_file/);
  });

  it('no password at all halts the same way, and never waits on a terminal prompt', async () => {
    const m = await start({ module: 'secure', address: (dir) => rsyncd.url('secure', dir, rsyncd.user), settle: false });
    expect(await stateBecomes(m, 'halted')).toMatch(/refused the login to module secure/);
  });

  it('an unknown module halts, saying how to list the modules', async () => {
    const m = await start({ address: (dir) => rsyncd.url('nomodule', dir), settle: false });
    expect(await stateBecomes(m, 'halted')).toMatch(/no module 'nomodule'.*rsync --list-only/);
  });

  it('a read-only module halts, saying what to set in rsyncd.conf', async () => {
    const m = await start({ module: 'ro', settle: false, prepare: (s) => writeFile(join(s, 'f'), 'x') });
    expect(await stateBecomes(m, 'halted')).toMatch(/read only = false/);
  });

  it('an unreachable daemon puts the target in retrying; once it is back, what changed meanwhile arrives', async () => {
    const m = await start({ prepare: (s) => writeFile(join(s, 'before'), 'before') });
    await rsyncd.stop();
    await writeFile(join(m.source, 'during'), 'written while the daemon was down');
    expect(await stateBecomes(m, 'retrying')).toMatch(/no rsync daemon answers there/);
    await rsyncd.start();
    await converge(m);
  });
});

describe('rsync daemon target: the restart check', () => {
  it('a file written only on the target while Tidemark was stopped waits for a decision, untouched; pull brings it into the source', async () => {
    const first = await start({ prepare: (s) => writeFile(join(s, 'a.txt'), 'a') });
    const m = (mirror = await first.restart!(async (_, target) => {
      await mkdir(join(target, 'extra'));
      await writeFile(join(target, 'extra/notes.txt'), 'written on the target');
    }));
    expect(await stateBecomes(m, 'awaiting-decision')).toBeDefined();
    const entries = m.runner.report?.entries.map((entry) => [entry.path, entry.risk, entry.entry, entry.atRisk]);
    expect(entries).toEqual([
      ['extra', 'target-only', 'dir', true],
      ['extra/notes.txt', 'target-only', 'file', true],
    ]);
    expect(await readFile(join(m.target, 'extra/notes.txt'), 'utf8')).toBe('written on the target');
    expect((await m.runner.decide('pull')).kind).toBe('ok');
    expect(await readFile(join(m.source, 'extra/notes.txt'), 'utf8')).toBe('written on the target');
    await converge(m);
  });

  it("trash moves the target-only entries into .tidemark-trash/STAMP/ on the daemon (a deletion with --backup-dir), and the mirror converges", async () => {
    const first = await start({ prepare: (s) => writeFile(join(s, 'a.txt'), 'a') });
    const m = (mirror = await first.restart!(async (_, target) => {
      await mkdir(join(target, 'old/inner'), { recursive: true });
      await writeFile(join(target, 'old/inner/x'), 'target only');
    }));
    await stateBecomes(m, 'awaiting-decision');
    expect((await m.runner.decide('trash')).kind).toBe('ok');
    await waitForConvergence(m.source, m.target, CONVERGE_MS, { ignore: (rel) => rel.toString('latin1').startsWith('.tidemark-trash') });
    const stamps = await readdir(join(m.target, '.tidemark-trash'));
    expect(stamps).toHaveLength(1);
    expect(await readFile(join(m.target, '.tidemark-trash', stamps[0]!, 'old/inner/x'), 'utf8')).toBe('target only');
  });
});

describe('rsync daemon target: the CLI on an lsyncd config', () => {
  it('tidemark run mirrors to host::module/dir with a password file; after a stop, tidemark check finds a target-only file (exit 3) and --reconcile pull brings it back', async () => {
    const base = await mkdtemp(join(tmpdir(), 'tidemark-rsyncd-cli-'));
    const source = join(base, 'src');
    const dir = `cli-${base.slice(-6)}`;
    const target = join(rsyncd.pathOf('secure'), dir);
    const state = join(base, 'state');
    const config = join(base, 'lsyncd.conf.lua');
    try {
      await mkdir(join(source, 'docs'), { recursive: true });
      await writeFile(join(source, 'docs/readme'), 'hello');
      const passwordFile = rsyncd.passwordFile();
      await writeFile(
        config,
        `settings { nodaemon = true }\nsync {\n  default.rsync,\n  source = ${JSON.stringify(source)},\n  target = ${JSON.stringify(`${rsyncd.user}@127.0.0.1::secure/${dir}`)},\n  delay = 0,\n` +
          `  rsync = { password_file = ${JSON.stringify(passwordFile)}, _extra = { ${JSON.stringify(`--port=${rsyncd.port}`)} } },\n}\n`,
      );
      const run = tidemark(['run', config], { cwd: base, stateDir: state });
      await waitForConvergence(source, target, CONVERGE_MS);
      await writeFile(join(source, 'docs/live'), 'live');
      await waitForConvergence(source, target, CONVERGE_MS);
      expect(run.stdout() + run.stderr()).toContain(`tidemark@127.0.0.1::secure/${dir}/`);
      run.child.kill('SIGTERM');
      await run.exited;

      await writeFile(join(target, 'docs/target-only'), 'written on the target');
      const check = tidemark(['check', config], { cwd: base, stateDir: state });
      expect((await check.exited).code).toBe(3);
      expect(check.stdout()).toMatch(/target-only .* docs\/target-only/);
      const pull = tidemark(['check', config, '--reconcile', 'pull'], { cwd: base, stateDir: state });
      expect((await pull.exited).code).toBe(0);
      await until('the pulled file in the source', () => exists(join(source, 'docs/target-only')));
      expect(await readFile(join(source, 'docs/target-only'), 'utf8')).toBe('written on the target');
    } finally {
      await rm(base, { recursive: true, force: true });
      await rm(target, { recursive: true, force: true });
    }
  }, 60_000);
});
