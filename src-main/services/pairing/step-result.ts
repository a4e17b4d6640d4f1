// What each pairing step returns: data, never a throw. A failure names its step, says what
// happened (reason) and what the person can do about it (fix), in words a wizard can show as
// they are and the CLI can print. No secret ever goes into either.

/** The steps of pairing, in the order PairingService will drive them. */
export type PairingStep = 'connect' | 'host-key' | 'authenticate' | 'install-key' | 'verify' | 'preflight' | 'save';

/** Why a step failed, for code that must branch (the wizard, tests); people read reason and fix. */
export type FailureCause =
  | 'ssh-config'
  | 'proxy-jump'
  | 'unresolved'
  | 'unreachable'
  | 'refused'
  | 'timeout'
  | 'not-ssh'
  | 'dropped'
  | 'host-key-changed'
  | 'bad-request'
  | 'wrong-password'
  | 'no-password-login'
  | 'remote-error'
  | 'ssh-failed'
  | 'no-rsync'
  | 'target-not-creatable'
  | 'target-not-directory'
  | 'target-not-writable'
  | 'file-error';

export interface StepFailure {
  readonly kind: 'failed';
  readonly step: PairingStep;
  readonly cause: FailureCause;
  readonly reason: string;
  readonly fix: string;
  /** Set when the server offered another host key than the one pinned or expected. */
  readonly fingerprints?: { readonly expected: string; readonly offered: string };
}

/** A step's result: its data on success, or a failure. */
export type StepResult<T extends object> = ({ readonly kind: 'ok' } & T) | StepFailure;

/** Every step is bounded; a caller that does not say how long waits this long. */
export const DEFAULT_STEP_TIMEOUT_MS = 20_000;

export function failed(step: PairingStep, cause: FailureCause, reason: string, fix: string, extra: Pick<StepFailure, 'fingerprints'> = {}): StepFailure {
  return { kind: 'failed', step, cause, reason, fix, ...extra };
}

/** A failure of one step reported as another's (the connect of the install step, say). */
export function asStep(failure: StepFailure, step: PairingStep): StepFailure {
  return { ...failure, step };
}

/** A timeout the caller gave, checked: a positive whole number of milliseconds, or the default. */
export function stepTimeout(timeoutMs: number | undefined): number {
  if (timeoutMs === undefined) return DEFAULT_STEP_TIMEOUT_MS;
  if (!Number.isInteger(timeoutMs) || timeoutMs <= 0) throw new RangeError(`a step timeout must be a positive number of milliseconds, not ${timeoutMs}`);
  return timeoutMs;
}
