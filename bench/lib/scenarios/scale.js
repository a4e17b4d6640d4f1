// scale: a pre-generated tree (default 10,000 dirs, 50,000 files of 16 bytes), generated once and
// mirrored by every run into a fresh empty target. Time from spawning the
// daemon until (a) its log says the startup sync finished and (b) the target tree is complete; the
// peak memory of the daemon during startup; then, after 2 s idle, its memory and inotify watches.
// The remote variant (remote-scale, --remote-scale-dirs/--remote-scale-files) mirrors the same kind of
// tree over SSH to the bench's sshd; a tree of the same size is generated once for both.
import { writeFileSync, existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { runMirrored } from '../session.js';
import { hasFile, startupLogged, SENTINEL } from '../mirror.js';
import { treeLayout, writeTree, walk, allPresent, spread } from '../tree.js';
import { waitFor, sleep, BenchError } from '../util.js';
import { sampleDaemon } from '../proc.js';

const IDLE_MS = 2000;
const MB = 1024 * 1024;

/**
 * The scale tree of nDirs/nFiles (files of 16 bytes), generated once in env.sharedDir(`tree-…`) and
 * shared by every run and scenario on a tree of that size (scale, restart and their remote-* twins).
 */
export function sharedTree(env, nDirs, nFiles) {
  const layout = treeLayout(nDirs, nFiles);
  const src = env.sharedDir(`tree-${nDirs}-${nFiles}`);
  if (!existsSync(src)) {
    mkdirSync(src, { recursive: true });
    const written = writeTree(src, layout, Buffer.from('0123456789abcde\n'));
    env.progress?.(`generated ${written.files} files in ${(written.ms / 1000).toFixed(1)} s (shared by all runs on this tree)`);
  }
  return { layout, src };
}

export function scaleScenario(opts, { remote = false } = {}) {
  const nDirs = remote ? opts.remoteScaleDirs : opts.scaleDirs;
  const nFiles = remote ? opts.remoteScaleFiles : opts.scaleFiles;
  return {
    name: remote ? 'remote-scale' : 'scale',
    description: `startup on ${nDirs} dirs / ${nFiles} files${remote ? ', over SSH' : ''}`,
    repeat: opts.repeat,
    metrics: [
      { key: 'startupLogS', label: 'spawn → "Startup … finished" logged', unit: 's' },
      { key: 'startupS', label: 'spawn → target tree complete', unit: 's', goal: { kind: 'ratio', max: 1 } },
      { key: 'rssMainMB', label: 'RSS, daemon (idle after startup)', unit: 'MB', goal: { kind: 'abs', max: 100 } },
      { key: 'hwmMainMB', label: 'peak RSS, daemon (VmHWM)', unit: 'MB', goal: { kind: 'abs', max: 100 } },
      { key: 'peakTreeMB', label: 'peak RSS, daemon + rsync children (sampled)', unit: 'MB' },
      { key: 'watches', label: 'inotify watches', unit: '' },
      ...(remote ? [{ key: 'sshConnections', label: 'SSH connections opened (whole run)', unit: '' }] : []),
    ],
    async run(tool, env) {
      const { layout, src } = sharedTree(env, nDirs, nFiles);
      // Checked before the (costlier) full walk, in case a tool never logs the startup line.
      const probe = [SENTINEL, ...spread(layout.files, 64)];
      const timeoutMs = 60_000 + 4 * nFiles;
      const liveName = 'after-startup.txt';
      try {
        return await runMirrored(tool, env, {
          syncExtra: 'delay = 1',
          src,
          remote,
          prepare: () => ({ want: layout.files.length + 1 }), // + the sentinel
          body: (m, daemon, ctx) => measure(m, daemon, ctx),
        });
      } finally {
        rmSync(join(src, liveName), { force: true });
      }

      async function measure(m, daemon, { t0, prep, sampler, connections }) {
        let loggedAt = null;
        let seen = 0;
        let gated = false;
        const completeAt = await waitFor(() => {
          if (loggedAt === null && startupLogged(m)) loggedAt = performance.now();
          if (!gated) {
            if (loggedAt === null && !allPresent(m.dst, probe)) return false;
            gated = true;
          }
          seen = walk(m.dst).files;
          return seen === prep.want ? performance.now() : false;
        }, {
          what: `the startup sync (${prep.want} files on the target)`, timeoutMs, intervalMs: 10, daemon,
        }).catch((err) => {
          err.message += `; last count ${gated ? seen : 'n/a (probe files missing)'}`;
          throw err;
        });
        // A tool that logs the line only after the tree is complete is still caught here.
        if (loggedAt === null) {
          await waitFor(() => startupLogged(m), { what: 'the "Startup of … finished" log line', timeoutMs: 10_000, intervalMs: 10, daemon })
            .then(() => { loggedAt = performance.now(); })
            .catch((err) => env.note?.(err.message));
        }
        const startupS = (completeAt - t0) / 1000;
        await sleep(IDLE_MS);
        if (daemon.exited) throw new BenchError(`${daemon.toolName} exited (${daemon.exitDescription()}) after the startup sync`);
        const idle = sampleDaemon(daemon.pid);
        const peak = sampler.peak();
        // Not timed: check the daemon is live after a large startup.
        writeFileSync(join(m.src, liveName), 'live?\n');
        const tLive = performance.now();
        let liveMs = null;
        try {
          await waitFor(() => hasFile(m.dst, liveName, 6), { what: 'a write after startup', timeoutMs: 30_000, intervalMs: 5, daemon });
          liveMs = performance.now() - tLive;
        } catch (err) {
          env.note?.(`${daemon.toolName}: ${err.message}`);
        }
        return {
          startupLogS: loggedAt === null ? null : (loggedAt - t0) / 1000,
          startupS,
          rssMainMB: idle.mainRss / MB,
          hwmMainMB: idle.mainHwm / MB,
          peakTreeMB: peak.treeRss / MB,
          rssTreeIdleMB: idle.treeRss / MB,
          watches: idle.watches,
          processes: idle.processes,
          liveAfterStartupMs: liveMs,
          ...(remote ? { sshConnections: connections() } : {}),
        };
      }
    },
  };
}
