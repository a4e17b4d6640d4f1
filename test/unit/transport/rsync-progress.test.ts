import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseProgressLine, RsyncProgressParser, type RsyncProgressEvent } from '../../../src-main/core/transport/rsync-progress';

/** A captured stdout of real rsync 3.5.0 (test/fixtures/rsync-progress/README.md), as latin1 text. */
function captured(name: string): string {
  return readFileSync(new URL(`../../fixtures/rsync-progress/${name}`, import.meta.url)).toString('latin1');
}

/** Feeds `text` to a parser in chunks of `size` chars (0: one chunk) and returns every event. */
function parse(text: string, size = 0): RsyncProgressEvent[] {
  const events: RsyncProgressEvent[] = [];
  const parser = new RsyncProgressParser((event) => events.push(event));
  if (size === 0) parser.push(text);
  else for (let i = 0; i < text.length; i += size) parser.push(text.slice(i, i + size));
  parser.end();
  return events;
}

/** A progress event with the fields a case does not care about at their usual values. */
function progress(fields: Partial<Extract<RsyncProgressEvent, { kind: 'progress' }>>): RsyncProgressEvent {
  return { kind: 'progress', bytes: 0, percent: 0, bytesPerSecond: 0, etaSeconds: 0, transferred: null, toCheck: null, listed: null, listing: false, ...fields };
}

describe('parseProgressLine', () => {
  const cases: { description: string; line: string; expected: RsyncProgressEvent | null }[] = [
    {
      description: 'a redraw in the middle of a file: no xfr#, no to-chk',
      line: '      2,097,154  41%    1.99MB/s    0:00:01  ',
      expected: progress({ bytes: 2_097_154, percent: 41, bytesPerSecond: 1.99 * 1024 ** 2, etaSeconds: 1 }),
    },
    {
      description: 'a file done: xfr# and to-chk (the list is complete)',
      line: '      3,000,002  59%    2.13MB/s    0:00:01 (xfr#3, to-chk=5/9)',
      expected: progress({ bytes: 3_000_002, percent: 59, bytesPerSecond: 2.13 * 1024 ** 2, etaSeconds: 1, transferred: 3, toCheck: 5, listed: 9 }),
    },
    {
      description: 'ir-chk: incremental recursion, the list still grows',
      line: '              2   0%    0.00kB/s    0:00:00 (xfr#1, ir-chk=1039/1078)',
      expected: progress({ bytes: 2, transferred: 1, toCheck: 1039, listed: 1078, listing: true }),
    },
    {
      description: 'kB/s are 1024 bytes',
      line: '              5   0%    2.93kB/s    0:00:00 (xfr#2, ir-chk=1038/1078)',
      expected: progress({ bytes: 5, bytesPerSecond: 2.93 * 1024, transferred: 2, toCheck: 1038, listed: 1078, listing: true }),
    },
    {
      description: 'GB/s, hours in the ETA, and a byte count past 2^32',
      line: ' 123,456,789,012  12%    1.50GB/s  123:04:05 (xfr#120000, to-chk=7/1000000)',
      expected: progress({ bytes: 123_456_789_012, percent: 12, bytesPerSecond: 1.5 * 1024 ** 3, etaSeconds: 123 * 3600 + 4 * 60 + 5, transferred: 120_000, toCheck: 7, listed: 1_000_000 }),
    },
    {
      description: 'TB/s',
      line: '  9,007,199,254,740,000 100%    2.00TB/s    0:00:00 (xfr#1, to-chk=0/1)',
      expected: progress({ bytes: 9_007_199_254_740_000, percent: 100, bytesPerSecond: 2 * 1024 ** 4, transferred: 1, toCheck: 0, listed: 1 }),
    },
    {
      description: 'an unknown ETA is null',
      line: '        32,768   0%    0.00kB/s    ??:??:??',
      expected: progress({ bytes: 32_768, etaSeconds: null }),
    },
    {
      description: 'a --human-readable byte count (units of 1000)',
      line: '          1.23M  45%    1.23MB/s    0:00:02 (xfr#12, to-chk=34/100)',
      expected: progress({ bytes: 1_230_000, percent: 45, bytesPerSecond: 1.23 * 1024 ** 2, etaSeconds: 2, transferred: 12, toCheck: 34, listed: 100 }),
    },
    { description: 'a created file', line: '::tm >f+++++++++ 3000000 big1', expected: { kind: 'item', flags: '>f+++++++++', size: 3_000_000, path: 'big1' } },
    { description: 'a file sent to a remote target (<f)', line: '::tm <f.st...... 7 small', expected: { kind: 'item', flags: '<f.st......', size: 7, path: 'small' } },
    { description: 'a deletion (flags padded with spaces)', line: '::tm *deleting   0 with space', expected: { kind: 'item', flags: '*deleting  ', size: 0, path: 'with space' } },
    { description: 'a created directory keeps its slash', line: '::tm cd+++++++++ 4096 sub/', expected: { kind: 'item', flags: 'cd+++++++++', size: 4096, path: 'sub/' } },
    { description: 'a newline in a name arrives escaped and is decoded', line: '::tm >f+++++++++ 1 nl\\#012name', expected: { kind: 'item', flags: '>f+++++++++', size: 1, path: 'nl\nname' } },
    { description: 'a byte that is not UTF-8 is decoded to that byte (latin1 char)', line: '::tm >f+++++++++ 1 bad\\#377name', expected: { kind: 'item', flags: '>f+++++++++', size: 1, path: 'bad\u00ffname' } },
    { description: 'a literal backslash-hash is escaped by rsync and comes back as it was', line: '::tm >f+++++++++ 1 back\\#134#134slash', expected: { kind: 'item', flags: '>f+++++++++', size: 1, path: 'back\\#134slash' } },
    { description: 'a name with spaces at both ends', line: '::tm >f+++++++++ 1  two  ', expected: { kind: 'item', flags: '>f+++++++++', size: 1, path: ' two  ' } },
    { description: 'rsync chatter is ignored', line: 'sending incremental file list', expected: null },
    { description: 'the summary is ignored', line: 'sent 5,002,135 bytes  received 180 bytes  2,000,926.00 bytes/sec', expected: null },
    { description: 'a marker line cut short is ignored', line: '::tm >f+++', expected: null },
    { description: 'a marker line without a size is ignored', line: '::tm >f+++++++++ x name', expected: null },
    { description: 'a percentage with no rate is not progress', line: '  1,234  45%', expected: null },
  ];
  for (const c of cases) {
    it(c.description, () => expect(parseProgressLine(c.line)).toEqual(c.expected));
  }
});

describe('RsyncProgressParser on captured rsync output', () => {
  const chunkings = [0, 1, 7, 64, 4096];

  for (const size of chunkings) {
    it(`a first sync at --bwlimit reads the same in chunks of ${size || 'all'}`, () => {
      const events = parse(captured('first-sync-bwlimit.out'), size);
      const items = events.filter((event) => event.kind === 'item');
      expect(items.map((item) => [item.flags, item.path])).toEqual([
        ['.d..t......', './'],
        ['>f+++++++++', 'back\\#134slash'],
        ['>f+++++++++', 'bad\u00ffname'],
        ['>f+++++++++', 'big1'],
        ['>f+++++++++', 'nl\nname'],
        ['>f+++++++++', 'small'],
        ['>f+++++++++', 'with space'],
        ['cd+++++++++', 'sub/'],
        ['>f+++++++++', 'sub/big2'],
      ]);
      const steps = events.filter((event) => event.kind === 'progress');
      // Bytes only grow, and the last line is the whole run.
      for (let i = 1; i < steps.length; i++) expect(steps[i]!.bytes).toBeGreaterThanOrEqual(steps[i - 1]!.bytes);
      expect(steps.at(-1)).toEqual(progress({ bytes: 5_000_008, percent: 100, bytesPerSecond: 2.02 * 1024 ** 2, etaSeconds: 2, transferred: 7, toCheck: 0, listed: 9 }));
      // The slow transfer was caught in the middle of big1.
      expect(steps.some((step) => step.bytes > 1_000_000 && step.bytes < 3_000_000 && step.transferred === null)).toBe(true);
    });
  }

  it('a modification and a deletion itemize as such', () => {
    const events = parse(captured('modify-delete.out'), 5);
    expect(events.filter((event) => event.kind === 'item').map((item) => [item.flags, item.size, item.path])).toEqual([
      ['*deleting  ', 0, 'with space'],
      ['.d..t......', 4096, './'],
      ['>f.st......', 7, 'small'],
    ]);
    expect(events.at(-1)).toMatchObject({ kind: 'progress', bytes: 7, transferred: 1, toCheck: 0, listed: 8 });
  });

  it('incremental recursion: ir-chk while listing, to-chk once the list is complete', () => {
    const events = parse(captured('incremental-recursion.out'), 1000);
    const steps = events.filter((event) => event.kind === 'progress');
    expect(steps[0]).toMatchObject({ listing: true, listed: 1038 });
    const firstComplete = steps.findIndex((step) => !step.listing && step.listed !== null);
    expect(firstComplete).toBeGreaterThan(0);
    expect(steps.slice(firstComplete).every((step) => !step.listing || step.listed === null)).toBe(true);
    expect(steps.at(-1)).toMatchObject({ transferred: 1200, toCheck: 0, listed: 1239 });
    expect(events.filter((event) => event.kind === 'item' && event.flags === '>f+++++++++')).toHaveLength(1200);
  });

  it('a last line without its newline counts at end()', () => {
    const events: RsyncProgressEvent[] = [];
    const parser = new RsyncProgressParser((event) => events.push(event));
    parser.push('\r     10 100%    1.00kB/s    0:00:00 (xfr#1, to-chk=0/1)');
    expect(events).toEqual([]);
    parser.end();
    expect(events).toEqual([progress({ bytes: 10, percent: 100, bytesPerSecond: 1024, transferred: 1, toCheck: 0, listed: 1 })]);
  });

  it('a line with no end in sight is dropped, not kept growing', () => {
    const events: RsyncProgressEvent[] = [];
    const parser = new RsyncProgressParser((event) => events.push(event));
    for (let i = 0; i < 100; i++) parser.push('x'.repeat(1024));
    parser.push('\n::tm >f+++++++++ 1 after\n');
    expect(events).toEqual([{ kind: 'item', flags: '>f+++++++++', size: 1, path: 'after' }]);
  });
});
