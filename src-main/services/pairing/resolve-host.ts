// Which machine, port and user a host name means, as OpenSSH resolves it (`ssh -G`): the
// aliases of ~/.ssh/config, their HostName, Port and User, and Match blocks. Pairing connects
// where ssh will connect later, so the key it pins is the key ssh will check.
import { parseSshG } from '../../core/transport/ssh-resolve-parse';
import { runBounded } from './bounded-run';
import { failed, type StepResult } from './step-result';

export interface HostRequest {
  /** As the person typed it: an ssh_config alias or a host name. */
  readonly host: string;
  /** Overrides the config's Port when given. */
  readonly port?: number;
  /** Overrides the config's User when given. */
  readonly user?: string;
  /** The ssh program and options to resolve with (default ['ssh']; tests pass -F CONFIG). */
  readonly sshCommand?: readonly string[];
}

export interface ResolvedTarget {
  /** What the person typed. */
  readonly alias: string;
  /** Where to connect, after the config's HostName. */
  readonly hostname: string;
  readonly port: number;
  readonly user: string;
}

/** Checks a host request before any program sees it: a name, a port in range, a plain user. */
export function checkHostRequest(request: HostRequest): string | null {
  if (!/^[A-Za-z0-9_.:%[\]-]+$/.test(request.host) || request.host.startsWith('-')) return `'${request.host}' is not a host name or address`;
  if (request.port !== undefined && (!Number.isInteger(request.port) || request.port < 1 || request.port > 65535)) return `${request.port} is not a port (1 to 65535)`;
  if (request.user !== undefined && (!/^[A-Za-z0-9_.@-]+$/.test(request.user) || request.user.startsWith('-'))) return `'${request.user}' is not a user name`;
  return null;
}

export async function resolveHost(request: HostRequest, timeoutMs: number): Promise<StepResult<{ readonly target: ResolvedTarget }>> {
  const problem = checkHostRequest(request);
  if (problem) return failed('connect', 'bad-request', problem, 'Give the server as USER@HOST or HOST, with :PORT if it is not 22.');
  const [program = 'ssh', ...options] = request.sshCommand ?? ['ssh'];
  const argv = [
    program,
    '-G',
    ...options,
    ...(request.port !== undefined ? ['-p', String(request.port)] : []),
    ...(request.user !== undefined ? ['-l', request.user] : []),
    '--',
    request.host,
  ];
  const run = await runBounded(argv, { timeoutMs });
  const fix = 'Check ~/.ssh/config (run: ssh -G HOST), or give the server by its address.';
  if (run.spawnError) return failed('connect', 'ssh-config', `ssh could not be started to read the ssh config: ${run.spawnError}`, 'Install the OpenSSH client (Debian: apt install openssh-client).');
  if (run.timedOut) return failed('connect', 'timeout', `ssh -G ${request.host} did not finish in ${timeoutMs} ms`, fix);
  if (run.exitCode !== 0) return failed('connect', 'ssh-config', `ssh cannot resolve ${request.host}: ${lastLine(run.stderr)}`, fix);
  try {
    const resolved = parseSshG(run.stdout);
    if (resolved.proxyJump) {
      return failed('connect', 'proxy-jump', `${request.host} is reached through ProxyJump ${resolved.proxyJump}, which pairing cannot follow yet`, 'Pair the jump host first, or pair with the server\'s own address from a machine that reaches it.');
    }
    return { kind: 'ok', target: { alias: request.host, hostname: resolved.hostname, port: resolved.port, user: resolved.user } };
  } catch (error) {
    return failed('connect', 'ssh-config', `ssh -G ${request.host} printed what Tidemark cannot read: ${(error as Error).message}`, fix);
  }
}

function lastLine(text: string): string {
  return text.trim().split('\n').filter(Boolean).at(-1) ?? 'no message';
}
