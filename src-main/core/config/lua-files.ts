// The read-only view of the filesystem a config's Lua gets: whole regular files (for io.open,
// io.lines and dofile) and directory listings (lsyncd's readdir). Nothing here writes, runs or
// loads native code; the Lua side (lua-prelude-files.ts) builds io and dofile on these answers.
//
// Invariants:
// - Only regular files are read, and never more than `maxBytes` of one: a FIFO, a device or
//   /proc/kcore would block the evaluation or exhaust memory, and the sandbox's timeout cannot
//   interrupt a synchronous read. The type is checked before opening (so a device is never
//   opened) and again on the open descriptor (so a swap in between is caught).
// - Relative names resolve against `cwd`, as lsyncd's Lua resolves them against its own cwd.
// - Answers are plain data: a failure is `{ error, errno }` with the C library's wording, the way
//   Lua's io.open reports `name: No such file or directory`.

import { closeSync, constants, fstatSync, openSync, readdirSync, readSync, realpathSync, statSync } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { resolve } from 'node:path';

/** The most a config may read of one file (a host list or an included config is a few kB). */
export const MAX_READ_BYTES = 8 * 1024 * 1024;
/** The most entries one readdir() answers. */
export const MAX_DIR_ENTRIES = 100_000;

export type ReadAnswer = { readonly text: string; readonly real: string } | { readonly error: string; readonly errno: number };
export type ListAnswer = { readonly entries: Readonly<Record<string, boolean>> } | { readonly error: string };

/** strerror() for the codes a read-only look can meet. */
const STRERROR: Readonly<Record<string, string>> = {
  ENOENT: 'No such file or directory',
  EACCES: 'Permission denied',
  EPERM: 'Operation not permitted',
  EISDIR: 'Is a directory',
  ENOTDIR: 'Not a directory',
  ELOOP: 'Too many levels of symbolic links',
  ENAMETOOLONG: 'File name too long',
  EIO: 'Input/output error',
  EMFILE: 'Too many open files',
};

function errnoOf(code: string): number {
  return (osConstants.errno as Record<string, number | undefined>)[code] ?? 0;
}

function failure(error: unknown): { error: string; errno: number } {
  const code = typeof error === 'object' && error !== null && 'code' in error ? String((error as { code: unknown }).code) : '';
  const text = STRERROR[code] ?? (error instanceof Error ? error.message : String(error));
  return { error: text, errno: errnoOf(code) };
}

export class ConfigFiles {
  /** Display names of the files run through dofile/loadfile, in order; the Lua chunk of include N is `includes[N - 1]`. */
  readonly includes: string[] = [];

  constructor(
    readonly cwd: string,
    readonly maxBytes: number = MAX_READ_BYTES,
  ) {}

  /** The whole text of a regular file, with its real path (for dofile's loop check). */
  read(name: unknown): ReadAnswer {
    if (typeof name !== 'string' || name === '') return { error: STRERROR['ENOENT'] ?? '', errno: errnoOf('ENOENT') };
    const path = resolve(this.cwd, name);
    let fd: number | undefined;
    try {
      const refused = this.#refusal(statSync(path));
      if (refused) return refused;
      fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
      const again = this.#refusal(fstatSync(fd));
      if (again) return again;
      const text = this.#readAll(fd);
      return text === undefined ? this.#tooLarge() : { text, real: realpathSync(path) };
    } catch (error) {
      return failure(error);
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }

  /** Registers a file about to run as an included chunk; answers its chunk number (from 1). */
  include(name: string): number {
    this.includes.push(name);
    return this.includes.length;
  }

  /** lsyncd's readdir: entry name to whether it is a directory ('.' and '..' left out). */
  list(name: unknown): ListAnswer {
    if (typeof name !== 'string' || name === '') return { error: STRERROR['ENOENT'] ?? '' };
    try {
      const entries: Record<string, boolean> = {};
      let count = 0;
      for (const entry of readdirSync(resolve(this.cwd, name), { withFileTypes: true })) {
        if (++count > MAX_DIR_ENTRIES) return { error: `more than ${MAX_DIR_ENTRIES} entries, more than a config may list` };
        entries[entry.name] = entry.isDirectory();
      }
      return { entries };
    } catch (error) {
      return { error: failure(error).error };
    }
  }

  #refusal(stat: { isFile(): boolean; isDirectory(): boolean; size: number }): { error: string; errno: number } | undefined {
    if (stat.isDirectory()) return { error: STRERROR['EISDIR'] ?? '', errno: errnoOf('EISDIR') };
    if (!stat.isFile()) return { error: 'not a regular file (a config may read regular files only)', errno: errnoOf('EINVAL') };
    if (stat.size > this.maxBytes) return this.#tooLarge();
    return undefined;
  }

  #tooLarge(): { error: string; errno: number } {
    return { error: `larger than ${Math.round(this.maxBytes / (1024 * 1024))} MiB, more than a config may read`, errno: errnoOf('EFBIG') };
  }

  /** Reads to the end, or undefined past maxBytes (a /proc file reports size 0 yet has content). */
  #readAll(fd: number): string | undefined {
    const chunks: Buffer[] = [];
    let total = 0;
    for (;;) {
      const chunk = Buffer.alloc(64 * 1024);
      const read = readSync(fd, chunk, 0, chunk.length, null);
      if (read === 0) break;
      total += read;
      if (total > this.maxBytes) return undefined;
      chunks.push(chunk.subarray(0, read));
    }
    return Buffer.concat(chunks).toString('utf8');
  }
}
