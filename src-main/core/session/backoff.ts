export interface BackoffPolicy {
  readonly baseMs: number;
  readonly maxMs: number;
}

export const defaultBackoff: BackoffPolicy = { baseMs: 1000, maxMs: 60_000 };

/** Exponential backoff with a cap: 1 s, 2 s, 4 s ... 60 s (lsyncd retries every `delay`, forever, at full speed). */
export function backoffDelay(attempt: number, policy: BackoffPolicy): number {
  return Math.min(policy.maxMs, policy.baseMs * 2 ** Math.max(0, attempt - 1));
}
