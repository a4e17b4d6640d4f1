// Steps "authenticate" and "install-key": one ssh2 login with the password, on a server whose
// host key is the one the person confirmed (checked inside the handshake, so the password never
// reaches another server), then the public key appended to ~/.ssh/authorized_keys. The
// password goes to ssh2 only: never into argv, a message, a log or a file.
import type { ClientChannel } from 'ssh2';
import { remoteCommand } from '../../core/transport/ssh-quote';
import { INSTALL_EXIT, INSTALL_KEY_SCRIPT, KEY_ADDED, KEY_PRESENT } from './install-key-script';
import { parsePublicKeyLine } from './public-key-line';
import { connectSsh2 } from './ssh2-connect';
import { failed, stepTimeout, type StepResult } from './step-result';

export interface InstallKeyRequest {
  /** Where to connect: the resolved host name of the probe, not an ssh_config alias. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  readonly password: string;
  /** "ssh-ed25519 AAAA... comment", as authorized_keys holds it. */
  readonly publicKeyLine: string;
  /** The host key fingerprint the person confirmed (SHA256:...); any other is refused. */
  readonly expectedFingerprint: string;
  readonly timeoutMs?: number;
}

export interface InstalledKey {
  /** False when the key was there already: nothing was written. */
  readonly added: boolean;
}

/** Enough for the script's markers and a few lines of error; a chatty server is cut off. */
const MAX_OUTPUT = 64 * 1024;

export async function installPublicKey(request: InstallKeyRequest): Promise<StepResult<InstalledKey>> {
  const timeoutMs = stepTimeout(request.timeoutMs);
  const deadline = Date.now() + timeoutMs;
  const key = parsePublicKeyLine(request.publicKeyLine);
  if (key instanceof Error) return failed('install-key', 'bad-request', key.message, 'Generate the key pair again; the public key line is "TYPE BASE64 COMMENT".');
  const target = `${request.user}@${request.host} port ${request.port}`;
  const connection = await connectSsh2({
    hostname: request.host,
    port: request.port,
    user: request.user,
    password: request.password,
    timeoutMs,
    acceptHostKey: (hostKey) => hostKey.fingerprint === request.expectedFingerprint,
    step: 'authenticate',
  });
  if (connection.kind === 'host-key-declined') {
    const offered = connection.hostKey.fingerprint;
    return failed(
      'host-key',
      'host-key-changed',
      `${request.host} port ${request.port} offered host key ${offered}, not the ${request.expectedFingerprint} that was confirmed; the password was not sent`,
      'Someone may be intercepting the connection, or the server changed its key since it was probed. Probe it again and compare the fingerprint with the server\'s administrator.',
      { fingerprints: { expected: request.expectedFingerprint, offered } },
    );
  }
  if (connection.kind === 'failed') return connection;
  const { client } = connection;
  try {
    const run = await execWithin(client.exec.bind(client), remoteCommand(['sh', '-c', INSTALL_KEY_SCRIPT]), `${key.line}\n${key.keyText}\n`, deadline - Date.now());
    if (run.kind === 'timeout') return failed('install-key', 'timeout', `installing the key on ${target} did not finish within ${timeoutMs} ms`, 'The server is slow or its shell waits for input: try again, or allow more time.');
    if (run.kind === 'error') return failed('install-key', 'remote-error', `${target} would not run the install command: ${run.message}`, 'The account may have no shell (nologin) or only SFTP access: add the key there by hand.');
    const marker = run.stdout.split('\n').map((line) => line.trim()).find((line) => line === KEY_ADDED || line === KEY_PRESENT);
    if (run.code === 0 && marker) return { kind: 'ok', added: marker === KEY_ADDED };
    const meaning = (run.code !== null ? INSTALL_EXIT[run.code] : undefined) ?? `the install command failed${run.code === null ? '' : ` (exit ${run.code})`}`;
    const said = run.stderr.trim().split('\n').filter(Boolean).at(-1);
    return failed('install-key', 'remote-error', `${target}: ${meaning}${said ? `: ${said}` : ''}`, 'Check the permissions of the home directory and of ~/.ssh on the server, and that the disk there is not full.');
  } finally {
    client.end();
  }
}

type ExecRun = { kind: 'done'; code: number | null; stdout: string; stderr: string } | { kind: 'timeout' } | { kind: 'error'; message: string };
type Exec = (command: string, callback: (error: Error | undefined, channel: ClientChannel) => void) => unknown;

/** Runs one command over the connection, `input` on its stdin, within `timeoutMs`. */
function execWithin(exec: Exec, command: string, input: string, timeoutMs: number): Promise<ExecRun> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve({ kind: 'timeout' }), Math.max(1, timeoutMs));
    exec(command, (error, channel) => {
      if (error) {
        clearTimeout(timer);
        resolve({ kind: 'error', message: error.message });
        return;
      }
      let stdout = '';
      let stderr = '';
      let code: number | null = null;
      channel.on('data', (chunk: Buffer) => (stdout = (stdout + chunk.toString('utf8')).slice(-MAX_OUTPUT)));
      channel.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString('utf8')).slice(-MAX_OUTPUT)));
      channel.on('exit', (exitCode: unknown) => (code = typeof exitCode === 'number' ? exitCode : null));
      channel.on('close', () => {
        clearTimeout(timer);
        resolve({ kind: 'done', code, stdout, stderr });
      });
      channel.end(input);
    });
  });
}
