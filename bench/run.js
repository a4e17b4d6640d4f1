// Tidemark vs lsyncd on the same generated lsyncd configs, local targets and (remote-*) SSH targets
// on a throwaway sshd on 127.0.0.1 that the bench starts and stops itself. `npm run bench -- --help`.
//
// Scenarios are objects {name, metrics, repeat, run(tool, env) -> metrics}; tools are objects
// {name, label, probe(), start(configPath) -> {pid, stop()}} (bench/lib/tools.js). A remote scenario
// or tool is one more entry in those lists.
import { mkdirSync, rmSync, writeFileSync, chmodSync, statfsSync } from 'node:fs';
import { tmpdir, cpus, release, loadavg } from 'node:os';
import { join, resolve, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execFileSync, spawnSync } from 'node:child_process';
import { parseArgs, USAGE, REMOTE_SCENARIOS } from './lib/args.js';
import { allTools, stopAll, killAllSync, refuseNewDaemons } from './lib/tools.js';
import { startSshd, disposeSshd, killAllSshdSync } from './lib/sshd.js';
import { latencyScenario } from './lib/scenarios/latency.js';
import { burstScenario } from './lib/scenarios/burst.js';
import { scaleScenario } from './lib/scenarios/scale.js';
import { renameScenario } from './lib/scenarios/rename.js';
import { restartScenario } from './lib/scenarios/restart.js';
import { aggregate, buildRows, markdownTable } from './lib/report.js';

const repoRoot = fileURLToPath(new URL('..', import.meta.url));
const log = (line) => process.stderr.write(`${line}\n`);

let opts;
try {
  opts = parseArgs(process.argv.slice(2));
} catch (err) {
  process.stderr.write(`bench: ${err.message}\n\n${USAGE}`);
  process.exit(2);
}
if (opts.help) {
  process.stdout.write(USAGE);
  process.exit(0);
}

// --- work dir and cleanup (also on Ctrl-C and crashes) ---
/**
 * tmpfs when there is room: both daemons' costs, not the disk's. On this host's disk a plain
 * rsync of the scale tree took anywhere from 3.8 to 59 s between runs, which drowns the
 * difference between the tools; `--work-dir` measures any other filesystem.
 */
function defaultWorkParent() {
  try {
    const { bavail, bsize } = statfsSync('/dev/shm');
    if (bavail * bsize >= 2 * 1024 ** 3) return '/dev/shm';
  } catch {
    // no /dev/shm here
  }
  return tmpdir();
}

const workDir = join(resolve(opts.workDir ?? defaultWorkParent()), `tidemark-bench-${process.pid}`);
let cleaned = false;
let sshd = null; // the bench's sshd (remote-* scenarios), stopped at the end and on Ctrl-C
function cleanupSync() {
  if (cleaned) return;
  cleaned = true;
  killAllSync();
  killAllSshdSync();
  if (!opts.keep) rmSync(workDir, { recursive: true, force: true, maxRetries: 3 });
}
process.on('exit', cleanupSync);
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    if (interrupted) { cleanupSync(); process.exit(130); }
    interrupted = true;
    refuseNewDaemons();
    log(`\nbench: ${sig}: stopping the daemons and removing ${workDir} …`);
    await stopAll();
    if (sshd) await disposeSshd(sshd).catch((err) => log(`bench: ${err.message}`));
    cleanupSync();
    process.exit(130);
  });
}
process.on('uncaughtException', (err) => {
  log(`bench: crashed: ${err.stack ?? err}`);
  cleanupSync();
  process.exit(1);
});

// --- tools ---
const wanted = opts.tool === 'both' ? allTools.map((t) => t.name) : [opts.tool];
const toolInfo = {};
const tools = [];
for (const tool of allTools) {
  const probe = tool.probe();
  toolInfo[tool.name] = { ...probe, selected: wanted.includes(tool.name) };
  if (tool.name === 'lsyncd' && probe.ok) tool.label = `lsyncd ${probe.version}`;
  if (!wanted.includes(tool.name)) continue;
  if (probe.ok) tools.push(tool);
  else if (tool.name === 'lsyncd') log(`bench: lsyncd is not installed, so the lsyncd column stays blank.`);
  else log(`bench: ${probe.reason}; the ${tool.label} column stays blank.`);
}
const [mineTool, otherTool] = allTools;
const otherLabel = otherTool.name === 'lsyncd' && !toolInfo.lsyncd.ok ? 'lsyncd 2.2.3' : otherTool.label;
if (!tools.length) {
  log('bench: no tool to run.');
  process.exit(2);
}

// --- scenarios ---
const remote = { remote: true };
let scenarioList = [
  latencyScenario(opts), burstScenario(opts), scaleScenario(opts), restartScenario(opts),
  latencyScenario(opts, remote), burstScenario(opts, remote), renameScenario(opts), scaleScenario(opts, remote),
  restartScenario(opts, remote),
].filter((s) => opts.only.includes(s.name));
const notes = [];

function versionOf(command, args) {
  try { return execFileSync(command, args, { encoding: 'utf8', timeout: 5000 }).split('\n')[0].trim(); } catch { return null; }
}
const meta = {
  startedAt: new Date().toISOString(),
  loadAtStart: loadavg(),
  host: { cpus: cpus().length, cpuModel: cpus()[0]?.model, kernel: release(), node: process.version, rsync: versionOf('rsync', ['--version']) },
  options: opts,
  tools: toolInfo,
  workDir,
};

mkdirSync(workDir, { recursive: true });
if (scenarioList.some((s) => REMOTE_SCENARIOS.includes(s.name))) {
  chmodSync(workDir, 0o755); // the remote account writes its targets under it
  try {
    sshd = await startSshd(join(workDir, 'sshd'), { targets: join(workDir, 'remote-targets'), log });
    meta.sshd = { port: sshd.port, user: sshd.user, throwawayUser: sshd.userCreated, targets: sshd.targets, openssh: spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr?.split(',')[0].trim() || null };
  } catch (err) {
    const skipped = scenarioList.filter((s) => REMOTE_SCENARIOS.includes(s.name)).map((s) => s.name);
    scenarioList = scenarioList.filter((s) => !skipped.includes(s.name));
    notes.push(`${skipped.join(', ')} skipped: the bench sshd did not start: ${err.message}`);
    log(`bench: the bench sshd did not start, so ${skipped.join(', ')} are skipped: ${err.message}`);
    if (!scenarioList.length) process.exit(1);
  }
}
log(`bench: work dir ${workDir}; tools: ${tools.map((t) => t.label).join(', ')}; scenarios: ${scenarioList.map((s) => s.name).join(', ')}`);

const benchT0 = performance.now();
const results = {};
for (const sc of scenarioList) {
  results[sc.name] = {};
  for (const t of tools) results[sc.name][t.name] = { runs: [], errors: [] };
  for (let rep = 0; rep < sc.repeat; rep++) {
    // Alternate the order of the tools between repetitions, so neither always runs on a warmer cache.
    const order = rep % 2 ? [...tools].reverse() : tools;
    for (const tool of order) {
      const outcome = results[sc.name][tool.name];
      if (outcome.errors.length) continue; // a tool that failed a scenario is not retried
      const tag = `[${sc.name} ${rep + 1}/${sc.repeat}] ${tool.label}`;
      const env = {
        keep: opts.keep,
        runDir: () => join(workDir, `${sc.name}-${tool.name}-${rep + 1}`),
        sharedDir: (key = sc.name) => join(workDir, `${key}-shared-src`),
        sshd,
        note: (text) => { notes.push(`${sc.name} / ${tool.label}: ${text}`); log(`${tag}: ${text}`); },
        progress: (text) => log(`${tag}: ${text}`),
      };
      globalThis.gc?.();
      const t0 = performance.now();
      try {
        const metrics = await sc.run(tool, env);
        outcome.runs.push(metrics);
        const shown = sc.metrics.map((m) => `${m.key}=${typeof metrics[m.key] === 'number' ? +metrics[m.key].toFixed(2) : metrics[m.key]}`).join(' ');
        log(`${tag}: ${shown} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
      } catch (err) {
        outcome.errors.push({ message: err.message, diagnostics: err.diagnostics ?? null });
        log(`${tag}: FAILED: ${err.message}`);
      }
    }
  }
}

if (sshd) {
  meta.sshd.connectionsTotal = sshd.connections;
  await disposeSshd(sshd).catch((err) => notes.push(`removing the bench sshd: ${err.message}`));
}

// --- report ---
const elapsedS = (performance.now() - benchT0) / 1000;
const rows = buildRows(scenarioList, results, { mineName: mineTool.name, otherName: otherTool.name, otherLabel });
const table = markdownTable(rows, { mineLabel: mineTool.label, otherLabel });
const out = [];
out.push('');
out.push(`Tidemark bench, ${meta.startedAt}: ${meta.host.cpus} CPUs (${meta.host.cpuModel}), Linux ${meta.host.kernel}, Node ${meta.host.node}, ${meta.host.rsync ?? 'rsync ?'}`);
out.push(`One run. latency: p50/p95 over ${opts.samples} samples; burst, scale and restart: median of ${opts.repeat} run(s) per tool. ` +
  `scale and restart: ${opts.scaleDirs} dirs / ${opts.scaleFiles} files (restart: the target already an exact copy); burst: ${opts.burstFiles} files in ${opts.burstDirs} dirs. ` +
  (meta.sshd ? `remote-*: over ${meta.sshd.openssh ?? 'OpenSSH'} to a throwaway sshd on 127.0.0.1 (default.rsyncssh, delay=0 but 1 in remote-scale and remote-restart; both on ${opts.remoteScaleDirs} dirs / ${opts.remoteScaleFiles} files). ` : '') +
  `Bench run time ${Math.floor(elapsedS / 60)} min ${Math.round(elapsedS % 60)} s; ` +
  `load average ${meta.loadAtStart[0].toFixed(2)} at the start, ${loadavg()[0].toFixed(2)} at the end (other work on the host skews the figures).`);
if (elapsedS > 15 * 60) {
  out.push('This took over 15 minutes; to shrink it: --repeat 1, --samples 30, --scale-dirs 2000 --scale-files 10000, or --only latency,burst, or --no-remote (or --remote-scale-dirs 2000 --remote-scale-files 10000).');
}
out.push('');
out.push(table);
if (notes.length) {
  out.push('');
  out.push('Notes:');
  for (const n of notes) out.push(`- ${n}`);
}
const failures = [];
for (const sc of scenarioList) {
  for (const t of tools) {
    for (const e of results[sc.name][t.name].errors) failures.push({ scenario: sc.name, tool: t.label, ...e });
  }
}
if (failures.length) {
  out.push('');
  out.push('Failures:');
  for (const f of failures) {
    out.push(`\n### ${f.scenario} / ${f.tool}: ${f.message}`);
    if (f.diagnostics) {
      out.push('daemon log file (tail):\n```\n' + f.diagnostics.log + '\n```');
      out.push('daemon stdout/stderr (tail):\n```\n' + f.diagnostics.output + '\n```');
    }
  }
}
process.stdout.write(out.join('\n') + '\n');

const jsonPath = resolve(repoRoot, opts.json);
mkdirSync(dirname(jsonPath), { recursive: true });
const summary = {};
for (const sc of scenarioList) {
  summary[sc.name] = { description: sc.description, tools: {} };
  for (const t of tools) {
    const o = results[sc.name][t.name];
    summary[sc.name].tools[t.name] = { label: t.label, median: aggregate(sc, o), runs: o.runs, errors: o.errors };
  }
}
writeFileSync(jsonPath, JSON.stringify({ ...meta, finishedAt: new Date().toISOString(), elapsedS, scenarios: summary, table: rows.map(({ mineCell: _a, otherCell: _b, ...r }) => r), notes }, null, 2) + '\n');
log(`bench: results written to ${jsonPath}`);
process.exitCode = failures.length ? 1 : 0;
