// The transfer under way for one target, from the progress of its rsync runs: a full sync runs
// several side by side, so each run is followed on its own (by run number) and the view sums them.
import type { TransferProgress } from '../../../src-shared/model/status';
import type { RsyncProgressEvent } from '../../core/transport/rsync-progress';
import { printablePath } from '../../core/report/printable';

interface Run {
  bytes: number;
  bytesPerSecond: number;
  etaSeconds: number | null;
  listed: number;
  checked: number;
  /** Bytes of the files rsync said it starts sending (it names each one as it begins). */
  announced: number;
  /** Whether a progress line came: if none did (the quick copy), its items' sizes are its bytes. */
  measured: boolean;
}

export class TransferView {
  readonly #runs = new Map<number, Run>();
  #current: string | null = null;

  /** Follows one event of run `run`; returns the bytes it adds to the throughput. */
  event(run: number, event: RsyncProgressEvent): number {
    let state = this.#runs.get(run);
    if (!state) {
      state = { bytes: 0, bytesPerSecond: 0, etaSeconds: null, listed: 0, checked: 0, announced: 0, measured: false };
      this.#runs.set(run, state);
    }
    if (event.kind === 'item') {
      // What is sent: `>f` / `<f` (a file's data), not deletions, directories or links.
      if ((event.flags[0] === '>' || event.flags[0] === '<') && event.flags[1] === 'f') {
        state.announced += event.size;
        this.#current = event.path;
      }
      return 0;
    }
    const added = Math.max(0, event.bytes - state.bytes);
    state.measured = true;
    state.bytes = Math.max(state.bytes, event.bytes);
    state.bytesPerSecond = event.bytesPerSecond;
    state.etaSeconds = event.etaSeconds;
    if (event.listed !== null && event.toCheck !== null) {
      state.listed = event.listed;
      state.checked = Math.max(0, event.listed - event.toCheck);
    }
    return added;
  }

  /** Run `run` ended; returns the bytes it adds to the throughput (a run that printed no progress). */
  end(run: number): number {
    const state = this.#runs.get(run);
    this.#runs.delete(run);
    if (this.#runs.size === 0) this.#current = null;
    return state && !state.measured ? state.announced : 0;
  }

  /** All runs dropped (the plan is over, whatever came of it). */
  clear(): void {
    this.#runs.clear();
    this.#current = null;
  }

  /** The sum of the runs under way, or null when none is. */
  view(): TransferProgress | null {
    if (this.#runs.size === 0) return null;
    let filesDone = 0;
    let filesTotal = 0;
    let bytesDone = 0;
    let announced = 0;
    let bytesPerSecond = 0;
    let etaSeconds: number | null = null;
    for (const run of this.#runs.values()) {
      filesDone += run.checked;
      filesTotal += run.listed;
      bytesDone += run.bytes;
      announced += run.announced;
      bytesPerSecond += run.bytesPerSecond;
      if (run.etaSeconds !== null) etaSeconds = Math.max(etaSeconds ?? 0, run.etaSeconds);
    }
    return {
      filesDone,
      filesTotal,
      bytesDone,
      // rsync names each file as it starts on it, so the total grows at most one file ahead.
      bytesTotal: Math.max(bytesDone, announced),
      bytesPerSecond,
      etaSeconds,
      current: this.#current === null ? null : printablePath(this.#current),
    };
  }
}
