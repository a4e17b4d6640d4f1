// One engine per profile on the machine: a lock file in the state directory holds the PID of
// the process that runs it. A second face, or `tidemark run` on the same profile, is refused
// with that PID; a lock whose process is gone is taken over.
import { createHash } from 'node:crypto';
import { mkdir, open, readFile, rm } from 'node:fs/promises';
import { realpathSync } from 'node:fs';
import { join, resolve } from 'node:path';

export class ProfileLockedError extends Error {
  override name = 'ProfileLockedError';
  constructor(readonly what: string, readonly pid: number) {
    super(`${what} is already running in process ${pid} (another Tidemark window, tidemark ui or tidemark run): stop that one first, or use it`);
  }
}

export interface ProfileLock {
  readonly file: string;
  release(): Promise<void>;
}

/** The lock file of a profile, or of an lsyncd config file (named by its path's hash). */
export function lockFileFor(locksDir: string, what: { readonly profile: string } | { readonly configFile: string }): string {
  if ('profile' in what) return join(locksDir, `profile-${what.profile}.lock`);
  return join(locksDir, `config-${createHash('sha256').update(what.configFile).digest('hex').slice(0, 24)}.lock`);
}

/** A config file as the lock names it: its real path, so two spellings of one file are one engine. */
export function realPathOf(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return resolve(path);
  }
}

/** Whether a process of that PID exists (EPERM: it does, owned by someone else). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes the lock, or throws ProfileLockedError naming the process that holds it. */
export async function acquireProfileLock(file: string, what: string, pid: number = process.pid): Promise<ProfileLock> {
  await mkdir(join(file, '..'), { recursive: true, mode: 0o700 });
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const handle = await open(file, 'wx', 0o600);
      await handle.writeFile(`${pid}\n`);
      await handle.close();
      return {
        file,
        release: async () => {
          // Only our own lock: a takeover after we were thought dead must not be undone by us.
          if ((await readPid(file)) === pid) await rm(file, { force: true });
        },
      };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await readPid(file);
      if (holder !== null && holder !== pid && processAlive(holder)) throw new ProfileLockedError(what, holder);
      await rm(file, { force: true }); // stale: its process is gone (or the file is torn)
    }
  }
  throw new Error(`cannot take the lock ${file}: it keeps coming back`);
}

async function readPid(file: string): Promise<number | null> {
  try {
    const pid = Number.parseInt(await readFile(file, 'utf8'), 10);
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}
