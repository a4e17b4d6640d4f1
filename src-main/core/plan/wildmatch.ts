// rsync's pattern language, compiled to a RegExp over byte strings (one char per byte, as RelPath).
// Follows rsync's wildmatch.c: `*` stops at '/', `**` crosses it, `?` and `[...]` never match '/',
// a backslash escapes the next char, `[!x]`/`[^x]` negate, a ']' first in a class is literal,
// `[[:alpha:]]`-style classes use the C locale, an unterminated class or an unknown [:name:]
// makes the pattern match nothing. A pattern with none of `*?[` is literal, backslashes included.

/** Matches no string at all. */
const NEVER = '(?!)';

type Range = readonly [number, number];

const POSIX_CLASSES = new Map<string, readonly Range[]>([
  ['alnum', [[0x30, 0x39], [0x41, 0x5a], [0x61, 0x7a]]],
  ['alpha', [[0x41, 0x5a], [0x61, 0x7a]]],
  ['blank', [[0x09, 0x09], [0x20, 0x20]]],
  ['cntrl', [[0x00, 0x1f], [0x7f, 0x7f]]],
  ['digit', [[0x30, 0x39]]],
  ['graph', [[0x21, 0x7e]]],
  ['lower', [[0x61, 0x7a]]],
  ['print', [[0x20, 0x7e]]],
  ['punct', [[0x21, 0x2f], [0x3a, 0x40], [0x5b, 0x60], [0x7b, 0x7e]]],
  ['space', [[0x09, 0x0d], [0x20, 0x20]]],
  ['upper', [[0x41, 0x5a]]],
  ['xdigit', [[0x30, 0x39], [0x41, 0x46], [0x61, 0x66]]],
]);

/** Whether rsync treats `pattern` as a wildcard pattern rather than a literal name. */
export function hasWildcards(pattern: string): boolean {
  return /[*?[]/.test(pattern);
}

/**
 * The RegExp source (unanchored) matching exactly the strings `pattern` matches. Literal
 * patterns (no `*?[`) match themselves, backslashes included, as in rsync.
 */
export function patternSource(pattern: string, wild: boolean): string {
  if (!wild) return pattern.split('').map(literal).join('');
  let out = '';
  for (let i = 0; i < pattern.length; ) {
    const ch = pattern.charAt(i);
    if (ch === '\\') {
      // A trailing lone backslash stands for itself.
      out += literal(pattern.charAt(i + 1) || '\\');
      i += 2;
    } else if (ch === '*') {
      let run = 0;
      while (pattern.charAt(i) === '*') {
        run++;
        i++;
      }
      out += run >= 2 ? '[\\s\\S]*' : '[^/]*';
    } else if (ch === '?') {
      out += '[^/]';
      i++;
    } else if (ch === '[') {
      const cls = parseClass(pattern, i);
      if (cls === null) return NEVER;
      out += cls.source;
      i = cls.end;
    } else {
      out += literal(ch);
      i++;
    }
  }
  return out;
}

/**
 * A bracket class starting at `start` (the '['), as wildmatch.c reads it; null when it cannot
 * match anything (unterminated, or an unknown [:name:]).
 */
function parseClass(p: string, start: number): { source: string; end: number } | null {
  let i = start + 1;
  const negated = p.charAt(i) === '!' || p.charAt(i) === '^';
  if (negated) i++;
  const ranges: Range[] = [];
  /** The previous single member, which a following '-' turns into a range start. */
  let prev: number | null = null;
  for (let first = true; ; first = false) {
    if (i >= p.length) return null;
    const ch = p.charAt(i);
    if (ch === ']' && !first) break;
    if (ch === '\\') {
      if (i + 1 >= p.length) return null;
      prev = code(p.charAt(i + 1));
      ranges.push([prev, prev]);
      i += 2;
    } else if (ch === '-' && prev !== null && i + 1 < p.length && p.charAt(i + 1) !== ']') {
      let j = i + 1;
      if (p.charAt(j) === '\\') j++;
      if (j >= p.length) return null;
      const hi = code(p.charAt(j));
      if (prev <= hi) ranges.push([prev, hi]);
      prev = null;
      i = j + 1;
    } else if (ch === '[' && p.charAt(i + 1) === ':') {
      const close = p.indexOf(']', i + 2);
      if (close < 0) return null;
      if (close - 1 < i + 2 || p.charAt(close - 1) !== ':') {
        // No ":]" before the next ']': the '[' is an ordinary member.
        prev = code(ch);
        ranges.push([prev, prev]);
        i++;
        continue;
      }
      const members = POSIX_CLASSES.get(p.slice(i + 2, close - 1));
      if (members === undefined) return null;
      ranges.push(...members);
      prev = null;
      i = close + 1;
    } else {
      prev = code(ch);
      ranges.push([prev, prev]);
      i++;
    }
  }
  const body = ranges.map(([lo, hi]) => (lo === hi ? hex(lo) : `${hex(lo)}-${hex(hi)}`)).join('');
  // A class never matches '/'.
  const source = negated ? `[^${body}\\x2f]` : ranges.length === 0 ? NEVER : `(?!\\x2f)[${body}]`;
  return { source, end: i + 1 };
}

function code(ch: string): number {
  return ch.charCodeAt(0);
}

function hex(c: number): string {
  return c <= 0xff ? `\\x${c.toString(16).padStart(2, '0')}` : `\\u${c.toString(16).padStart(4, '0')}`;
}

function literal(ch: string): string {
  return hex(code(ch));
}
