import { describe, expect, it } from 'vitest';
import { printablePath, printableText } from '../../../src-main/core/report/printable';

describe('printablePath (RelPath byte strings)', () => {
  const cases = [
    { description: 'plain ASCII', path: 'sub/a.txt', expected: 'sub/a.txt' },
    { description: 'UTF-8 bytes decode', path: 'caf\xc3\xa9/\xe2\x82\xac', expected: 'café/€' },
    { description: 'four-byte UTF-8', path: '\xf0\x9f\x98\x80', expected: '😀' },
    { description: 'newline, tab, carriage return', path: 'a\nb\tc\rd', expected: 'a\\nb\\tc\\rd' },
    { description: 'other C0 controls and DEL', path: 'a\x01b\x7f', expected: 'a\\x01b\\x7F' },
    { description: 'latin1 byte that is not UTF-8', path: 'caf\xe9', expected: 'caf\\xE9' },
    { description: 'stray continuation byte', path: '\x80x', expected: '\\x80x' },
    { description: 'overlong encoding of /', path: '\xc0\xaf', expected: '\\xC0\\xAF' },
    { description: 'encoded surrogate', path: '\xed\xa0\x80', expected: '\\xED\\xA0\\x80' },
    { description: 'truncated sequence at the end', path: 'x\xe2\x82', expected: 'x\\xE2\\x82' },
    { description: 'C1 control (U+0085) printed as its bytes', path: '\xc2\x85', expected: '\\xC2\\x85' },
    { description: 'backslash and glob characters stay literal', path: 'a\\*[]?$(x)`', expected: 'a\\*[]?$(x)`' },
    { description: 'a non-byte string is treated as text', path: 'é\n€', expected: 'é\\n€' },
  ];
  for (const c of cases) it(c.description, () => expect(printablePath(c.path)).toBe(c.expected));
});

describe('printableText', () => {
  it('escapes controls only', () => expect(printableText('/src/ü\n\\x')).toBe('/src/ü\\n\\x'));
  it('returns text without controls as it is', () => expect(printableText('/src/ü/€ 😀')).toBe('/src/ü/€ 😀'));
});
