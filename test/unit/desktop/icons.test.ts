// @vitest-environment jsdom
// (jsdom for its DOMParser: the SVGs must parse as XML, as a desktop's icon loader reads them.)
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TRAY_ICONS } from '../../../src-main/services/desktop/tray-model';
import { TRAY_ICON_NAMES, TRAY_ICON_SIZES } from '../../../src-main/app/tray-icons';

// Paths as strings: under jsdom, URL is jsdom's, which node:fs does not take.
const iconsDir = join(dirname(fileURLToPath(import.meta.url)), '../../../build/icons');

/** Width, height and colour type from a PNG's IHDR chunk, after checking the signature. */
function pngHeader(bytes: Buffer): { width: number; height: number; colourType: number } {
  expect(bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])), 'PNG signature').toBe(true);
  expect(bytes.toString('latin1', 12, 16), 'first chunk').toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20), colourType: bytes.readUInt8(25) };
}

describe('tray icons', () => {
  it('exist for every icon the tray model can show', () => {
    expect([...TRAY_ICON_NAMES].sort()).toEqual([...TRAY_ICONS].sort());
  });

  for (const name of TRAY_ICON_NAMES) {
    it(`tray-${name}.svg parses, with an <svg> root and a viewBox`, () => {
      const text = readFileSync(join(iconsDir, `tray-${name}.svg`), 'utf8');
      const document = new DOMParser().parseFromString(text, 'image/svg+xml');
      expect(document.getElementsByTagName('parsererror')).toHaveLength(0);
      expect(document.documentElement.localName).toBe('svg');
      expect(document.documentElement.getAttribute('viewBox')).toMatch(/^0 0 \d+ \d+$/);
    });

    for (const size of TRAY_ICON_SIZES) {
      it(`tray-${name}-${size}.png is ${size}x${size} with an alpha channel`, () => {
        const header = pngHeader(readFileSync(join(iconsDir, `tray-${name}-${size}.png`)));
        expect(header).toEqual({ width: size, height: size, colourType: 6 });
      });
    }
  }
});
