// What a decision will do, said before it is done: "Pull 12 files (3.4 MB) back into /src;
// nothing is deleted." The confirmation shows it, and a delete asks for a typed word first.
import type { AtRiskEntry, ReconcileAction, SafetyReport } from '../../../src-shared/model/safety';
import { counted, formatBytes } from '../../lib/ui/sizes-and-times';

export interface DecisionContext {
  readonly reason: SafetyReport['reason'];
  /** The source directory, when the status stream has told it. */
  readonly source: string | null;
  /** The target as the core names it ("/srv/mirror/", "host:/srv/mirror/"). */
  readonly target: string;
}

/** "12 files (3.4 MB)", "10 files and 2 directories (1.2 kB)", "2 directories". */
export function describeEntries(entries: readonly Pick<AtRiskEntry, 'entry' | 'size'>[]): string {
  let dirs = 0;
  let links = 0;
  let bytes = 0;
  for (const entry of entries) {
    if (entry.entry === 'dir') dirs += 1;
    else if (entry.entry === 'symlink') links += 1;
    bytes += entry.size;
  }
  const files = entries.length - dirs - links;
  const parts = [
    files > 0 || entries.length === 0 ? counted(files, 'file') : null,
    links > 0 ? counted(links, 'link') : null,
    dirs > 0 ? counted(dirs, 'directory', 'directories') : null,
  ].filter((part): part is string => part !== null);
  const words = parts.length > 1 ? `${parts.slice(0, -1).join(', ')} and ${parts.at(-1)}` : parts[0]!;
  return files + links > 0 ? `${words} (${formatBytes(bytes)})` : words;
}

/** The verb a button and a heading use. */
export const ACTION_WORDS: Record<ReconcileAction, string> = { pull: 'Pull back', keep: 'Keep', trash: 'Trash', delete: 'Delete' };

/** One or two sentences that say exactly what the decision does and what it leaves alone. */
export function decisionSummary(action: ReconcileAction, entries: readonly AtRiskEntry[], context: DecisionContext): string {
  const what = describeEntries(entries);
  const source = context.source ?? 'the source';
  const overwritten = entries.filter((entry) => entry.risk === 'newer-on-target' || entry.risk === 'differs').length;
  const held = context.reason === 'mass-delete';
  switch (action) {
    case 'pull':
      return held
        ? `Restore ${what} into ${source} (what the breaker's window already removed comes back from the target's trash); nothing is deleted.`
        : `Pull ${what} back into ${source}; nothing is deleted${overwritten > 0 ? ', and a newer copy in the source is never overwritten' : ''}.`;
    case 'keep':
      return `Keep ${what} on ${context.target}: they are never deleted or overwritten until you release them; nothing is copied or deleted.`;
    case 'trash':
      return `Move ${what} into .tidemark-trash/ on ${context.target}; they stop syncing, and tidemark restore can bring them back.`;
    case 'delete': {
      const overwrite = overwritten > 0 ? `; ${counted(overwritten, 'newer file')} there ${overwritten === 1 ? 'is' : 'are'} replaced by the source's copy` : '';
      return held
        ? `Let the deletions through: ${what} deleted in ${source} ${entries.length === 1 ? 'is' : 'are'} deleted from ${context.target} for good. This cannot be undone.`
        : `Delete ${what} from ${context.target} for good${overwrite}. This cannot be undone.`;
    }
  }
}

/** What a person may type to confirm a delete: the word, or how many entries it deletes. */
export function deleteConfirmed(typed: string, count: number): boolean {
  const text = typed.trim().toLowerCase();
  return text === 'delete' || text.replace(/[,.\s\u00a0\u202f]/g, '') === String(count);
}
