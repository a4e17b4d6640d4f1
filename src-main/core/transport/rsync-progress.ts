// Reading an rsync run's progress from its stdout, as PROGRESS_ARGS make rsync print it:
//   - `--info=progress2`: one line for the whole run, redrawn after `\r` and ended by `\n` when
//     a file is done: `  3,000,001  59%    2.11MB/s    0:00:01 (xfr#2, to-chk=5/8)`.
//   - `--out-format=::tm %i %l %n`: one line per entry as rsync starts on it (itemized flags,
//     length, name), so the name of the file being sent and exactly what happened to it
//     (`>f+++++++++` created, `>f.st......` content changed, `*deleting`).
// Pure: no node:*. Fed the chunks stdout arrives in (latin1, one char per byte), so a line may be
// split across chunks; each line is looked at once, and nothing is kept but the unfinished tail.
import type { RelPath } from '../../../src-shared/model/sync';
import { decodeRsyncEscapes } from '../safety/itemize';

/** Marks our per-entry lines; no line rsync itself prints starts with it. */
export const ITEM_MARKER = '::tm ';

/** What a run gets when someone listens to its progress (never for dry runs or pulls). */
export const PROGRESS_ARGS: readonly string[] = ['--info=progress2', `--out-format=${ITEM_MARKER}%i %l %n`];

export type RsyncProgressEvent =
  /** The run as a whole, from a progress2 line. */
  | {
      readonly kind: 'progress';
      /** Bytes of file data done so far in this run (unchanged files count nothing). */
      readonly bytes: number;
      /** rsync's percentage: of the size of every file in its list, unchanged ones included. */
      readonly percent: number;
      readonly bytesPerSecond: number;
      /** rsync's estimate (for its whole list); null when it prints ??:??:??. */
      readonly etaSeconds: number | null;
      /** Files transferred so far (xfr#); null on a redraw in the middle of a file. */
      readonly transferred: number | null;
      /** Files of the list still to check (to-chk / ir-chk); null when not printed. */
      readonly toCheck: number | null;
      /** Files in the list so far. */
      readonly listed: number | null;
      /** ir-chk: incremental recursion, rsync is still listing and `listed` still grows. */
      readonly listing: boolean;
    }
  /** One entry rsync acts on: its 11 itemize flags, its length, and its name as a RelPath. */
  | { readonly kind: 'item'; readonly flags: string; readonly size: number; readonly path: RelPath };

const PROGRESS = /^ *([\d,]+(?:\.\d+)?)([KMGTP]?) +(\d{1,3})% +([\d.]+)([kKMGTP]?)B\/s +(?:(\d+):(\d\d):(\d\d)|\?+:\?+:\?+)(?: +\(xfr#(\d+), (ir|to)-chk=(\d+)\/(\d+)\))? *$/;

/** rsync's progress units: powers of 1024 for rates; a --human-readable byte count uses 1000. */
const RATE_UNIT: Readonly<Record<string, number>> = { '': 1, k: 1024, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4, P: 1024 ** 5 };
const SIZE_UNIT: Readonly<Record<string, number>> = { '': 1, K: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15 };

/** One line of rsync's stdout read as an event, or null for anything else (rsync's own chatter). */
export function parseProgressLine(line: string): RsyncProgressEvent | null {
  if (line.startsWith(ITEM_MARKER)) return parseItem(line);
  const m = PROGRESS.exec(line);
  if (!m) return null;
  const number = Number(m[1]!.replace(/,/g, ''));
  return {
    kind: 'progress',
    bytes: Math.round(number * SIZE_UNIT[m[2]!]!),
    percent: Number(m[3]),
    bytesPerSecond: Number(m[4]) * RATE_UNIT[m[5]!]!,
    etaSeconds: m[6] === undefined ? null : Number(m[6]) * 3600 + Number(m[7]) * 60 + Number(m[8]),
    transferred: m[9] === undefined ? null : Number(m[9]),
    toCheck: m[11] === undefined ? null : Number(m[11]),
    listed: m[12] === undefined ? null : Number(m[12]),
    listing: m[10] === 'ir',
  };
}

/**
 * `::tm FFFFFFFFFFF LEN NAME`. rsync escapes a name's unprintable bytes (newlines included) as
 * \#ooo, so a name never spans lines; they are decoded back to the raw bytes (a RelPath).
 */
function parseItem(line: string): RsyncProgressEvent | null {
  const start = ITEM_MARKER.length;
  if (line.length < start + 15 || line[start + 11] !== ' ') return null;
  const space = line.indexOf(' ', start + 12);
  if (space < 0) return null;
  const size = Number(line.slice(start + 12, space));
  const name = line.slice(space + 1);
  if (!Number.isSafeInteger(size) || name === '') return null;
  return { kind: 'item', flags: line.slice(start, start + 11), size, path: decodeRsyncEscapes(name) };
}

/**
 * Splits a stream of stdout chunks into lines at `\r` and `\n` (progress2 redraws after `\r`)
 * and hands each recognised one to `emit`. Only the unfinished last line is kept between chunks.
 */
export class RsyncProgressParser {
  #tail = '';

  constructor(private readonly emit: (event: RsyncProgressEvent) => void) {}

  push(chunk: string): void {
    let text = this.#tail === '' ? chunk : this.#tail + chunk;
    let start = 0;
    for (let i = 0; i < text.length; i++) {
      const code = text.charCodeAt(i);
      if (code !== 10 && code !== 13) continue;
      if (i > start) this.#line(text.slice(start, i));
      start = i + 1;
    }
    text = text.slice(start);
    // A line with no end in sight is not one of ours (ours are short): drop it rather than grow.
    this.#tail = text.length > 64 * 1024 ? '' : text;
  }

  /** The output ended: a last line without its newline still counts. */
  end(): void {
    if (this.#tail !== '') this.#line(this.#tail);
    this.#tail = '';
  }

  #line(line: string): void {
    const event = parseProgressLine(line);
    if (event) this.emit(event);
  }
}
