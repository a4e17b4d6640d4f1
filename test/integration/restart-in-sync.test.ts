// A restart onto a target already in sync: the check's dry run is the whole startup sync, so
// no second walk of the tree runs; one difference and the full sync runs as usual.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SyncRunner } from '../../src-main/core/daemon/sync-runner';
import { systemClock } from '../../src-main/core/session/system-clock';
import { spawnRunner, type ProcessRunner } from '../../src-main/core/transport/process-runner';
import { testSync } from './support/test-sync';

let cleanup: (() => Promise<void>) | undefined;
afterEach(async () => {
  await cleanup?.();
  cleanup = undefined;
});

/** A runner on a source and a copy of it (cp -a), counting the rsyncs it starts. */
async function restartOnCopy(change?: (target: string) => Promise<void>): Promise<{ runner: SyncRunner; rsyncs: string[][]; source: string; target: string }> {
  const base = await mkdtemp(join(tmpdir(), 'tidemark-restart-'));
  const source = join(base, 'src');
  const target = join(base, 'dst');
  for (const dir of ['a', 'b', 'c']) {
    await mkdir(join(source, dir, 'deep'), { recursive: true });
    await writeFile(join(source, dir, 'deep/f'), `in ${dir}`);
  }
  execFileSync('cp', ['-a', `${source}/.`, target]);
  await change?.(target);
  const rsyncs: string[][] = [];
  const counting: ProcessRunner = { run: (file, args, options) => (file === 'rsync' && rsyncs.push([...args]), spawnRunner.run(file, args, options)) };
  const runner = new SyncRunner({ id: 'restart', config: testSync({ source, target: { kind: 'local', dir: target } }), clock: systemClock, runner: counting });
  await runner.start();
  await runner.settled();
  cleanup = async () => {
    await runner.stop();
    await rm(base, { recursive: true, force: true });
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
