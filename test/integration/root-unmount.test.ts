// The source root's filesystem going away (an unmounted disk): the mount point left behind is
// an empty directory on another device, which must halt the target, never empty it.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { printLogsOnFailure, startLocalMirror, type LocalMirror } from './support/local-mirror';
import { stateBecomes } from './support/test-sync';

let mirror: LocalMirror | undefined;
const mounted: string[] = [];
afterEach(async () => {
  for (const point of mounted.splice(0)) execFileSync('umount', [point], { stdio: 'ignore' });
  await mirror?.dispose();
  mirror = undefined;
});

describe('the source root unmounted', () => {
  it('halts the target, naming the other filesystem, and leaves every file on the target', async () => {
    mirror = await startLocalMirror({
      prepare: async (source) => {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=4m', 'tidemark-source', source]);
        mounted.push(source);
        for (let i = 0; i < 30; i++) await writeFile(join(source, `f${i}`), `file ${i}`);
      },
    });
    printLogsOnFailure(mirror);
    expect(await readFile(join(mirror.target, 'f29'), 'utf8')).toBe('file 29');
    execFileSync('umount', [mirror.source]);
    mounted.pop();
    const reason = await stateBecomes(mirror, 'halted');
    expect(reason).toMatch(/another filesystem than at start/);
    expect(reason).toContain('nothing was touched');
    // The empty mount point is not mirrored: a second later every file is still there.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    expect(mirror.runner.state.kind).toBe('halted');
    for (let i = 0; i < 30; i++) expect(await readFile(join(mirror.target, `f${i}`), 'utf8')).toBe(`file ${i}`);
  });
});
