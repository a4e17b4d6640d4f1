// Serves the built renderer out of one directory, and nothing outside it: the request path is
// decoded segment by segment (an encoded slash, `.`, `..`, a NUL or a backslash is refused before
// touching the disk), then the file's real path must still lie inside the directory's real path,
// so a symlink leading out of it is refused too. No listings: a directory is a 404.
import { realpath, readFile, stat } from 'node:fs/promises';
import { extname, join, sep } from 'node:path';

export type StaticResult =
  | { readonly kind: 'file'; readonly body: Buffer; readonly contentType: string; readonly html: boolean }
  | { readonly kind: 'missing' };

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Files larger than this are not served: the renderer has no such asset, so one is a mistake. */
const MAX_FILE_BYTES = 32 * 1024 * 1024;

export interface StaticFiles {
  /** The file for a still percent-encoded request path, or missing (answered 404). */
  lookup(path: string): Promise<StaticResult>;
}

/** A server for `dir`; its real path is taken once, so a later swap of the directory is not followed. */
export async function staticFiles(dir: string): Promise<StaticFiles> {
  const root = await realpath(dir);
  if (!(await stat(root)).isDirectory()) throw new Error(`${dir} is not a directory`);
  return { lookup: (path) => lookup(root, path) };
}

async function lookup(root: string, path: string): Promise<StaticResult> {
  const segments = decodeSegments(path === '/' ? '/index.html' : path);
  if (segments === null) return { kind: 'missing' };
  let file: string;
  try {
    file = await realpath(join(root, ...segments));
  } catch {
    return { kind: 'missing' };
  }
  // The one check that matters: whatever the path said and wherever links led, the file is inside.
  if (!file.startsWith(root + sep)) return { kind: 'missing' };
  try {
    const info = await stat(file);
    if (!info.isFile() || info.size > MAX_FILE_BYTES) return { kind: 'missing' };
    const extension = extname(file).toLowerCase();
    return { kind: 'file', body: await readFile(file), contentType: CONTENT_TYPES[extension] ?? 'application/octet-stream', html: extension === '.html' };
  } catch {
    return { kind: 'missing' };
  }
}

/**
 * The decoded segments of a path, or null when any would name something other than one entry
 * of the directory it is in. Hidden entries (a leading dot) are never served either.
 */
function decodeSegments(path: string): string[] | null {
  const raw = path.split('/').slice(1);
  if (raw.length === 0 || raw.some((segment) => segment === '')) return null;
  const decoded: string[] = [];
  for (const segment of raw) {
    let name: string;
    try {
      name = decodeURIComponent(segment);
    } catch {
      return null;
    }
    if (name.startsWith('.') || /[/\\\0]/.test(name)) return null;
    decoded.push(name);
  }
  return decoded;
}
