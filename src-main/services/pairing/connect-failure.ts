// Why a connection to a server came to nothing, from what the socket and ssh2 reported: one
// table, so each failure says what happened and what to do. Pure: no I/O.
import { failed, type FailureCause, type PairingStep, type StepFailure } from './step-result';

export interface ConnectAttempt {
  readonly hostname: string;
  readonly port: number;
  readonly timeoutMs: number;
  /** Whether the TCP connection was made. */
  readonly connected: boolean;
  /** Whether the server sent an SSH identification line ("SSH-2.0-..."). */
  readonly sawSshGreeting: boolean;
  /** The first bytes the server sent, for a server that is not SSH. */
  readonly greeting: string;
  readonly timedOut: boolean;
  /** The socket's or ssh2's error, if any: its errno code and ssh2 level. */
  readonly error?: { readonly code?: unknown; readonly level?: unknown; readonly message: string };
}

interface Rule {
  readonly codes: readonly string[];
  readonly cause: FailureCause;
  readonly reason: (a: ConnectAttempt) => string;
  readonly fix: string;
}

const where = (a: ConnectAttempt) => `${a.hostname} port ${a.port}`;

/** Failures the operating system names by errno, before any SSH is spoken. */
const SOCKET_RULES: readonly Rule[] = [
  { codes: ['ENOTFOUND', 'EAI_NONAME', 'EAI_AGAIN', 'EAI_FAIL', 'EAI_NODATA'], cause: 'unresolved', reason: (a) => `the host name ${a.hostname} does not resolve`, fix: 'Check the spelling of the host name, or give the server\'s IP address.' },
  { codes: ['ECONNREFUSED'], cause: 'refused', reason: (a) => `${where(a)} refused the connection: no SSH server listens there`, fix: 'Check the port (SSH uses 22 unless the server was set up otherwise) and that the SSH server runs (systemctl status ssh).' },
  { codes: ['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN', 'EADDRNOTAVAIL'], cause: 'unreachable', reason: (a) => `${where(a)} cannot be reached from this machine (no route to it)`, fix: 'Check the address, that the server is on, and the network or VPN between here and there.' },
  { codes: ['ETIMEDOUT'], cause: 'timeout', reason: (a) => `${where(a)} did not answer the connection`, fix: 'Check the address, that the server is on, and that no firewall drops SSH on the way.' },
];

/** A printable excerpt of what a non-SSH server sent: never raw control bytes in a message. */
function excerpt(greeting: string): string {
  const line = greeting.split(/\r?\n/)[0] ?? '';
  const printable = line.replace(/[^\x20-\x7e]/g, '?');
  return printable.length > 60 ? `${printable.slice(0, 60)}...` : printable;
}

export function notSshFailure(step: PairingStep, a: ConnectAttempt): StepFailure {
  const said = excerpt(a.greeting);
  return failed(
    step,
    'not-ssh',
    `${where(a)} answered, but not as an SSH server${said ? ` (it said "${said}")` : ''}`,
    'Check the port: another service (a web server, say) listens there. SSH uses 22 unless the server was set up otherwise.',
  );
}

export function classifyConnectFailure(step: PairingStep, a: ConnectAttempt): StepFailure {
  const code = typeof a.error?.code === 'string' ? a.error.code : '';
  const rule = SOCKET_RULES.find((r) => r.codes.includes(code));
  if (rule) return failed(step, rule.cause, rule.reason(a), rule.fix);
  if (a.connected && !a.sawSshGreeting && a.greeting !== '') return notSshFailure(step, a);
  if (a.timedOut || a.error?.level === 'client-timeout') {
    const seconds = `${Math.round(a.timeoutMs / 100) / 10} s`;
    if (!a.connected) return failed(step, 'timeout', `${where(a)} did not answer within ${seconds}`, 'Check the address, that the server is on, and that no firewall drops SSH on the way; or allow more time.');
    if (!a.sawSshGreeting) return failed(step, 'timeout', `${where(a)} accepted the connection but sent no SSH greeting within ${seconds}`, 'Check the port: the service there may not be SSH, or the server is overloaded. Try again, or allow more time.');
    return failed(step, 'timeout', `the SSH handshake with ${where(a)} did not finish within ${seconds}`, 'The server or the network is slow: try again, or allow more time.');
  }
  if (!a.connected) return failed(step, 'unreachable', `cannot connect to ${where(a)}: ${a.error?.message ?? 'no reason given'}`, 'Check the address and the network between here and there.');
  if (!a.sawSshGreeting) {
    return failed(step, 'dropped', `${where(a)} closed the connection without a word`, 'The server may refuse this machine (a firewall, TCP wrappers, sshd\'s MaxStartups), or it is not an SSH server: check the port and the server\'s log.');
  }
  return failed(step, 'dropped', `the connection to ${where(a)} broke during the SSH handshake${a.error ? `: ${a.error.message}` : ''}`, 'Try again; if it keeps failing, the server\'s log (journalctl -u ssh) says why.');
}
