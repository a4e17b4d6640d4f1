// How `tidemark check` prints a SafetyReport for a person (the --json form is the report itself).
import type { AtRiskEntry, SafetyReport } from '../../src-shared/model/safety';
import { formatBytes } from '../core/safety/at-risk';
import { displayPath } from '../core/watch/byte-path';

/** Entries listed per target before "... and N more" (the JSON lists them all). */
export const LISTED_ENTRIES = 40;

export function reportText(report: SafetyReport, source: string): string {
  const lines = [`${report.summary} (source ${source}/)`];
  if (report.updates > 0) lines.push(`  ${report.updates} file(s) are older on the target and will be updated from the source, as usual.`);
  if (report.entries.length === 0) return `${lines.join('\n')}\n`;
  lines.push('  By directory:');
  for (const group of report.groups.slice(0, 10)) {
    lines.push(`    ${(group.dir === '' ? '(top level)' : `${displayPath(group.dir)}/`).padEnd(40)} ${String(group.count).padStart(7)} ${formatBytes(group.bytes).padStart(10)}`);
  }
  if (report.groups.length > 10) lines.push(`    ... and ${report.groups.length - 10} more directories`);
  lines.push('  Entries:');
  for (const entry of report.entries.slice(0, LISTED_ENTRIES)) lines.push(`    ${entryLine(entry)}`);
  if (report.entries.length > LISTED_ENTRIES) lines.push(`    ... and ${report.entries.length - LISTED_ENTRIES} more (--json lists them all)`);
  return `${lines.join('\n')}\n`;
}

function entryLine(entry: AtRiskEntry): string {
  const when = new Date(entry.mtimeMs).toISOString().slice(0, 19).replace('T', ' ');
  const name = `${displayPath(entry.path)}${entry.entry === 'dir' ? '/' : ''}`;
  const source = entry.sourceMtimeMs === undefined ? '' : ` (source: ${formatBytes(entry.sourceSize ?? 0)}, ${new Date(entry.sourceMtimeMs).toISOString().slice(0, 19).replace('T', ' ')})`;
  const flag = entry.atRisk ? '' : ' [not at risk]';
  return `${entry.risk.padEnd(17)} ${formatBytes(entry.size).padStart(10)}  ${when}  ${name}${source}${flag}`;
}

/** A report as JSON: paths as text (UTF-8, bytes that are not escaped), the rest as is. */
export function reportJson(report: SafetyReport, source: string): object {
  return {
    ...report,
    source,
    entries: report.entries.map((entry) => ({ ...entry, path: displayPath(entry.path) })),
    groups: report.groups.map((group) => ({ ...group, dir: displayPath(group.dir) })),
  };
}
