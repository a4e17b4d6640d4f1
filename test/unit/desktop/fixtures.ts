// Fixture builders for the desktop models' table tests.
import type { TargetStatus } from '../../../src-shared/model/status';

type State = TargetStatus['state'];

/** The states by name, with plain reasons, so a table row reads `state: states.halted`. */
export const states = {
  starting: { kind: 'starting' },
  scanning: { kind: 'scanning', scanned: 1200 },
  awaiting: { kind: 'awaiting-decision', reason: 'target-only files' },
  syncing: { kind: 'syncing', paths: 3 },
  idle: { kind: 'idle', lastSyncAt: 0 },
  paused: { kind: 'paused' },
  retrying: (attempt: number): State => ({ kind: 'retrying', attempt, nextAt: 0, reason: 'ssh: connection refused' }),
  halted: { kind: 'halted', reason: 'mass delete: 900 of 1000 files' },
  error: { kind: 'error', reason: 'rsync: permission denied' },
} as const satisfies Record<string, State | ((attempt: number) => State)>;

/** One target's status: `id` in state `state`, running, nothing held back, no transfer. */
export function target(id: string, state: State, extra: Partial<TargetStatus> = {}): TargetStatus {
  return {
    id,
    profile: id.split(':')[0] ?? id,
    source: `/home/ann/${id.split(':')[0]}`,
    target: `ann@backup:/srv/${id.split(':')[0]}`,
    kind: 'ssh',
    state,
    paused: state.kind === 'paused',
    holding: null,
    pending: 0,
    transfer: null,
    throughput: [],
    lastSyncAt: null,
    recent: [],
    errors: [],
    watchedDirs: 1,
    watcher: 'inotify',
    ...extra,
  };
}

/** A transfer under way at `bytesPerSecond`. */
export function transfer(bytesPerSecond: number): NonNullable<TargetStatus['transfer']> {
  return { filesDone: 1, filesTotal: 4, bytesDone: 1000, bytesTotal: 4000, bytesPerSecond, etaSeconds: 3, current: 'a.txt' };
}
