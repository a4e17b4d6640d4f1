// How `tidemark check --reconcile` reaches a daemon that runs the same target: a request file in
// the target's state directory, which the daemon takes within a second (its idle look), decides
// through SyncRunner.decide (the path SafetyService takes), and answers in a result file. The
// daemon's PID is in the same directory while it runs, so the CLI knows whether anyone is there.
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { RECONCILE_ACTIONS, type ReconcileAction } from '../../../src-shared/model/safety';
import type { Outcome, RelPath } from '../../../src-shared/model/sync';

export interface DecisionRequest {
  readonly id: string;
  readonly action: ReconcileAction;
  /** The entries decided on (all entries at risk when absent). */
  readonly paths?: readonly RelPath[];
}

export interface DecisionAnswer {
  readonly id: string;
  readonly ok: boolean;
  readonly message: string;
}

const PID_FILE = 'daemon.pid';
const REQUEST_FILE = 'decision.request.json';
const ANSWER_FILE = 'decision.answer.json';

export class DecisionMailbox {
  constructor(private readonly dir: string) {}

  /** The daemon: this process runs the target now. */
  claim(pid = process.pid): void {
    this.#write(PID_FILE, `${pid}\n`);
  }

  /** The daemon: it stops running the target (only its own claim is removed). */
  release(pid = process.pid): void {
    if (this.#read(PID_FILE)?.trim() === String(pid)) rmSync(join(this.dir, PID_FILE), { force: true });
  }

  /** The PID of a live daemon running the target, or null. */
  holder(): number | null {
    const pid = Number.parseInt(this.#read(PID_FILE) ?? '', 10);
    if (!Number.isInteger(pid) || pid <= 0 || pid === process.pid) return null;
    try {
      process.kill(pid, 0);
      return pid;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'EPERM' ? pid : null;
    }
  }

  /**
   * The daemon: takes the request waiting, if any, decides it with `decide` (SyncRunner.decide,
   * the path SafetyService takes) and answers; `taken` hears of it first (the log).
   */
  serve(decide: (action: ReconcileAction, paths?: readonly RelPath[]) => Promise<Outcome>, taken: (action: ReconcileAction) => void): void {
    const request = this.take();
    if (!request) return;
    taken(request.action);
    decide(request.action, request.paths).then(
      (outcome) => this.answer({ id: request.id, ok: outcome.kind === 'ok', message: outcome.kind === 'ok' ? `${request.action}: done` : outcome.reason }),
      (error: unknown) => this.answer({ id: request.id, ok: false, message: (error as Error).message }),
    );
  }

  /** The CLI: asks the daemon for a decision. */
  post(request: DecisionRequest): void {
    rmSync(join(this.dir, ANSWER_FILE), { force: true });
    this.#write(REQUEST_FILE, JSON.stringify(request));
  }

  /** The daemon: the request waiting, if any (taken: it is gone from the directory). A malformed one is dropped. */
  take(): DecisionRequest | null {
    const text = this.#read(REQUEST_FILE);
    if (text === null) return null;
    rmSync(join(this.dir, REQUEST_FILE), { force: true });
    try {
      const data = JSON.parse(text) as Partial<DecisionRequest>;
      const paths = data.paths;
      if (typeof data.id !== 'string' || !RECONCILE_ACTIONS.includes(data.action as ReconcileAction)) return null;
      if (paths !== undefined && !(Array.isArray(paths) && paths.every((path) => typeof path === 'string'))) return null;
      return { id: data.id, action: data.action as ReconcileAction, ...(paths ? { paths } : {}) };
    } catch {
      return null;
    }
  }

  /** The daemon: the decision's outcome. */
  answer(answer: DecisionAnswer): void {
    this.#write(ANSWER_FILE, JSON.stringify(answer));
  }

  /** The CLI: the answer to request `id`, polled until `timeoutMs`; null when none came (the request is withdrawn). */
  async awaitAnswer(id: string, timeoutMs: number, pollMs = 100): Promise<DecisionAnswer | null> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const text = this.#read(ANSWER_FILE);
      if (text !== null) {
        try {
          const answer = JSON.parse(text) as DecisionAnswer;
          if (answer.id === id) {
            rmSync(join(this.dir, ANSWER_FILE), { force: true });
            return answer;
          }
        } catch {
          // half-written: read again
        }
      }
      await new Promise((resolve) => setTimeout(resolve, pollMs));
    }
    rmSync(join(this.dir, REQUEST_FILE), { force: true });
    return null;
  }

  #read(name: string): string | null {
    try {
      return readFileSync(join(this.dir, name), 'utf8');
    } catch {
      return null;
    }
  }

  /** Whole or not at all (write, then rename). */
  #write(name: string, text: string): void {
    const path = join(this.dir, name);
    writeFileSync(`${path}.tmp`, text, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }
}
