import { describe, expect, it } from 'vitest';
import type { RsyncTable } from '../../../src-main/core/config/model';
import { filterArgs, RSYNC_FLAGS, RSYNC_VALUED, rsyncOptionArgs, unknownRsyncOptions } from '../../../src-main/core/transport/rsync-argv';

/** An rsync table that sets only what a case names. */
function table(flags: Record<string, boolean> = {}, values: Record<string, string | number> = {}, extra: string[] = []): RsyncTable {
  return { binary: '/usr/bin/rsync', flags, values, extra };
}

describe('rsyncOptionArgs', () => {
  const tidemark = { preservePerms: true };
  const lsyncd = { preservePerms: false };
  const cases = [
    { description: 'default: links, times, perms, protect-args', table: table(), mode: tidemark, expected: ['--links', '--times', '--perms', '--protect-args'] },
    { description: "lsyncd mode default is lsyncd's -lts", table: table(), mode: lsyncd, expected: ['--links', '--times', '--protect-args'] },
    { description: 'explicit perms=false wins over the default', table: table({ perms: false }), mode: tidemark, expected: ['--links', '--times', '--protect-args', '--no-perms'] },
    { description: 'explicit perms=true in lsyncd mode', table: table({ perms: true }), mode: lsyncd, expected: ['--links', '--times', '--perms', '--protect-args'] },
    { description: 'archive replaces the flags it implies', table: table({ archive: true }), mode: tidemark, expected: ['--archive', '--protect-args'] },
    { description: 'archive with perms=false', table: table({ archive: true, perms: false }), mode: tidemark, expected: ['--archive', '--protect-args', '--no-perms'] },
    { description: 'archive with owner and group off', table: table({ archive: true, owner: false, group: false }), mode: tidemark, expected: ['--archive', '--protect-args', '--no-group', '--no-owner'] },
    { description: 'archive=false is the same as not set', table: table({ archive: false }), mode: tidemark, expected: ['--links', '--times', '--perms', '--protect-args'] },
    {
      description: 'archive does not imply hard links, ACLs, xattrs',
      table: table({ archive: true, hard_links: true, acls: true, xattrs: true }),
      mode: tidemark,
      expected: ['--archive', '--protect-args', '--acls', '--hard-links', '--xattrs'],
    },
    { description: 'links and times off', table: table({ links: false, times: false }), mode: tidemark, expected: ['--perms', '--protect-args', '--no-links', '--no-times'] },
    { description: 'protect_args off', table: table({ protect_args: false }), mode: tidemark, expected: ['--links', '--times', '--perms', '--no-protect-args'] },
    {
      description: 'a false flag without a --no- form emits nothing',
      table: table({ update: false, copy_links: false, cvs_exclude: false }),
      mode: tidemark,
      expected: ['--links', '--times', '--perms', '--protect-args'],
    },
    {
      description: 'the flag order is fixed, not the config order',
      table: table({ xattrs: true, compress: true, checksum: true }),
      mode: tidemark,
      expected: ['--checksum', '--compress', '--links', '--times', '--perms', '--protect-args', '--xattrs'].sort(
        (a, b) => Object.values(RSYNC_FLAGS).findIndex((s) => s.option === a) - Object.values(RSYNC_FLAGS).findIndex((s) => s.option === b),
      ),
    },
    {
      description: 'valued options in table order, numbers included',
      table: table({}, { timeout: 30, bwlimit: 500, chmod: 'D2755,F644', rsh: '/usr/bin/ssh -p 2222 -o BatchMode=yes' }),
      mode: tidemark,
      expected: ['--links', '--times', '--perms', '--protect-args', '--bwlimit=500', '--chmod=D2755,F644', '--rsh=/usr/bin/ssh -p 2222 -o BatchMode=yes', '--timeout=30'],
    },
    {
      description: 'values are argv elements: spaces and quotes pass unquoted',
      table: table({}, { temp_dir: "/tmp/my dir's", backup_dir: '/b k', suffix: '~' }),
      mode: lsyncd,
      expected: ['--links', '--times', '--protect-args', "--backup-dir=/b k", '--suffix=~', "--temp-dir=/tmp/my dir's"],
    },
    {
      description: '_extra goes last, verbatim',
      table: table({ compress: true }, {}, ['--info=progress2', '-v']),
      mode: lsyncd,
      expected: ['--links', '--times', '--protect-args', '--compress', '--info=progress2', '-v'],
    },
  ];
  for (const c of cases) it(c.description, () => expect(rsyncOptionArgs(c.table, c.mode)).toEqual(c.expected));

  it('defaults to preserving permissions', () => {
    expect(rsyncOptionArgs(table())).toEqual(['--links', '--times', '--perms', '--protect-args']);
  });

  it('leaves delete_excluded to the transport (it implies --delete)', () => {
    expect(rsyncOptionArgs(table({ delete_excluded: true }))).toEqual(['--links', '--times', '--perms', '--protect-args']);
  });

  it('refuses a key the config validator should have rejected', () => {
    expect(() => rsyncOptionArgs(table({ archiv: true }, { bwlimt: 1 }))).toThrow('unknown rsync option(s): archiv, bwlimt');
  });
});

describe('every lsyncd rsync-table key maps to one rsync option', () => {
  const flagCases: [string, string, string | null][] = [
    ['acls', '--acls', '--no-acls'],
    ['append', '--append', '--no-append'],
    ['append_verify', '--append-verify', null],
    ['backup', '--backup', '--no-backup'],
    ['checksum', '--checksum', '--no-checksum'],
    ['compress', '--compress', '--no-compress'],
    ['copy_dirlinks', '--copy-dirlinks', null],
    ['copy_links', '--copy-links', null],
    ['copy_unsafe_links', '--copy-unsafe-links', null],
    ['cvs_exclude', '--cvs-exclude', null],
    ['devices', '--devices', '--no-devices'],
    ['dry_run', '--dry-run', null],
    ['executability', '--executability', null],
    ['existing', '--existing', null],
    ['group', '--group', '--no-group'],
    ['hard_links', '--hard-links', '--no-hard-links'],
    ['ignore_times', '--ignore-times', null],
    ['inplace', '--inplace', '--no-inplace'],
    ['ipv4', '--ipv4', null],
    ['ipv6', '--ipv6', null],
    ['keep_dirlinks', '--keep-dirlinks', null],
    ['one_file_system', '--one-file-system', '--no-one-file-system'],
    ['omit_dir_times', '--omit-dir-times', '--no-omit-dir-times'],
    ['omit_link_times', '--omit-link-times', '--no-omit-link-times'],
    ['owner', '--owner', '--no-owner'],
    ['prune_empty_dirs', '--prune-empty-dirs', '--no-prune-empty-dirs'],
    ['quiet', '--quiet', null],
    ['sparse', '--sparse', '--no-sparse'],
    ['specials', '--specials', '--no-specials'],
    ['update', '--update', null],
    ['verbose', '--verbose', '--no-verbose'],
    ['whole_file', '--whole-file', '--no-whole-file'],
    ['xattrs', '--xattrs', '--no-xattrs'],
  ];
  const base = ['--links', '--times', '--perms', '--protect-args'];
  for (const [name, on, off] of flagCases) {
    it(`${name} = true / false`, () => {
      expect(rsyncOptionArgs(table({ [name]: true }), { preservePerms: true }).filter((a) => !base.includes(a))).toEqual([on]);
      expect(rsyncOptionArgs(table({ [name]: false }), { preservePerms: true }).filter((a) => !base.includes(a))).toEqual(off ? [off] : []);
    });
  }

  it('covers every flag (plus the four defaults and archive)', () => {
    const covered = new Set([...flagCases.map((c) => c[0]), 'links', 'times', 'perms', 'protect_args', 'archive']);
    expect(Object.keys(RSYNC_FLAGS).filter((k) => !covered.has(k))).toEqual([]);
  });

  const valuedCases: [string, string | number, string][] = [
    ['backup_dir', '/bak', '--backup-dir=/bak'],
    ['bwlimit', 1000, '--bwlimit=1000'],
    ['chmod', 'ugo=rwX', '--chmod=ugo=rwX'],
    ['chown', 'www:www', '--chown=www:www'],
    ['groupmap', 'staff:users', '--groupmap=staff:users'],
    ['password_file', '/etc/rsync.pass', '--password-file=/etc/rsync.pass'],
    ['rsh', 'ssh -i /k', '--rsh=ssh -i /k'],
    ['rsync_path', 'sudo rsync', '--rsync-path=sudo rsync'],
    ['suffix', '.bak', '--suffix=.bak'],
    ['temp_dir', '/var/tmp', '--temp-dir=/var/tmp'],
    ['timeout', 60, '--timeout=60'],
    ['usermap', 'joe:bob', '--usermap=joe:bob'],
  ];
  for (const [name, value, expected] of valuedCases) {
    it(`${name} = ${value}`, () => expect(rsyncOptionArgs(table({}, { [name]: value }), { preservePerms: false }).slice(3)).toEqual([expected]));
  }

  it('covers every valued option', () => {
    expect(Object.keys(RSYNC_VALUED).sort()).toEqual(valuedCases.map((c) => c[0]).sort());
  });
});

describe('unknownRsyncOptions', () => {
  it('names unknown flags and values, accepts known and delete-related ones', () => {
    expect(unknownRsyncOptions(table({ archive: true, delete_excluded: true, bogus: true }, { bwlimit: 1, nope: 'x' }))).toEqual(['bogus', 'nope']);
  });
  it('does not take prototype keys for options', () => {
    expect(unknownRsyncOptions(table({ toString: true }, { constructor: 'x' }))).toEqual(['toString', 'constructor']);
  });
});

describe('filterArgs', () => {
  const cases = [
    { description: 'none', rules: [], expected: [] },
    {
      description: 'rules in order, one argv element each',
      rules: [
        { action: '+', pattern: 'keep.tmp' },
        { action: '-', pattern: '*.tmp' },
        { action: '-', pattern: 'cache/' },
      ],
      expected: ['--filter=+ keep.tmp', '--filter=- *.tmp', '--filter=- cache/'],
    },
    {
      description: 'patterns kept byte for byte: spaces, quotes, brackets, $()',
      rules: [
        { action: '-', pattern: ' lead' },
        { action: '-', pattern: 'trail ' },
        { action: '-', pattern: "it's [a]?$(rm -rf /)`x`" },
      ],
      expected: ['--filter=-  lead', '--filter=- trail ', "--filter=- it's [a]?$(rm -rf /)`x`"],
    },
  ] as const;
  for (const c of cases) it(c.description, () => expect(filterArgs(c.rules)).toEqual(c.expected));

  it('refuses an empty pattern (rsync exits 1 on it)', () => {
    expect(() => filterArgs([{ action: '-', pattern: '' }])).toThrow('empty exclude pattern');
  });
});
