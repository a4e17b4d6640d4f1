import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findElectronBinary } from '../e2e/electron-availability';

describe('findElectronBinary', () => {
  const saved = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  afterEach(() => {
    if (saved === undefined) delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    else process.env.ELECTRON_OVERRIDE_DIST_PATH = saved;
  });

  it('explains a module without a downloaded binary', async () => {
    delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const dir = await mkdtemp(join(tmpdir(), 'electron-mod-'));
    expect(findElectronBinary(dir)).toEqual({ missing: expect.stringContaining('no Electron binary was ever downloaded') });
    await rm(dir, { recursive: true });
  });

  it('finds a binary named by path.txt', async () => {
    delete process.env.ELECTRON_OVERRIDE_DIST_PATH;
    const dir = await mkdtemp(join(tmpdir(), 'electron-mod-'));
    await writeFile(join(dir, 'path.txt'), 'electron');
    await mkdir(join(dir, 'dist'));
    await writeFile(join(dir, 'dist', 'electron'), '');
    expect(findElectronBinary(dir)).toEqual({ path: join(dir, 'dist', 'electron') });
    await rm(dir, { recursive: true });
  });

  it('honours ELECTRON_OVERRIDE_DIST_PATH', () => {
    process.env.ELECTRON_OVERRIDE_DIST_PATH = '/nonexistent-electron';
    expect(findElectronBinary()).toEqual({ missing: expect.stringContaining('/nonexistent-electron') });
  });
});
