// The safety channels of the contract, served by a SafetyService: one place for every face.
import type { Outcome } from '../../src-shared/model/sync';
import type { InvokeHandlers } from './contract-router';
import type { SafetyService } from './safety-service';

/** An Outcome as the contract carries it: done, or why not. */
function decisionOutcome(outcome: Outcome): { kind: 'ok' } | { kind: 'retry' | 'halt' | 'decide'; reason: string } {
  return outcome.kind === 'ok' ? { kind: 'ok' } : { kind: outcome.kind, reason: outcome.reason };
}

export function safetyHandlers(service: SafetyService): InvokeHandlers {
  return {
    'safety:targets': () => service.targets(),
    'safety:decide': async ({ target, action, paths }) => decisionOutcome(await service.decide(target, action, paths)),
    'safety:release': ({ target, paths }) => ({ released: service.release(target, paths) }),
    'safety:resume': ({ target }) => {
      service.resume(target);
      return {};
    },
  };
}
