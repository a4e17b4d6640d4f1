// Renders the tray icons (build/icons/tray-*.svg) to PNGs at the sizes desktop panels ask for,
// with Debian's headless Chromium: `node scripts/render-icons.mjs`. The PNGs are committed, so
// neither a build nor the app needs Chromium; run this again after editing an SVG.
import { readFile, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

// The same names and sizes as src-main/app/tray-icons.ts; test/unit/desktop/icons.test.ts checks every file.
const TRAY_ICON_NAMES = ['error', 'attention', 'syncing', 'paused', 'idle'];
const TRAY_ICON_SIZES = [16, 22, 24, 32, 48];

const iconsDir = fileURLToPath(new URL('../build/icons/', import.meta.url));
const executablePath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
try {
  const page = await browser.newPage({ deviceScaleFactor: 1 });
  for (const name of TRAY_ICON_NAMES) {
    const svg = await readFile(`${iconsDir}tray-${name}.svg`);
    const src = `data:image/svg+xml;base64,${svg.toString('base64')}`;
    for (const size of TRAY_ICON_SIZES) {
      await page.setViewportSize({ width: size, height: size });
      // An <img> scales the vector drawing itself, so every size is drawn, not resampled.
      await page.setContent(`<html><body style="margin:0;background:transparent"><img src="${src}" width="${size}" height="${size}" style="display:block"></body></html>`);
      await page.locator('img').evaluate((img) => img.decode());
      const png = await page.screenshot({ omitBackground: true, clip: { x: 0, y: 0, width: size, height: size } });
      await writeFile(`${iconsDir}tray-${name}-${size}.png`, png);
    }
  }
} finally {
  await browser.close();
}
console.log(`rendered ${TRAY_ICON_NAMES.length * TRAY_ICON_SIZES.length} PNGs into ${iconsDir}`);
