// What an rsync or ssh exit means for the session: policy as a table, as lsyncd keeps it
// (default.rsyncExitCodes / default.sshExitCodes), with lsyncd 2.2.3's weak spots fixed
// (LSYNCD.md #9): 23 and 24 are not success, and an unknown code never kills the daemon.
// Pure: no node:* imports (lint enforces it).

/**
 * - ok: done.
 * - retry: temporary failure; the session retries (with backoff) and, when in doubt, as a full resync.
 * - retry-files: partial transfer (23, 24); the files concerned are retried, the rest arrived.
 * - halt: stop this target until someone decides (protocol mismatch, the --max-delete guard).
 * - config: the command line itself is wrong (our argv, the rsync table or `_extra`); retrying cannot help.
 */
export type ExitVerdict = 'ok' | 'retry' | 'retry-files' | 'halt' | 'config';

/** What lsyncd 2.2.3 does with the code; absent means unknown, which kills lsyncd. */
export type LsyncdVerdict = 'ok' | 'again' | 'die';

export interface ExitRule {
  readonly verdict: ExitVerdict;
  readonly meaning: string;
  readonly lsyncd?: LsyncdVerdict;
}

/** One classified exit of a child process. */
export interface ExitClass {
  readonly code: number | null;
  readonly signal: string | null;
  readonly verdict: ExitVerdict;
  readonly meaning: string;
}

/** rsync's documented exit values (rsync(1) "EXIT VALUES"), plus 255 from the remote shell. */
export const RSYNC_EXIT_CODES: Readonly<Record<number, ExitRule>> = {
  0: { verdict: 'ok', meaning: 'success', lsyncd: 'ok' },
  1: { verdict: 'config', meaning: 'syntax or usage error', lsyncd: 'die' },
  2: { verdict: 'halt', meaning: 'protocol incompatibility', lsyncd: 'die' },
  3: { verdict: 'retry', meaning: 'errors selecting input/output files, directories', lsyncd: 'again' },
  4: { verdict: 'config', meaning: 'requested action not supported (an option the other side lacks)', lsyncd: 'die' },
  5: { verdict: 'retry', meaning: 'error starting client-server protocol', lsyncd: 'again' },
  6: { verdict: 'retry', meaning: 'daemon unable to append to log-file', lsyncd: 'again' },
  10: { verdict: 'retry', meaning: 'error in socket I/O', lsyncd: 'again' },
  11: { verdict: 'retry', meaning: 'error in file I/O', lsyncd: 'again' },
  12: { verdict: 'retry', meaning: 'error in rsync protocol data stream', lsyncd: 'again' },
  13: { verdict: 'retry', meaning: 'errors with program diagnostics' },
  14: { verdict: 'retry', meaning: 'error in IPC code', lsyncd: 'again' },
  15: { verdict: 'retry', meaning: 'sibling process crashed' },
  16: { verdict: 'retry', meaning: 'sibling process was killed by a signal' },
  19: { verdict: 'retry', meaning: 'received SIGUSR1' },
  20: { verdict: 'retry', meaning: 'received SIGINT, SIGTERM, or SIGHUP', lsyncd: 'again' },
  21: { verdict: 'retry', meaning: 'some error returned by waitpid()', lsyncd: 'again' },
  22: { verdict: 'retry', meaning: 'error allocating core memory buffers', lsyncd: 'again' },
  // lsyncd counts 23 and 24 as success and never retries them (LSYNCD.md #9).
  23: { verdict: 'retry-files', meaning: 'partial transfer due to error', lsyncd: 'ok' },
  24: { verdict: 'retry-files', meaning: 'partial transfer due to vanished source files', lsyncd: 'ok' },
  25: { verdict: 'halt', meaning: 'the --max-delete limit stopped deletions', lsyncd: 'die' },
  30: { verdict: 'retry', meaning: 'timeout in data send/receive', lsyncd: 'again' },
  35: { verdict: 'retry', meaning: 'timeout waiting for daemon connection', lsyncd: 'again' },
  255: { verdict: 'retry', meaning: 'remote shell failed (connection or authentication) or unexplained error', lsyncd: 'again' },
};

/** ssh exits 255 for its own failures; any other code is the remote command's. */
export const SSH_EXIT_CODES: Readonly<Record<number, ExitRule>> = {
  0: { verdict: 'ok', meaning: 'success', lsyncd: 'ok' },
  255: { verdict: 'retry', meaning: 'ssh connection or authentication failure', lsyncd: 'again' },
};

function lookup(table: Readonly<Record<number, ExitRule>>, code: number): ExitRule | undefined {
  return Object.hasOwn(table, code) ? table[code] : undefined;
}

/**
 * The one classification loop. A signal or a missing code means the child was killed or lost:
 * always worth a retry. A code the table lacks retries too, described by `unknown`.
 */
function classify(
  table: Readonly<Record<number, ExitRule>>,
  code: number | null,
  signal: string | null | undefined,
  unknown: (code: number) => string,
): ExitClass {
  if (signal) return { code, signal, verdict: 'retry', meaning: `killed by signal ${signal}` };
  if (code === null) return { code, signal: null, verdict: 'retry', meaning: 'exited without a status' };
  const rule = lookup(table, code);
  if (rule) return { code, signal: null, verdict: rule.verdict, meaning: rule.meaning };
  return { code, signal: null, verdict: 'retry', meaning: unknown(code) };
}

/** Classifies an rsync exit. Unknown codes retry (lsyncd 2.2.3 dies on them). */
export function classifyRsyncExit(code: number | null, signal?: string | null): ExitClass {
  return classify(RSYNC_EXIT_CODES, code, signal, (c) => `unknown exit code ${c}`);
}

/** Classifies an ssh exit (a remote rename or delete batch). Every failure retries. */
export function classifyShellExit(code: number | null, signal?: string | null): ExitClass {
  return classify(SSH_EXIT_CODES, code, signal, (c) => `remote command exited with code ${c}`);
}
