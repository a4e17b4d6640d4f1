// Aggregating runs (medians) and the Markdown table with ratios and goals.
import { median } from './util.js';

/** Per metric key, the median over the successful runs of one tool in one scenario. */
export function aggregate(scenario, outcome) {
  const values = {};
  for (const m of scenario.metrics) {
    const xs = outcome.runs.map((r) => r[m.key]).filter((x) => typeof x === 'number' && Number.isFinite(x));
    values[m.key] = xs.length ? median(xs) : null;
  }
  return values;
}

function fmt(value, unit) {
  if (value === null || value === undefined) return '';
  if (unit === 'ms') return `${value.toFixed(1)} ms`;
  if (unit === 's') return `${value.toFixed(2)} s`;
  if (unit === 'MB') return `${value.toFixed(1)} MB`;
  if (unit === 'us') return `${value.toFixed(0)} µs`;
  return String(Math.round(value));
}

function goalText(goal, otherLabel, unit) {
  if (!goal) return '';
  if (goal.kind === 'ratio') return goal.max === 1 ? `≤ ${otherLabel}` : `≤ ${goal.max}× ${otherLabel}`;
  return `≤ ${goal.max} ${unit}`;
}

/**
 * Rows of the table: one per scenario metric. `results[scenario][tool]` is {runs, errors, planned}.
 * `columns` is {mine: tool, other: tool|null, otherLabel}.
 */
export function buildRows(scenarios, results, { mineName, otherName, otherLabel }) {
  const rows = [];
  for (const sc of scenarios) {
    const mine = results[sc.name]?.[mineName];
    const other = otherName ? results[sc.name]?.[otherName] : null;
    const mineVals = mine ? aggregate(sc, mine) : {};
    const otherVals = other ? aggregate(sc, other) : {};
    for (const m of sc.metrics) {
      const a = mineVals[m.key] ?? null;
      const b = otherVals[m.key] ?? null;
      const ratio = a !== null && b !== null && b !== 0 ? a / b : null;
      let met = '';
      if (m.goal?.kind === 'ratio') met = ratio === null ? 'n/a' : ratio <= m.goal.max ? 'yes' : 'NO';
      if (m.goal?.kind === 'abs') met = a === null ? 'n/a' : a <= m.goal.max ? 'yes' : 'NO';
      rows.push({
        scenario: sc.name,
        metric: m.label,
        key: m.key,
        unit: m.unit,
        mine: a,
        other: b,
        ratio,
        goal: m.goal ?? null,
        met,
        mineCell: cell(mine, a, m.unit),
        otherCell: cell(other, b, m.unit),
        goalText: goalText(m.goal, otherLabel, m.unit),
      });
    }
  }
  return rows;
}

function cell(outcome, value, unit) {
  if (!outcome) return '';
  const failed = outcome.errors.length;
  if (value === null) return failed ? 'FAIL' : '';
  const ok = outcome.runs.length;
  return ok + failed > 1 && failed ? `${fmt(value, unit)} (${ok}/${ok + failed} runs)` : fmt(value, unit);
}

/** The table; a `filesystem` column says where each row was measured (rows carry `fs`). */
export function markdownTable(rows, { mineLabel, otherLabel }) {
  const withFs = rows.some((r) => r.fs);
  const header = [...(withFs ? ['filesystem'] : []), 'scenario', 'metric', mineLabel, otherLabel, `ratio (${mineLabel}/${otherLabel.split(' ')[0]})`, 'goal', 'met?'];
  const lines = [
    `| ${header.join(' | ')} |`,
    `|${header.map(() => '---').join('|')}|`,
  ];
  for (const r of rows) {
    lines.push(`| ${[...(withFs ? [r.fs ?? ''] : []), r.scenario, r.metric, r.mineCell, r.otherCell, r.ratio === null ? '' : r.ratio.toFixed(2), r.goalText, r.met].join(' | ')} |`);
  }
  return lines.join('\n');
}
