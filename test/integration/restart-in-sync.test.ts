// A restart onto a target already in sync: the check's dry run is the whole startup sync, so
// no second walk of the tree runs; one difference and the full sync runs as usual.
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncRunner } from '../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../src-main/core/session/system-clock';
import { spawnRunner, type ProcessRunner } from '../../src-main/core/transport/process-runner';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { testSync } from './support/test-sync';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/**
 * A runner on a source and a copy of it (cp -a; rsync -a and chown to the sshd's user for a
 * remote target), counting the rsyncs it starts.
 */
async function restartOnCopy(change?: (target: string) => Promise<void>, sshd?: SshdFixture): Promise<{ runner: SyncRunner; rsyncs: string[][]; source: string; target: string }> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-restart-'));
  const source = join(base, 'src');
  const target = sshd ? join(sshd.home, `restart-${base.slice(-6)}`) : join(base, 'dst');
  for (const dir of ['a', 'b', 'c']) {
    await mkdir(join(source, dir, 'deep'), { recursive: true });
    await writeFile(join(source, dir, 'deep/f'), `in ${dir}`);
  }
  if (sshd) {
    execFileSync('rsync', ['-a', `${source}/`, `${target}/`]);
    execFileSync('chown', ['-R', `${sshd.user}:`, target]);
  } else execFileSync('cp', ['-a', `${source}/.`, target]);
  await change?.(target);
  const rsyncs: string[][] = [];
  const counting: ProcessRunner = { run: (file, args, options) => (file === 'rsync' && rsyncs.push([...args]), spawnRunner.run(file, args, options)) };
  const where = sshd
    ? testSync({ source, target: { kind: 'ssh', host: `${sshd.user}@${sshd.host}`, dir: target }, ssh: { binary: 'ssh', options: {}, extra: sshd.sshArgs() } })
    : testSync({ source, target: { kind: 'local', dir: target } });
  const runner = new SyncRunner({ id: 'restart', config: where, clock: systemClock, runner: counting, runtimeDir: join(base, 'run') });
  await runner.start();
  await runner.settled();
  cleanup = async () => {
    await runner.stop();
    await rm(base, { recursive: true, force: true });
    await rm(target, { recursive: true, force: true });
  };
  return { runner, rsyncs, source, target };
}

describe('a restart onto a target already in sync', () => {
  it('runs the dry run only: no rsync that writes', async () => {
    const { runner, rsyncs } = await restartOnCopy();
    expect(runner.state.kind).toBe('idle');
    expect(rsyncs.length).toBeGreaterThan(0);
    expect(rsyncs.filter((args) => !args.includes('--dry-run'))).toEqual([]);
  });

  it('with one file missing on the target, runs the full sync after the check', async () => {
    const { runner, rsyncs, source, target } = await restartOnCopy(async (t) => {
      await rm(join(t, 'b/deep/f'));
    });
    expect(runner.state.kind).toBe('idle');
    expect(rsyncs.filter((args) => !args.includes('--dry-run')).length).toBeGreaterThan(0);
    expect(await readFile(join(target, 'b/deep/f'), 'utf8')).toBe(await readFile(join(source, 'b/deep/f'), 'utf8'));
  });
});

describe('a restart onto a remote target already in sync (loopback sshd)', () => {
  let sshd: SshdFixture;
  beforeAll(async () => {
    sshd = await startSshd({ createUser: true });
  }, 60_000);
  afterAll(async () => sshd?.dispose());

  it("runs the dry run only, though rsync sends directories' times in whole seconds over ssh", async () => {
    const { runner, rsyncs } = await restartOnCopy(undefined, sshd);
    expect(runner.state.kind).toBe('idle');
    expect(rsyncs.length).toBeGreaterThan(0);
    expect(rsyncs.filter((args) => !args.includes('--dry-run'))).toEqual([]);
  });
});
