// The log screen's rules: which levels show, what a search keeps, and how followed lines join a
// tail (each once, in order, at most the cap).
import { describe, expect, it } from 'vitest';
import { appendLines, levelShows, lineMatches, searchLines } from '../../src-renderer/features/logs/log-lines';
import type { LogLevel, LogLine } from '../../src-shared/model/app-settings';

/** A log line with sequence number `seq`, of a profile and level. */
const line = (seq: number, level: LogLevel = 'Normal', profile: string | null = 'web', text = `line ${seq}`): LogLine => ({ seq, at: seq * 1000, level, profile, text });

describe('levelShows', () => {
  it.each([
    { shown: 'Error', line: 'Error', expected: true },
    { shown: 'Error', line: 'Warn', expected: false },
    { shown: 'Warn', line: 'Error', expected: true },
    { shown: 'Normal', line: 'Verbose', expected: false },
    { shown: 'Debug', line: 'Debug', expected: true },
    { shown: 'Debug', line: 'Error', expected: true },
  ] as const)('at $shown, a $line line shows: $expected', ({ shown, line: level, expected }) => expect(levelShows(shown, level)).toBe(expected));
});

describe('lineMatches', () => {
  it.each([
    { description: 'any profile at Normal takes a Normal line', query: { profile: null, level: 'Normal' }, line: line(1), expected: true },
    { description: 'another profile is left out', query: { profile: 'docs', level: 'Debug' }, line: line(1), expected: false },
    { description: "the app's own lines have no profile", query: { profile: 'web', level: 'Debug' }, line: line(1, 'Normal', null), expected: false },
    { description: 'a Debug line under Normal is left out', query: { profile: 'web', level: 'Normal' }, line: line(1, 'Debug'), expected: false },
  ] as const)('$description', ({ query, line: candidate, expected }) => expect(lineMatches(candidate, query)).toBe(expected));
});

describe('searchLines', () => {
  const lines = [line(1, 'Normal', 'web', 'Calling rsync'), line(2, 'Error', 'docs', 'rsync exited 23'), line(3, 'Normal', null, 'Tidemark started')];
  it.each([
    { search: '', expected: [1, 2, 3] },
    { search: 'RSYNC', expected: [1, 2] },
    { search: 'docs', expected: [2] },
    { search: '  started ', expected: [3] },
    { search: 'nothing like it', expected: [] },
  ])('"$search" finds $expected', ({ search, expected }) => expect(searchLines(lines, search).map((found) => found.seq)).toEqual(expected));
});

describe('appendLines', () => {
  const seqs = (lines: readonly LogLine[]) => lines.map((found) => found.seq);
  it.each([
    { description: 'new lines join in order', lines: [1, 2], more: [4, 3], max: 10, expected: [1, 2, 3, 4] },
    { description: 'a line already in the tail is not doubled', lines: [1, 2, 3], more: [3, 4], max: 10, expected: [1, 2, 3, 4] },
    { description: 'the cap keeps the newest', lines: [1, 2, 3], more: [4, 5], max: 3, expected: [3, 4, 5] },
    { description: 'nothing new leaves the lines as they are', lines: [1, 2], more: [], max: 10, expected: [1, 2] },
    { description: 'an empty tail takes everything', lines: [], more: [7, 8], max: 10, expected: [7, 8] },
  ])('$description', ({ lines, more, max, expected }) => expect(seqs(appendLines(lines.map((seq) => line(seq)), more.map((seq) => line(seq)), max))).toEqual(expected));

  it('keeps at most 5,000 lines by default', () => {
    const many = Array.from({ length: 5000 }, (_, index) => line(index + 1));
    const joined = appendLines(many, [line(5001), line(5002)]);
    expect(joined).toHaveLength(5000);
    expect(joined[0]!.seq).toBe(3);
    expect(joined.at(-1)!.seq).toBe(5002);
  });
});
