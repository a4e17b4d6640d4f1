// The life of one tool run: fresh mirror, daemon started, the scenario's body, the target checked
// against the source with rsync, daemon stopped, dirs removed.
import { makeMirror, diagnostics, removeMirror } from './mirror.js';
import { rsyncDifferences } from './tree.js';
import { startSampler } from './proc.js';
import { execFileSync } from 'node:child_process';
import { BenchError, sleep } from './util.js';

/**
 * After the body: the target must equal the source (rsync dry run with checksums). A daemon may still
 * be finishing a last batch, so a difference is re-checked a few times over ~5 s before it fails the run.
 */
async function verifyMirror(m) {
  let diff = [];
  for (let attempt = 0; attempt < 6; attempt++) {
    diff = await rsyncDifferences(m.src, m.dst);
    if (!diff.length) return;
    await sleep(1000);
  }
  throw new BenchError(`the target differs from the source after the run (rsync -rlnic --delete):\n  ${diff.join('\n  ')}`);
}

/**
 * Run body(m, daemon, ctx) against a fresh mirror in env.runDir(), with the tool started on its config.
 * `src` is a shared source directory to mirror instead of a fresh one; `prepare(m)` runs before the
 * daemon starts (to fill the source). Dirty pages (the generated tree, the previous run's deleted
 * dirs) are flushed with sync(1) before the spawn, so their writeback does not land in the timing. ctx is {t0 (spawn time), prep
 * (what prepare returned), sampler (peak memory of the daemon's process tree, sampled every 100 ms),
 * connections() (SSH connections the bench's sshd accepted since the spawn; 0 without `remote`)}.
 * With `remote`, the mirror goes over SSH (default.rsyncssh) to the bench's sshd, env.sshd (sshd.js).
 * Returns the body's metrics; on failure throws a BenchError that carries the daemon's log and output.
 */
export async function runMirrored(tool, env, { syncExtra, src = null, remote: isRemote = false, prepare, body }) {
  const remote = isRemote ? env.sshd : null;
  if (isRemote && !remote) throw new BenchError('the bench sshd is not running');
  const m = makeMirror(env.runDir(), { syncExtra, src, remote });
  let daemon = null;
  let sampler = null;
  let failure = null;
  let metrics = null;
  try {
    const prep = prepare ? await prepare(m) : {};
    execFileSync('sync', [], { timeout: 120_000 });
    const t0 = performance.now();
    const connectionsBefore = remote?.connections ?? 0;
    const connections = () => (remote?.connections ?? 0) - connectionsBefore;
    daemon = tool.start(m.configPath, { outputPath: m.outputPath });
    sampler = startSampler(daemon.pid);
    metrics = await body(m, daemon, { t0, prep, sampler, connections });
    await verifyMirror(m);
  } catch (err) {
    failure = err;
  }
  sampler?.stop();
  if (daemon) {
    const exitedBefore = daemon.exited;
    await daemon.stop();
    if (!failure && exitedBefore) failure = new BenchError(`${daemon.toolName} exited early (${daemon.exitDescription()})`);
    if (daemon.killedHard) env.note?.(`${daemon.toolName} did not exit within 10 s of SIGTERM and was killed`);
  }
  const diag = diagnostics(m);
  if (!env.keep) removeMirror(m, { trash: env.trash ?? null });
  if (failure) {
    const err = failure instanceof BenchError ? failure : new BenchError(failure.stack ?? String(failure));
    err.diagnostics = diag;
    throw err;
  }
  return metrics;
}
