// `npm run bench -- --churn N`: seeded random churn with the mass-delete breaker at its defaults,
// N seeds of 1,000 operations against a local and an rsyncssh target (the integration suites'
// churn, run at a larger size than CI runs it): how many seeds converged.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const VARIANTS = [
  { name: 'local', file: 'test/integration/local-churn.test.ts' },
  { name: 'rsyncssh', file: 'test/integration/remote-churn.test.ts' },
];

/** Runs the churn suites (inotify) with `seeds` seeds of `ops` operations; converged/total per variant. */
export function runChurn(repoRoot, seeds, ops = 1000) {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-bench-churn-'));
  try {
    const out = join(dir, 'churn.json');
    const vitest = join(repoRoot, 'node_modules/vitest/vitest.mjs');
    spawnSync(process.execPath, [vitest, 'run', '--project', 'integration', ...VARIANTS.map((v) => v.file), '-t', 'inotify watcher', '--reporter=json', `--outputFile=${out}`], {
      cwd: repoRoot,
      env: { ...process.env, TIDEMARK_CHURN_SEEDS: String(seeds), TIDEMARK_CHURN_OPS: String(ops) },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const report = JSON.parse(readFileSync(out, 'utf8'));
    return VARIANTS.map((variant) => {
      const file = report.testResults.find((result) => result.name.endsWith(variant.file));
      const tests = (file?.assertionResults ?? []).filter((test) => test.status !== 'skipped' && test.status !== 'pending');
      const failed = tests.filter((test) => test.status !== 'passed');
      return { variant: variant.name, seeds, ops, converged: tests.length - failed.length, total: tests.length, failed: failed.map((test) => test.title) };
    });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
