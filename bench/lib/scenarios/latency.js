// latency: with delay=0, the time from just before a small write in the source until the file is
// on the target with its full content. p50 and p95 over `samples` writes, 250 ms apart (each
// write waits for the previous file to arrive, so the samples never overlap). The remote variant
// (remote-latency) mirrors over SSH to the bench's sshd and counts the SSH connections opened.
import { watch, writeFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { runMirrored } from '../session.js';
import { waitReady } from '../mirror.js';
import { percentile, sleep, BenchError } from '../util.js';

const SAMPLE_TIMEOUT_MS = 10_000;
const PAUSE_MS = 250;

/**
 * Resolves with performance.now() at the moment dir/name exists with `size` bytes. It checks on every
 * fs.watch event for that name and, as a fallback, on a 1 ms poll.
 */
function arrival(dir, name, size, daemon) {
  return new Promise((resolve, reject) => {
    const path = join(dir, name);
    let done = false;
    let timer = null;
    const started = performance.now();
    const finish = (err, at) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      watcher.close();
      if (err) reject(err); else resolve(at);
    };
    const check = () => {
      if (done) return;
      const st = statSync(path, { throwIfNoEntry: false });
      if (st && st.isFile() && st.size === size) return finish(null, performance.now());
      if (daemon.exited) return finish(new BenchError(`${daemon.toolName} exited (${daemon.exitDescription()}) while waiting for ${name}`));
      if (performance.now() - started > SAMPLE_TIMEOUT_MS) return finish(new BenchError(`${name} did not reach the target within ${SAMPLE_TIMEOUT_MS / 1000} s`));
    };
    const watcher = watch(dir, (_event, fname) => { if (fname === name) check(); });
    const poll = () => { check(); if (!done) timer = setTimeout(poll, 1); };
    poll();
  });
}

export function latencyScenario(opts, { remote = false } = {}) {
  return {
    name: remote ? 'remote-latency' : 'latency',
    description: `${opts.samples} small writes, delay=0${remote ? ', over SSH' : ''}`,
    repeat: 1,
    metrics: [
      { key: 'p50Ms', label: 'p50 write → on target', unit: 'ms', goal: { kind: 'ratio', max: remote ? 0.25 : 1 } },
      { key: 'p95Ms', label: 'p95 write → on target', unit: 'ms' },
      ...(remote ? [{ key: 'sshConnections', label: 'SSH connections opened (whole run)', unit: '' }] : []),
    ],
    async run(tool, env) {
      return runMirrored(tool, env, {
        syncExtra: 'delay = 0',
        remote,
        body: async (m, daemon, { connections }) => {
          const ready = await waitReady(m, daemon, { timeoutMs: 60_000 });
          const times = [];
          for (let i = 0; i < opts.samples; i++) {
            const name = `lat-${String(i).padStart(4, '0')}.txt`;
            const text = `latency sample ${i} `.padEnd(100, '.') + '\n';
            // Arm the watch first so its setup is not timed; t0 is taken just before the write.
            const arrived = arrival(m.dst, name, Buffer.byteLength(text), daemon);
            const t0 = performance.now();
            writeFileSync(join(m.src, name), text);
            const at = await arrived;
            times.push(at - t0);
            if (readFileSync(join(m.dst, name), 'utf8') !== text) throw new BenchError(`${name} arrived with the wrong content`);
            await sleep(PAUSE_MS);
          }
          return {
            p50Ms: percentile(times, 50),
            p95Ms: percentile(times, 95),
            minMs: Math.min(...times),
            maxMs: Math.max(...times),
            samplesMs: times.map((t) => Math.round(t * 100) / 100),
            startupMs: ready.startupMs,
            ...(remote ? { sshConnections: connections() } : {}),
          };
        },
      });
    },
  };
}
