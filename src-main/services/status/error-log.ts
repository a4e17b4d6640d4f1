// A target's last errors, newest first and capped; the same message back to back is one entry
// with a count (a retry every few seconds for an hour is one line, not 50).
import { STATUS_LIMITS, type TargetError } from '../../../src-shared/model/status';

export class ErrorLog {
  /** Oldest first. */
  #errors: TargetError[] = [];
  #view: readonly TargetError[] | null = [];

  constructor(private readonly limit: number = STATUS_LIMITS.errors) {}

  add(message: string, at: number): void {
    const last = this.#errors.at(-1);
    if (last?.message === message) this.#errors[this.#errors.length - 1] = { at, message, count: (last.count ?? 1) + 1 };
    else this.#errors.push({ at, message });
    if (this.#errors.length > this.limit) this.#errors.shift();
    this.#view = null;
  }

  /** Newest first; the same array until something changes. */
  view(): readonly TargetError[] {
    this.#view ??= [...this.#errors].reverse();
    return this.#view;
  }
}
