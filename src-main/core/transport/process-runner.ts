import { execa } from 'execa';

export interface ProcessResult {
  readonly exitCode: number | null;
  readonly signal: string | null;
  readonly stdout: string;
  readonly stderr: string;
  /** Set when the program could not be started at all (not found, not executable). */
  readonly spawnError?: string;
}

/** Runs one program with argv (never a shell string) and returns its result as data. */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options?: { input?: Buffer; env?: Record<string, string>; cwd?: string }): Promise<ProcessResult>;
}

export const execaRunner: ProcessRunner = {
  async run(file, args, options = {}) {
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
