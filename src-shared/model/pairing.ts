// The pairing wizard's steps as the contract carries them: each answers its data, or a failure
// that names the step, a cause code to branch on, and a reason and a fix for a person.
import * as v from 'valibot';

export const PAIRING_STEPS = ['connect', 'host-key', 'authenticate', 'install-key', 'verify', 'preflight', 'save'] as const;
export const FAILURE_CAUSES = [
  'ssh-config', 'proxy-jump', 'unresolved', 'unreachable', 'refused', 'timeout', 'not-ssh', 'dropped',
  'host-key-changed', 'bad-request', 'wrong-password', 'no-password-login', 'remote-error', 'ssh-failed',
  'no-rsync', 'target-not-creatable', 'target-not-directory', 'target-not-writable', 'file-error',
] as const;

/** A pairing in progress, as the service that runs it names it. */
export const PairingId = v.pipe(v.string(), v.regex(/^[a-f0-9]{32}$/, 'a pairing id is 32 hex digits'));

export const StepFailureSchema = v.object({
  kind: v.literal('failed'),
  step: v.picklist(PAIRING_STEPS),
  cause: v.picklist(FAILURE_CAUSES),
  reason: v.string(),
  fix: v.string(),
  fingerprints: v.optional(v.object({ expected: v.string(), offered: v.string() })),
});
export type StepFailureView = v.InferOutput<typeof StepFailureSchema>;

/** A step's answer: `{kind: 'ok', ...data}` or a failure. */
export function stepResult<const T extends v.ObjectEntries>(entries: T) {
  return v.variant('kind', [v.object({ kind: v.literal('ok'), ...entries }), StepFailureSchema]);
}

export const ConnectedHostSchema = {
  alias: v.string(),
  hostname: v.string(),
  port: v.number(),
  user: v.string(),
  keyType: v.string(),
  /** SHA256:..., as ssh-keygen -l prints it. */
  fingerprint: v.string(),
  /** "ED25519 key fingerprint is SHA256:...", as OpenSSH asks. */
  description: v.string(),
  /** The fingerprint pinned for this host before (a re-pair), or null. */
  pinned: v.nullable(v.string()),
};

export const PreflightSchema = {
  rsyncVersion: v.string(),
  rsyncProtocol: v.nullable(v.number()),
  directory: v.string(),
  created: v.boolean(),
  freeBytes: v.number(),
  mountPoint: v.string(),
};

/** What the person types: bounded, and checked again by the service (checkHostRequest). */
export const HostInput = v.pipe(v.string(), v.minLength(1), v.maxLength(255), v.regex(/^[A-Za-z0-9_.:%[\]-]+$/, 'a host name, an address or an ssh_config alias'), v.check((host) => !host.startsWith('-'), 'a host name may not start with -'));
export const UserInput = v.pipe(v.string(), v.minLength(1), v.maxLength(255), v.regex(/^[A-Za-z0-9_.][A-Za-z0-9_.-]*$/, 'a user name is letters, digits, ., _ and -'));
export const PortInput = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(65535));
/** A password or passphrase: bounded, never echoed, never logged. */
export const SecretInput = v.pipe(v.string(), v.minLength(1), v.maxLength(1024));
