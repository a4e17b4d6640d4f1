// What an rsync daemon's refusal means, read from what the rsync client printed: a table, like
// ssh-failure.ts. Temporary trouble (no daemon listening, a name that does not resolve, too
// many connections) is retried with backoff; a refusal that only a person can fix (the login,
// the module's name, a read-only module, a password file others can read) halts the target
// with what to change. Pure: no node:* imports.

export interface RsyncdFailure {
  readonly verdict: 'retry' | 'halt';
  /** One line for the log and the status: what went wrong, and what to do. */
  readonly reason: string;
}

interface FailureRule {
  readonly pattern: RegExp;
  readonly verdict: RsyncdFailure['verdict'];
  /** The reason; `$1` stands for the pattern's first group (a module name, a limit). */
  readonly reason: string;
}

const RESUME = 'then resume the target (tidemark resume, or restart the daemon)';

/** First match wins: the daemon's own @ERROR lines first, since the client adds its own after them. */
export const RSYNCD_FAILURES: readonly FailureRule[] = [
  { pattern: /@ERROR: auth failed on module (\S+)/, verdict: 'halt', reason: `the daemon refused the login to module $1: check the user (user@host::module) and the password (rsync = { password_file = ... } in the config, a file of mode 600, or RSYNC_PASSWORD in the environment), ${RESUME}` },
  { pattern: /@ERROR: Unknown module '([^']*)'/, verdict: 'halt', reason: `the daemon has no module '$1': check the module name in the target (rsync --list-only rsync://HOST/ lists the modules it offers), ${RESUME}` },
  { pattern: /ERROR: module is read only/, verdict: 'halt', reason: `the module is read only: set "read only = false" for it in the daemon's rsyncd.conf (or choose a writable module), ${RESUME}` },
  { pattern: /@ERROR: access denied to (\S+)/, verdict: 'halt', reason: `the daemon denies module $1 to this machine (its "hosts allow" / "hosts deny"): ask its administrator to let this host in, ${RESUME}` },
  { pattern: /password file must not be other-accessible/, verdict: 'halt', reason: `the password file can be read by other users, so rsync refuses it: chmod 600 it, ${RESUME}` },
  { pattern: /(?:could not open|failed to open) password file|password-file.*(?:No such file|Permission denied)/i, verdict: 'halt', reason: `the password file cannot be read: check rsync.password_file in the config, ${RESUME}` },
  { pattern: /@ERROR: (?:chdir|chroot) failed/, verdict: 'halt', reason: `the daemon cannot enter the module's directory (its "path" is missing or not accessible on the server): ask its administrator, ${RESUME}` },
  { pattern: /@ERROR: max connections \((\d+)\) reached/, verdict: 'retry', reason: 'the daemon is at its connection limit ($1): retrying later' },
  { pattern: /failed to connect to .*Connection refused|Connection refused/, verdict: 'retry', reason: 'no rsync daemon answers there (connection refused): retrying; check that rsync --daemon runs on the host and listens on that port' },
  { pattern: /getaddrinfo|Name or service not known|Temporary failure in name resolution/, verdict: 'retry', reason: 'the host name does not resolve: retrying; check the host in the target' },
  { pattern: /No route to host|Network is unreachable|timed out|timeout waiting for daemon connection/i, verdict: 'retry', reason: 'the daemon is unreachable (no route, or the connection timed out): retrying' },
  { pattern: /Connection reset by peer|Broken pipe|connection unexpectedly closed/, verdict: 'retry', reason: 'the connection to the daemon dropped: retrying' },
];

/**
 * The daemon-side failure that rsync's stderr describes, or null when it describes none (the
 * exit code table decides then). An unrecognised @ERROR from the daemon is retried, quoted.
 */
export function classifyRsyncdFailure(stderr: string): RsyncdFailure | null {
  for (const rule of RSYNCD_FAILURES) {
    const match = rule.pattern.exec(stderr);
    if (match) return { verdict: rule.verdict, reason: rule.reason.replace('$1', match[1] ?? '') };
  }
  const daemonError = /@ERROR: (.*)/.exec(stderr);
  if (daemonError) return { verdict: 'retry', reason: `the daemon refused: ${daemonError[1]?.trim()}` };
  return null;
}
