// What the status stream says about one target: the core's state, the work waiting, the transfer
// under way, throughput, the changes shipped and the errors met. Pure valibot schemas shared by
// main (StatusService builds them) and the renderer (the dashboard shows them).
import * as v from 'valibot';

/**
 * A target's id in the app: `PROFILE:N` (the profile's Nth sync), or the daemon's `SyncN`.
 * Short and plain, never a path.
 */
export const TargetId = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}(?::[1-9][0-9]{0,2})?$/, 'a target id is a profile name and the number of its sync (PROFILE:N)'),
);
export type TargetId = v.InferOutput<typeof TargetId>;

const epochMs = v.pipe(v.number(), v.finite());
const count = v.pipe(v.number(), v.integer(), v.minValue(0));

/** The core's TargetState (src-shared/model/sync.ts), kind by kind. */
export const TargetStateSchema = v.variant('kind', [
  v.object({ kind: v.literal('starting') }),
  v.object({ kind: v.literal('scanning'), scanned: count }),
  v.object({ kind: v.literal('awaiting-decision'), reason: v.string() }),
  /** paths: how many the plan lists, or -1 for a sync of the whole tree (as the core says it). */
  v.object({ kind: v.literal('syncing'), paths: v.pipe(v.number(), v.integer(), v.minValue(-1)) }),
  v.object({ kind: v.literal('idle'), lastSyncAt: v.nullable(epochMs) }),
  v.object({ kind: v.literal('paused') }),
  v.object({ kind: v.literal('retrying'), attempt: count, nextAt: epochMs, reason: v.string() }),
  v.object({ kind: v.literal('halted'), reason: v.string() }),
  v.object({ kind: v.literal('error'), reason: v.string() }),
]);

/** The transfer under way, from rsync's own progress output. */
export const TransferProgressSchema = v.object({
  filesDone: count,
  /** Files rsync has listed so far (it grows while rsync still scans). */
  filesTotal: count,
  bytesDone: count,
  bytesTotal: count,
  bytesPerSecond: v.pipe(v.number(), v.minValue(0)),
  /** Seconds left at the current rate; null while unknown. */
  etaSeconds: v.nullable(v.pipe(v.number(), v.minValue(0))),
  /** The file being sent, when rsync names it. */
  current: v.nullable(v.string()),
});
export type TransferProgress = v.InferOutput<typeof TransferProgressSchema>;

export const ThroughputSampleSchema = v.object({ at: epochMs, bytesPerSecond: v.pipe(v.number(), v.minValue(0)) });
export type ThroughputSample = v.InferOutput<typeof ThroughputSampleSchema>;

export const CHANGE_KINDS = ['created', 'modified', 'deleted', 'moved'] as const;
export const RecentChangeSchema = v.object({
  path: v.string(),
  kind: v.picklist(CHANGE_KINDS),
  /** For a move: where it came from. */
  from: v.optional(v.string()),
  at: epochMs,
});
export type RecentChange = v.InferOutput<typeof RecentChangeSchema>;

export const TargetErrorSchema = v.object({
  at: epochMs,
  message: v.string(),
  /** How many times the message came back to back, the last at `at` (absent: once). */
  count: v.optional(v.pipe(v.number(), v.integer(), v.minValue(2))),
});
export type TargetError = v.InferOutput<typeof TargetErrorSchema>;

export const TARGET_KINDS = ['local', 'ssh', 'rsyncd'] as const;

/** One target as the status stream shows it. */
export const TargetStatusSchema = v.object({
  id: TargetId,
  /** The profile (or lsyncd config) the target belongs to. */
  profile: v.string(),
  source: v.string(),
  /** The target as a person reads it: a directory, user@host:dir, or the daemon address. */
  target: v.string(),
  kind: v.picklist(TARGET_KINDS),
  state: TargetStateSchema,
  /** Paused by the user (the state says paused once the running transfer ends). */
  paused: v.boolean(),
  /** Deletions held back by the breaker while everything else flows, and why; else null. */
  holding: v.nullable(v.string()),
  /** Changes seen and not yet sent. */
  pending: count,
  transfer: v.nullable(TransferProgressSchema),
  /** Bytes per second, one sample per few seconds, over the last 10 minutes. */
  throughput: v.array(ThroughputSampleSchema),
  lastSyncAt: v.nullable(epochMs),
  /** The last 200 changes shipped, newest first. */
  recent: v.array(RecentChangeSchema),
  /** The last 50 errors, newest first. */
  errors: v.array(TargetErrorSchema),
  watchedDirs: count,
  /** The watcher in use: inotify, chokidar, or poll. */
  watcher: v.string(),
});
export type TargetStatus = v.InferOutput<typeof TargetStatusSchema>;

/** Bounds the status service keeps to. */
export const STATUS_LIMITS = { recent: 200, errors: 50, throughputMs: 10 * 60_000 } as const;
