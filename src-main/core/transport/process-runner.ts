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
}

/** Runs one program with argv (never a shell string) and returns its result as data. */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
}

/** execa, for everything off the hot path. Loaded on demand: it costs ~15 MB of resident memory. */
export const execaRunner: ProcessRunner = {
  async run(file, args, options = {}) {
    const { execa } = await import('execa');
    const result = await execa(file, args, {
      input: options.input ?? Buffer.alloc(0),
      env: options.env,
      cwd: options.cwd,
      reject: false,
      stripFinalNewline: false,
      encoding: 'utf8',
      maxBuffer: 64 * 1024 * 1024,
    });
    const spawnError = result.failed && result.exitCode === undefined && !result.signal ? result.shortMessage : undefined;
    return {
      exitCode: result.exitCode ?? null,
      signal: result.signal ?? null,
      stdout: String(result.stdout ?? ''),
      stderr: String(result.stderr ?? ''),
      ...(spawnError ? { spawnError } : {}),
    };
  },
};

/**
 * A bare child_process runner for the per-batch rsync: it starts about 3 ms sooner than execa,
 * which is a third of the whole latency budget for a small file (DESIGN.md, latency).
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
          stdout: Buffer.concat(stdout).toString('utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          ...(spawnError ? { spawnError } : {}),
        }),
      );
      child.stdin.end(options.input ?? Buffer.alloc(0));
    });
  },
};
