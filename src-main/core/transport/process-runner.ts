import { spawn, type ChildProcess } from 'node:child_process';

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
  /**
   * Takes stdout as it arrives (latin1 chunks, so no byte is split), instead of the result:
   * stdout then comes back empty. For output read while the child runs (rsync's progress).
   */
  readonly onStdout?: (chunk: string) => void;
}

/** Runs one program with argv (never a shell string) and returns its result as data. */
export interface ProcessRunner {
  run(file: string, args: readonly string[], options?: RunOptions): Promise<ProcessResult>;
}

/**
 * A bare child_process runner, used for every rsync and ssh of a sync: it started about 3 ms
 * sooner than execa per batch when measured (docs/decisions.md), and rsync runs per batch.
 * It knows its children, so that a daemon told to stop (TERM) can start none after that and end
 * those still running: a hung rsync, an ssh that cannot connect, would otherwise hold the exit.
 */
export class ChildProcesses implements ProcessRunner {
  readonly #running = new Set<ChildProcess>();
  #refusing = false;

  /** How many children are running now. */
  get running(): number {
    return this.#running.size;
  }

  run(file: string, args: readonly string[], options: RunOptions = {}): Promise<ProcessResult> {
    // Stopping: nothing starts, and the caller reads it as a child ended by TERM (a retry later).
    if (this.#refusing) return Promise.resolve({ exitCode: null, signal: 'SIGTERM', stdout: '', stderr: `${file} not started: stopping` });
    return new Promise((resolve) => {
      const child = spawn(file, args, {
        cwd: options.cwd,
        env: options.env ? { ...process.env, ...options.env } : process.env,
        stdio: ['pipe', 'pipe', 'pipe'],
      });
      this.#running.add(child);
      const stdout: Buffer[] = [];
      const stderr: Buffer[] = [];
      let spawnError: string | undefined;
      const onStdout = options.onStdout;
      if (onStdout) child.stdout.setEncoding('latin1').on('data', onStdout);
      else child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
      child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
      child.stdin.on('error', () => undefined); // a child that exits early closes its stdin: its exit code tells why
      child.on('error', (error) => (spawnError = error.message));
      child.on('close', (code, signal) => {
        this.#running.delete(child);
        resolve({
          exitCode: code,
          signal,
          stdout: Buffer.concat(stdout).toString(options.stdoutEncoding ?? 'utf8'),
          stderr: Buffer.concat(stderr).toString('utf8'),
          ...(spawnError ? { spawnError } : {}),
        });
      });
      child.stdin.end(options.input ?? Buffer.alloc(0));
    });
  }

  /** From now on no child starts: run() answers at once as if the child had been ended by TERM. */
  refuseNew(): void {
    this.#refusing = true;
  }

  /** Ends every child still running: TERM now, KILL a second later for one that ignores it. Returns how many. */
  endAll(): number {
    const children = [...this.#running];
    for (const child of children) child.kill('SIGTERM');
    if (children.length > 0) {
      setTimeout(() => {
        for (const child of children) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      }, 1000).unref();
    }
    return children.length;
  }
}

/** The runner of the tests and one-shot commands; `tidemark run` makes its own (run-daemon.ts). */
export const spawnRunner: ProcessRunner = new ChildProcesses();
