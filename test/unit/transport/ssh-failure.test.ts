import { describe, expect, it } from 'vitest';
import { classifySshFailure } from '../../../src-main/core/transport/ssh-failure';

// What real OpenSSH 9 clients print, one case per rule of the table, plus the fallback.
const cases: { description: string; stderr: string; verdict: 'retry' | 'halt'; reason: RegExp }[] = [
  {
    description: 'a changed host key halts',
    stderr: '@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\n@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @\n@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@@\nHost key verification failed.\n',
    verdict: 'halt',
    reason: /host key has CHANGED/,
  },
  {
    description: 'a changed host key names the pinned and the offered fingerprints, and how to pair again',
    stderr: [
      '@    WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED!     @',
      'The fingerprint for the ED25519 key sent by the remote host is',
      'SHA256:NEWnewNEWnewNEWnewNEWnewNEWnewNEWnewNEWnew12.',
      'Please contact your system administrator.',
      'Add correct host key in /home/u/.config/tidemark/known_hosts to get rid of this message.',
      'Offending ED25519 key in /home/u/.config/tidemark/known_hosts:3',
      'Host key verification failed.',
      '',
    ].join('\n'),
    verdict: 'halt',
    reason: /^the host key has CHANGED since it was pinned: pinned SHA256:OLD at \/home\/u\/\.config\/tidemark\/known_hosts:3, offered SHA256:NEWnewNEWnewNEWnewNEWnewNEWnewNEWnewNEWnew12\. .*tidemark pair USER@HOST --fingerprint SHA256:NEWnew/,
  },
  { description: 'an unknown host key under StrictHostKeyChecking=yes halts', stderr: 'No ED25519 host key is known for [127.0.0.1]:2222 and you have requested strict checking.\nHost key verification failed.\n', verdict: 'halt', reason: /not trusted/ },
  { description: 'a refused login retries', stderr: 'deploy@127.0.0.1: Permission denied (publickey).\n', verdict: 'retry', reason: /login was refused/ },
  { description: 'an unresolvable name retries', stderr: 'ssh: Could not resolve hostname web9: Name or service not known\n', verdict: 'retry', reason: /does not resolve/ },
  { description: 'a closed port retries', stderr: 'ssh: connect to host 127.0.0.1 port 2222: Connection refused\n', verdict: 'retry', reason: /connection was refused/ },
  { description: 'a silent network retries', stderr: 'ssh: connect to host 10.9.9.9 port 22: Connection timed out\n', verdict: 'retry', reason: /unreachable/ },
  { description: 'a dropped link retries', stderr: 'Connection closed by 127.0.0.1 port 2222\n', verdict: 'retry', reason: /dropped/ },
  { description: 'anything else retries, quoting ssh', stderr: 'ssh: something new went wrong\n', verdict: 'retry', reason: /ssh failed \(exit 255\): ssh: something new went wrong/ },
];

describe('classifySshFailure', () => {
  for (const c of cases) {
    it(c.description, () => {
      const failure = classifySshFailure(c.stderr, 255, (file, line) => `SHA256:OLD at ${file}:${line}`);
      expect(failure.verdict).toBe(c.verdict);
      expect(failure.reason).toMatch(c.reason);
    });
  }
});
