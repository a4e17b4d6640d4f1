// A full target, for real: a 512 KiB tmpfs mounted as the target directory (we run as root),
// and a file larger than its free space. The file is set aside and retried on its own; the
// log and the status file name it, with its size and the target's free bytes; every change
// that fits keeps flowing, in the same batch and later ones; once there is room it arrives.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TidemarkConfig } from '../../src-main/core/config/model';
import { Daemon } from '../../src-main/core/daemon/daemon';
import { Logger } from '../../src-main/core/report/log-writer';
import { systemClock } from '../../src-main/core/session/system-clock';
import { spawnRunner } from '../../src-main/core/transport/process-runner';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { until } from './support/cli-run';
import { testSync } from './support/test-sync';

const MiB = 1024 * 1024;
const mounted: string[] = [];
let base: string | undefined;
let daemon: Daemon | undefined;
let logger: Logger | undefined;

afterEach(async () => {
  await daemon?.stop();
  daemon = undefined;
  logger?.close();
  for (const point of mounted.splice(0)) execFileSync('umount', [point], { stdio: 'ignore' });
  if (base) await rm(base, { recursive: true, force: true });
  base = undefined;
});
afterAll(() => {
  for (const point of mounted.splice(0)) execFileSync('umount', ['-l', point], { stdio: 'ignore' });
});

const read = (path: string) => readFile(path, 'utf8').catch(() => '');

describe('a target with less free space than one file needs', () => {
  it('sets the file aside, names it with its size and the free space, lets the rest flow, and sends it once there is room', async () => {
    base = await mkdtemp(join(tmpdir(), 'tidemark-full-'));
    const source = join(base, 'src');
    const target = join(base, 'dst');
    const log = join(base, 'tidemark.log');
    const status = join(base, 'tidemark.status');
    await mkdir(join(source, 'd'), { recursive: true });
    await writeFile(join(source, 'first.txt'), 'at startup');
    await mkdir(target);
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=512k', 'tidemark-full', target]);
    mounted.push(target);

    const config: TidemarkConfig = {
      settings: { statusInterval: 1, statusFile: status, nodaemon: true, insist: false, inotifyMode: 'CloseWrite' },
      syncs: [testSync({ source, target: { kind: 'local', dir: target } })],
    };
    logger = new Logger({ clock: systemClock, logfile: log });
    logger.open();
    daemon = new Daemon({ config, logger, clock: systemClock, runner: spawnRunner });
    await daemon.start();
    const [runner] = daemon.runners;
    await until('the startup sync', () => existsSync(join(target, 'first.txt')));

    // One batch: a 1 MiB file (the target has 512 KiB) between two that fit. The big file is
    // written beside the source and renamed in whole: written in place, its create event could
    // send it while still empty (delay 0), and an empty big.bin on the target is a fair outcome
    // but not the one this test is about.
    await writeFile(join(source, 'a-small.txt'), 'fits');
    await writeFile(join(base, 'big.bin'), Buffer.alloc(MiB, 1));
    await rename(join(base, 'big.bin'), join(source, 'big.bin'));
    await writeFile(join(source, 'd/z-small.txt'), 'fits too');
    await until('the changes that fit', async () => (await read(join(target, 'a-small.txt'))) === 'fits' && (await read(join(target, 'd/z-small.txt'))) === 'fits too');
    await until('the big file to be set aside', () => runner!.stalled.length === 1);
    expect(existsSync(join(target, 'big.bin'))).toBe(false);
    const [stalled] = runner!.stalled;
    expect(stalled!.stall.path).toBe('big.bin');
    expect(stalled!.stall.needs).toBe(MiB);
    expect(stalled!.stall.free).toBeGreaterThan(0);
    expect(stalled!.stall.free).toBeLessThanOrEqual(512 * 1024);

    // The log and the status file say which file, how many bytes it needs and how many are free.
    expect(await read(log)).toMatch(/no space left on the target: "big\.bin" needs 1\.0 MB \(1048576 bytes\), \d+\.\d KB \(\d+ bytes\) free on the target; it is set aside/);
    await until('the status file to name the stalled file', async () => /Stalled: "big\.bin" needs 1\.0 MB \(1048576 bytes\), .* free on the target; set aside, retry \d+ at /.test(await read(status)));

    // Later batches flow while it waits, its own retries going on (with backoff).
    await writeFile(join(source, 'later.txt'), 'a later batch');
    await until('a later batch', async () => (await read(join(target, 'later.txt'))) === 'a later batch');
    await until('a retry of the big file on its own', () => (runner!.stalled[0]?.attempt ?? 0) >= 2, 10_000);
    expect(runner!.state.kind).not.toBe('retrying');

    // Room again: the next retry of its own sends it.
    execFileSync('mount', ['-o', 'remount,size=4m', target]);
    await waitForConvergence(source, target, 20_000);
    await until('the file to leave the set-aside list', () => runner!.stalled.length === 0);
    expect(await read(log)).toMatch(/"big\.bin" is no longer set aside for want of room/);
  });
});
