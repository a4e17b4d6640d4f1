// Tidemark vs lsyncd on the same generated lsyncd configs, local targets and (remote-*) SSH targets
// on a throwaway sshd on 127.0.0.1 that the bench starts and stops itself. `npm run bench -- --help`.
//
// Scenarios are objects {name, metrics, repeat, run(tool, env) -> metrics}; tools are objects
// {name, label, probe(), start(configPath) -> {pid, stop()}} (bench/lib/tools.js). A remote scenario
// or tool is one more entry in those lists.
import { mkdirSync, rmSync, writeFileSync, chmodSync } from 'node:fs';
import { cpus, release, loadavg } from 'node:os';
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
import { runChurn } from './lib/churn.js';
import { aggregate, buildRows, markdownTable } from './lib/report.js';
import { fsPasses, describeFs } from './lib/fs-info.js';

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

// --- work dirs and cleanup (also on Ctrl-C and crashes) ---
// One pass per filesystem (fs-info.js): tmpfs compares the daemons rather than the disk; `disk` works
// under the checkout, on the filesystem users' sources live on. Each pass has its own work dir.
const passes = fsPasses(opts, repoRoot).map((pass) => ({ ...pass, workDir: join(resolve(pass.parent), `tidemark-bench-${process.pid}`) }));
let cleaned = false;
let sshd = null; // the bench's sshd of the pass running (remote-* scenarios), stopped at its end and on Ctrl-C
function cleanupSync() {
  if (cleaned) return;
  cleaned = true;
  killAllSync();
  killAllSshdSync();
  if (!opts.keep) for (const pass of passes) rmSync(pass.workDir, { recursive: true, force: true, maxRetries: 3 });
}
process.on('exit', cleanupSync);
let interrupted = false;
for (const sig of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(sig, async () => {
    if (interrupted) { cleanupSync(); process.exit(130); }
    interrupted = true;
    refuseNewDaemons();
    log(`\nbench: ${sig}: stopping the daemons and removing ${passes.map((p) => p.workDir).join(', ')} …`);
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
const scenarioList = [
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
  filesystems: {},
  sshd: {},
};

const benchT0 = performance.now();
const results = {}; // results[pass key][scenario][tool] = {runs, errors}
const passScenarios = {}; // the scenarios each pass ran (remote ones drop out when its sshd fails)
for (const pass of passes) {
  const { workDir } = pass;
  mkdirSync(workDir, { recursive: true });
  pass.fs = describeFs(workDir);
  meta.filesystems[pass.key] = { ...pass.fs, workDir };
  const trash = join(workDir, '.trash');
  if (pass.fs.noJournal) {
    notes.push(`${pass.fs.label}: ext4 without a journal skips inodes freed in the last 1-6 minutes when it creates a file, one by one, so creating files after deleting many costs ~1 ms of system time each; the bench keeps every run's files until the end of the pass, but deletions by other work on the host still slow both tools' writes`);
  }
  let list = scenarioList;
  if (list.some((s) => REMOTE_SCENARIOS.includes(s.name))) {
    chmodSync(workDir, 0o755); // the remote account writes its targets under it
    try {
      sshd = await startSshd(join(workDir, 'sshd'), { targets: join(workDir, 'remote-targets'), log });
      meta.sshd[pass.key] = { port: sshd.port, user: sshd.user, throwawayUser: sshd.userCreated, targets: sshd.targets, openssh: spawnSync('ssh', ['-V'], { encoding: 'utf8' }).stderr?.split(',')[0].trim() || null };
    } catch (err) {
      const skipped = list.filter((s) => REMOTE_SCENARIOS.includes(s.name)).map((s) => s.name);
      list = list.filter((s) => !skipped.includes(s.name));
      notes.push(`${pass.fs.label}: ${skipped.join(', ')} skipped: the bench sshd did not start: ${err.message}`);
      log(`bench: the bench sshd did not start, so ${skipped.join(', ')} are skipped on ${pass.fs.label}: ${err.message}`);
    }
  }
  passScenarios[pass.key] = list;
  log(`bench: on ${pass.fs.label}: work dir ${workDir}; tools: ${tools.map((t) => t.label).join(', ')}; scenarios: ${list.map((s) => s.name).join(', ')}`);
  const byScenario = (results[pass.key] = {});
  for (const sc of list) {
    byScenario[sc.name] = {};
    for (const t of tools) byScenario[sc.name][t.name] = { runs: [], errors: [] };
    for (let rep = 0; rep < sc.repeat; rep++) {
      // Alternate the order of the tools between repetitions, so neither always runs on a warmer cache.
      const order = rep % 2 ? [...tools].reverse() : tools;
      for (const tool of order) {
        const outcome = byScenario[sc.name][tool.name];
        if (outcome.errors.length) continue; // a tool that failed a scenario is not retried
        const tag = `[${passes.length > 1 ? `${pass.key} ` : ''}${sc.name} ${rep + 1}/${sc.repeat}] ${tool.label}`;
        const env = {
          keep: opts.keep,
          trash,
          runDir: () => join(workDir, `${sc.name}-${tool.name}-${rep + 1}`),
          sharedDir: (key = sc.name) => join(workDir, `${key}-shared-src`),
          sshd,
          note: (text) => { notes.push(`${pass.fs.label} / ${sc.name} / ${tool.label}: ${text}`); log(`${tag}: ${text}`); },
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
    meta.sshd[pass.key].connectionsTotal = sshd.connections;
    await disposeSshd(sshd).catch((err) => notes.push(`removing the bench sshd: ${err.message}`));
    sshd = null;
  }
  // The runs' files go only now, when nothing is measured on this filesystem any more.
  const tTrash = performance.now();
  rmSync(trash, { recursive: true, force: true, maxRetries: 3 });
  log(`bench: on ${pass.fs.label}: removed the runs' files in ${((performance.now() - tTrash) / 1000).toFixed(1)} s`);
}

// --- report ---
const elapsedS = (performance.now() - benchT0) / 1000;
const rows = passes.flatMap((pass) => buildRows(passScenarios[pass.key], results[pass.key], { mineName: mineTool.name, otherName: otherTool.name, otherLabel })
  .map((row) => ({ ...row, fs: pass.fs.label, fsKey: pass.key })));
const table = markdownTable(rows, { mineLabel: mineTool.label, otherLabel });
const anySshd = Object.values(meta.sshd)[0];
const out = [];
out.push('');
out.push(`Tidemark bench, ${meta.startedAt}: ${meta.host.cpus} CPUs (${meta.host.cpuModel}), Linux ${meta.host.kernel}, Node ${meta.host.node}, ${meta.host.rsync ?? 'rsync ?'}`);
out.push(`One run, on ${passes.map((p) => `${p.fs.label} (${p.workDir})`).join(' then ')}. latency: p50/p95 over ${opts.samples} samples; burst, scale and restart: median of ${opts.repeat} run(s) per tool and filesystem. ` +
  `scale and restart: ${opts.scaleDirs} dirs / ${opts.scaleFiles} files (restart: the target already an exact copy); burst: ${opts.burstFiles} files in ${opts.burstDirs} dirs. ` +
  (anySshd ? `remote-*: over ${anySshd.openssh ?? 'OpenSSH'} to a throwaway sshd on 127.0.0.1 (default.rsyncssh, delay=0 but 1 in remote-scale and remote-restart; both on ${opts.remoteScaleDirs} dirs / ${opts.remoteScaleFiles} files). ` : '') +
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
for (const pass of passes) {
  for (const sc of passScenarios[pass.key]) {
    for (const t of tools) {
      for (const e of results[pass.key][sc.name][t.name].errors) failures.push({ fs: pass.fs.label, scenario: sc.name, tool: t.label, ...e });
    }
  }
}
if (failures.length) {
  out.push('');
  out.push('Failures:');
  for (const f of failures) {
    out.push(`\n### ${f.fs} / ${f.scenario} / ${f.tool}: ${f.message}`);
    if (f.diagnostics) {
      out.push('daemon log file (tail):\n```\n' + f.diagnostics.log + '\n```');
      out.push('daemon stdout/stderr (tail):\n```\n' + f.diagnostics.output + '\n```');
    }
  }
}
if (opts.churn > 0) {
  log(`bench: churn, ${opts.churn} seeds of 1,000 operations per target kind, the breaker at its defaults`);
  const churn = runChurn(repoRoot, opts.churn);
  meta.churn = churn;
  out.push('');
  out.push('| churn (breaker at its defaults) | seeds converged |');
  out.push('|---|---|');
  for (const c of churn) out.push(`| ${c.variant}: ${c.seeds} seeds × ${c.ops} operations | ${c.converged} of ${c.total}${c.failed.length ? ` (failed: ${c.failed.join('; ')})` : ''} |`);
}
process.stdout.write(out.join('\n') + '\n');

const jsonPath = resolve(repoRoot, opts.json);
mkdirSync(dirname(jsonPath), { recursive: true });
const summary = {}; // summary[pass key] = {fs, workDir, scenarios: {name: {description, tools}}}
for (const pass of passes) {
  const scenarios = {};
  for (const sc of passScenarios[pass.key]) {
    scenarios[sc.name] = { description: sc.description, tools: {} };
    for (const t of tools) {
      const o = results[pass.key][sc.name][t.name];
      scenarios[sc.name].tools[t.name] = { label: t.label, median: aggregate(sc, o), runs: o.runs, errors: o.errors };
    }
  }
  summary[pass.key] = { fs: pass.fs, workDir: pass.workDir, scenarios };
}
writeFileSync(jsonPath, JSON.stringify({ ...meta, finishedAt: new Date().toISOString(), elapsedS, passes: summary, table: rows.map(({ mineCell: _a, otherCell: _b, ...r }) => r), notes }, null, 2) + '\n');
log(`bench: results written to ${jsonPath}`);
process.exitCode = failures.length ? 1 : 0;
