// The safety screen's state: which targets wait for a decision or a resume, on what report, and
// what they keep; the decisions, releases and resumes; and the last result in words (the screen
// reads it into a live region). Created once in App.svelte, read through appContext().
import type { Api, InvokeOutput } from '../../../src-shared/ipc/contract';
import type { ReconcileAction } from '../../../src-shared/model/safety';

export type TargetSafety = InvokeOutput<'safety:targets'>[number];
export type DecisionOutcome = InvokeOutput<'safety:decide'>;

/** What the last action came to, in words a person reads. */
export interface SafetyResult {
  readonly ok: boolean;
  readonly text: string;
}

/** A target the screen lists: a report waits for a decision, or it halted. */
export function isWaiting(target: TargetSafety): boolean {
  return target.report !== null || target.state.kind === 'halted';
}

export class SafetyState {
  /** Raw, not deep state: a report may hold 100,000 entries, which must not become proxies. */
  list = $state.raw<TargetSafety[]>([]);
  loaded = $state(false);
  problem = $state<string | null>(null);
  /** A decision, release or resume is under way. */
  busy = $state(false);
  result = $state<SafetyResult | null>(null);
  #loading: Promise<void> | null = null;
  #again = false;

  constructor(readonly api: Api) {}

  get waiting(): TargetSafety[] {
    return this.list.filter(isWaiting);
  }

  get(target: string): TargetSafety | undefined {
    return this.list.find((candidate) => candidate.target === target);
  }

  /** Lists the targets again; calls during a load coalesce into one more load after it. */
  refresh(): Promise<void> {
    if (this.#loading) {
      this.#again = true;
      return this.#loading;
    }
    this.#loading = (async () => {
      do {
        this.#again = false;
        try {
          this.list = await this.api.invoke('safety:targets', {});
          this.problem = null;
        } catch (error) {
          this.problem = `The safety reports could not be read: ${(error as Error).message}`;
        }
      } while (this.#again);
      this.loaded = true;
      this.#loading = null;
    })();
    return this.#loading;
  }

  /**
   * Takes a decision on a target's report: the named paths, or every entry when `paths` is
   * absent. `done` is what to say when it worked ("Pulled 3 files back into /src").
   */
  async decide(target: string, action: ReconcileAction, paths: readonly string[] | undefined, done: string): Promise<DecisionOutcome | null> {
    return this.#run(async () => {
      const outcome = await this.api.invoke('safety:decide', { target, action, ...(paths ? { paths: [...paths] } : {}) });
      this.result = outcome.kind === 'ok' ? { ok: true, text: done } : { ok: false, text: `${outcomeWords(outcome.kind)}: ${outcome.reason}` };
      return outcome;
    });
  }

  /** Lets kept entries sync again. */
  async release(target: string, paths: readonly string[] | 'all'): Promise<void> {
    await this.#run(async () => {
      const { released } = await this.api.invoke('safety:release', { target, paths: paths === 'all' ? 'all' : [...paths] });
      this.result = { ok: true, text: released === 0 ? 'Nothing was kept there any more.' : `Released ${released.toLocaleString('en-US')} kept ${released === 1 ? 'entry' : 'entries'}: ${released === 1 ? 'it syncs' : 'they sync'} again.` };
    });
  }

  /** Goes on after a halt. */
  async resume(target: string): Promise<void> {
    await this.#run(async () => {
      await this.api.invoke('safety:resume', { target });
      this.result = { ok: true, text: `Resumed ${target}: a checked full sync runs now.` };
    });
  }

  dispose(): void {}

  async #run<T>(work: () => Promise<T>): Promise<T | null> {
    this.busy = true;
    this.result = null;
    try {
      return await work();
    } catch (error) {
      this.result = { ok: false, text: `That did not work: ${(error as Error).message}` };
      return null;
    } finally {
      this.busy = false;
      await this.refresh();
    }
  }
}

function outcomeWords(kind: Exclude<DecisionOutcome['kind'], 'ok'>): string {
  switch (kind) {
    case 'retry':
      return 'Not done yet, the target will try again';
    case 'halt':
      return 'The target halted';
    case 'decide':
      return 'Another decision is needed';
  }
}
