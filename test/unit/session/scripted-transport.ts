// Test doubles for the session tests: plans, and a transport that answers each apply() with the
// next scripted outcome.
import type { Outcome, Plan } from '../../../src-shared/model/sync';
import type { Transport } from '../../../src-main/core/transport/transport';

/** A plan that mirrors the given paths. */
export function plan(...sync: string[]): Plan {
  return { moves: [], sync, deletes: [], allowDelete: true, full: false };
}

/** A transport that answers each apply() with the next scripted outcome and records the plans. */
export function scriptedTransport(outcomes: Outcome[]) {
  const applied: Plan[] = [];
  const gates: (() => void)[] = [];
  let hold = false;
  const transport: Transport = {
    description: '/dst/',
    apply: async (p) => {
      applied.push(p);
      if (hold) await new Promise<void>((resolve) => gates.push(resolve));
      return outcomes.shift() ?? { kind: 'ok', moved: 0, listed: p.sync.length };
    },
    close: async () => undefined,
  };
  return {
    transport,
    applied,
    holdNext: () => void (hold = true),
    release: () => {
      hold = false;
      gates.splice(0).forEach((g) => g());
    },
  };
}

/** A transport whose apply() throws, as a broken one might. */
export const throwingTransport: Transport = { description: 'x', apply: async () => { throw new Error('EIO'); }, close: async () => undefined };

/** Lets pending promise callbacks run. */
export const flush = () => new Promise((resolve) => setImmediate(resolve));
