import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, chmodSync, lstatSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { masterArgv, type SshEndpoint } from './ssh-argv';
import { classifySshFailure, type SshFailure } from './ssh-failure';
import { readPinnedFingerprint } from './pinned-key';

export interface SshMasterOptions {
  readonly endpoint: SshEndpoint;
  /** Where control sockets live; created 0700. */
  readonly runtimeDir: string;
  /** Names the socket; one master per target. */
  readonly id: string;
  /** How long a master may take to connect before the attempt counts as failed. */
  readonly connectTimeoutMs?: number;
  readonly env?: Record<string, string>;
}

/** The runtime directory for control sockets: $XDG_RUNTIME_DIR/tidemark, else /tmp/tidemark-UID. */
export function defaultRuntimeDir(): string {
  const base = process.env.XDG_RUNTIME_DIR;
  return base ? join(base, 'tidemark') : join(tmpdir(), `tidemark-${userInfo().uid}`);
}

/**
 * One OpenSSH master connection for one target, owned as a child process: started on demand,
 * checked before each use (alive, socket present), and started again after it died. Every
 * transfer and remote call of the target goes through its socket, so a batch costs no
 * handshake. `opened` counts the connections made, for the status and the benchmark.
 */
export class SshMaster {
  readonly controlPath: string;
  #child: ChildProcess | null = null;
  #starting: Promise<SshFailure | null> | null = null;
  #opened = 0;

  constructor(private readonly options: SshMasterOptions) {
    mkdirSync(options.runtimeDir, { recursive: true, mode: 0o700 });
    const owner = lstatSync(options.runtimeDir);
    if (!owner.isDirectory() || owner.uid !== userInfo().uid) throw new Error(`${options.runtimeDir} must be a directory of this user`);
    chmodSync(options.runtimeDir, 0o700);
    // Short and fixed: a socket path must fit in 108 bytes.
    const tag = createHash('sha256').update(`${options.id}\0${options.endpoint.host}`).digest('hex').slice(0, 12);
    this.controlPath = join(options.runtimeDir, `cm-${tag}`);
  }

  get opened(): number {
    return this.#opened;
  }

  /** Resolves null once the master serves its socket, or with why it cannot. */
  ensure(): Promise<SshFailure | null> {
    if (this.#alive()) return Promise.resolve(null);
    this.#starting ??= this.#start().finally(() => (this.#starting = null));
    return this.#starting;
  }

  /** Drops the master (after a failure that may have left it stale); the next use starts another. */
  reset(): void {
    this.#child?.kill('SIGTERM');
    this.#child = null;
  }

  async close(): Promise<void> {
    const child = this.#child;
    this.#child = null;
    if (child && child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      child.kill('SIGTERM');
      await exited;
    }
    rmSync(this.controlPath, { force: true });
  }

  #alive(): boolean {
    const child = this.#child;
    return child !== null && child.exitCode === null && child.signalCode === null && existsSync(this.controlPath);
  }

  async #start(): Promise<SshFailure | null> {
    this.reset();
    rmSync(this.controlPath, { force: true });
    const [file, ...args] = masterArgv(this.options.endpoint, this.controlPath);
    const child = spawn(file!, args, {
      stdio: ['ignore', 'ignore', 'pipe'],
      env: this.options.env ? { ...process.env, ...this.options.env } : process.env,
    });
    this.#child = child;
    this.#opened += 1;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr = (stderr + chunk.toString()).slice(-4000)));
    const exited = new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.once('error', (error) => {
        stderr += `\n${error.message}`;
        resolve();
      });
    });
    const deadline = Date.now() + (this.options.connectTimeoutMs ?? 20_000);
    for (;;) {
      if (this.#alive()) return null;
      const gone = child.exitCode !== null || child.signalCode !== null || child.pid === undefined;
      if (gone || Date.now() > deadline) {
        if (!gone) child.kill('SIGTERM');
        await exited;
        if (this.#child === child) this.#child = null;
        return classifySshFailure(stderr, gone ? child.exitCode : null, readPinnedFingerprint);
      }
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  }
}
