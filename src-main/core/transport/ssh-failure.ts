// What an ssh failure means, read from what ssh printed: a table, like the exit codes. A
// changed or untrusted host key halts the target (someone must decide); everything else is
// retried with backoff. Pure: no node:* imports.

export interface SshFailure {
  readonly verdict: 'retry' | 'halt';
  /** One line for the log and the status: what went wrong, in words a user can act on. */
  readonly reason: string;
}

interface FailureRule {
  readonly pattern: RegExp;
  readonly verdict: SshFailure['verdict'];
  readonly reason: string;
}

/** First match wins; the order puts the host key cases first, since ssh prints more after them. */
export const SSH_FAILURES: readonly FailureRule[] = [
  { pattern: /REMOTE HOST IDENTIFICATION HAS CHANGED/, verdict: 'halt', reason: 'the host key has CHANGED since it was pinned: someone may be intercepting the connection, or the server was reinstalled. Check the new fingerprint with its administrator, then replace the old key in known_hosts' },
  { pattern: /Host key verification failed|No (?:ED25519|RSA|ECDSA)? ?host key is known/i, verdict: 'halt', reason: 'the host key is not trusted (not in known_hosts): confirm its fingerprint and pin it (ssh-keyscan, or pair the server in the app)' },
  { pattern: /Permission denied/, verdict: 'retry', reason: 'the login was refused (wrong user or key, or the key is not installed on the server)' },
  { pattern: /Could not resolve hostname/, verdict: 'retry', reason: 'the host name does not resolve' },
  { pattern: /Connection refused/, verdict: 'retry', reason: 'the connection was refused (no ssh server listening there)' },
  { pattern: /timed out|No route to host|Network is unreachable/, verdict: 'retry', reason: 'the host is unreachable' },
  { pattern: /Connection closed|Connection reset|Broken pipe|kex_exchange_identification/, verdict: 'retry', reason: 'the connection dropped' },
];

/**
 * The fingerprint pinned at line `line` of known_hosts `file` (what ssh calls the offending
 * key), or null when it cannot be read: the I/O edge passes it in (see pinned-key.ts).
 */
export type PinnedLookup = (file: string, line: number) => string | null;

/** Classifies ssh's stderr; anything unrecognised is retried, quoting ssh's last words. */
export function classifySshFailure(stderr: string, exitCode: number | null, pinnedAt?: PinnedLookup): SshFailure {
  for (const rule of SSH_FAILURES) {
    if (!rule.pattern.test(stderr)) continue;
    if (rule === SSH_FAILURES[0]) return changedHostKey(stderr, pinnedAt);
    return { verdict: rule.verdict, reason: rule.reason };
  }
  const last = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
  return { verdict: 'retry', reason: `ssh failed${exitCode === null ? '' : ` (exit ${exitCode})`}${last ? `: ${last}` : ''}` };
}

/**
 * A changed host key, with both fingerprints when ssh's words give them: the offered one it
 * prints ("The fingerprint for the ED25519 key sent by the remote host is\nSHA256:..."), the
 * pinned one read from the line it names ("Offending ED25519 key in FILE:LINE").
 */
function changedHostKey(stderr: string, pinnedAt: PinnedLookup | undefined): SshFailure {
  const offered = /key sent by the remote host is\s*\n?\s*(SHA256:[A-Za-z0-9+/]+)/.exec(stderr)?.[1];
  const offending = /Offending \S+ key in (.+):(\d+)\s*$/m.exec(stderr);
  const pinned = offending && pinnedAt ? pinnedAt(offending[1]!, Number(offending[2])) : null;
  if (!offered && !pinned) return { verdict: 'halt', reason: SSH_FAILURES[0]!.reason };
  return {
    verdict: 'halt',
    reason: `the host key has CHANGED since it was pinned: pinned ${pinned ?? 'unknown'}, offered ${offered ?? 'unknown'}. Someone may be intercepting the connection, or the server was reinstalled. Check the offered fingerprint with its administrator; if it is genuine, pair again confirming it (tidemark pair USER@HOST --fingerprint ${offered ?? 'SHA256:...'} ...), or replace the old key in known_hosts`,
  };
}
