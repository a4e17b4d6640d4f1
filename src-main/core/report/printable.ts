// How paths read in the log and the status file. Pure: no node:* (RelPaths are decoded by hand).
//
// lsyncd writes names raw, so a name with a newline forges log lines and a name that is not
// UTF-8 garbles the file. Tidemark writes UTF-8 where the bytes are valid UTF-8 and escapes
// everything else (\n, \r, \t, \xHH), so each record stays one record. Backslashes stay literal,
// as lsyncd prints them: the escapes only appear for bytes that could never be printed as-is.

import type { RelPath } from '../../../src-shared/model/sync';

const NAMED_ESCAPES: Readonly<Record<number, string>> = { 0x09: '\\t', 0x0a: '\\n', 0x0d: '\\r' };

function hexByte(byte: number): string {
  return `\\x${byte.toString(16).toUpperCase().padStart(2, '0')}`;
}

/** A C0 control character or DEL anywhere in a string. */
const CONTROL = /[\u0000-\u001f\u007f]/u;

/** Printable ASCII only: a byte string that reads as it is. */
const PLAIN_ASCII = /^[\u0020-\u007e]*$/u;

/** A C0 control character or DEL: never printed raw. */
function isControl(code: number): boolean {
  return code < 0x20 || code === 0x7f;
}

function escapeControl(code: number): string {
  return NAMED_ESCAPES[code] ?? hexByte(code);
}

/** Text that already is a JS string (config values, absolute paths from the config): controls escaped. */
export function printableText(text: string): string {
  // Nearly every text has nothing to escape: returned as it is, without building a copy char by
  // char (the status file's 10,000 watched directories made 8 MB of garbage that way).
  if (!CONTROL.test(text)) return text;
  let out = '';
  for (const char of text) {
    const code = char.codePointAt(0) ?? 0;
    out += isControl(code) ? escapeControl(code) : char;
  }
  return out;
}

/**
 * Length of the valid UTF-8 sequence starting at `i` in the byte string, or 0 when the byte at
 * `i` does not start one (stray continuation, overlong form, surrogate, beyond U+10FFFF, cut short).
 */
function utf8Length(bytes: string, i: number): number {
  const lead = bytes.charCodeAt(i);
  const cont = (k: number, lo = 0x80, hi = 0xbf): boolean => {
    const b = bytes.charCodeAt(i + k);
    return b >= lo && b <= hi; // NaN past the end compares false
  };
  if (lead >= 0xc2 && lead <= 0xdf) return cont(1) ? 2 : 0;
  if (lead >= 0xe0 && lead <= 0xef) {
    const lo = lead === 0xe0 ? 0xa0 : 0x80;
    const hi = lead === 0xed ? 0x9f : 0xbf;
    return cont(1, lo, hi) && cont(2) ? 3 : 0;
  }
  if (lead >= 0xf0 && lead <= 0xf4) {
    const lo = lead === 0xf0 ? 0x90 : 0x80;
    const hi = lead === 0xf4 ? 0x8f : 0xbf;
    return cont(1, lo, hi) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

function decodeSequence(bytes: string, i: number, length: number): number {
  const lead = bytes.charCodeAt(i);
  let code = length === 2 ? lead & 0x1f : length === 3 ? lead & 0x0f : lead & 0x07;
  for (let k = 1; k < length; k++) code = (code << 6) | (bytes.charCodeAt(i + k) & 0x3f);
  return code;
}

/**
 * A RelPath (a latin1 "byte string", one char per byte) as printable text: valid UTF-8 decoded,
 * invalid bytes as \xHH, C0/C1 control characters escaped. A string holding chars above U+00FF
 * is not a byte string; it is treated as text.
 */
export function printablePath(path: RelPath): string {
  if (PLAIN_ASCII.test(path)) return path;
  // Invariant: below this check every char code is one byte (0..255).
  if (/[^\u0000-\u00ff]/u.test(path)) return printableText(path);
  let out = '';
  let i = 0;
  while (i < path.length) {
    const byte = path.charCodeAt(i);
    if (byte < 0x80) {
      out += isControl(byte) ? escapeControl(byte) : path[i];
      i += 1;
      continue;
    }
    const length = utf8Length(path, i);
    if (length === 0) {
      out += hexByte(byte);
      i += 1;
      continue;
    }
    const code = decodeSequence(path, i, length);
    // C1 controls (U+0080..U+009F) move terminals around like C0 ones: print their bytes.
    out += code <= 0x9f ? hexByte(byte) + hexByte(path.charCodeAt(i + 1)) : String.fromCodePoint(code);
    i += length;
  }
  return out;
}
