import pkg from '../../package.json' with { type: 'json' };
import type { AppInfo } from '../../src-shared/ipc/contract';

export const appVersion: string = pkg.version;

export function appInfo(face: AppInfo['face']): AppInfo {
  return { name: 'Tidemark', version: appVersion, face };
}
