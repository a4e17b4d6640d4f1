import { describe, expect, it } from 'vitest';
import { classifyConnectFailure, type ConnectAttempt } from '../../../src-main/services/pairing/connect-failure';
import type { FailureCause } from '../../../src-main/services/pairing/step-result';

/** An attempt on web:2222 that got nowhere, with the fields a case changes. */
const attempt = (over: Partial<ConnectAttempt>): ConnectAttempt => ({ hostname: 'web', port: 2222, timeoutMs: 5000, connected: false, sawSshGreeting: false, greeting: '', timedOut: false, ...over });
const err = (code: string, message = code) => ({ code, message });

const cases: { description: string; attempt: ConnectAttempt; cause: FailureCause; reason: string }[] = [
  { description: 'a name that does not resolve', attempt: attempt({ error: err('ENOTFOUND', 'getaddrinfo ENOTFOUND web') }), cause: 'unresolved', reason: 'the host name web does not resolve' },
  { description: 'a temporary resolver failure', attempt: attempt({ error: err('EAI_AGAIN') }), cause: 'unresolved', reason: 'the host name web does not resolve' },
  { description: 'a refused connection', attempt: attempt({ error: err('ECONNREFUSED') }), cause: 'refused', reason: 'web port 2222 refused the connection: no SSH server listens there' },
  { description: 'no route to the host', attempt: attempt({ error: err('EHOSTUNREACH') }), cause: 'unreachable', reason: 'web port 2222 cannot be reached from this machine (no route to it)' },
  { description: 'an unreachable network', attempt: attempt({ error: err('ENETUNREACH') }), cause: 'unreachable', reason: 'web port 2222 cannot be reached from this machine (no route to it)' },
  { description: 'the kernel gave up connecting', attempt: attempt({ error: err('ETIMEDOUT') }), cause: 'timeout', reason: 'web port 2222 did not answer the connection' },
  { description: 'our bound passed before the connection was made', attempt: attempt({ timedOut: true }), cause: 'timeout', reason: 'web port 2222 did not answer within 5 s' },
  { description: 'connected, but no greeting within the bound', attempt: attempt({ timedOut: true, connected: true }), cause: 'timeout', reason: 'web port 2222 accepted the connection but sent no SSH greeting within 5 s' },
  { description: 'a handshake too slow', attempt: attempt({ timedOut: true, connected: true, sawSshGreeting: true, greeting: 'SSH-2.0-x\r\n' }), cause: 'timeout', reason: 'the SSH handshake with web port 2222 did not finish within 5 s' },
  { description: 'ssh2 timed out first', attempt: attempt({ connected: true, error: { level: 'client-timeout', message: 'Timed out while waiting for handshake' } }), cause: 'timeout', reason: 'web port 2222 accepted the connection but sent no SSH greeting within 5 s' },
  { description: 'a server speaking something else', attempt: attempt({ connected: true, greeting: 'HTTP/1.1 400 Bad Request\r\n\r\n', error: { level: 'protocol', message: 'Connection lost before handshake' } }), cause: 'not-ssh', reason: 'web port 2222 answered, but not as an SSH server (it said "HTTP/1.1 400 Bad Request")' },
  { description: 'control bytes are never quoted raw', attempt: attempt({ connected: true, greeting: '\x1b[31mhi\x00' }), cause: 'not-ssh', reason: 'web port 2222 answered, but not as an SSH server (it said "?[31mhi?")' },
  { description: 'a server closing at once', attempt: attempt({ connected: true, error: { level: 'protocol', message: 'Connection lost before handshake' } }), cause: 'dropped', reason: 'web port 2222 closed the connection without a word' },
  { description: 'a connection lost mid-handshake', attempt: attempt({ connected: true, sawSshGreeting: true, greeting: 'SSH-2.0-x', error: err('ECONNRESET', 'read ECONNRESET') }), cause: 'dropped', reason: 'the connection to web port 2222 broke during the SSH handshake: read ECONNRESET' },
];

describe('classifyConnectFailure', () => {
  for (const c of cases) {
    it(c.description, () => {
      const failure = classifyConnectFailure('connect', c.attempt);
      expect(failure).toMatchObject({ kind: 'failed', step: 'connect', cause: c.cause, reason: c.reason });
      expect(failure.fix.length).toBeGreaterThan(10);
    });
  }
});
