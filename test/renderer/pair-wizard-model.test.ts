// The wizard's pure parts, table by table: excludes text into filter rules, the options into a
// profile's sync, the checks on the options, names from a host, sizes and ports in words.
import { describe, expect, it } from 'vitest';
import * as v from 'valibot';
import { SyncSchema } from '../../src-shared/model/profile';
import { defaultOptions, humanBytes, nameFrom, optionsProblem, parsePort, rulesFromExcludes, syncOptions, type WizardOptions } from '../../src-renderer/features/pair/wizard-model';

/** The options a new pairing starts with under the app's built-in defaults. */
const base = (): WizardOptions => defaultOptions({ delay: 1, excludes: [], maxDeletes: 1000, maxDeletePercent: 50 });

describe('rulesFromExcludes', () => {
  const cases = [
    { description: 'nothing', text: '', expected: [] },
    { description: 'plain patterns become exclude rules', text: '*.tmp\nnode_modules/', expected: ['- *.tmp', '- node_modules/'] },
    { description: 'rules are kept as written, in order', text: '+ keep.log\n- *.log', expected: ['+ keep.log', '- *.log'] },
    { description: 'blank lines, comments and edge spaces go', text: '  *.bak  \n\n# a note\n', expected: ['- *.bak'] },
    { description: 'a pattern starting with - but no space is a pattern', text: '-rf', expected: ['- -rf'] },
  ];
  for (const { description, text, expected } of cases) it(description, () => expect(rulesFromExcludes(text)).toEqual(expected));
});

describe('syncOptions', () => {
  const cases: { description: string; change: Partial<WizardOptions>; expected: Record<string, unknown> }[] = [
    { description: 'the defaults', change: {}, expected: { delay: 1, delete: true, maxDeletes: 1000, maxDeletePercent: 50 } },
    { description: 'no limits', change: { maxDeletes: null, maxDeletePercent: null }, expected: { delay: 1, delete: true, maxDeletes: false, maxDeletePercent: false } },
    { description: "delete 'startup'", change: { deleteMode: 'startup' }, expected: { delay: 1, delete: 'startup', maxDeletes: 1000, maxDeletePercent: 50 } },
    { description: 'never delete', change: { deleteMode: 'false' }, expected: { delay: 1, delete: false, maxDeletes: 1000, maxDeletePercent: 50 } },
    { description: 'excludes and rsync flags that differ from the defaults', change: { excludes: '*.tmp', perms: false, owner: true, group: true }, expected: { delay: 1, delete: true, filters: ['- *.tmp'], rsync: { perms: false, owner: true, group: true }, maxDeletes: 1000, maxDeletePercent: 50 } },
    { description: 'a blank delay is the sync kind’s own', change: { delay: null }, expected: { delete: true, maxDeletes: 1000, maxDeletePercent: 50 } },
  ];
  for (const { description, change, expected } of cases) {
    it(description, () => {
      const options = syncOptions({ ...base(), ...change });
      expect(options).toEqual(expected);
      // Whatever it writes, a profile accepts.
      expect(v.safeParse(SyncSchema, { source: '/src', target: { kind: 'ssh', host: 'h', dir: 'd' }, ...options }).success).toBe(true);
    });
  }
});

describe('optionsProblem', () => {
  const cases: { description: string; change: Partial<WizardOptions>; expected: RegExp | null }[] = [
    { description: 'the defaults are fine', change: {}, expected: null },
    { description: 'a negative delay', change: { delay: -1 }, expected: /delay/ },
    { description: 'zero deletions', change: { maxDeletes: 0 }, expected: /whole number of at least 1/ },
    { description: 'a fraction of a deletion', change: { maxDeletes: 1.5 }, expected: /whole number/ },
    { description: 'a share over 100', change: { maxDeletePercent: 120 }, expected: /percentage/ },
    { description: 'a share of 0', change: { maxDeletePercent: 0 }, expected: /percentage/ },
  ];
  for (const { description, change, expected } of cases) {
    it(description, () => {
      const problem = optionsProblem({ ...base(), ...change });
      if (expected === null) expect(problem).toBeNull();
      else expect(problem).toMatch(expected);
    });
  }
});

describe('defaultOptions', () => {
  it('takes the app’s defaults, false limits as blank', () => {
    expect(defaultOptions({ delay: 5, excludes: ['*.o', '- build/'], maxDeletes: false, maxDeletePercent: false })).toMatchObject({ delay: 5, excludes: '*.o\n- build/', maxDeletes: null, maxDeletePercent: null });
  });
});

describe('nameFrom', () => {
  const cases = [
    { text: 'web.example.org', expected: 'web.example.org' },
    { text: 'deploy@web', expected: 'deploy-web' },
    { text: '[::1]', expected: '1' },
    { text: '', expected: 'server' },
    { text: '---', expected: 'server' },
    { text: 'site.json', expected: 'site' },
    { text: 'x'.repeat(80), expected: 'x'.repeat(64) },
  ];
  for (const { text, expected } of cases) it(`${JSON.stringify(text)} → ${expected}`, () => expect(nameFrom(text)).toBe(expected));
});

describe('humanBytes', () => {
  const cases = [
    { bytes: 0, expected: '0 bytes' },
    { bytes: 1, expected: '1 byte' },
    { bytes: 999, expected: '999 bytes' },
    { bytes: 1500, expected: '1.5 kB' },
    { bytes: 12_000_000, expected: '12 MB' },
    { bytes: 987_654_321_000, expected: '988 GB' },
    { bytes: 2.25e12, expected: '2.3 TB' },
  ];
  for (const { bytes, expected } of cases) it(`${bytes} → ${expected}`, () => expect(humanBytes(bytes)).toBe(expected));
});

describe('parsePort', () => {
  const cases = [
    { text: '', expected: { port: undefined } },
    { text: ' 2222 ', expected: { port: 2222 } },
    { text: '0', problem: true },
    { text: '65536', problem: true },
    { text: '22a', problem: true },
    { text: '2.5', problem: true },
  ];
  for (const { text, expected, problem } of cases) {
    it(JSON.stringify(text), () => {
      const parsed = parsePort(text);
      if (problem) expect(parsed).toHaveProperty('problem');
      else expect(parsed).toEqual(expected);
    });
  }
});
