// burst: N files of 1 KiB in M new directories, created as fast as sync fs calls go, with delay=1 for
// both tools (lsyncd's default of 15 s would only measure the delay). Time from the start of the burst
// until the target holds every file with every byte (count and byte sum, polled every 50 ms); the
// session then checks the trees with an rsync checksum dry run.
import { runMirrored } from '../session.js';
import { waitReady } from '../mirror.js';
import { treeLayout, writeTree, walk } from '../tree.js';
import { waitFor, sleep } from '../util.js';

const CONVERGE_TIMEOUT_MS = 180_000;
const MB = 1024 * 1024;

export function burstScenario(opts) {
  return {
    name: 'burst',
    description: `${opts.burstFiles} × 1 KiB files in ${opts.burstDirs} dirs, delay=1`,
    repeat: opts.repeat,
    metrics: [
      { key: 'convergeS', label: 'burst start → target complete', unit: 's', goal: { kind: 'ratio', max: 0.5 } },
    ],
    async run(tool, env) {
      const layout = treeLayout(opts.burstDirs, opts.burstFiles, 'burst/');
      const content = Buffer.alloc(1024, 'b');
      return runMirrored(tool, env, {
        syncExtra: 'delay = 1',
        body: async (m, daemon, { sampler }) => {
          await waitReady(m, daemon, { timeoutMs: 60_000 });
          await sleep(500); // let the warm-up batch settle
          const before = walk(m.src, { bytes: true });
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
          const peak = sampler.peak();
          return { convergeS, writeS: written.ms / 1000, peakMainMB: peak.mainRss / MB, peakTreeMB: peak.treeRss / MB };
        },
      });
    },
  };
}
