import { describe, expect, it } from 'vitest';
import type { SyncRef } from '../../../src-main/core/report/log-format';
import {
  ctime,
  formatConsoleLine,
  formatLogLine,
  fullResync,
  hupResetting,
  listCalling,
  listFailed,
  listFinished,
  listOutcome,
  listRetrying,
  lsyncdSource,
  lsyncdTarget,
  moving,
  queueOverflow,
  signalFading,
  startupBanner,
  startupFailed,
  startupFinished,
  startupOutcome,
  startupRetrying,
  startupSync,
  startupTerminating,
} from '../../../src-main/core/report/log-format';
import { classifyRsyncExit } from '../../../src-main/core/transport/exit-codes';

/** A local time, so that the expected strings hold in every TZ. */
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number): Date => new Date(y, mo - 1, d, h, mi, s);

/** The default.rsync sync of the real capture run (`lsyncd -nodaemon -log all`, 2.2.3). */
const rsyncSync: SyncRef = { kind: 'rsync', source: '/tmp/lsx/src', target: { kind: 'local', dir: '/tmp/lsx/dst' } };
/** An rsyncssh sync as lsyncd words it. */
const sshSync: SyncRef = { kind: 'rsyncssh', source: '/src', target: { kind: 'ssh', host: 'backup', dir: '/srv/dst' } };
/** A direct sync: startup lines as default.direct, lists as default.rsync. */
const directSync: SyncRef = { kind: 'direct', source: '/src/', target: { kind: 'local', dir: '/dst' } };

describe('timestamps', () => {
  const cases = [
    { description: 'two-digit day', date: at(2016, 8, 30, 4, 57, 54), expected: 'Tue Aug 30 04:57:54 2016' },
    { description: 'one-digit day is space padded (ctime)', date: at(2026, 11, 5, 3, 4, 5), expected: 'Thu Nov  5 03:04:05 2026' },
    { description: 'midnight, new year', date: at(2027, 1, 1, 0, 0, 0), expected: 'Fri Jan  1 00:00:00 2027' },
  ];
  for (const c of cases) it(c.description, () => expect(ctime(c.date)).toBe(c.expected));
});

describe('line layout', () => {
  it('logfile lines carry the ctime stamp', () => {
    expect(formatLogLine(at(2016, 8, 30, 4, 57, 54), 'Normal', 'recursive startup rsync: /src/ -> host:/dir/')).toBe(
      'Tue Aug 30 04:57:54 2016 Normal: recursive startup rsync: /src/ -> host:/dir/',
    );
  });
  it('console lines carry HH:MM:SS', () => {
    expect(formatConsoleLine(at(2026, 11, 25, 13, 24, 1), 'Normal', 'Retrying a list after exitcode = 11')).toBe(
      '13:24:01 Normal: Retrying a list after exitcode = 11',
    );
  });
});

describe('source and target as lsyncd prints them', () => {
  const cases = [
    { description: 'source gains a slash', value: lsyncdSource('/tmp/lsx/src'), expected: '/tmp/lsx/src/' },
    { description: 'source keeps its slash', value: lsyncdSource('/src/'), expected: '/src/' },
    { description: 'local target', value: lsyncdTarget({ kind: 'local', dir: '/dst' }), expected: '/dst/' },
    { description: 'remote target', value: lsyncdTarget({ kind: 'ssh', host: 'u@h', dir: '/srv/x' }), expected: 'u@h:/srv/x/' },
    { description: 'remote relative dir', value: lsyncdTarget({ kind: 'ssh', host: 'h', dir: 'backup' }), expected: 'h:backup/' },
    { description: 'remote home dir stays host:', value: lsyncdTarget({ kind: 'ssh', host: 'h', dir: '' }), expected: 'h:' },
    { description: 'a newline in the config cannot forge a line', value: lsyncdSource('/a\nb'), expected: '/a\\nb/' },
  ];
  for (const c of cases) it(c.description, () => expect(c.value).toBe(c.expected));
});

// Each `expected` below was copied from a real lsyncd 2.2.3 logfile or from its source's wording.
describe('messages', () => {
  const rc = (code: number) => classifyRsyncExit(code);
  const cases = [
    { description: 'banner', entry: startupBanner(), expected: ['Normal', '--- Startup ---'] },
    { description: 'TERM', entry: signalFading('TERM'), expected: ['Normal', '--- TERM signal, fading ---'] },
    { description: 'INT', entry: signalFading('INT'), expected: ['Normal', '--- INT signal, fading ---'] },
    { description: 'HUP', entry: hupResetting(), expected: ['Normal', '--- HUP signal, resetting ---'] },
    { description: 'overflow', entry: queueOverflow(), expected: ['Normal', '--- OVERFLOW in event queue ---'] },
    {
      description: 'startup without rules',
      entry: startupSync(rsyncSync),
      expected: ['Normal', 'recursive startup rsync: /tmp/lsx/src/ -> /tmp/lsx/dst/'],
    },
    {
      description: 'startup with excludes (real capture)',
      entry: startupSync(rsyncSync, [{ action: '-', pattern: 'cache/' }, { action: '-', pattern: '*.tmp' }]),
      expected: ['Normal', 'recursive startup rsync: /tmp/lsx/src/ -> /tmp/lsx/dst/ excluding\ncache/\n*.tmp'],
    },
    {
      description: 'startup with filter rules',
      entry: startupSync(sshSync, [{ action: '+', pattern: 'keep.tmp' }, { action: '-', pattern: '*.tmp' }]),
      expected: ['Normal', 'recursive startup rsync: /src/ -> backup:/srv/dst/ filtering\n+ keep.tmp\n- *.tmp'],
    },
    { description: 'full resync (Tidemark)', entry: fullResync(sshSync, 'watcher overflow'), expected: ['Normal', 'recursive full rsync: /src/ -> backup:/srv/dst/ (watcher overflow)'] },
    { description: 'rsync startup finished (real capture)', entry: startupFinished(rsyncSync, 0), expected: ['Normal', 'Startup of /tmp/lsx/src/ -> /tmp/lsx/dst/ finished.'] },
    { description: 'rsyncssh startup finished', entry: startupFinished(sshSync, 0), expected: ['Normal', 'Startup of "/src/" finished: 0'] },
    { description: 'direct startup finished', entry: startupFinished(directSync, 0), expected: ['Normal', 'Startup of "/src/" finished: 0'] },
    { description: 'rsync startup retrying', entry: startupRetrying(rsyncSync, 11), expected: ['Normal', 'Retrying startup of /tmp/lsx/src/ -> /tmp/lsx/dst/: 11'] },
    { description: 'rsyncssh startup retrying', entry: startupRetrying(sshSync, 255), expected: ['Normal', 'Retrying startup of "/src/": 255'] },
    {
      description: 'rsync startup without insist (real capture)',
      entry: startupTerminating({ kind: 'rsync', source: '/tmp/lsx3/src', target: { kind: 'local', dir: '/tmp/lsx3/nope/deeper/dst' } }),
      expected: ['Error', 'Temporary or permanent failure on startup of /tmp/lsx3/src/ -> /tmp/lsx3/nope/deeper/dst/. Terminating since "insist" is not set.'],
    },
    {
      description: 'rsyncssh startup without insist',
      entry: startupTerminating(sshSync),
      expected: ['Error', 'Temporary or permanent failure on startup of "/src/". Terminating since "insist" is not set.'],
    },
    { description: 'rsync startup failure', entry: startupFailed(rsyncSync, 2), expected: ['Error', 'Failure on startup of /tmp/lsx/src/ -> /tmp/lsx/dst/.'] },
    { description: 'rsyncssh startup failure', entry: startupFailed(sshSync, 2), expected: ['Error', 'Failure on startup of "/src/": 2'] },
    {
      description: 'list call (real capture)',
      entry: listCalling(['b.txt', '', 'sub/c.txt', { path: 'sub', dir: true }, { path: 'newdir', dir: true }]),
      expected: ['Normal', 'Calling rsync with filter-list of new/modified files/dirs\n/b.txt\n/\n/sub/c.txt\n/sub/\n/newdir/'],
    },
    {
      description: 'list call with hostile names stays one record per path',
      entry: listCalling(['a\nb', 'x\xff', 'caf\xc3\xa9']),
      expected: ['Normal', 'Calling rsync with filter-list of new/modified files/dirs\n/a\\nb\n/x\\xFF\n/café'],
    },
    { description: 'list call without paths', entry: listCalling([]), expected: ['Normal', 'Calling rsync with filter-list of new/modified files/dirs'] },
    { description: 'rsync list finished (real capture)', entry: listFinished('rsync', 0), expected: ['Normal', 'Finished a list after exitcode: 0'] },
    { description: 'rsync list retrying (real capture)', entry: listRetrying('rsync', 11), expected: ['Normal', 'Retrying a list after exitcode = 11'] },
    { description: 'rsync list failure', entry: listFailed('rsync', 1), expected: ['Error', 'Failure with a list with exitcode = 1'] },
    { description: 'rsyncssh list finished', entry: listFinished('rsyncssh', 0), expected: ['Normal', 'Finished (list): 0'] },
    { description: 'rsyncssh list retrying', entry: listRetrying('rsyncssh', 255), expected: ['Normal', 'Retrying (list): 255'] },
    { description: 'rsyncssh list failure', entry: listFailed('rsyncssh', 1), expected: ['Error', 'Failure (list): 1'] },
    { description: 'direct lists read as rsync lists', entry: listFinished('direct', 0), expected: ['Normal', 'Finished a list after exitcode: 0'] },
    { description: 'move', entry: moving('sub/c.txt', 'sub/d.txt'), expected: ['Normal', 'Moving /sub/c.txt -> /sub/d.txt'] },
    { description: 'outcome ok', entry: listOutcome('rsync', rc(0)), expected: ['Normal', 'Finished a list after exitcode: 0'] },
    { description: 'outcome partial is a retry (lsyncd says finished)', entry: listOutcome('rsync', rc(23)), expected: ['Normal', 'Retrying a list after exitcode = 23'] },
    { description: 'outcome unknown code retries', entry: listOutcome('rsyncssh', rc(77)), expected: ['Normal', 'Retrying (list): 77'] },
    { description: 'outcome halt is an Error', entry: listOutcome('rsyncssh', rc(25)), expected: ['Error', 'Failure (list): 25'] },
    { description: 'outcome killed by a signal', entry: listOutcome('rsync', classifyRsyncExit(null, 'SIGKILL')), expected: ['Normal', 'Retrying a list after exitcode = SIGKILL'] },
    { description: 'startup outcome ok', entry: startupOutcome(sshSync, rc(0), false), expected: ['Normal', 'Startup of "/src/" finished: 0'] },
    { description: 'startup outcome retry with insist', entry: startupOutcome(rsyncSync, rc(11), true), expected: ['Normal', 'Retrying startup of /tmp/lsx/src/ -> /tmp/lsx/dst/: 11'] },
    {
      description: 'startup outcome retry without insist',
      entry: startupOutcome(sshSync, rc(255), false),
      expected: ['Error', 'Temporary or permanent failure on startup of "/src/". Terminating since "insist" is not set.'],
    },
    { description: 'startup outcome config error', entry: startupOutcome(sshSync, rc(1), true), expected: ['Error', 'Failure on startup of "/src/": 1'] },
  ] as const;
  for (const c of cases) {
    it(c.description, () => expect([c.entry.category, c.entry.message]).toEqual(c.expected));
  }
});
