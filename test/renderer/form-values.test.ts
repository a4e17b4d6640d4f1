// The form fields' parsing: numbers as typed, limits that can be off, filter rules and exclude
// patterns one a line, absolute paths. Each case is a row.
import { describe, expect, it } from 'vitest';
import { absolutePathProblem, describeLineProblems, numberOrOffOf, parseFilterLines, parseNumber, parseNumberOrOff, parsePatternLines } from '../../src-renderer/lib/ui/form-values';

describe('parseNumber', () => {
  const cases = [
    { description: 'a whole number', text: '15', rules: {}, expected: { ok: true, value: 15 } },
    { description: 'a decimal, spaces trimmed', text: ' 0.5 ', rules: {}, expected: { ok: true, value: 0.5 } },
    { description: 'a leading dot', text: '.5', rules: {}, expected: { ok: true, value: 0.5 } },
    { description: 'empty and optional: not set', text: '', rules: { optional: true }, expected: { ok: true, value: undefined } },
    { description: 'empty and required', text: '  ', rules: {}, expected: { ok: false, message: 'enter a number' } },
    { description: 'words', text: 'soon', rules: {}, expected: { ok: false, message: "'soon' is not a number" } },
    { description: 'hex, which Number() would take', text: '0x10', rules: {}, expected: { ok: false, message: "'0x10' is not a number" } },
    { description: 'an exponent, which Number() would take', text: '1e3', rules: {}, expected: { ok: false, message: "'1e3' is not a number" } },
    { description: 'Infinity', text: 'Infinity', rules: {}, expected: { ok: false, message: "'Infinity' is not a number" } },
    { description: 'a fraction where a whole number is wanted', text: '2.5', rules: { integer: true }, expected: { ok: false, message: 'enter a whole number' } },
    { description: 'below the minimum', text: '-1', rules: { min: 0 }, expected: { ok: false, message: 'must be at least 0' } },
    { description: 'at the minimum', text: '0', rules: { min: 0 }, expected: { ok: true, value: 0 } },
    { description: 'not above a bound that must be exceeded', text: '0', rules: { above: 0 }, expected: { ok: false, message: 'must be more than 0' } },
    { description: 'above the maximum', text: '101', rules: { max: 100 }, expected: { ok: false, message: 'must be at most 100' } },
  ];
  for (const { description, text, rules, expected } of cases) it(description, () => expect(parseNumber(text, rules)).toEqual(expected));
});

describe('parseNumberOrOff', () => {
  const cases = [
    { description: 'off is false, whatever the box holds', field: { off: true, text: 'junk' }, rules: {}, expected: { ok: true, value: false } },
    { description: 'a limit', field: { off: false, text: '1000' }, rules: { integer: true, min: 1 }, expected: { ok: true, value: 1000 } },
    { description: 'empty and required', field: { off: false, text: '' }, rules: {}, expected: { ok: false, message: 'enter a number' } },
    { description: 'empty and optional: the default', field: { off: false, text: '' }, rules: { optional: true }, expected: { ok: true, value: undefined } },
    { description: 'a percentage of 0 is refused (off is how to turn it off)', field: { off: false, text: '0' }, rules: { above: 0, max: 100 }, expected: { ok: false, message: 'must be more than 0' } },
  ];
  for (const { description, field, rules, expected } of cases) it(description, () => expect(parseNumberOrOff(field, rules)).toEqual(expected));

  it('round-trips stored values', () => {
    expect(numberOrOffOf(false)).toEqual({ off: true, text: '' });
    expect(numberOrOffOf(50)).toEqual({ off: false, text: '50' });
    expect(numberOrOffOf(undefined)).toEqual({ off: false, text: '' });
  });
});

describe('parseFilterLines', () => {
  const cases = [
    { description: 'an exclude and an include', text: '- *.tmp\n+ keep.tmp', values: ['- *.tmp', '+ keep.tmp'], lines: [] },
    { description: 'blank lines and a CRLF paste', text: '- a\r\n\r\n   \n+ b\r\n', values: ['- a', '+ b'], lines: [] },
    { description: 'no space after the sign (rsync takes it)', text: '-*.o', values: ['-*.o'], lines: [] },
    { description: 'leading spaces are dropped', text: '   - build/', values: ['- build/'], lines: [] },
    { description: 'a bare pattern is not a rule', text: '- a\n*.log', values: ['- a'], lines: [2] },
    { description: 'a sign without a pattern', text: '-\n+   ', values: [], lines: [1, 2] },
    { description: 'a rule past 1024 characters', text: `- ${'x'.repeat(1100)}`, values: [], lines: [1] },
  ];
  for (const { description, text, values, lines } of cases) {
    it(description, () => {
      const parsed = parseFilterLines(text);
      expect(parsed.values).toEqual(values);
      expect(parsed.problems.map((problem) => problem.line)).toEqual(lines);
    });
  }

  it('says how to fix a bare pattern', () => {
    expect(describeLineProblems(parseFilterLines('*.log').problems)).toBe("Line 1 ('*.log') is not a rule: start it with '- ' to exclude or '+ ' to include (for example '- *.log').");
  });
});

describe('parsePatternLines', () => {
  it('keeps each non-blank pattern, trimmed', () => expect(parsePatternLines(' *.tmp \n\n/build/\n').values).toEqual(['*.tmp', '/build/']));
  it('refuses a pattern past 1024 characters, by line', () => expect(parsePatternLines(`a\n${'y'.repeat(1025)}`).problems.map((problem) => problem.line)).toEqual([2]));
});

describe('absolutePathProblem', () => {
  const cases = [
    { path: '/etc/lsyncd/lsyncd.conf.lua', expected: null },
    { path: '', expected: 'enter a path' },
    { path: 'lsyncd.conf.lua', expected: 'must be an absolute path (starting with /)' },
    { path: '/etc/../root/x.lua', expected: 'must not contain ..' },
    { path: '/a\0b', expected: 'must not contain a NUL byte' },
  ];
  for (const { path, expected } of cases) it(JSON.stringify(path), () => expect(absolutePathProblem(path)).toBe(expected));
});
