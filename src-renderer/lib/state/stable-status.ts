// Structural sharing between two snapshots of one target. Every status event is a whole new
// TargetStatus parsed from JSON, so without this each event would hand the card new `recent`,
// `errors` and `throughput` arrays and re-render lists that did not change. A list equal to the
// previous one, item by item, keeps the previous array (and so its identity, which Svelte's
// signals compare), and so does the transfer when no field of it moved.
import type { RecentChange, TargetError, TargetStatus, ThroughputSample, TransferProgress } from '../../../src-shared/model/status';

type Same<T> = (a: T, b: T) => boolean;

const sameChange: Same<RecentChange> = (a, b) => a.at === b.at && a.path === b.path && a.kind === b.kind && a.from === b.from;
const sameError: Same<TargetError> = (a, b) => a.at === b.at && a.message === b.message && a.count === b.count;
const sameSample: Same<ThroughputSample> = (a, b) => a.at === b.at && a.bytesPerSecond === b.bytesPerSecond;

/** `next` unless it equals `previous` item by item; then `previous`, the very same array. */
export function shareList<T>(previous: readonly T[] | undefined, next: T[], same: Same<T>): T[] {
  if (!previous || previous.length !== next.length) return next;
  for (let index = 0; index < next.length; index += 1) if (!same(previous[index]!, next[index]!)) return next;
  return previous as T[];
}

function sameTransfer(a: TransferProgress | null, b: TransferProgress | null): boolean {
  if (a === null || b === null) return a === b;
  return a.filesDone === b.filesDone && a.filesTotal === b.filesTotal && a.bytesDone === b.bytesDone && a.bytesTotal === b.bytesTotal
    && a.bytesPerSecond === b.bytesPerSecond && a.etaSeconds === b.etaSeconds && a.current === b.current;
}

/** The new snapshot, its unchanged parts replaced by the previous snapshot's objects. */
export function shareStatus(previous: TargetStatus | undefined, next: TargetStatus): TargetStatus {
  if (!previous) return next;
  return {
    ...next,
    recent: shareList(previous.recent, next.recent, sameChange),
    errors: shareList(previous.errors, next.errors, sameError),
    throughput: shareList(previous.throughput, next.throughput, sameSample),
    transfer: sameTransfer(previous.transfer, next.transfer) ? previous.transfer : next.transfer,
  };
}
