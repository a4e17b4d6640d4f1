// Generating source trees and checking target trees, fast enough to poll.
import { mkdirSync, readdirSync, lstatSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { execFile } from 'node:child_process';

/**
 * The relative paths of a two-level tree of exactly `nDirs` directories (about sqrt(nDirs) at the top,
 * the rest spread below them) and `nFiles` files spread round-robin over all directories.
 */
export function treeLayout(nDirs, nFiles, prefix = '') {
  const top = Math.max(1, Math.ceil(Math.sqrt(nDirs)));
  const dirs = [];
  for (let i = 0; i < Math.min(top, nDirs); i++) dirs.push(`${prefix}a${i}`);
  for (let k = 0; dirs.length < nDirs; k++) dirs.push(`${prefix}a${k % top}/b${k}`);
  const files = new Array(nFiles);
  for (let j = 0; j < nFiles; j++) files[j] = `${dirs[j % nDirs]}/f${j}`;
  return { dirs, files };
}

/** Create the layout under root with sync fs calls; returns {files, bytes, ms}. */
export function writeTree(root, layout, content) {
  const t0 = performance.now();
  for (const d of layout.dirs) mkdirSync(join(root, d), { recursive: true });
  for (const f of layout.files) writeFileSync(join(root, f), content);
  return { files: layout.files.length, bytes: layout.files.length * content.length, ms: performance.now() - t0 };
}

/**
 * Count the regular files under dir and, with `bytes`, sum their sizes. Names starting with '.' are
 * skipped: they are rsync's in-flight temp files (the benchmark never creates such names).
 */
export function walk(dir, { bytes = false } = {}) {
  let files = 0;
  let total = 0;
  let dirs = 0;
  const stack = [dir];
  while (stack.length) {
    const d = stack.pop();
    let entries;
    try { entries = readdirSync(d, { withFileTypes: true }); } catch { continue; }
    for (const e of entries) {
      if (e.isDirectory()) { dirs++; stack.push(join(d, e.name)); }
      else if (e.isFile() && e.name[0] !== '.') {
        files++;
        if (bytes) {
          try { total += lstatSync(join(d, e.name)).size; } catch { /* vanished mid-walk */ }
        }
      }
    }
  }
  return { files, bytes: total, dirs };
}

/** True when every relative path exists under root (with `size`, also with that size). */
export function allPresent(root, relPaths, size = null) {
  for (const rel of relPaths) {
    const p = join(root, rel);
    if (size === null) {
      if (!existsSync(p)) return false;
    } else {
      const st = statSync(p, { throwIfNoEntry: false });
      if (!st || st.size !== size) return false;
    }
  }
  return true;
}

/** A deterministic spread of n items from a list (first, last and evenly between). */
export function spread(list, n) {
  if (list.length <= n) return [...list];
  const out = [];
  for (let i = 0; i < n; i++) out.push(list[Math.round((i * (list.length - 1)) / (n - 1))]);
  return out;
}

/**
 * Independent check that dst mirrors src: `rsync -rlnic --delete src/ dst/` (dry run, checksums, no
 * times or permissions) lists every file that is missing, extra or different. Resolves with those
 * lines (empty when the trees match, at most `max`); rejects if rsync fails.
 */
export function rsyncDifferences(src, dst, max = 10) {
  return new Promise((resolve, reject) => {
    execFile('rsync', ['-rlnic', '--delete', `${src}/`, `${dst}/`], { maxBuffer: 64 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`rsync dry-run check failed: ${stderr.trim() || err.message}`));
      const lines = stdout.split('\n').filter(Boolean);
      resolve(lines.length > max ? [...lines.slice(0, max), `… ${lines.length - max} more`] : lines);
    });
  });
}
