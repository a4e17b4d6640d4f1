import { describe, expect, it } from 'vitest';
import type { ExitVerdict, LsyncdVerdict } from '../../../src-main/core/transport/exit-codes';
import { classifyRsyncExit, classifyShellExit, RSYNC_EXIT_CODES, SSH_EXIT_CODES } from '../../../src-main/core/transport/exit-codes';

// Every rsync code, with Tidemark's verdict and what lsyncd 2.2.3's default.rsyncExitCodes says
// (undefined: not in lsyncd's table, so lsyncd dies on it).
const rsyncCases: { code: number; verdict: ExitVerdict; meaning: string; lsyncd: LsyncdVerdict | undefined }[] = [
  { code: 0, verdict: 'ok', meaning: 'success', lsyncd: 'ok' },
  { code: 1, verdict: 'config', meaning: 'syntax or usage error', lsyncd: 'die' },
  { code: 2, verdict: 'halt', meaning: 'protocol incompatibility', lsyncd: 'die' },
  { code: 3, verdict: 'retry', meaning: 'errors selecting input/output files, directories', lsyncd: 'again' },
  { code: 4, verdict: 'config', meaning: 'requested action not supported (an option the other side lacks)', lsyncd: 'die' },
  { code: 5, verdict: 'retry', meaning: 'error starting client-server protocol', lsyncd: 'again' },
  { code: 6, verdict: 'retry', meaning: 'daemon unable to append to log-file', lsyncd: 'again' },
  { code: 10, verdict: 'retry', meaning: 'error in socket I/O', lsyncd: 'again' },
  { code: 11, verdict: 'retry', meaning: 'error in file I/O', lsyncd: 'again' },
  { code: 12, verdict: 'retry', meaning: 'error in rsync protocol data stream', lsyncd: 'again' },
  { code: 13, verdict: 'retry', meaning: 'errors with program diagnostics', lsyncd: undefined },
  { code: 14, verdict: 'retry', meaning: 'error in IPC code', lsyncd: 'again' },
  { code: 15, verdict: 'retry', meaning: 'sibling process crashed', lsyncd: undefined },
  { code: 16, verdict: 'retry', meaning: 'sibling process was killed by a signal', lsyncd: undefined },
  { code: 19, verdict: 'retry', meaning: 'received SIGUSR1', lsyncd: undefined },
  { code: 20, verdict: 'retry', meaning: 'received SIGINT, SIGTERM, or SIGHUP', lsyncd: 'again' },
  { code: 21, verdict: 'retry', meaning: 'some error returned by waitpid()', lsyncd: 'again' },
  { code: 22, verdict: 'retry', meaning: 'error allocating core memory buffers', lsyncd: 'again' },
  { code: 23, verdict: 'retry-files', meaning: 'partial transfer due to error', lsyncd: 'ok' },
  { code: 24, verdict: 'retry-files', meaning: 'partial transfer due to vanished source files', lsyncd: 'ok' },
  { code: 25, verdict: 'halt', meaning: 'the --max-delete limit stopped deletions', lsyncd: 'die' },
  { code: 30, verdict: 'retry', meaning: 'timeout in data send/receive', lsyncd: 'again' },
  { code: 35, verdict: 'retry', meaning: 'timeout waiting for daemon connection', lsyncd: 'again' },
  { code: 255, verdict: 'retry', meaning: 'remote shell failed (connection or authentication) or unexplained error', lsyncd: 'again' },
];

describe('rsync exit codes', () => {
  for (const c of rsyncCases) {
    it(`${c.code}: ${c.verdict} (${c.meaning})`, () => {
      expect(classifyRsyncExit(c.code)).toEqual({ code: c.code, signal: null, verdict: c.verdict, meaning: c.meaning });
      expect(RSYNC_EXIT_CODES[c.code]?.lsyncd).toBe(c.lsyncd);
    });
  }

  it('the table holds exactly the listed codes', () => {
    expect(Object.keys(RSYNC_EXIT_CODES).map(Number)).toEqual(rsyncCases.map((c) => c.code));
  });

  const otherCases = [
    { description: 'unknown code retries, never kills the daemon', code: 42, signal: undefined, expected: { code: 42, signal: null, verdict: 'retry', meaning: 'unknown exit code 42' } },
    { description: 'shell "command not found" retries', code: 127, signal: undefined, expected: { code: 127, signal: null, verdict: 'retry', meaning: 'unknown exit code 127' } },
    { description: 'negative code retries', code: -1, signal: undefined, expected: { code: -1, signal: null, verdict: 'retry', meaning: 'unknown exit code -1' } },
    { description: 'a prototype key is not a code', code: Number('NaN'), signal: undefined, expected: { code: NaN, signal: null, verdict: 'retry', meaning: 'unknown exit code NaN' } },
    { description: 'killed by a signal', code: null, signal: 'SIGKILL', expected: { code: null, signal: 'SIGKILL', verdict: 'retry', meaning: 'killed by signal SIGKILL' } },
    { description: 'signal wins over a code', code: 0, signal: 'SIGTERM', expected: { code: 0, signal: 'SIGTERM', verdict: 'retry', meaning: 'killed by signal SIGTERM' } },
    { description: 'no code and no signal', code: null, signal: undefined, expected: { code: null, signal: null, verdict: 'retry', meaning: 'exited without a status' } },
  ] as const;
  for (const c of otherCases) it(c.description, () => expect(classifyRsyncExit(c.code, c.signal)).toEqual(c.expected));
});

describe('ssh exit codes', () => {
  const cases = [
    { description: 'success', code: 0, signal: undefined, expected: { code: 0, signal: null, verdict: 'ok', meaning: 'success' } },
    { description: 'ssh failure', code: 255, signal: undefined, expected: { code: 255, signal: null, verdict: 'retry', meaning: 'ssh connection or authentication failure' } },
    { description: 'remote command failed', code: 1, signal: undefined, expected: { code: 1, signal: null, verdict: 'retry', meaning: 'remote command exited with code 1' } },
    { description: 'remote command not found', code: 127, signal: undefined, expected: { code: 127, signal: null, verdict: 'retry', meaning: 'remote command exited with code 127' } },
    { description: 'killed by a signal', code: null, signal: 'SIGTERM', expected: { code: null, signal: 'SIGTERM', verdict: 'retry', meaning: 'killed by signal SIGTERM' } },
    { description: 'no status', code: null, signal: null, expected: { code: null, signal: null, verdict: 'retry', meaning: 'exited without a status' } },
  ] as const;
  for (const c of cases) it(c.description, () => expect(classifyShellExit(c.code, c.signal)).toEqual(c.expected));

  it('the table holds 0 and 255 only, as lsyncd default.sshExitCodes', () => {
    expect(Object.keys(SSH_EXIT_CODES).map(Number)).toEqual([0, 255]);
  });
});
