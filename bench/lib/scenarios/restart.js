// restart: the daemon restarted on a target that already holds an exact copy of the source: the
// scale tree (the same shared tree, --scale-dirs/--scale-files), copied into the fresh target before
// the spawn (cp -a, untimed), so the startup sync has nothing to send and nothing is at risk. For
// Tidemark this is the cost of the safety check on every startup into a non-empty target (a whole-tree
// rsync --dry-run --delete --itemize-changes, then a find on the target for the entries it names), so
// the run fails if the daemon waits for a decision instead. Time from spawning the daemon until its log
// says the startup sync finished; then one file written after that line, timed until it is on the
// target (the daemon is live, not waiting); after 2 s idle, its memory. The remote variant
// (remote-restart, --remote-scale-dirs/--remote-scale-files) does the same over SSH to the bench's sshd:
// the target copy is made with rsync -a and given to the remote account, as makeMirror does.
import { writeFileSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { execFileSync } from 'node:child_process';
import { runMirrored } from '../session.js';
import { hasFile, startupLogged } from '../mirror.js';
import { chownToUser } from '../sshd.js';
import { sharedTree } from './scale.js';
import { walk } from '../tree.js';
import { waitFor, sleep, BenchError } from '../util.js';
import { sampleDaemon } from '../proc.js';

const IDLE_MS = 2000;
const LIVE_TIMEOUT_MS = 30_000;
const MB = 1024 * 1024;
const DECISION = /waiting for a decision/;

/** The lines of the daemon's log file and output that say it waits for a decision (none: []). */
function decisionLines(m) {
  const lines = [];
  for (const path of [m.logPath, m.outputPath]) {
    let text = '';
    try { text = readFileSync(path, 'utf8'); } catch { continue; }
    for (const line of text.split('\n')) if (DECISION.test(line)) lines.push(line.trim());
  }
  return lines;
}

export function restartScenario(opts, { remote = false } = {}) {
  const nDirs = remote ? opts.remoteScaleDirs : opts.scaleDirs;
  const nFiles = remote ? opts.remoteScaleFiles : opts.scaleFiles;
  return {
    name: remote ? 'remote-restart' : 'restart',
    description: `restart on ${nDirs} dirs / ${nFiles} files, target already an exact copy${remote ? ', over SSH' : ''}`,
    repeat: opts.repeat,
    metrics: [
      { key: 'startupLogS', label: 'target already in sync: spawn → "Startup … finished" logged', unit: 's' },
      { key: 'liveMs', label: 'write after startup → on target (delay 1)', unit: 'ms' },
      { key: 'rssMainMB', label: 'RSS, daemon (idle after startup)', unit: 'MB', goal: { kind: 'abs', max: 100 } },
      { key: 'hwmMainMB', label: 'peak RSS, daemon (VmHWM)', unit: 'MB', goal: { kind: 'abs', max: 100 } },
      ...(remote ? [{ key: 'sshConnections', label: 'SSH connections opened (whole run)', unit: '' }] : []),
    ],
    async run(tool, env) {
      const { src } = sharedTree(env, nDirs, nFiles);
      const timeoutMs = 60_000 + 4 * nFiles;
      const liveName = 'after-restart.txt';
      const liveText = 'live after the restart\n';
      rmSync(join(src, liveName), { force: true }); // left by an interrupted run: it would be in the copy
      try {
        return await runMirrored(tool, env, {
          syncExtra: 'delay = 1', // as in scale
          src,
          remote,
          prepare: (m) => copyIntoTarget(m),
          body: (m, daemon, ctx) => measure(m, daemon, ctx),
        });
      } finally {
        rmSync(join(src, liveName), { force: true });
      }

      /** Untimed: the target becomes an exact copy of the source (the sentinel included), as a previous run left it. */
      function copyIntoTarget(m) {
        const t = performance.now();
        if (remote) {
          execFileSync('rsync', ['-a', `${m.src}/`, `${m.dst}/`], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
          chownToUser(env.sshd, m.dst, { recursive: true });
        } else {
          execFileSync('cp', ['-a', `${m.src}/.`, `${m.dst}/`], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 600_000 });
        }
        const copied = walk(m.dst).files;
        env.progress?.(`target pre-filled with ${copied} files (${remote ? 'rsync -a, chown -R' : 'cp -a'}) in ${((performance.now() - t) / 1000).toFixed(1)} s, before the spawn`);
        return { copied };
      }

      async function measure(m, daemon, { t0, prep, sampler, connections }) {
        let waiting = [];
        const loggedAt = await waitFor(() => {
          if (startupLogged(m)) return performance.now();
          waiting = decisionLines(m);
          if (waiting.length) return true;
          return false;
        }, { what: `the "Startup of … finished" log line (target pre-filled with ${prep.copied} files)`, timeoutMs, intervalMs: 10, daemon });
        if (waiting.length) {
          throw new BenchError(`${daemon.toolName} waits for a decision on a target that is an exact copy of the source:\n  ${waiting.join('\n  ')}`);
        }
        // The daemon is live, not waiting: a file written after the startup line reaches the target.
        writeFileSync(join(m.src, liveName), liveText);
        const tLive = performance.now();
        await waitFor(() => hasFile(m.dst, liveName, liveText.length), {
          what: `${liveName}, written after the startup line, on the target`, timeoutMs: LIVE_TIMEOUT_MS, intervalMs: 5, daemon,
        }).catch((err) => {
          const lines = decisionLines(m);
          if (lines.length) err.message += `; the daemon says:\n  ${lines.join('\n  ')}`;
          throw err;
        });
        const liveMs = performance.now() - tLive;
        await sleep(IDLE_MS);
        if (daemon.exited) throw new BenchError(`${daemon.toolName} exited (${daemon.exitDescription()}) after the startup sync`);
        const late = decisionLines(m);
        if (late.length) throw new BenchError(`${daemon.toolName} waits for a decision after its startup:\n  ${late.join('\n  ')}`);
        const idle = sampleDaemon(daemon.pid);
        const peak = sampler.peak();
        return {
          startupLogS: (loggedAt - t0) / 1000,
          liveMs,
          rssMainMB: idle.mainRss / MB,
          hwmMainMB: idle.mainHwm / MB,
          peakTreeMB: peak.treeRss / MB,
          rssTreeIdleMB: idle.treeRss / MB,
          watches: idle.watches,
          processes: idle.processes,
          prefilledFiles: prep.copied,
          ...(remote ? { sshConnections: connections() } : {}),
        };
      }
    },
  };
}
