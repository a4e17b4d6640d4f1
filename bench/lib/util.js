// Small helpers: bounded waiting and statistics.

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** A scenario failure with a message meant for the report. */
export class BenchError extends Error {}

/**
 * Poll `check` until it returns a truthy value, and return that value.
 * Fails with a clear message after `timeoutMs`, or as soon as the daemon (a handle from tool.start) exits.
 */
export async function waitFor(check, { what, timeoutMs, intervalMs = 50, daemon = null }) {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (daemon?.exited) throw new BenchError(`${daemon.toolName} exited (${daemon.exitDescription()}) while waiting for ${what}`);
    if (performance.now() > deadline) throw new BenchError(`timed out after ${(timeoutMs / 1000).toFixed(0)} s waiting for ${what}`);
    await sleep(intervalMs);
  }
}

/** Linear-interpolated percentile (p in 0..100) of a list of numbers. */
export function percentile(values, p) {
  if (!values.length) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = (p / 100) * (sorted.length - 1);
  const lo = Math.floor(rank);
  const hi = Math.ceil(rank);
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
}

export const median = (values) => percentile(values, 50);

/** Escape a JS string as a Lua double-quoted string literal. */
export function luaString(s) {
  return '"' + s.replace(/[\\"\n\r\0]/g, (c) => ({ '\\': '\\\\', '"': '\\"', '\n': '\\n', '\r': '\\r', '\0': '\\0' })[c]) + '"';
}
