// A report's entries as the decision grid shows them: grouped by top-level directory (the groups
// the core reports), filtered by a text, with collapsed groups folded away, flattened into the
// one list of rows the virtualised grid renders.
import type { AtRiskEntry } from '../../../src-shared/model/safety';

export interface EntryGroup {
  /** The top-level directory ('' for entries at the top of the tree). */
  readonly dir: string;
  readonly entries: readonly AtRiskEntry[];
  readonly bytes: number;
  /** The newest modification time among its entries. */
  readonly newestMs: number;
}

export type GridRow =
  | { readonly kind: 'group'; readonly group: EntryGroup; readonly expanded: boolean; /** entries matching the filter */ readonly shown: number; readonly shownBytes: number }
  | { readonly kind: 'entry'; readonly entry: AtRiskEntry; readonly group: EntryGroup };

/** The group key the core uses (at-risk.ts groupByDir): the first path segment, or the top level. */
export function groupKeyOf(entry: Pick<AtRiskEntry, 'path' | 'entry'>): string {
  const slash = entry.path.indexOf('/');
  if (slash !== -1) return entry.path.slice(0, slash);
  return entry.entry === 'dir' ? entry.path : '';
}

/** Entries by group, groups by name with the top level first; entries keep the report's order. */
export function groupEntries(entries: readonly AtRiskEntry[]): EntryGroup[] {
  const byDir = new Map<string, AtRiskEntry[]>();
  for (const entry of entries) {
    const key = groupKeyOf(entry);
    let list = byDir.get(key);
    if (!list) byDir.set(key, (list = []));
    list.push(entry);
  }
  return [...byDir.keys()]
    .sort((a, b) => (a === '' ? -1 : b === '' ? 1 : a < b ? -1 : a > b ? 1 : 0))
    .map((dir) => {
      const list = byDir.get(dir)!;
      let bytes = 0;
      let newestMs = 0;
      for (const entry of list) {
        bytes += entry.size;
        if (entry.mtimeMs > newestMs) newestMs = entry.mtimeMs;
      }
      return { dir, entries: list, bytes, newestMs };
    });
}

/** Whether an entry matches a filter text (case-insensitive, anywhere in its path). */
export function matchesFilter(entry: Pick<AtRiskEntry, 'path'>, filter: string): boolean {
  const needle = filter.trim().toLowerCase();
  return needle === '' || entry.path.toLowerCase().includes(needle);
}

/**
 * The rows to render: each group with entries matching the filter, then (unless collapsed) those
 * entries. A group with no match disappears, so a filter never leaves empty headers behind.
 */
export function flattenRows(groups: readonly EntryGroup[], collapsed: ReadonlySet<string>, filter: string): GridRow[] {
  const rows: GridRow[] = [];
  for (const group of groups) {
    const matching = filter.trim() === '' ? group.entries : group.entries.filter((entry) => matchesFilter(entry, filter));
    if (matching.length === 0) continue;
    const expanded = !collapsed.has(group.dir);
    const shownBytes = matching === group.entries ? group.bytes : matching.reduce((sum, entry) => sum + entry.size, 0);
    rows.push({ kind: 'group', group, expanded, shown: matching.length, shownBytes });
    if (expanded) for (const entry of matching) rows.push({ kind: 'entry', entry, group });
  }
  return rows;
}

/** Every entry the filter matches, collapsed groups included (what "select all" selects). */
export function filteredEntries(groups: readonly EntryGroup[], filter: string): AtRiskEntry[] {
  const all = groups.flatMap((group) => group.entries);
  return filter.trim() === '' ? all : all.filter((entry) => matchesFilter(entry, filter));
}

/** The entries between two row indices, both included, in either order (a Shift range). */
export function entriesBetween(rows: readonly GridRow[], from: number, to: number): AtRiskEntry[] {
  const [low, high] = from <= to ? [from, to] : [to, from];
  const entries: AtRiskEntry[] = [];
  for (let index = Math.max(0, low); index <= Math.min(rows.length - 1, high); index += 1) {
    const row = rows[index]!;
    if (row.kind === 'entry') entries.push(row.entry);
  }
  return entries;
}

/** What a risk means, in a few words. */
export const RISK_WORDS: Record<AtRiskEntry['risk'], string> = {
  'target-only': 'Only on the target',
  'newer-on-target': 'Newer on the target',
  differs: 'Differs (same time)',
  'deleted-in-source': 'Deleted in the source',
  'interrupted-transfer': 'Interrupted transfer',
};
