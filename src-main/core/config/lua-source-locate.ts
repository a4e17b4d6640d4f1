// Finds the line of `key = ...` inside the table of a sync{}/settings{} call, so an error about a
// key points at the key rather than at the call. A light Lua tokenizer skips strings and comments;
// braces are balanced in any source that Lua accepted, so depth counting is enough.

interface Token {
  readonly text: string;
  readonly line: number;
  readonly name: boolean;
}

const NAME = /[A-Za-z_][A-Za-z0-9_]*/y;
const LONG_OPEN = /\[(=*)\[/y;
const TWO_CHAR = new Set(['==', '~=', '<=', '>=', '..', '::', '//', '<<', '>>']);

/** The position after a long bracket opened at `from` (`[[`, `[==[`), or undefined. */
function skipLong(source: string, from: number): number | undefined {
  LONG_OPEN.lastIndex = from;
  const open = LONG_OPEN.exec(source);
  if (!open) return undefined;
  const close = `]${open[1] ?? ''}]`;
  const end = source.indexOf(close, from + open[0].length);
  return end < 0 ? source.length : end + close.length;
}

function skipQuoted(source: string, from: number): number {
  const quote = source[from];
  let i = from + 1;
  while (i < source.length && source[i] !== quote && source[i] !== '\n') i += source[i] === '\\' ? 2 : 1;
  return i + 1;
}

function tokenize(source: string): Token[] {
  const tokens: Token[] = [];
  let line = 1;
  let i = 0;
  const advanceTo = (end: number): void => {
    for (let j = i; j < end && j < source.length; j++) if (source[j] === '\n') line++;
    i = end;
  };
  while (i < source.length) {
    const c = source[i] ?? '';
    if (c === '\n' || c === ' ' || c === '\t' || c === '\r') {
      advanceTo(i + 1);
    } else if (source.startsWith('--', i)) {
      const longEnd = skipLong(source, i + 2);
      const lineEnd = source.indexOf('\n', i);
      advanceTo(longEnd ?? (lineEnd < 0 ? source.length : lineEnd));
    } else if (c === '"' || c === "'") {
      tokens.push({ text: 'string', line, name: false });
      advanceTo(skipQuoted(source, i));
    } else if (c === '[' && skipLong(source, i) !== undefined) {
      tokens.push({ text: 'string', line, name: false });
      advanceTo(skipLong(source, i) ?? source.length);
    } else {
      NAME.lastIndex = i;
      const name = NAME.exec(source);
      if (name) {
        tokens.push({ text: name[0], line, name: true });
        advanceTo(i + name[0].length);
      } else {
        const pair = source.slice(i, i + 2);
        const text = TWO_CHAR.has(pair) ? pair : c;
        tokens.push({ text, line, name: false });
        advanceTo(i + text.length);
      }
    }
  }
  return tokens;
}

let cache: { source: string; tokens: Token[] } | undefined;

function tokensOf(source: string): Token[] {
  if (cache?.source !== source) cache = { source, tokens: tokenize(source) };
  return cache.tokens;
}

/** Index of the `}` matching the `{` at `open`. */
function matchingBrace(tokens: readonly Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const text = tokens[i]?.text;
    if (text === '{') depth++;
    else if (text === '}' && --depth === 0) return i;
  }
  return tokens.length;
}

/** Index of `key =` directly inside the table `{` at `open` (not in nested tables). */
function findKey(tokens: readonly Token[], open: number, key: string): number | undefined {
  const close = matchingBrace(tokens, open);
  let depth = 0;
  for (let i = open + 1; i < close; i++) {
    const token = tokens[i];
    if (token?.text === '{') depth++;
    else if (token?.text === '}') depth--;
    else if (depth === 0 && token?.name && token.text === key && tokens[i + 1]?.text === '=') return i;
  }
  return undefined;
}

/**
 * The line of `path` (e.g. ['rsync', 'compress']) inside the table passed to `callee` on
 * `callLine` (`sync{...}`, `sync({...})` or `settings = {...}`), or undefined when the table was
 * built elsewhere (`sync(cfg)`) or the key is not written there.
 */
export function locateKey(source: string, callLine: number, callee: string, path: readonly string[]): number | undefined {
  const tokens = tokensOf(source);
  const at = tokens.findIndex((token) => token.name && token.text === callee && token.line === callLine);
  if (at < 0) return undefined;
  let open = at + 1;
  if (tokens[open]?.text === '(' || tokens[open]?.text === '=') open++;
  if (tokens[open]?.text !== '{') return undefined;
  let line: number | undefined;
  for (const [index, key] of path.entries()) {
    const found = findKey(tokens, open, key);
    if (found === undefined) return undefined;
    line = tokens[found]?.line;
    open = found + 2;
    if (tokens[open]?.text !== '{' && index < path.length - 1) return undefined;
  }
  return line;
}

/**
 * The line of some `key =` anywhere in the source, for a key that came from a table built
 * elsewhere (lsyncd's `echo = { onCreate = ... }` then `sync{ echo, ... }`): the last one written
 * at or before `beforeLine`, else the first one after it, or undefined when it is not written.
 */
export function locateAnyKey(source: string, key: string, beforeLine: number): number | undefined {
  const tokens = tokensOf(source);
  let before: number | undefined;
  let after: number | undefined;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    if (!token?.name || token.text !== key || tokens[i + 1]?.text !== '=') continue;
    if (token.line <= beforeLine) before = token.line;
    else after ??= token.line;
  }
  return before ?? after;
}
