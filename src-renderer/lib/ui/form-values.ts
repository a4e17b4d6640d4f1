// What the form fields of the settings and profile screens hold (text, as a person types it) and
// how it becomes the typed values the contract takes: numbers, "off" (false), lists of lines.
// Pure, so that every edge case is a row in a table test (test/renderer/form-values.test.ts).

/** A number field that can also be switched off: the breaker limits, where off is `false`. */
export interface NumberOrOff {
  readonly off: boolean;
  readonly text: string;
}

export interface NumberRules {
  readonly integer?: boolean;
  readonly min?: number;
  /** Strictly above this (maxDeletePercent must be above 0). */
  readonly above?: number;
  readonly max?: number;
  /** Empty text means "not set" (the profile's default applies) rather than an error. */
  readonly optional?: boolean;
}

export type Parsed<T> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly message: string };

/** A number typed into a field, checked against `rules`; undefined when optional and empty. */
export function parseNumber(text: string, rules: NumberRules & { optional: true }): Parsed<number | undefined>;
export function parseNumber(text: string, rules?: NumberRules): Parsed<number>;
export function parseNumber(text: string, rules: NumberRules = {}): Parsed<number | undefined> {
  const trimmed = text.trim();
  if (trimmed === '') return rules.optional ? { ok: true, value: undefined } : { ok: false, message: 'enter a number' };
  // Number('') is 0 and Number('0x10') is 16: accept only plain decimal notation.
  if (!/^-?(\d+\.?\d*|\.\d+)$/.test(trimmed)) return { ok: false, message: `'${trimmed}' is not a number` };
  const value = Number(trimmed);
  if (rules.integer && !Number.isInteger(value)) return { ok: false, message: 'enter a whole number' };
  if (rules.min !== undefined && value < rules.min) return { ok: false, message: `must be at least ${rules.min}` };
  if (rules.above !== undefined && value <= rules.above) return { ok: false, message: `must be more than ${rules.above}` };
  if (rules.max !== undefined && value > rules.max) return { ok: false, message: `must be at most ${rules.max}` };
  return { ok: true, value };
}

/** A limit or `false` for "off"; with `optional`, an empty limit is undefined (the default). */
export function parseNumberOrOff(field: NumberOrOff, rules: NumberRules = {}): Parsed<number | false | undefined> {
  if (field.off) return { ok: true, value: false };
  return parseNumber(field.text, { ...rules, optional: rules.optional === true });
}

/** The field's state for a stored value: a number, `false` (off) or absent (empty: the default). */
export function numberOrOffOf(value: number | false | undefined): NumberOrOff {
  return value === false ? { off: true, text: '' } : { off: false, text: value === undefined ? '' : String(value) };
}

/** A number for a text field; empty when absent. */
export function textOf(value: number | undefined): string {
  return value === undefined ? '' : String(value);
}

export interface LineProblem {
  /** 1-based, as the textarea shows it. */
  readonly line: number;
  readonly text: string;
  readonly message: string;
}

export interface ParsedLines {
  readonly values: string[];
  readonly problems: LineProblem[];
}

const MAX_RULE = 1024;

/** The non-blank lines of a textarea, each with its 1-based line number (a CR from a paste dropped). */
function numberedLines(text: string): { line: number; text: string }[] {
  return text
    .split('\n')
    .map((line, index) => ({ line: index + 1, text: line.replace(/\r$/, '') }))
    .filter((entry) => entry.text.trim() !== '');
}

/**
 * rsync filter rules, one per line, as a profile's `filters` holds them: '- PATTERN' excludes,
 * '+ PATTERN' includes, first match wins. Blank lines are skipped; anything else must be a rule.
 */
export function parseFilterLines(text: string): ParsedLines {
  const values: string[] = [];
  const problems: LineProblem[] = [];
  for (const entry of numberedLines(text)) {
    const rule = entry.text.trimStart();
    if (rule.length > MAX_RULE) problems.push({ ...entry, message: `is longer than ${MAX_RULE} characters` });
    else if (!/^[+-] ?\S/s.test(rule)) {
      const hint = /^[+-]\s*$/.test(rule) ? 'add the pattern after the sign' : `start it with '- ' to exclude or '+ ' to include (for example '- ${rule.trim()}')`;
      problems.push({ ...entry, message: `is not a rule: ${hint}` });
    } else values.push(rule);
  }
  return { values, problems };
}

/** Exclude patterns, one per line (the defaults' excludes: patterns without the '- '). */
export function parsePatternLines(text: string): ParsedLines {
  const values: string[] = [];
  const problems: LineProblem[] = [];
  for (const entry of numberedLines(text)) {
    const pattern = entry.text.trim();
    if (pattern.length > MAX_RULE) problems.push({ ...entry, message: `is longer than ${MAX_RULE} characters` });
    else values.push(pattern);
  }
  return { values, problems };
}

/** A list as the textarea shows it: one entry a line. */
export function linesOf(values: readonly string[] | undefined): string {
  return (values ?? []).join('\n');
}

/** Whether `path` is one the contract takes as an absolute local path; a reason when not. */
export function absolutePathProblem(path: string): string | null {
  if (path === '') return 'enter a path';
  if (!path.startsWith('/')) return 'must be an absolute path (starting with /)';
  if (path.split('/').includes('..')) return 'must not contain ..';
  if (path.includes('\0')) return 'must not contain a NUL byte';
  if (path.length > 4096) return 'is longer than 4096 characters';
  return null;
}

/** The problems of a list of lines as one sentence for a field's error text. */
export function describeLineProblems(problems: readonly LineProblem[]): string {
  return problems.map((problem) => `Line ${problem.line} ('${problem.text.trim()}') ${problem.message}.`).join(' ');
}
