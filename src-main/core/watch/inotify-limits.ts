import { readFile } from 'node:fs/promises';

const limitFile = '/proc/sys/fs/inotify/max_user_watches';

export async function readWatchLimit(): Promise<number | null> {
  try {
    return Number((await readFile(limitFile, 'utf8')).trim());
  } catch {
    return null;
  }
}

/** The advice a user needs when a tree has more directories than inotify allows. */
export function watchLimitAdvice(dirCount: number, limit: number): string {
  const suggested = Math.max(524288, 2 ** Math.ceil(Math.log2(dirCount * 2)));
  return (
    `the source has ${dirCount} directories but inotify allows ${limit} watches per user ` +
    `(${limitFile}). Raise it with: sudo sysctl fs.inotify.max_user_watches=${suggested} ` +
    `(and add it to /etc/sysctl.d/ to keep it), or set watcher = "poll" in the sync{} to poll instead.`
  );
}
