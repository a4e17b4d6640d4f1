// Prints a per-suite table from vitest's JSON report and the closing "N passed, N failed" line.
import { readFileSync, existsSync } from 'node:fs';
import { relative } from 'node:path';

const file = process.argv[2];
if (!file || !existsSync(file)) {
  console.log(`  tests          no report (${file}): vitest did not run`);
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const report = JSON.parse(readFileSync(file, 'utf8'));
const suiteOf = (path) => relative(process.cwd(), path).split('/')[1] ?? 'other';
const suites = new Map();
for (const fileResult of report.testResults) {
  const suite = suiteOf(fileResult.name);
  const row = suites.get(suite) ?? { passed: 0, failed: 0, skipped: 0, ms: 0 };
  for (const test of fileResult.assertionResults) {
    if (test.status === 'passed') row.passed += 1;
    else if (test.status === 'failed') row.failed += 1;
    else row.skipped += 1;
  }
  if (fileResult.status === 'failed' && fileResult.assertionResults.every((t) => t.status !== 'failed')) row.failed += 1; // a suite that failed to load
  row.ms += (fileResult.endTime ?? 0) - (fileResult.startTime ?? 0);
  suites.set(suite, row);
}
let passed = 0, failed = 0, skipped = 0;
for (const [suite, row] of [...suites].sort()) {
  console.log(`  ${('tests:' + suite).padEnd(14)} ${row.passed} passed, ${row.failed} failed, ${row.skipped} skipped (${(row.ms / 1000).toFixed(1)} s)`);
  passed += row.passed; failed += row.failed; skipped += row.skipped;
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || passed === 0 ? 1 : 0);
