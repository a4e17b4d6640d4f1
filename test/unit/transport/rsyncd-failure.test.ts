import { describe, expect, it } from 'vitest';
import { classifyRsyncdFailure } from '../../../src-main/core/transport/rsyncd-failure';

// What rsync 3.5.0's client printed against a real daemon (test/fixtures/rsyncd.ts), one case
// per rule of the table, plus the fallbacks.
const cases: { description: string; stderr: string; expected: { verdict: 'retry' | 'halt'; reason: RegExp } | null }[] = [
  {
    description: 'a refused login halts, naming the module and where the password comes from',
    stderr: '@ERROR: auth failed on module sec\nrsync error: error starting client-server protocol (code 5) at main.c(1954) [Receiver=3.5.0]\n',
    expected: { verdict: 'halt', reason: /refused the login to module sec: .*password_file.*RSYNC_PASSWORD/ },
  },
  {
    description: 'an unknown module halts, saying how to list the modules',
    stderr: "@ERROR: Unknown module 'nomod'\nrsync error: error starting client-server protocol (code 5) at main.c(1954) [Receiver=3.5.0]\n",
    expected: { verdict: 'halt', reason: /no module 'nomod'.*--list-only/ },
  },
  {
    description: 'a read-only module halts, saying what to set',
    stderr: 'ERROR: module is read only\nrsync error: syntax or usage error (code 1) at main.c(1185) [Receiver=3.5.0]\nrsync: [sender] read error: Connection reset by peer (104)\n',
    expected: { verdict: 'halt', reason: /read only = false/ },
  },
  { description: 'hosts deny halts', stderr: '@ERROR: access denied to mirror from nas (10.0.0.2)\n', expected: { verdict: 'halt', reason: /hosts allow/ } },
  {
    description: 'a password file others can read halts with the chmod',
    stderr: 'ERROR: password file must not be other-accessible\nrsync error: syntax or usage error (code 1) at authenticate.c(261) [Receiver=3.5.0]\n',
    expected: { verdict: 'halt', reason: /chmod 600/ },
  },
  { description: 'a missing password file halts', stderr: 'rsync: could not open password file /etc/x.secret: No such file or directory (2)\n', expected: { verdict: 'halt', reason: /password file cannot be read/ } },
  { description: "a module whose path is missing halts", stderr: '@ERROR: chdir failed\n', expected: { verdict: 'halt', reason: /module's directory/ } },
  { description: 'the connection limit retries', stderr: '@ERROR: max connections (4) reached -- try again later\n', expected: { verdict: 'retry', reason: /connection limit \(4\)/ } },
  {
    description: 'no daemon listening retries',
    stderr: 'rsync: [Receiver] failed to connect to 127.0.0.1 (127.0.0.1): Connection refused (111)\nrsync error: error in socket IO (code 10) at clientserver.c(165) [Receiver=3.5.0]\n',
    expected: { verdict: 'retry', reason: /no rsync daemon answers there.*retrying/ },
  },
  {
    description: 'a name that does not resolve retries',
    stderr: 'rsync: getaddrinfo: nohost.invalid 873: Name or service not known\nrsync error: error in socket IO (code 10) at clientserver.c(165) [Receiver=3.5.0]\n',
    expected: { verdict: 'retry', reason: /does not resolve/ },
  },
  { description: 'a silent network retries', stderr: 'rsync: failed to connect to 10.9.9.9 (10.9.9.9): Connection timed out (110)\n', expected: { verdict: 'retry', reason: /unreachable/ } },
  { description: 'a dropped connection retries', stderr: 'rsync: connection unexpectedly closed (0 bytes received so far) [sender]\n', expected: { verdict: 'retry', reason: /dropped/ } },
  { description: 'any other @ERROR retries, quoted', stderr: '@ERROR: something new\n', expected: { verdict: 'retry', reason: /the daemon refused: something new/ } },
  { description: "rsync's own errors are the exit code table's", stderr: 'rsync: [sender] link_stat "/x" (in mod) failed: No such file or directory (2)\n', expected: null },
];

describe('classifyRsyncdFailure', () => {
  for (const c of cases) {
    it(c.description, () => {
      const failure = classifyRsyncdFailure(c.stderr);
      if (c.expected === null) return expect(failure).toBeNull();
      expect(failure?.verdict).toBe(c.expected.verdict);
      expect(failure?.reason).toMatch(c.expected.reason);
    });
  }
});
