// The virtualised list's arithmetic: which rows a scroll position renders, where a row must
// scroll to be seen, and when a log counts as at its bottom.
import { describe, expect, it } from 'vitest';
import { clampIndex, isAtBottom, rowsPerPage, rowWindow, scrollTopToReveal, type WindowInput } from '../../src-renderer/lib/ui/virtual-window';

/** A window over `count` rows of 36 px seen through 360 px (ten rows), no overscan unless given. */
const view = (scrollTop: number, count = 100_000, overscan = 0): WindowInput => ({ scrollTop, viewportHeight: 360, rowHeight: 36, count, overscan });

describe('rowWindow', () => {
  const cases: { description: string; input: WindowInput; expected: { start: number; end: number; totalHeight: number } }[] = [
    { description: 'the top of a long list renders the first ten rows', input: view(0), expected: { start: 0, end: 10, totalHeight: 3_600_000 } },
    { description: 'overscan adds rows after (none exist before the first)', input: view(0, 100_000, 4), expected: { start: 0, end: 14, totalHeight: 3_600_000 } },
    { description: 'a position between rows renders both partly seen rows', input: view(50), expected: { start: 1, end: 12, totalHeight: 3_600_000 } },
    { description: 'the middle, with overscan on both sides', input: view(36 * 50_000, 100_000, 6), expected: { start: 49_994, end: 50_016, totalHeight: 3_600_000 } },
    { description: 'the very end renders the last rows', input: view(3_600_000 - 360), expected: { start: 99_990, end: 100_000, totalHeight: 3_600_000 } },
    { description: 'a position past the end (the list shrank) renders the last rows', input: view(9_999_999, 20), expected: { start: 10, end: 20, totalHeight: 720 } },
    { description: 'a list shorter than the viewport renders all of it', input: view(0, 3, 6), expected: { start: 0, end: 3, totalHeight: 108 } },
    { description: 'an empty list renders nothing', input: view(0, 0), expected: { start: 0, end: 0, totalHeight: 0 } },
    { description: 'a negative scroll (overscroll bounce) is the top', input: view(-80), expected: { start: 0, end: 10, totalHeight: 3_600_000 } },
  ];
  for (const { description, input, expected } of cases) {
    it(description, () => expect(rowWindow(input)).toEqual(expected));
  }

  it('never renders more than the viewport and its overscan, however long the list', () => {
    for (const scrollTop of [0, 1, 17, 35_999, 1_800_000, 3_599_640]) {
      const { start, end } = rowWindow(view(scrollTop, 100_000, 6));
      expect(end - start).toBeLessThanOrEqual(10 + 1 + 12);
    }
  });
});

describe('scrollTopToReveal', () => {
  const cases: { description: string; index: number; scrollTop: number; expected: number }[] = [
    { description: 'a row in view does not scroll', index: 3, scrollTop: 0, expected: 0 },
    { description: 'the last whole row in view does not scroll', index: 9, scrollTop: 0, expected: 0 },
    { description: 'the row below the view scrolls just enough to show it at the bottom', index: 10, scrollTop: 0, expected: 36 },
    { description: 'a row above the view scrolls it to the top', index: 2, scrollTop: 360, expected: 72 },
    { description: 'a half-hidden row at the top comes in whole', index: 1, scrollTop: 50, expected: 36 },
    { description: 'the last of 100,000 rows (End)', index: 99_999, scrollTop: 0, expected: 3_600_000 - 360 },
  ];
  for (const { description, index, scrollTop, expected } of cases) {
    it(description, () => expect(scrollTopToReveal(index, scrollTop, 360, 36)).toBe(expected));
  }
});

describe('rowsPerPage, isAtBottom and clampIndex', () => {
  it.each([
    { viewport: 360, expected: 10 },
    { viewport: 370, expected: 10 },
    { viewport: 10, expected: 1 },
  ])('a $viewport px viewport pages by $expected rows', ({ viewport, expected }) => expect(rowsPerPage(viewport, 36)).toBe(expected));

  it.each([
    { description: 'at the very end', scrollTop: 640, expected: true },
    { description: 'within the slack of the end', scrollTop: 637, expected: true },
    { description: 'a row above the end', scrollTop: 600, expected: false },
  ])('isAtBottom $description: $expected', ({ scrollTop, expected }) => expect(isAtBottom(scrollTop, 360, 1000)).toBe(expected));

  it.each([
    { index: -1, count: 10, expected: 0 },
    { index: 10, count: 10, expected: 9 },
    { index: 4, count: 10, expected: 4 },
    { index: 0, count: 0, expected: -1 },
  ])('clampIndex($index, $count) is $expected', ({ index, count, expected }) => expect(clampIndex(index, count)).toBe(expected));
});
