// One ssh2 connection for the steps that OpenSSH cannot do for us (DESIGN.md decision 3): read
// the host key before anything is trusted, and log in once with a password. The caller decides
// on the host key inside the handshake, so no password is ever sent to a server not accepted.
import net from 'node:net';
import { Client, type AuthenticationType, type NextAuthHandler } from 'ssh2';
import { classifyConnectFailure, notSshFailure, type ConnectAttempt } from './connect-failure';
import { HOST_KEY_ALGORITHMS, parseHostKey, type HostKey } from './host-key';
import { failed, type PairingStep, type StepFailure } from './step-result';

export interface Ssh2ConnectOptions {
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
  readonly timeoutMs: number;
  /** Decides on the server's host key during the handshake: true to go on. */
  readonly acceptHostKey: (hostKey: HostKey) => boolean;
  /** The password to log in with; without one, nothing past the host key is needed. */
  readonly password?: string;
  /** The step a connection failure is reported as. */
  readonly step: PairingStep;
}

export type Ssh2Connection =
  | { readonly kind: 'ready'; readonly client: Client; readonly hostKey: HostKey }
  | { readonly kind: 'host-key-declined'; readonly hostKey: HostKey }
  | StepFailure;

/** How much a server may send before its "SSH-" line: OpenSSH allows lines of text, not a stream. */
const MAX_GREETING_BYTES = 8192;

export function connectSsh2(options: Ssh2ConnectOptions): Promise<Ssh2Connection> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: options.hostname, port: options.port });
    const client = new Client();
    let connected = false;
    let greeting = '';
    let sawSshGreeting = false;
    let hostKey: HostKey | undefined;
    let auth: 'none-sent' | 'password-sent' | 'no-password-login' | 'wrong-password' | undefined;
    let settled = false;

    const attempt = (extra: Partial<ConnectAttempt> = {}): ConnectAttempt => ({
      hostname: options.hostname, port: options.port, timeoutMs: options.timeoutMs, connected, sawSshGreeting, greeting, timedOut: false, ...extra,
    });
    const settle = (result: Ssh2Connection) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (result.kind !== 'ready') {
        client.end();
        socket.destroy();
      }
      resolve(result);
    };
    const timer = setTimeout(() => settle(classifyConnectFailure(options.step, attempt({ timedOut: true }))), options.timeoutMs);

    socket.on('connect', () => (connected = true));
    const watchGreeting = (chunk: Buffer) => {
      greeting += chunk.toString('latin1');
      if (/(^|\n)SSH-/.test(greeting)) {
        sawSshGreeting = true;
        socket.off('data', watchGreeting);
      } else if (greeting.length > MAX_GREETING_BYTES) {
        settle(notSshFailure(options.step, attempt()));
      }
    };
    socket.on('data', watchGreeting);

    client.on('ready', () => {
      if (hostKey) settle({ kind: 'ready', client, hostKey });
    });
    client.on('error', (error: Error & { level?: unknown; code?: unknown }) => {
      if (error.level === 'client-authentication') {
        const target = `${options.user}@${options.hostname} port ${options.port}`;
        if (auth === 'no-password-login') {
          settle(failed('authenticate', 'no-password-login', `${target} does not accept password logins`, 'Install the key another way (ask the server\'s administrator to add the public key to ~/.ssh/authorized_keys), or allow PasswordAuthentication in sshd_config for the time of pairing.'));
        } else {
          settle(failed('authenticate', 'wrong-password', `${target} refused the password`, 'Check the user name and the password (they are case-sensitive) and try again.'));
        }
        return;
      }
      settle(classifyConnectFailure(options.step, attempt({ error })));
    });
    client.on('close', () => settle(classifyConnectFailure(options.step, attempt())));

    client.connect({
      sock: socket,
      username: options.user,
      // Our own timer bounds the step; ssh2's is only a backstop.
      readyTimeout: options.timeoutMs + 1000,
      tryKeyboard: false,
      algorithms: { serverHostKey: [...HOST_KEY_ALGORITHMS] },
      hostVerifier: (blob: Buffer, verify: (valid: boolean) => void) => {
        const parsed = parseHostKey(blob);
        if (parsed instanceof Error) {
          settle(failed(options.step, 'not-ssh', `${options.hostname} port ${options.port} sent a host key Tidemark cannot read: ${parsed.message}`, 'Check that this is the SSH server you mean.'));
          verify(false);
          return;
        }
        hostKey = parsed;
        const accepted = options.acceptHostKey(parsed);
        if (!accepted) settle({ kind: 'host-key-declined', hostKey: parsed });
        verify(accepted);
      },
      // OpenSSH's order: ask with "none" for the methods the server offers, and send the
      // password only to a server that offers password logins, once.
      authHandler: (methodsLeft: AuthenticationType[] | null, _partial: boolean, next: NextAuthHandler) => {
        if (auth === undefined) {
          auth = 'none-sent';
          return next({ type: 'none', username: options.user });
        }
        const offersPassword = Array.isArray(methodsLeft) && methodsLeft.includes('password');
        if (auth === 'none-sent' && offersPassword && options.password !== undefined) {
          auth = 'password-sent';
          return next({ type: 'password', username: options.user, password: options.password });
        }
        auth = auth === 'password-sent' ? 'wrong-password' : 'no-password-login';
        // ssh2 reads false as "no method left" and fails with level client-authentication;
        // @types/ssh2 leaves false out of NextAuthHandler's parameter.
        return next(false as unknown as AuthenticationType);
      },
    });
  });
}
