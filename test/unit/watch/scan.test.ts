import { lstatSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { absoluteBytes } from '../../../src-main/core/watch/byte-path';
import { scanTree, type ScannedEntry } from '../../../src-main/core/watch/scan';

describe('scanTree (find records parsed in place)', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'tidemark-scan-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('reports every entry with its inode and kind, names with spaces and raw bytes intact', async () => {
    mkdirSync(join(root, 'd d'));
    writeFileSync(join(root, 'd d', 'a b.txt'), 'x');
    writeFileSync(absoluteBytes(root, 'caf\xe9\nline'), 'y'); // not UTF-8, with a newline
    symlinkSync('nowhere', join(root, 'link'));
    const seen: ScannedEntry[] = [];
    const count = await scanTree(root, (entry) => seen.push(entry));
    expect(count).toBe(4);
    const byPath = new Map(seen.map((entry) => [entry.path, entry]));
    expect([...byPath.keys()].sort()).toEqual(['caf\xe9\nline', 'd d', 'd d/a b.txt', 'link']);
    expect(byPath.get('d d')!.kind).toBe('dir');
    expect(byPath.get('d d/a b.txt')!.kind).toBe('file');
    expect(byPath.get('link')!.kind).toBe('symlink');
    for (const entry of seen) expect(entry.ino).toBe(lstatSync(absoluteBytes(root, entry.path)).ino);
  });

  it('leaves pruned directories out, with everything below them', async () => {
    mkdirSync(join(root, 'skip', 'deep'), { recursive: true });
    writeFileSync(join(root, 'skip', 'deep', 'f'), 'x');
    writeFileSync(join(root, 'keep'), 'x');
    const seen: string[] = [];
    await scanTree(root, (entry) => seen.push(entry.path), { prune: (path, kind) => kind === 'dir' && path === 'skip' });
    expect(seen).toEqual(['keep']);
  });

  // 2,000 files written and scanned by a real find: slow only on a busy machine.
  it('parses records split across chunks of find output', { timeout: 60_000 }, async () => {
    // ~2,000 entries of ~100 bytes (200 kB): find's output arrives in many chunks, records cut anywhere.
    for (let d = 0; d < 20; d++) {
      const dir = join(root, `dir-${'x'.repeat(60)}-${d}`);
      mkdirSync(dir);
      for (let f = 0; f < 100; f++) writeFileSync(join(dir, `file-${'y'.repeat(40)}-${f}`), '');
    }
    const seen: ScannedEntry[] = [];
    const count = await scanTree(root, (entry) => seen.push(entry));
    expect(count).toBe(2020);
    expect(new Set(seen.map((entry) => entry.path)).size).toBe(2020);
    expect(seen.every((entry) => entry.ino > 0 && (entry.kind === 'file' || entry.kind === 'dir'))).toBe(true);
  });
});
