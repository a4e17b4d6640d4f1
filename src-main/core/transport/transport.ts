import type { EntryKind, Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import type { EntryStat } from '../safety/at-risk';
import type { DryRunResult } from '../safety/itemize';
import type { TrashEntry } from '../safety/trash-scripts';

/**
 * How a session reaches its target. The local and SSH transports differ only here: a session
 * hands over a plan and gets an Outcome back, and never learns how the bytes travelled.
 */
export interface Transport {
  /** How logs name the target: "/srv/mirror/" or "host:/srv/mirror/". */
  readonly description: string;
  apply(plan: Plan): Promise<Outcome>;
  close(): Promise<void>;
}

/** A target's side of the safety checks and of the decisions a person takes on them. */
export interface TargetOps {
  /** What a sync of the whole tree (null) or of the listed paths would delete and overwrite. */
  dryRun(list: readonly RelPath[] | null): Promise<DryRunResult | Outcome>;
  /** The listed entries as the target has them; missing ones are absent. */
  statTarget(paths: readonly RelPath[]): Promise<Map<RelPath, EntryStat> | Outcome>;
  /** Copies target entries back into the source, never over a newer source file. */
  pull(paths: readonly RelPath[]): Promise<Outcome>;
  /** Moves target entries into the trash directory `dir` (relative to the target). */
  moveToTrash(entries: readonly { readonly path: RelPath; readonly entry: EntryKind }[], dir: RelPath): Promise<Outcome>;
  /** Mirrors the listed paths with deletes: what only the target has goes, and the source's copy replaces the rest. */
  replaceFromSource(paths: readonly RelPath[]): Promise<Outcome>;
  /** Whether the target has no entry at all, or does not exist yet. */
  isEmpty(): Promise<boolean | Outcome>;
  /** Everything in the target's trash. */
  listTrash(): Promise<TrashEntry[] | Outcome>;
  /** Removes the trash directories not written to since `olderThanMs` (epoch ms). */
  pruneTrash(olderThanMs: number): Promise<Outcome>;
  /** Removes one directory of the trash (`.tidemark-trash/STAMP`), and the trash when it is left empty. */
  removeTrashStamp(stamp: string): Promise<Outcome>;
  /** Copies entries of one trash directory back into the source (never over a newer file). */
  restoreFromTrash(stamp: string, paths: readonly RelPath[]): Promise<Outcome>;
}

export type SafeTransport = Transport & TargetOps;
