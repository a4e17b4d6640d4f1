// "Keep" decisions as rsync filter rules: an excluded path is neither sent nor deleted, so a
// kept entry on the target is never touched. Pure: no node:* imports.
import type { RelPath } from '../../../src-shared/model/sync';

/** The trash on a target, which no sync may send into or delete. */
export const TRASH_DIR = '.tidemark-trash';

/**
 * An exclude rule matching exactly one path from the transfer root. rsync treats a backslash
 * as an escape only in a pattern that has wildcards (*, ? or [); a name with any of them gets
 * each of them, and every backslash, escaped; any other name is literal as it stands.
 */
export function exactExcludeRule(path: RelPath): string {
  const pattern = /[*?[]/.test(path) ? path.replace(/[*?[\\]/g, (char) => `\\${char}`) : path;
  return `- /${pattern}`;
}

/** A merge file of rules, NUL-terminated (read with --from0), as latin1 byte strings. */
export function keepRulesFile(paths: readonly RelPath[]): Buffer {
  return Buffer.from(paths.map((path) => `${exactExcludeRule(path)}\0`).join(''), 'latin1');
}
