import { spawn } from 'node:child_process';

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started at all (not found, not executable). */
  readonly spawnError?: string;
}

export interface RunOptions {
  readonly input?: Buffer;
  readonly env?: Record<string, string>;
  readonly cwd?: string;
  /** latin1 keeps every byte of stdout as one char: for output that carries file names. */
  readonly stdoutEncoding?: 'utf8' | 'latin1';
}

/** Runs one program with argv (never a shell string) and returns its result as data. */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
}

/**
 * A bare child_process runner, used for every rsync and ssh of a sync: it started about 3 ms
 * sooner than execa per batch when measured (docs/decisions.md), and rsync runs per batch.
 */
export const spawnRunner: ProcessRunner = {
  run(file, args, options = {}) {
    return new Promise((resolve) => {
      const child = spawn(file, args, {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let spawnError: string | undefined;
      child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdin.on('error', () => undefined); // a child that exits early closes its stdin: its exit code tells why
      child.on('error', (error) => (spawnError = error.message));
      child.on('close', (code, signal) =>
        resolve({
          exitCode: code,
          signal,
          stdout: Buffer.concat(stdout).toString(options.stdoutEncoding ?? 'utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          ...(spawnError ? { spawnError } : {}),
        }),
      );
      child.stdin.end(options.input ?? Buffer.alloc(0));
    });
  },
};
