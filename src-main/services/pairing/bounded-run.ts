// Runs one program (argv, never a shell string) for a pairing step, within the step's time:
// past it the child gets TERM, and KILL a second later if it ignores that.
import { spawn } from 'node:child_process';

export interface BoundedRun {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly timedOut: boolean;
  /** Set when the program could not be started at all. */
  readonly spawnError?: string;
}

export interface BoundedRunOptions {
  readonly timeoutMs: number;
  readonly input?: string;
  readonly env?: Readonly<Record<string, string>>;
}

const KILL_GRACE_MS = 1000;

export function runBounded(argv: readonly string[], options: BoundedRunOptions): Promise<BoundedRun> {
  const [file, ...args] = argv;
  if (!file) throw new TypeError('runBounded needs a program to run');
  return new Promise((resolve) => {
    const child = spawn(file, args, { env: options.env ? { ...process.env, ...options.env } : process.env, stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    let timedOut = false;
    let spawnError: string | undefined;
    let hardKill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      child.kill('SIGTERM');
      hardKill = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    }, options.timeoutMs);
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.stdin.on('error', () => undefined); // a child that exits early closes its stdin: its exit code tells why
    child.on('error', (error) => (spawnError = error.message));
    child.on('close', (exitCode, signal) => {
      clearTimeout(timer);
      clearTimeout(hardKill);
      resolve({
        exitCode,
        signal,
        stdout: Buffer.concat(stdout).toString('utf8'),
        stderr: Buffer.concat(stderr).toString('utf8'),
        timedOut,
        ...(spawnError ? { spawnError } : {}),
      });
    });
    child.stdin.end(options.input ?? '');
  });
}
