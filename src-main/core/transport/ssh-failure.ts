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

/** Classifies ssh's stderr; anything unrecognised is retried, quoting ssh's last words. */
export function classifySshFailure(stderr: string, exitCode: number | null): SshFailure {
  for (const rule of SSH_FAILURES) {
    if (rule.pattern.test(stderr)) return { verdict: rule.verdict, reason: rule.reason };
  }
  const last = stderr.trim().split('\n').filter(Boolean).slice(-2).join(' | ');
  return { verdict: 'retry', reason: `ssh failed${exitCode === null ? '' : ` (exit ${exitCode})`}${last ? `: ${last}` : ''}` };
}
