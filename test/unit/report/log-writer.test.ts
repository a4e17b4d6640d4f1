import { mkdtempSync, readFileSync, renameSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { SyncRef } from '../../../src-main/core/report/log-format';
import { listCalling, listFinished, listRetrying, signalFading, startupBanner, startupFinished, startupSync } from '../../../src-main/core/report/log-format';
import { parseLogOptions } from '../../../src-main/core/report/log-filter';
import type { LogfileError, LogFiles } from '../../../src-main/core/report/log-writer';
import { Logger } from '../../../src-main/core/report/log-writer';

/** A clock reading the given local time, advanced by `set`. */
function clock(start: Date) {
  let now = start.getTime();
  return { now: () => now, set: (d: Date) => void (now = d.getTime()) };
}

/** Log files in memory: path -> text, with knobs to make open or write fail. */
function memoryFiles() {
  const texts = new Map<string, string>();
  const handles = new Map<number, string>();
  let next = 3;
  const state = { failOpen: false, failWrite: false, opens: 0, closes: 0, modes: [] as number[] };
  const files: LogFiles = {
    open(path, mode) {
      if (state.failOpen) throw new Error('EACCES');
      state.opens += 1;
      state.modes.push(mode);
      handles.set(next, path);
      return next++;
    },
    write(handle, text) {
      if (state.failWrite) throw new Error('ENOSPC');
      const path = handles.get(handle) ?? '';
      texts.set(path, (texts.get(path) ?? '') + text);
    },
    close(handle) {
      state.closes += 1;
      handles.delete(handle);
    },
  };
  return { files, texts, state };
}

/** A console that records what went to each stream. */
function memoryConsole() {
  const lines = { out: [] as string[], err: [] as string[] };
  return { lines, sink: { out: (t: string) => void lines.out.push(t), err: (t: string) => void lines.err.push(t) } };
}

const filterOf = (values: string[]) => {
  const r = parseLogOptions(values);
  if (!r.ok) throw new Error(r.error);
  return r.filter;
};

describe('Logger', () => {
  it('replays a real lsyncd 2.2.3 logfile byte for byte', () => {
    const c = clock(new Date(2026, 10, 25, 13, 23, 57));
    const mem = memoryFiles();
    const log = new Logger({ logfile: '/var/log/lsyncd.log', clock: c, files: mem.files });
    const s: SyncRef = { kind: 'rsync', source: '/tmp/lsx2/src', target: { kind: 'local', dir: '/tmp/lsx2/dstp/dst' } };
    log.log(startupBanner());
    log.log(startupSync(s, [{ action: '-', pattern: '*.tmp' }]));
    log.log(startupFinished(s, 0));
    c.set(new Date(2026, 10, 25, 13, 24, 1));
    log.log(listCalling(['b.txt', '']));
    log.log(listRetrying('rsync', 11));
    c.set(new Date(2026, 10, 25, 13, 24, 4));
    log.log(listCalling(['b.txt', '']));
    log.log(listFinished('rsync', 0));
    c.set(new Date(2026, 10, 25, 13, 24, 7));
    log.log(signalFading('TERM'));
    expect(mem.texts.get('/var/log/lsyncd.log')).toBe(
      [
        'Wed Nov 25 13:23:57 2026 Normal: --- Startup ---',
        'Wed Nov 25 13:23:57 2026 Normal: recursive startup rsync: /tmp/lsx2/src/ -> /tmp/lsx2/dstp/dst/ excluding',
        '*.tmp',
        'Wed Nov 25 13:23:57 2026 Normal: Startup of /tmp/lsx2/src/ -> /tmp/lsx2/dstp/dst/ finished.',
        'Wed Nov 25 13:24:01 2026 Normal: Calling rsync with filter-list of new/modified files/dirs',
        '/b.txt',
        '/',
        'Wed Nov 25 13:24:01 2026 Normal: Retrying a list after exitcode = 11',
        'Wed Nov 25 13:24:04 2026 Normal: Calling rsync with filter-list of new/modified files/dirs',
        '/b.txt',
        '/',
        'Wed Nov 25 13:24:04 2026 Normal: Finished a list after exitcode: 0',
        'Wed Nov 25 13:24:07 2026 Normal: --- TERM signal, fading ---',
        '',
      ].join('\n'),
    );
    expect(mem.state.modes).toEqual([0o644]);
  });

  it('in the foreground, writes HH:MM:SS lines: Error to stderr, the rest to stdout', () => {
    const con = memoryConsole();
    const log = new Logger({ console: con.sink, clock: clock(new Date(2026, 10, 25, 13, 24, 8)) });
    log.write('Normal', '--- Startup ---');
    log.write('Error', 'Temporary or permanent failure on startup of /s/ -> /d/. Terminating since "insist" is not set.');
    expect(con.lines.out).toEqual(['13:24:08 Normal: --- Startup ---\n']);
    expect(con.lines.err).toEqual(['13:24:08 Error: Temporary or permanent failure on startup of /s/ -> /d/. Terminating since "insist" is not set.\n']);
  });

  const filterCases = [
    { description: 'default hides Delay', values: [], expected: ['Normal', 'Warn', 'Error'] },
    { description: 'scarce hides Normal', values: ['scarce'], expected: ['Warn', 'Error'] },
    { description: '-log Delay adds Delay', values: ['Delay'], expected: ['Normal', 'Warn', 'Error', 'Delay'] },
    { description: 'all shows everything', values: ['all'], expected: ['Normal', 'Warn', 'Error', 'Delay', 'Exec'] },
  ];
  for (const c of filterCases) {
    it(`filters by -log: ${c.description}`, () => {
      const mem = memoryFiles();
      const log = new Logger({ logfile: '/l', filter: filterOf(c.values), clock: clock(new Date(2026, 0, 1)), files: mem.files });
      for (const cat of ['Normal', 'Warn', 'Error', 'Delay', 'Exec'] as const) log.write(cat, 'x');
      const written = (mem.texts.get('/l') ?? '').split('\n').filter(Boolean).map((l) => /^.{24} (\w+):/.exec(l)?.[1]);
      expect(written).toEqual(c.expected);
    });
  }

  it('open() fails early with lsyncd words', () => {
    const mem = memoryFiles();
    mem.state.failOpen = true;
    const log = new Logger({ logfile: '/nope/l', clock: clock(new Date()), files: mem.files });
    expect(() => log.open()).toThrow('Cannot open logfile [/nope/l]! EACCES');
  });

  it('never throws while logging: reports a failure once, then recovers', () => {
    const mem = memoryFiles();
    const errors: LogfileError[] = [];
    const log = new Logger({ logfile: '/l', clock: clock(new Date(2026, 0, 1)), files: mem.files, onWriteError: (e) => errors.push(e) });
    mem.state.failWrite = true;
    log.write('Normal', 'lost 1');
    log.write('Normal', 'lost 2');
    expect(errors.map((e) => e.message)).toEqual(['Cannot write logfile [/l]! ENOSPC']);
    mem.state.failWrite = false;
    log.write('Normal', 'back');
    expect(mem.texts.get('/l')).toBe('Thu Jan  1 00:00:00 2026 Normal: back\n');
    mem.state.failWrite = true;
    log.write('Normal', 'lost 3');
    expect(errors).toHaveLength(2);
  });
});

describe('Logger on a real filesystem', () => {
  let dir = '';
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('appends, creates 0644 (under umask 022), and reopen() follows logrotate', () => {
    dir = mkdtempSync(join(tmpdir(), 'tidemark-log-'));
    const path = join(dir, 'lsyncd.log');
    const log = new Logger({ logfile: path, clock: clock(new Date(2026, 10, 25, 13, 0, 0)) });
    log.open();
    log.write('Normal', 'one');
    renameSync(path, `${path}.1`); // logrotate moves the file away
    log.write('Normal', 'two'); // still goes to the open (moved) file, as with any daemon
    log.reopen(); // HUP
    log.write('Normal', 'three');
    log.close();
    expect(readFileSync(`${path}.1`, 'utf8')).toBe('Wed Nov 25 13:00:00 2026 Normal: one\nWed Nov 25 13:00:00 2026 Normal: two\n');
    expect(readFileSync(path, 'utf8')).toBe('Wed Nov 25 13:00:00 2026 Normal: three\n');
    const umask = process.umask();
    expect(statSync(path).mode & 0o777).toBe(0o644 & ~umask);
  });
});
