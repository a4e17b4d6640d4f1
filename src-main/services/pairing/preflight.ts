// Step "preflight": over ssh with the key (as the sync will connect), whether the server can be
// a target: rsync is there (and which version), the target directory exists or can be made and
// is writable (a probe file is created and removed), and how much room it has. The caller gives
// the ssh command that reaches the server by key (its options, the agent's socket in env).
import { classifySshFailure } from '../../core/transport/ssh-failure';
import { remoteCommand } from '../../core/transport/ssh-quote';
import { runBounded } from './bounded-run';
import { parsePreflightOutput, parseRsyncVersion, PREFLIGHT_SCRIPT, type PreflightProblem } from './preflight-script';
import { failed, stepTimeout, type StepFailure, type StepResult } from './step-result';

export interface PreflightRequest {
  /** A host name or an ssh_config alias: ssh resolves it. */
  readonly host: string;
  readonly port: number;
  readonly user: string;
  /** As the target will name it: absolute, relative to the home directory, or ~/... */
  readonly targetDir: string;
  /** ssh and its options to log in by key, e.g. ['ssh', '-o', 'UserKnownHostsFile=PINS', '-o', 'StrictHostKeyChecking=yes']. */
  readonly sshCommand: readonly string[];
  /** For ssh: SSH_AUTH_SOCK of the app's agent, for example. */
  readonly env?: Readonly<Record<string, string>>;
  /** The rsync program on the server (rsync's --rsync-path), default "rsync". */
  readonly rsyncPath?: string;
  readonly timeoutMs?: number;
}

export interface PreflightReport {
  /** "3.2.7", from rsync --version on the server. */
  readonly rsyncVersion: string;
  readonly rsyncProtocol: number | null;
  /** The target directory as the server resolves it (absolute, symlinks resolved). */
  readonly directory: string;
  /** Whether the preflight created the directory (it stays: the target lives there). */
  readonly created: boolean;
  /** Free space in the target's filesystem, for the user. */
  readonly freeBytes: number;
  readonly mountPoint: string;
}

export async function preflight(request: PreflightRequest): Promise<StepResult<PreflightReport>> {
  const timeoutMs = stepTimeout(request.timeoutMs);
  const rsyncPath = request.rsyncPath ?? 'rsync';
  const where = `${request.user}@${request.host}:${request.targetDir}`;
  if (request.targetDir === '' || request.targetDir.includes('\0')) return failed('preflight', 'bad-request', 'the target directory has no name', 'Give the directory the target should mirror into.');
  if (rsyncPath === '' || rsyncPath.startsWith('-') || rsyncPath.includes('\0')) return failed('preflight', 'bad-request', `'${rsyncPath}' is not a program path`, 'Give the path of rsync on the server, or leave it out.');
  const [program = 'ssh', ...options] = request.sshCommand;
  const argv = [
    program,
    // First, so the caller's options cannot turn them off: never prompt, never wait past the step.
    '-o', 'BatchMode=yes',
    '-o', `ConnectTimeout=${Math.max(1, Math.ceil(timeoutMs / 1000))}`,
    ...options,
    '-p', String(request.port),
    '-l', request.user,
    '--', request.host,
    remoteCommand(['sh', '-c', PREFLIGHT_SCRIPT, 'tidemark-preflight', rsyncPath, request.targetDir]),
  ];
  const run = await runBounded(argv, { timeoutMs, env: request.env });
  if (run.spawnError) return failed('preflight', 'ssh-failed', `ssh could not be started: ${run.spawnError}`, 'Install the OpenSSH client (Debian: apt install openssh-client).');
  if (run.timedOut) return failed('preflight', 'timeout', `the preflight on ${request.host} port ${request.port} did not finish within ${timeoutMs} ms`, 'The server or the network is slow, or the target is on a stalled network disk: try again, or allow more time.');
  if (run.exitCode === 255) return failed('preflight', 'ssh-failed', `cannot log in to ${request.user}@${request.host} port ${request.port} with the key: ${classifySshFailure(run.stderr, run.exitCode).reason}`, 'Pair the server again so the key is installed, then retry.');
  const output = parsePreflightOutput(run.stdout);
  if (output instanceof Error) return failed('preflight', 'remote-error', `the preflight on ${where} failed: ${output.message}${stderrTail(run.stderr)}`, 'The account may have no POSIX shell (sh, mkdir, df): check it on the server.');
  if (output.kind === 'problem') return problemFailure(output.problem, request, rsyncPath, stderrTail(run.stderr));
  const version = parseRsyncVersion(output.rsyncLine);
  if (!version) return failed('preflight', 'no-rsync', `${rsyncPath} on ${request.host} is not rsync (it says: ${output.rsyncLine || 'nothing'})`, 'Install rsync on the server (Debian: apt install rsync).');
  return { kind: 'ok', rsyncVersion: version.version, rsyncProtocol: version.protocol, directory: output.directory, created: output.created, freeBytes: output.availableKiB * 1024, mountPoint: output.mountPoint };
}

function problemFailure(problem: PreflightProblem, request: PreflightRequest, rsyncPath: string, said: string): StepFailure {
  const where = `${request.user}@${request.host}:${request.targetDir}`;
  switch (problem) {
    case 'no-rsync':
      return failed('preflight', 'no-rsync', `${rsyncPath} is not installed on ${request.host} (not found in the PATH of ${request.user})`, 'Install rsync on the server (Debian: apt install rsync), or give the path of its rsync.');
    case 'not-creatable':
      return failed('preflight', 'target-not-creatable', `the target directory ${where} does not exist and cannot be created${said}`, 'Create it on the server with the right owner, or choose a directory inside the user\'s home.');
    case 'not-directory':
      return failed('preflight', 'target-not-directory', `the target ${where} exists but is not a directory`, 'Choose another path, or remove what is there.');
    case 'not-writable':
      return failed('preflight', 'target-not-writable', `the target directory ${where} is not writable by ${request.user}${said}`, 'Give the user write access to it (chown or chmod on the server), or choose another directory.');
  }
}

/** The remote's last complaint, as ": message", or nothing. */
function stderrTail(stderr: string): string {
  const last = stderr.trim().split('\n').filter(Boolean).at(-1);
  return last ? `: ${last}` : '';
}
