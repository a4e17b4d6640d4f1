// What the safety checks report to a person: the files a sync would delete or overwrite on a
// target, and the decisions that person can take. Pure types, shared by the CLI, main and the
// renderer.
import type { EntryKind, RelPath } from './sync';

/**
 * - target-only: exists only on the target (a delete would remove it);
 * - newer-on-target: the target's copy is newer than the source's (a sync would overwrite it);
 * - differs: same modification time, different size (which copy is right cannot be told);
 * - deleted-in-source: a running batch deleted it in the source, and the breaker holds it back;
 * - interrupted-transfer: rsync's temporary file (`.name.XXXXXX` beside a `name` the source has),
 *   left by a transfer killed with its daemon; listed, never at risk.
 */
export type RiskKind = 'target-only' | 'newer-on-target' | 'differs' | 'deleted-in-source' | 'interrupted-transfer';

export interface AtRiskEntry {
  readonly path: RelPath;
  readonly risk: RiskKind;
  readonly entry: EntryKind;
  /** On the target (bytes; 0 for directories). */
  readonly size: number;
  readonly mtimeMs: number;
  /** The source's copy, for newer-on-target and differs. */
  readonly sourceSize?: number;
  readonly sourceMtimeMs?: number;
  /**
   * Whether the sync at hand would delete or overwrite it. A target-only file is safe when
   * the sync does not delete (delete = false or 'running' at startup): it is listed, not at risk.
   */
  readonly atRisk: boolean;
  /**
   * Where the entry waits on the target when it is no longer in the mirror: the breaker's window
   * moved it into `.tidemark-trash/STAMP` when a batch deleted it, before the window tripped.
   * A pull restores it from there.
   */
  readonly heldIn?: string;
}

/** Entries per directory (a directory's own row counts what lies below it too). */
export interface AtRiskGroup {
  readonly dir: RelPath;
  readonly count: number;
  readonly bytes: number;
}

export interface SafetyReport {
  /** How logs name the target ("host:/srv/mirror/"). */
  readonly target: string;
  /** startup: the check before a startup sync; mass-delete: the breaker of a running batch. */
  readonly reason: 'startup' | 'mass-delete';
  /** One line for a log or a notification. */
  readonly summary: string;
  readonly entries: readonly AtRiskEntry[];
  readonly groups: readonly AtRiskGroup[];
  /** Files the sync will update because the source's copy is newer: normal mirroring, not at risk. */
  readonly updates: number;
  /** Entries whose `atRisk` is true; a decision is needed when it is above 0. */
  readonly atRisk: number;
}

/** pull back into the source, keep on the target (never deleted or overwritten), trash on the target, delete. */
export type ReconcileAction = 'pull' | 'keep' | 'trash' | 'delete';
export const RECONCILE_ACTIONS: readonly ReconcileAction[] = ['pull', 'keep', 'trash', 'delete'];
