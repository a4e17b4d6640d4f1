// burst: N files of 1 KiB in M new directories, created as fast as sync fs calls go, with delay=1 for
// both tools (lsyncd's default of 15 s would only measure the delay). Time from the start of the burst
// until the target holds every file with every byte (count and byte sum, polled every 50 ms); the
// session then checks the trees with an rsync checksum dry run. The remote variant (remote-burst) runs
// the same burst over SSH to the bench's sshd with delay=0 (the remote config of the brief), and counts
// the SSH connections the sshd accepted from the daemon's spawn to convergence. The tool's CPU time
// from the start of the burst until 1 s after convergence (so the last rsync has been reaped) is read
// from /proc/PID/stat: the daemon's own, and its children's (every rsync it ran, with their helpers).
// It tells the tools' costs apart where wall time on a shared 2-core machine cannot. Before each burst
// the bench creates 500 empty files beside the mirror and reports its own system time per file: on
// ext4 without a journal that cost grows with the files deleted on the disk in the last minutes
// (bench/lib/fs-info.js), which slows the writer and both tools' rsyncs alike.
import { runMirrored } from '../session.js';
import { waitReady } from '../mirror.js';
import { treeLayout, writeTree, walk } from '../tree.js';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { waitFor, sleep } from '../util.js';
import { cpuOf, cpuDelta } from '../proc.js';

const CONVERGE_TIMEOUT_MS = 180_000;
const MB = 1024 * 1024;

export function burstScenario(opts, { remote = false } = {}) {
  const delay = remote ? 0 : 1;
  return {
    name: remote ? 'remote-burst' : 'burst',
    description: `${opts.burstFiles} × 1 KiB files in ${opts.burstDirs} dirs, delay=${delay}${remote ? ', over SSH' : ''}`,
    repeat: opts.repeat,
    metrics: [
      { key: 'convergeS', label: 'burst start → target complete', unit: 's', goal: { kind: 'ratio', max: 0.5 } },
      { key: 'cpuSelfS', label: 'tool CPU during the burst: the daemon itself', unit: 's' },
      { key: 'cpuChildrenS', label: 'tool CPU during the burst: its children (rsync, ssh)', unit: 's' },
      { key: 'createUs', label: 'the filesystem now: system time per file created (500, before the burst)', unit: 'us' },
      { key: 'writeS', label: `the writer: ${opts.burstFiles} files created in (wall)`, unit: 's' },
      ...(remote ? [{ key: 'sshConnections', label: 'SSH connections opened (spawn → converged)', unit: '', goal: { kind: 'abs', max: 2 } }] : []),
    ],
    async run(tool, env) {
      const layout = treeLayout(opts.burstDirs, opts.burstFiles, 'burst/');
      const content = Buffer.alloc(1024, 'b');
      return runMirrored(tool, env, {
        syncExtra: `delay = ${delay}`,
        remote,
        body: async (m, daemon, { sampler, connections }) => {
          await waitReady(m, daemon, { timeoutMs: 60_000 });
          await sleep(500); // let the warm-up batch settle
          const createUs = createCost(join(m.dir, 'calibration'), 500);
          const before = walk(m.src, { bytes: true });
          const cpu0 = cpuOf(daemon.pid);
          const t0 = performance.now();
          const written = writeTree(m.src, layout, content);
          const want = { files: before.files + written.files, bytes: before.bytes + written.bytes };
          let last = { files: 0, bytes: 0 };
          await waitFor(() => {
            const count = walk(m.dst);
            last = count;
            if (count.files !== want.files) return false;
            last = walk(m.dst, { bytes: true });
            return last.bytes === want.bytes;
          }, {
            what: `the burst on the target (want ${want.files} files / ${want.bytes} bytes)`,
            timeoutMs: CONVERGE_TIMEOUT_MS, intervalMs: 50, daemon,
          }).catch((err) => {
            err.message += `; last seen ${last.files} files`;
            throw err;
          });
          const convergeS = (performance.now() - t0) / 1000;
          await sleep(1000);
          const cpu = cpuDelta(cpu0, cpuOf(daemon.pid));
          const peak = sampler.peak();
          return {
            convergeS, writeS: written.ms / 1000, peakMainMB: peak.mainRss / MB, peakTreeMB: peak.treeRss / MB,
            createUs,
            cpuSelfS: cpu?.self ?? null, cpuChildrenS: cpu?.children ?? null, cpu,
            ...(remote ? { sshConnections: connections() } : {}),
          };
        },
      });
    },
  };
}

/** The bench's own system time per empty file created in a new dir (the files stay until the pass ends). */
function createCost(dir, n) {
  mkdirSync(dir, { recursive: true });
  const before = process.cpuUsage();
  for (let i = 0; i < n; i++) writeFileSync(join(dir, `c${i}`), '');
  return process.cpuUsage(before).system / n;
}
