// The arithmetic of a virtualised list with a fixed row height: which rows a viewport shows, where
// they sit, and how far to scroll to bring a row into view. Pure, so it is table-tested; the
// VirtualList component only feeds it the scroll position and renders what it returns.

export interface WindowInput {
  /** The viewport's scrollTop, in pixels from the top of the rows. */
  readonly scrollTop: number;
  /** The height the rows can be seen in (the viewport minus a sticky header). */
  readonly viewportHeight: number;
  readonly rowHeight: number;
  readonly count: number;
  /** Rows rendered beyond each edge, so a fast scroll does not show a blank band. */
  readonly overscan?: number;
}

export interface RowWindow {
  /** The first row rendered. */
  readonly start: number;
  /** One past the last row rendered. */
  readonly end: number;
  /** The height of every row together: the spacer that gives the scrollbar its length. */
  readonly totalHeight: number;
}

/** The rows to render for a scroll position: those in view plus `overscan` on each side. */
export function rowWindow({ scrollTop, viewportHeight, rowHeight, count, overscan = 4 }: WindowInput): RowWindow {
  const totalHeight = Math.max(0, count) * rowHeight;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0, totalHeight };
  // A scroll position past the end (the list shrank under a filter) shows the last rows.
  const top = Math.min(Math.max(0, scrollTop), Math.max(0, totalHeight - viewportHeight));
  const firstVisible = Math.floor(top / rowHeight);
  const lastVisible = Math.ceil((top + Math.max(0, viewportHeight)) / rowHeight);
  return { start: Math.max(0, firstVisible - overscan), end: Math.min(count, lastVisible + overscan), totalHeight };
}

/**
 * The scrollTop that brings row `index` fully into view while moving as little as possible:
 * unchanged when it is already visible, else the row at the top (moving up) or the bottom.
 */
export function scrollTopToReveal(index: number, scrollTop: number, viewportHeight: number, rowHeight: number): number {
  const rowTop = index * rowHeight;
  const rowBottom = rowTop + rowHeight;
  if (rowTop < scrollTop) return rowTop;
  if (rowBottom > scrollTop + viewportHeight) return Math.max(0, rowBottom - viewportHeight);
  return scrollTop;
}

/** How many whole rows a viewport holds (what Page Up and Page Down move by), at least one. */
export function rowsPerPage(viewportHeight: number, rowHeight: number): number {
  return Math.max(1, Math.floor(viewportHeight / rowHeight));
}

/** Whether the viewport shows the end of its content (within `slack` pixels): a log follows then. */
export function isAtBottom(scrollTop: number, clientHeight: number, scrollHeight: number, slack = 4): boolean {
  return scrollTop + clientHeight >= scrollHeight - slack;
}

/** A row index kept within 0..count-1 (or -1 for an empty list). */
export function clampIndex(index: number, count: number): number {
  if (count <= 0) return -1;
  return Math.min(count - 1, Math.max(0, index));
}
