// Where the tray icons are and which sizes exist (rendered by scripts/render-icons.mjs). No
// electron import: the icon test reads these names under plain Node.
import { join } from 'node:path';
import type { TrayIcon } from '../services/desktop/tray-model';

export const TRAY_ICON_NAMES: readonly TrayIcon[] = ['error', 'attention', 'syncing', 'paused', 'idle'];
export const TRAY_ICON_SIZES = [16, 22, 24, 32, 48] as const;

/** The PNG of `icon` at `size` px, under the app's root (the directory holding package.json). */
export function trayIconFile(appRoot: string, icon: TrayIcon, size: (typeof TRAY_ICON_SIZES)[number]): string {
  return join(appRoot, 'build', 'icons', `tray-${icon}-${size}.png`);
}
