// TERM while a target retries, against the built CLI: the daemon exits 143 within 5 s, starts
// no transfer after the signal, and leaves no rsync behind (checked by PID, in /proc). The
// target retries for real: its rsync (the config's `rsync = { binary = ... }`, a wrapper) fails
// its first transfer with exit 23, a partial transfer, and every later transfer is a real
// rsync at 1 KB/s, which is still running when TERM comes (a hung transfer, as an rsync to a
// host that stopped answering would be). Dry runs (the startup check) are real rsyncs.
import { afterEach, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { chmod, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processesMentioning, readText, until, useCli } from './support/cli-run';

const cli = useCli();
let base: string | undefined;
afterEach(async () => {
  // A daemon that failed the test leaves its rsync behind (the run is killed with KILL): end those, by PID.
  if (base) for (const pid of processesMentioning(base)) process.kill(pid, 'SIGKILL');
  if (base) await rm(base, { recursive: true, force: true });
  base = undefined;
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The PIDs of the transfers the wrapper turned into real rsyncs, in order. */
const transfers = async (file: string) => (await readText(file)).split('\n').filter(Boolean).map(Number);

/** Whether `pid` is a live process (not gone, not a zombie waiting for its parent). */
function alive(pid: number): boolean {
  try {
    return !/^\d+ \(.*\) Z /s.test(readFileSync(`/proc/${pid}/stat`, 'latin1'));
  } catch {
    return false;
  }
}

/** A source with one 2 MB file, a config whose rsync is the wrapper, and the wrapper's record files. */
async function workspace() {
  base = await mkdtemp(join(tmpdir(), 'tidemark-term-'));
  const w = {
    source: join(base, 'src'),
    target: join(base, 'dst'),
    log: join(base, 'tidemark.log'),
    config: join(base, 'lsyncd.conf.lua'),
    wrapper: join(base, 'rsync-wrapper'),
    count: join(base, 'transfers-started'),
    pids: join(base, 'transfer-pids'),
    state: join(base, 'state'),
  };
  await mkdir(w.source);
  await writeFile(join(w.source, 'big'), Buffer.alloc(2 * 1024 * 1024, 5));
  await writeFile(
    w.wrapper,
    [
      '#!/bin/sh',
      'for arg; do [ "$arg" = --dry-run ] && exec rsync "$@"; done',
      `n=$(cat '${w.count}' 2>/dev/null || echo 0); n=$((n + 1)); echo $n > '${w.count}'`,
      'if [ "$n" -eq 1 ]; then echo "rsync: simulated partial transfer" >&2; exit 23; fi',
      `echo $$ >> '${w.pids}'`,
      'exec rsync --bwlimit=1 "$@"',
      '',
    ].join('\n'),
  );
  await chmod(w.wrapper, 0o755);
  await writeFile(
    w.config,
    [
      `settings { logfile = "${w.log}", nodaemon = true }`,
      `sync { default.rsync, source = "${w.source}", target = "${w.target}", delay = 0, rsync = { binary = "${w.wrapper}" } }`,
      '',
    ].join('\n'),
  );
  return w;
}

describe('TERM while a target retries', () => {
  it('ends the transfer the retry started, starts none after the signal, and exits 143 within 5 s', async () => {
    const w = await workspace();
    const run = cli.tidemark(['run', w.config], { cwd: base!, stateDir: w.state });
    await until('the first transfer to fail and a retry to be set', async () => /retry 1 in 1 s/.test(await readText(w.log)), 20_000);
    await until('the retry to start a transfer', async () => (await transfers(w.pids)).length === 1, 10_000, 5);
    const [pid] = await transfers(w.pids);
    expect(alive(pid!)).toBe(true);

    const signalled = Date.now();
    run.child.kill('SIGTERM');
    const exit = await Promise.race([run.exited, sleep(5000).then(() => null)]);
    const tookMs = Date.now() - signalled;
    expect(exit, 'the daemon did not exit within 5 s of TERM').not.toBeNull();
    expect(exit!.code).toBe(143);
    expect(tookMs).toBeLessThan(5000);
    // No rsync left: neither the one the retry started, nor any other naming the source.
    await until('the ended rsync to be gone', () => !alive(pid!), 2000);
    expect(processesMentioning(w.source).filter(alive)).toEqual([]);
    expect(await transfers(w.pids)).toEqual([pid]);
    expect(await readText(w.log)).toMatch(/ending 1 transfer\(s\) still running/);
  });

  it('TERM at the moment the retry falls due: exits 143 within 5 s, with no rsync left', async () => {
    const w = await workspace();
    const run = cli.tidemark(['run', w.config], { cwd: base!, stateDir: w.state });
    await until('the first transfer to fail and a retry to be set', async () => /retry 1 in 1 s/.test(await readText(w.log)), 20_000, 5);
    // The retry is due 1 s after the line was written; TERM then, give or take the poll.
    await sleep(1000);
    run.child.kill('SIGTERM');
    const exit = await Promise.race([run.exited, sleep(5000).then(() => null)]);
    expect(exit, 'the daemon did not exit within 5 s of TERM').not.toBeNull();
    expect(exit!.code).toBe(143);
    for (const pid of await transfers(w.pids)) await until(`rsync ${pid} to be gone`, () => !alive(pid), 2000);
    expect(processesMentioning(w.source).filter(alive)).toEqual([]);
  });
});
