// rsync filter rules ('+'/'-' with a pattern), matched the way rsync matches them while it walks
// the tree: first matching rule wins, no match means included, and a path below an excluded
// directory is excluded because rsync never descends into one.
//
// Patterns arrive as JS strings (UTF-8 text in the config); paths are RelPath byte strings. Every
// pattern is turned into its UTF-8 bytes first, so that 'é' in a rule matches the two bytes of
// 'é' in a name, and a rule can never match half of a character by accident.
import type { RelPath } from '../../../src-shared/model/sync';
import type { FilterRule } from '../config/model';
import { hasWildcards, patternSource } from './wildmatch';

export interface PathFilter {
  /** Whether rsync would skip `path`: it, or one of its ancestor directories, is excluded. */
  isExcluded(path: RelPath, isDir: boolean): boolean;
}

/** Compiles rules once; the returned filter is pure and cheap to call. */
export function compileFilters(rules: readonly FilterRule[]): PathFilter {
  const compiled = rules.map(compileRule).filter((r): r is CompiledRule => r !== null);
  const excludedItself = (path: RelPath, isDir: boolean): boolean => {
    for (const rule of compiled) {
      if (matches(rule, path, isDir)) return rule.exclude;
    }
    return false;
  };
  return {
    isExcluded(path: RelPath, isDir: boolean): boolean {
      if (path === '') return false; // the root is never filtered
      // Ancestors first, as directories: rsync decides about each on its way down.
      for (let i = path.indexOf('/'); i >= 0; i = path.indexOf('/', i + 1)) {
        if (i > 0 && excludedItself(path.slice(0, i), true)) return true;
      }
      return excludedItself(path, isDir);
    },
  };
}

interface CompiledRule {
  readonly exclude: boolean;
  /** A trailing '/' in the pattern: only directories match. */
  readonly dirOnly: boolean;
  readonly path: RegExp;
  /** For `dir/***`: matches `dir` itself, which must be a directory. */
  readonly self: RegExp | null;
}

/**
 * rsync's reading of a pattern:
 * - a leading '/' anchors it at the root; otherwise it matches the whole path or any trailing run
 *   of whole components (for a pattern with no '/' and no '**', that is the last component only,
 *   since nothing else in it can match a '/');
 * - a trailing '/' restricts it to directories;
 * - a trailing '/***' matches the directory itself and everything below it.
 * An empty pattern matches nothing.
 */
function compileRule(rule: FilterRule): CompiledRule | null {
  let pattern = utf8ByteString(rule.pattern);
  const anchored = pattern.startsWith('/');
  if (anchored) pattern = pattern.slice(1);
  const dirOnly = pattern.endsWith('/');
  if (dirOnly) pattern = pattern.slice(0, -1);
  if (pattern === '') return null;
  const wild = hasWildcards(pattern);
  const withSelf = wild && pattern.endsWith('/***');
  const toRegExp = (p: string): RegExp => new RegExp(`${anchored ? '^' : '(?:^|\\x2f)'}(?:${patternSource(p, wild)})$`);
  return {
    exclude: rule.action === '-',
    dirOnly,
    path: toRegExp(withSelf ? pattern.slice(0, -1) : pattern),
    self: withSelf ? toRegExp(pattern.slice(0, -4)) : null,
  };
}

function matches(rule: CompiledRule, path: RelPath, isDir: boolean): boolean {
  if (rule.dirOnly && !isDir) return false;
  if (rule.self !== null && isDir && rule.self.test(path)) return true;
  return rule.path.test(path);
}

/** The UTF-8 bytes of `text`, one char per byte (latin1), like a RelPath. */
function utf8ByteString(text: string): string {
  let out = '';
  for (const byte of new TextEncoder().encode(text)) out += String.fromCharCode(byte);
  return out;
}
