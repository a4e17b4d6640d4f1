// The data shapes of the sync pipeline, one per stage: FsEvent -> ChangeBatch -> Plan -> Outcome.
// Pure types: importable by main, the CLI and the renderer alike.

/**
 * A path relative to the source root, as a "byte string": each char is one byte of the raw
 * name (latin1 decoding). File names need not be UTF-8; this keeps every byte exact. Convert
 * with Buffer.from(path, 'latin1') at the I/O edge, never with UTF-8.
 */
export type RelPath = string;

export type EntryKind = 'file' | 'dir' | 'symlink' | 'other';

/** One normalised filesystem change, as the watcher stage emits it. */
export type FsEvent =
  | { readonly kind: 'create' | 'modify' | 'attrib' | 'delete'; readonly path: RelPath; readonly entry: EntryKind; readonly at: number }
  | { readonly kind: 'move'; readonly from: RelPath; readonly path: RelPath; readonly entry: EntryKind; readonly at: number }
  /** The watcher lost events (queue overflow, a directory it could not watch): resync the subtree. */
  | { readonly kind: 'overflow'; readonly path: RelPath; readonly reason: string; readonly at: number };

/** What the collapse table leaves of all events on one path within a batch. */
export type PathChange = 'create' | 'modify' | 'attrib' | 'delete';

export interface Move {
  readonly from: RelPath;
  readonly to: RelPath;
  readonly entry: EntryKind;
}

/** The batching stage's output: collapsed per-path changes plus the ordered move hints. */
export interface ChangeBatch {
  readonly changes: ReadonlyMap<RelPath, PathChange>;
  /** Moves in the order they happened; hints that save a re-send, never the only truth. */
  readonly moves: readonly Move[];
  /** Subtrees whose events were lost ('' = the whole tree). */
  readonly resync: readonly RelPath[];
  readonly eventCount: number;
  readonly firstAt: number;
  readonly firedAt: number;
}

/**
 * What a target must do for one batch. The transport first tries the renames (each only when
 * its origin exists on the target), then mirrors every `sync` path from the source (recursively
 * for directories, deleting on the target what the source no longer has when deletes are on).
 */
export interface Plan {
  readonly moves: readonly Move[];
  /** Sorted, deduplicated, with no path below another listed directory. */
  readonly sync: readonly RelPath[];
  /** Paths the batch deleted in the source (a subset of `sync`), for the log and the guards. */
  readonly deletes: readonly RelPath[];
  /**
   * Move destinations the batch saw in place at its end (a subset of `sync`; absent when none).
   * One that the source no longer has when the plan runs was moved on or deleted since, and that
   * later event covers it; listing it would delete on the target what this plan's rename just
   * put there, and the later rename of it would find nothing and re-send it instead.
   */
  readonly landed?: readonly RelPath[];
  /** Whether the target may delete: false keeps target files that the source lost. */
  readonly allowDelete: boolean;
  /** A full-tree sync replaces the lists (startup, overflow, a batch too large to list). */
  readonly full: boolean;
}

export type TargetState =
  | { readonly kind: 'starting' }
  | { readonly kind: 'scanning'; readonly scanned: number }
  | { readonly kind: 'awaiting-decision'; readonly reason: string }
  | { readonly kind: 'syncing'; readonly paths: number }
  | { readonly kind: 'idle'; readonly lastSyncAt: number | null }
  | { readonly kind: 'paused' }
  | { readonly kind: 'retrying'; readonly attempt: number; readonly nextAt: number; readonly reason: string }
  | { readonly kind: 'halted'; readonly reason: string }
  | { readonly kind: 'error'; readonly reason: string };

/** Emitted by a session on every state change; the only way status leaves the core. */
export interface StatusEvent {
  readonly target: string;
  readonly from: TargetState;
  readonly to: TargetState;
  readonly at: number;
}

/**
 * A file the target has no room for (rsync: No space left on device): the transfer went on
 * without it, and it is retried on its own, with backoff, so that it never holds up the rest.
 */
export interface Stall {
  readonly path: RelPath;
  /** The file's size in the source (bytes). */
  readonly needs: number;
  /** The bytes free on the target's filesystem after the failure, when they could be read. */
  readonly free: number | null;
}

/** What executing a plan on a target came to. */
export type Outcome =
  /** Done; `stalled` names the files set aside for want of room on the target (not sent). */
  | { readonly kind: 'ok'; readonly moved: number; readonly listed: number; readonly stalled?: readonly Stall[] }
  /** Try the same plan again later (with backoff): the target was unreachable, or files vanished. */
  | { readonly kind: 'retry'; readonly reason: string; readonly code?: number }
  /** Stop this target until the user acts (a changed host key, a refused target). */
  | { readonly kind: 'halt'; readonly reason: string }
  /** Touch nothing until a person decides what happens to files at risk (the safety checks). */
  | { readonly kind: 'decide'; readonly reason: string };
