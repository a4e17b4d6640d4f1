// Which recent changes a card lists: those whose path (or, for a move, origin) holds the filter's
// text, of the kind chosen; and how many rows it renders at most, so a busy target never puts
// hundreds of rows in the page.
import type { RecentChange } from '../../../src-shared/model/status';
import { CHANGE_KINDS } from '../../../src-shared/model/status';

export type KindFilter = RecentChange['kind'] | 'all';
export const KIND_FILTERS: readonly KindFilter[] = ['all', ...CHANGE_KINDS];

/** Rows shown at first, and how many more each "Show more" adds. */
export const FIRST_ROWS = 10;
export const MORE_ROWS = 50;

export function filterChanges(changes: readonly RecentChange[], text: string, kind: KindFilter): readonly RecentChange[] {
  const needle = text.trim().toLowerCase();
  if (needle === '' && kind === 'all') return changes;
  return changes.filter((change) => (kind === 'all' || change.kind === kind)
    && (needle === '' || change.path.toLowerCase().includes(needle) || (change.from?.toLowerCase().includes(needle) ?? false)));
}
