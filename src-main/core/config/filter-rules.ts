// rsync-style filter rules from sync{} keys and from excludeFrom/filterFrom files.

import type { FilterRule } from './model';

/** `- PATTERN`, `+ PATTERN` (lsyncd's forms, space optional) or rsync's `exclude PATTERN` / `include PATTERN`. */
export function parseFilterRule(text: string): FilterRule | undefined {
  const line = text.replace(/\r$/, '');
  const short = /^\s*([+-])\s*(.*)$/.exec(line);
  const long = /^\s*(exclude|include)\s+(.*)$/.exec(line);
  const action = short?.[1] ?? (long?.[1] === 'include' ? '+' : long ? '-' : undefined);
  const pattern = short?.[2] ?? long?.[2];
  if ((action !== '+' && action !== '-') || pattern === undefined || pattern.trim() === '') return undefined;
  return { action, pattern };
}

function isCommentOrBlank(line: string): boolean {
  return /^\s*([#;]|$)/.test(line);
}

export interface FileRules {
  readonly rules: readonly FilterRule[];
  /** Lines that are no rule, with their 1-based line numbers in the file. */
  readonly invalid: readonly { readonly line: number; readonly text: string }[];
}

/** A filterFrom file: one rule a line; blank lines and lines starting with '#' or ';' are skipped. */
export function parseFilterFile(text: string): FileRules {
  const rules: FilterRule[] = [];
  const invalid: { line: number; text: string }[] = [];
  text.split('\n').forEach((raw, index) => {
    const line = raw.replace(/\r$/, '');
    if (isCommentOrBlank(line)) return;
    const rule = parseFilterRule(line);
    if (rule) rules.push(rule);
    else invalid.push({ line: index + 1, text: line });
  });
  return { rules, invalid };
}

/**
 * An excludeFrom file: one pattern a line, each a '-' rule, with an optional leading '-'.
 * Blank lines and comments ('#', ';') are skipped, and so are '+' lines, which lsyncd 2.2.3 also
 * ignores in exclude files.
 */
export function parseExcludeFile(text: string): FilterRule[] {
  const rules: FilterRule[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/\r$/, '');
    if (isCommentOrBlank(line) || /^\s*\+/.test(line)) continue;
    const pattern = /^\s*-?\s*(.*)$/.exec(line)?.[1] ?? '';
    if (pattern.trim() !== '') rules.push({ action: '-', pattern });
  }
  return rules;
}

/** Rules in lsyncd's order of precedence, without repeated excludes. */
export function orderRules(filters: readonly FilterRule[], excludes: readonly FilterRule[]): FilterRule[] {
  const seen = new Set<string>();
  const uniqueExcludes = excludes.filter((rule) => !seen.has(rule.pattern) && seen.add(rule.pattern));
  return [...filters, ...uniqueExcludes];
}
