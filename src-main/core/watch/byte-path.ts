import type { RelPath } from '../../../src-shared/model/sync';

// RelPaths are latin1 "byte strings" (one char per byte) so that names which are not UTF-8
// survive exactly. These helpers are the only place that crosses to and from Buffers.

export function toBytes(path: RelPath): Buffer {
  return Buffer.from(path, 'latin1');
}

export function fromBytes(bytes: Buffer): RelPath {
  return bytes.toString('latin1');
}

/** The absolute path of `rel` below `root` (a UTF-8 string from the config), as raw bytes. */
export function absoluteBytes(root: string, rel: RelPath): Buffer {
  return rel === '' ? Buffer.from(root) : Buffer.concat([Buffer.from(root), Buffer.from('/'), toBytes(rel)]);
}

export function joinRel(dir: RelPath, name: RelPath): RelPath {
  return dir === '' ? name : `${dir}/${name}`;
}

export function parentOf(path: RelPath): RelPath {
  const slash = path.lastIndexOf('/');
  return slash < 0 ? '' : path.slice(0, slash);
}

/** True when `path` is `dir` itself or lies below it. */
export function isWithin(path: RelPath, dir: RelPath): boolean {
  return dir === '' || path === dir || path.startsWith(`${dir}/`);
}

/** How a path reads in logs and errors: UTF-8 where valid, with raw bytes escaped. */
export function displayPath(path: RelPath): string {
  const decoded = new TextDecoder('utf-8', { fatal: false }).decode(toBytes(path));
  return JSON.stringify(decoded).slice(1, -1);
}
