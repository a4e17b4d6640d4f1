// The safety layer as the app (and the browser UI) see it: which targets wait for a decision,
// on what, and the decisions. No Electron here: the app's IPC handlers only call these.
import type { ReconcileAction, SafetyReport } from '../../src-shared/model/safety';
import { RECONCILE_ACTIONS } from '../../src-shared/model/safety';
import type { Outcome, RelPath, TargetState } from '../../src-shared/model/sync';
import type { SyncRunner } from '../core/daemon/sync-runner';

export interface TargetSafety {
  /** The target's id in the status stream (Sync1, ...). */
  readonly target: string;
  readonly description: string;
  readonly state: TargetState;
  /** The report a decision is awaited on (state awaiting-decision), else null. */
  readonly report: SafetyReport | null;
  readonly kept: readonly RelPath[];
}

/** A request the service refuses, with a message a person can act on. */
export class SafetyRequestError extends Error {
  override name = 'SafetyRequestError';
}

export class SafetyService {
  constructor(private readonly runners: () => readonly SyncRunner[]) {}

  targets(): TargetSafety[] {
    return this.runners().map((runner) => ({
      target: runner.session.id,
      description: runner.transport.description,
      state: runner.state,
      report: runner.report,
      kept: runner.kept,
    }));
  }

  /** Takes a decision on a waiting target: all entries at risk, or the named ones. */
  async decide(target: string, action: ReconcileAction, paths?: readonly RelPath[]): Promise<Outcome> {
    if (!RECONCILE_ACTIONS.includes(action)) throw new SafetyRequestError(`unknown action '${String(action)}' (one of ${RECONCILE_ACTIONS.join(', ')})`);
    const runner = this.#runner(target);
    const report = runner.report;
    if (!report) throw new SafetyRequestError(`${runner.transport.description} is not waiting for a decision (it is ${runner.state.kind})`);
    // The runner refuses paths that are not in the report.
    return runner.decide(action, paths);
  }

  /** Lets kept entries of a target sync again. */
  release(target: string, paths: readonly RelPath[] | 'all'): number {
    return this.#runner(target).release(paths);
  }

  /** Goes on after a halt (a replaced source root is mirrored by a checked full sync). */
  resume(target: string): void {
    this.#runner(target).resume();
  }

  #runner(target: string): SyncRunner {
    const runner = this.runners().find((candidate) => candidate.session.id === target);
    if (!runner) throw new SafetyRequestError(`no target '${target}'`);
    return runner;
  }
}
