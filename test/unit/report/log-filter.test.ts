import { describe, expect, it } from 'vitest';
import { DEFAULT_LOG_FILTER, isErrorCategory, isLogged, parseLogOptions } from '../../../src-main/core/report/log-filter';

const categories = ['Error', 'Warn', 'Normal', 'Delay', 'Exec', 'Debug'] as const;

/** Parses `-log` values that must be valid. */
function filter(values: readonly string[]) {
  const result = parseLogOptions(values);
  if (!result.ok) throw new Error(result.error);
  return result.filter;
}

// Checked against lsyncd 2.2.3: `-log scarce` wrote no Normal line at all (not even
// "--- Startup ---"); the default printed Normal lines; `-log all` printed Exec, Delay, ...
describe('-log filter (lsyncd add_logcat / check_logcat)', () => {
  const cases = [
    { description: 'no option: Normal, Warn, Error', values: [], expected: ['Error', 'Warn', 'Normal'] },
    { description: 'scarce: Warn and Error only', values: ['scarce'], expected: ['Error', 'Warn'] },
    { description: 'all: everything', values: ['all'], expected: [...categories] },
    { description: 'a category adds itself', values: ['Delay'], expected: ['Error', 'Warn', 'Normal', 'Delay'] },
    { description: 'several categories', values: ['Delay', 'Exec'], expected: ['Error', 'Warn', 'Normal', 'Delay', 'Exec'] },
    { description: 'scarce hides a named category too (priority 5 > 4)', values: ['scarce', 'Delay'], expected: ['Error', 'Warn'] },
    { description: 'all after scarce wins', values: ['scarce', 'all'], expected: [...categories] },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const f = filter(c.values);
      expect(categories.filter((cat) => isLogged(f, cat))).toEqual(c.expected);
    });
  }

  it('the default filter equals no option', () => expect(DEFAULT_LOG_FILTER).toEqual(filter([])));

  it('rejects a category that does not start with a capital, in lsyncd words', () => {
    expect(parseLogOptions(['foo'])).toEqual({ ok: false, error: "'foo' is not a valid logging category" });
  });

  it('only Error goes to stderr', () => {
    expect(categories.filter(isErrorCategory)).toEqual(['Error']);
  });
});
