// Which filesystem a work dir is on, for the report, and where each filesystem pass works.
import { execFileSync } from 'node:child_process';
import { readFileSync, statfsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * tmpfs when there is room: both daemons' costs, not the disk's; else the OS temp dir.
 */
function tmpfsParent() {
  try {
    const { bavail, bsize } = statfsSync('/dev/shm');
    if (bavail * bsize >= 2 * 1024 ** 3) return '/dev/shm';
  } catch {
    // no /dev/shm here
  }
  return tmpdir();
}

/**
 * The passes of one bench run, each {key, parent}: `tmpfs` (/dev/shm), `disk` (a work dir under the
 * checkout, on the filesystem users' sources live on), or one `--work-dir` of the user's choosing.
 */
export function fsPasses(opts, repoRoot) {
  if (opts.workDir) return [{ key: 'custom', parent: opts.workDir }];
  return opts.fs.map((key) => ({ key, parent: key === 'disk' ? join(repoRoot, '.bench/work') : tmpfsParent() }));
}

/**
 * {type, source, label, noJournal}: the mount's type and device (findmnt), and for ext4 whether it
 * runs without a journal. Without one, ext4 skips inodes freed in the last minutes when it allocates
 * (fs/ext4/ialloc.c, recently_deleted: 60 s, 360 s while the inode table block is dirty), checking
 * them one by one: creating files right after deleting many costs ~1 ms of system time each.
 */
export function describeFs(dir) {
  let type = '?';
  let source = '?';
  try {
    [type, source] = execFileSync('findmnt', ['-n', '-o', 'FSTYPE,SOURCE', '-T', dir], { encoding: 'utf8', timeout: 5000 }).trim().split(/\s+/);
  } catch {
    // no findmnt: the label stays vague
  }
  let noJournal = false;
  if (type === 'ext4' && source.startsWith('/dev/')) {
    try {
      noJournal = readFileSync(`/sys/fs/ext4/${source.slice(5)}/journal_task`, 'utf8').trim() === '<none>';
    } catch {
      // no sysfs entry: assume a journal
    }
  }
  const label = type === 'tmpfs' ? 'tmpfs' : `${type} ${source}${noJournal ? ' (no journal)' : ''}`;
  return { type, source, label, noJournal };
}
