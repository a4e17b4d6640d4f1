import { spawn } from 'node:child_process';

export const DETACHED_ENV = 'TIDEMARK_DETACHED';

/** Whether this process is the detached daemon that `detach` started. */
export function isDetachedChild(): boolean {
  return process.env[DETACHED_ENV] === '1';
}

/**
 * Detaches as lsyncd does without -nodaemon: the same command runs again in a new session with
 * no terminal, and this process returns at once. The config was already checked, so errors
 * reach the user's terminal before the fork, never after it.
 */
export function detach(argv: readonly string[]): number {
  const entry = process.argv[1];
  if (!entry) throw new Error('cannot find the tidemark entry script to detach');
  const child = spawn(process.execPath, [...process.execArgv, entry, ...argv], {
    detached: true,
    stdio: 'ignore',
    env: { ...process.env, [DETACHED_ENV]: '1' },
  });
  child.unref();
  return child.pid ?? 0;
}
