import { describe, expect, it } from 'vitest';
import type { StatusDelay, SyncStatusInfo } from '../../../src-main/core/report/status-format';
import { formatStatusReport, stateText } from '../../../src-main/core/report/status-format';

/** A local time, so that the expected strings hold in every TZ. */
const at = (y: number, mo: number, d: number, h: number, mi: number, s: number): Date => new Date(y, mo - 1, d, h, mi, s);

/** A sync's status with nothing queued, filtered or watched beyond what a case sets. */
function sync(source: string, rest: Partial<SyncStatusInfo> = {}): SyncStatusInfo {
  return { source, delays: [], excludes: [], watchedDirs: [], ...rest };
}

/** A queued event. */
const delay = (kind: StatusDelay['kind'], path: string, rest: Partial<StatusDelay> = {}): StatusDelay => ({ kind, path, ...rest });

// `expected` texts marked "real" are status files written by lsyncd 2.2.3, byte for byte.
describe('formatStatusReport', () => {
  const cases: { description: string; at: Date; syncs: SyncStatusInfo[]; expected: string }[] = [
    {
      description: 'idle sync with a new directory (real)',
      at: at(2026, 11, 25, 13, 22, 56),
      syncs: [sync('/tmp/lsx/src', { watchedDirs: ['/tmp/lsx/src/', '/tmp/lsx/src/sub/', '/tmp/lsx/src/sub/deep/', '/tmp/lsx/src/newdir/'] })],
      expected: [
        'Lsyncd status report at Wed Nov 25 13:22:56 2026',
        '',
        'Sync1 source=/tmp/lsx/src/',
        'There are 0 delays',
        'Filtering:',
        '  nothing.',
        '',
        '',
        'Inotify watching 4 directories',
        '  1: /tmp/lsx/src/',
        '  2: /tmp/lsx/src/sub/',
        '  3: /tmp/lsx/src/sub/deep/',
        '  4: /tmp/lsx/src/newdir/',
        '',
      ].join('\n'),
    },
    {
      description: 'two syncs, active and waiting delays, filter rules (real)',
      at: at(2026, 11, 25, 13, 31, 58),
      syncs: [
        sync('/tmp/lsx4/a', {
          delays: [
            delay('Create', 'big', { status: 'active' }),
            delay('Modify', 'big', { status: 'active' }),
            delay('Create', 'sub/x', { status: 'active' }),
            delay('Attrib', 'sub/x', { status: 'active' }),
            delay('Modify', 'sub/x', { status: 'active' }),
            delay('Create', 'z'),
            delay('Modify', 'z', { status: 'wait' }),
          ],
          watchedDirs: ['/tmp/lsx4/a/', '/tmp/lsx4/a/sub/'],
        }),
        sync('/tmp/lsx4/b/', {
          filters: [
            { action: '+', pattern: 'keep.tmp' },
            { action: '-', pattern: '*.tmp' },
          ],
          watchedDirs: ['/tmp/lsx4/b/'],
        }),
      ],
      expected: [
        'Lsyncd status report at Wed Nov 25 13:31:58 2026',
        '',
        'Sync1 source=/tmp/lsx4/a/',
        'There are 7 delays',
        'active Create /big',
        'active Modify /big',
        'active Create /sub/x',
        'active Attrib /sub/x',
        'active Modify /sub/x',
        'wait   Create /z',
        'wait   Modify /z',
        'Filtering:',
        '  nothing.',
        '',
        '',
        'Sync2 source=/tmp/lsx4/b/',
        'There are 0 delays',
        'Filtering:',
        '+ keep.tmp',
        '- *.tmp',
        '',
        '',
        'Inotify watching 3 directories',
        '  1: /tmp/lsx4/a/',
        '  2: /tmp/lsx4/a/sub/',
        '  3: /tmp/lsx4/b/',
        '',
      ].join('\n'),
    },
    {
      description: 'excludes listed where 2.2.3 meant to list them, state line, move, dirs, hostile names',
      at: at(2026, 3, 7, 9, 5, 0),
      syncs: [
        sync('/src', {
          name: 'photos',
          state: 'idle',
          delays: [
            delay('Move', 'old', { path2: 'new', dir: true, status: 'block' }),
            delay('Delete', 'a\nb'),
            delay('Create', '', { dir: true }),
          ],
          filters: [{ action: '+', pattern: 'keep.tmp' }],
          excludes: ['*.tmp', 'cache/'],
          watchedDirs: ['/src/', '/src/x\ny/'],
        }),
      ],
      expected: [
        'Lsyncd status report at Sat Mar  7 09:05:00 2026',
        '',
        'photos source=/src/',
        'State: idle',
        'There are 3 delays',
        'block  Move /old/ -> /new/',
        'wait   Delete /a\\nb',
        'wait   Create /',
        'Filtering:',
        '+ keep.tmp',
        'From excludes:',
        '- *.tmp',
        '- cache/',
        '',
        '',
        'Inotify watching 2 directories',
        '  1: /src/',
        '  2: /src/x\\ny/',
        '',
      ].join('\n'),
    },
    {
      description: 'a directory two syncs watch counts once; no syncs still lists the watch line',
      at: at(2026, 1, 10, 0, 0, 0),
      syncs: [sync('/s', { watchedDirs: ['/s/'] }), sync('/s', { watchedDirs: ['/s/'] })],
      expected: [
        'Lsyncd status report at Sat Jan 10 00:00:00 2026',
        '',
        'Sync1 source=/s/',
        'There are 0 delays',
        'Filtering:',
        '  nothing.',
        '',
        '',
        'Sync2 source=/s/',
        'There are 0 delays',
        'Filtering:',
        '  nothing.',
        '',
        '',
        'Inotify watching 1 directories',
        '  1: /s/',
        '',
      ].join('\n'),
    },
    {
      description: 'a file set aside for want of room: a Stalled line after the state, its name escaped',
      at: at(2026, 1, 10, 0, 0, 0),
      syncs: [sync('/s', { state: 'idle', stalled: ['"big\nname.iso" needs 1.0 MB (1048576 bytes), 256.0 KB (262144 bytes) free on the target; set aside, retry 2 at Sat Jan 10 00:00:02 2026'] })],
      expected: [
        'Lsyncd status report at Sat Jan 10 00:00:00 2026',
        '',
        'Sync1 source=/s/',
        'State: idle',
        'Stalled: "big\\nname.iso" needs 1.0 MB (1048576 bytes), 256.0 KB (262144 bytes) free on the target; set aside, retry 2 at Sat Jan 10 00:00:02 2026',
        'There are 0 delays',
        'Filtering:',
        '  nothing.',
        '',
        '',
        'Inotify watching 0 directories',
        '',
      ].join('\n'),
    },
    {
      description: 'no syncs',
      at: at(2026, 1, 10, 0, 0, 0),
      syncs: [],
      expected: 'Lsyncd status report at Sat Jan 10 00:00:00 2026\n\nInotify watching 0 directories\n',
    },
  ];
  for (const c of cases) it(c.description, () => expect(formatStatusReport(c.at, c.syncs)).toBe(c.expected));
});

describe('stateText', () => {
  const t = at(2026, 11, 25, 13, 0, 0).getTime();
  const cases = [
    { description: 'starting', state: { kind: 'starting' }, expected: 'starting' },
    { description: 'scanning', state: { kind: 'scanning', scanned: 120 }, expected: 'scanning (120 entries so far)' },
    { description: 'awaiting a decision', state: { kind: 'awaiting-decision', reason: '3 files only on the target' }, expected: 'awaiting a decision: 3 files only on the target' },
    { description: 'syncing', state: { kind: 'syncing', paths: 4 }, expected: 'syncing 4 paths' },
    { description: 'idle, never synced', state: { kind: 'idle', lastSyncAt: null }, expected: 'idle' },
    { description: 'idle after a sync', state: { kind: 'idle', lastSyncAt: t }, expected: 'idle since Wed Nov 25 13:00:00 2026' },
    { description: 'paused', state: { kind: 'paused' }, expected: 'paused' },
    {
      description: 'retrying',
      state: { kind: 'retrying', attempt: 3, nextAt: t, reason: 'rsync exit 255' },
      expected: 'retrying (attempt 3) at Wed Nov 25 13:00:00 2026: rsync exit 255',
    },
    { description: 'halted', state: { kind: 'halted', reason: 'source root missing' }, expected: 'halted: source root missing' },
    { description: 'error', state: { kind: 'error', reason: 'boom' }, expected: 'error: boom' },
  ] as const;
  for (const c of cases) it(c.description, () => expect(stateText(c.state)).toBe(c.expected));
});
