import { spawn } from 'node:child_process';
import type { EntryKind, RelPath } from '../../../src-shared/model/sync';

export interface ScannedEntry {
  readonly path: RelPath;
  readonly ino: number;
  readonly kind: EntryKind;
  /** Birth time (ms) where known (not from find): with `ino`, an identity that reuse cannot fake. */
  readonly born?: number;
}

export interface ScanOptions {
  /** Called for each entry; return true to leave a directory's subtree out (excluded dirs). */
  readonly prune?: (path: RelPath, kind: EntryKind) => boolean;
  /** Called every `progressEvery` entries, so long scans are never silent. */
  readonly onProgress?: (scanned: number) => void;
  readonly progressEvery?: number;
}

const kindOf: Record<string, EntryKind> = { f: 'file', d: 'dir', l: 'symlink' };

/**
 * Lists every entry below `root` with its inode, using find(1): one process streams a
 * NUL-separated list of 50,000 entries in a fraction of the time a stat per entry from JS
 * takes. Names stay raw bytes. Entries below pruned directories are dropped as they arrive.
 * Each entry goes to `onEntry` as find prints it, so no list of the whole tree is ever held
 * (on 60,000 entries that list was the daemon's peak memory); resolves with the count.
 */
export function scanTree(root: string, onEntry: (entry: ScannedEntry) => void, options: ScanOptions = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn('find', [root, '-mindepth', '1', '-printf', '%i %y %P\\0'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let count = 0;
    const pruned: RelPath[] = [];
    let pending: Buffer = Buffer.alloc(0);
    let stderr = '';
    const every = options.progressEvery ?? 5000;

    // A record is read in place from the chunk (offsets, no subarray per entry) and its inode
    // parsed digit by digit: on 60,000 entries the views and strings made per record were ~7 MB
    // of garbage during the startup scan, when the daemon's memory peaks.
    const accept = (buf: Buffer, start: number, end: number) => {
      let ino = 0;
      let i = start;
      for (; i < end; i++) {
        const c = buf[i]!;
        if (c === 0x20) break;
        ino = ino * 10 + (c - 0x30);
      }
      const firstSpace = i;
      // Past 2^53 the sum above rounds differently from lstat's number: parse as Number() does.
      if (firstSpace - start > 15) ino = Number(buf.toString('latin1', start, firstSpace));
      const secondSpace = buf.indexOf(0x20, firstSpace + 1);
      if (firstSpace >= end || secondSpace < 0 || secondSpace >= end) return;
      const path: RelPath = buf.toString('latin1', secondSpace + 1, end);
      if (pruned.some((dir) => path.startsWith(`${dir}/`))) return;
      const kind = secondSpace === firstSpace + 2 ? (kindOf[String.fromCharCode(buf[firstSpace + 1]!)] ?? 'other') : 'other';
      if (options.prune?.(path, kind)) {
        if (kind === 'dir') pruned.push(path);
        return;
      }
      onEntry({ path, ino, kind });
      count += 1;
      if (count % every === 0) options.onProgress?.(count);
    };

    child.stdout.on('data', (chunk: Buffer) => {
      pending = pending.length ? Buffer.concat([pending, chunk]) : chunk;
      let start = 0;
      for (let end = pending.indexOf(0, start); end >= 0; end = pending.indexOf(0, start)) {
        accept(pending, start, end);
        start = end + 1;
      }
      pending = pending.subarray(start);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      // find exits 1 when an entry vanished mid-scan; the watcher reports what changed since.
      const onlyVanished = stderr.split('\n').filter(Boolean).every((line) => line.includes('No such file or directory'));
      if (code === 0 || (code === 1 && onlyVanished)) resolve(count);
      else reject(new Error(`scanning ${root} failed (find exited ${code}): ${stderr.trim()}`));
    });
  });
}
