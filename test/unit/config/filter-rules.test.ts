import { describe, expect, it } from 'vitest';
import { orderRules, parseExcludeFile, parseFilterFile, parseFilterRule, type FileRules } from '../../../src-main/core/config/filter-rules';
import type { FilterRule } from '../../../src-main/core/config/model';

/** A '-' rule. */
const minus = (pattern: string): FilterRule => ({ action: '-', pattern });
/** A '+' rule. */
const plus = (pattern: string): FilterRule => ({ action: '+', pattern });

const RULES: { description: string; text: string; expected: FilterRule | undefined }[] = [
  { description: '- PATTERN', text: '- *.tmp', expected: minus('*.tmp') },
  { description: '+ PATTERN', text: '+ /keep/', expected: plus('/keep/') },
  { description: 'no space after the sign', text: '-*.o', expected: minus('*.o') },
  { description: 'leading blanks and a CR', text: '  + *.c\r', expected: plus('*.c') },
  { description: 'a pattern with spaces inside', text: '- My Documents/', expected: minus('My Documents/') },
  { description: "rsync's exclude word", text: 'exclude build/', expected: minus('build/') },
  { description: "rsync's include word", text: 'include /docs/**', expected: plus('/docs/**') },
  { description: 'a bare pattern is no rule', text: '*.o', expected: undefined },
  { description: 'a sign without a pattern is no rule', text: '- ', expected: undefined },
  { description: 'an empty line is no rule', text: '', expected: undefined },
];

const FILTER_FILES: { description: string; text: string; expected: FileRules }[] = [
  {
    description: 'rules in order, comments (# and ;) and blank lines skipped',
    text: '# sources\n+ *.c\n\n; objects\n- *.o\r\n   \n- *\n',
    expected: { rules: [plus('*.c'), minus('*.o'), minus('*')], invalid: [] },
  },
  { description: 'lines that are no rule are reported with their line numbers', text: '+ a\nb\n\n- c\nd e\n', expected: { rules: [plus('a'), minus('c')], invalid: [{ line: 2, text: 'b' }, { line: 5, text: 'd e' }] } },
  { description: 'an empty file', text: '', expected: { rules: [], invalid: [] } },
];

const EXCLUDE_FILES: { description: string; text: string; expected: FilterRule[] }[] = [
  { description: 'one pattern a line', text: '*.swp\n.git/\n', expected: [minus('*.swp'), minus('.git/')] },
  { description: "a leading '-' is optional", text: '- *.swp\n-.git/\n', expected: [minus('*.swp'), minus('.git/')] },
  { description: "'+' lines are ignored, as lsyncd 2.2.3 does", text: '+ keep\n*.o\n', expected: [minus('*.o')] },
  { description: 'comments and blank lines are skipped, CRLF handled', text: '# c\r\n\r\n; c\r\n*~\r\n', expected: [minus('*~')] },
  { description: 'an empty file', text: '', expected: [] },
];

describe('filter rules', () => {
  for (const { description, text, expected } of RULES) {
    it(`parseFilterRule: ${description}`, () => {
      expect(parseFilterRule(text)).toEqual(expected);
    });
  }
  for (const { description, text, expected } of FILTER_FILES) {
    it(`parseFilterFile: ${description}`, () => {
      expect(parseFilterFile(text)).toEqual(expected);
    });
  }
  for (const { description, text, expected } of EXCLUDE_FILES) {
    it(`parseExcludeFile: ${description}`, () => {
      expect(parseExcludeFile(text)).toEqual(expected);
    });
  }

  it('orderRules: filters first (repeats kept), then excludes without repeats', () => {
    expect(orderRules([plus('a'), minus('b'), minus('b')], [minus('c'), minus('b'), minus('c')])).toEqual([plus('a'), minus('b'), minus('b'), minus('c'), minus('b')]);
  });
});
