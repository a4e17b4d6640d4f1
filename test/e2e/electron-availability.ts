import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where a runnable Electron binary is, or why there is none. Files are checked instead of
 * calling require('electron'), which would start a download that hangs on a closed network.
 */
export function findElectronBinary(moduleDir = 'node_modules/electron'): { path: string } | { missing: string } {
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const path = join(override, 'electron');
    return existsSync(path) ? { path } : { missing: `ELECTRON_OVERRIDE_DIST_PATH=${override} holds no electron binary` };
  }
  const pathFile = join(moduleDir, 'path.txt');
  if (!existsSync(pathFile)) {
    return { missing: `no Electron binary was ever downloaded (${pathFile} is absent; Electron >= 42 fetches it on first use, and this machine cannot reach the download host)` };
  }
  const path = join(moduleDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(path) ? { path } : { missing: `${path} is absent` };
}
