import { describe, expect, it } from 'vitest';
import type { RsyncTable, SshTable } from '../../../src-main/core/config/model';
import { FILE, importConfig, importError } from './import-config';

/** A default.rsyncssh sync with `rsync = { ... }` and `ssh = { ... }` written on lines 6 and 7. */
function tables(rsync: string, ssh = ''): string {
  return ['sync {', '  default.rsyncssh,', '  source = "/src",', '  host = "web1",', '  targetdir = "/srv",', `  rsync = { ${rsync} },`, `  ssh = { ${ssh} },`, '}'].join('\n');
}

const NO_RSYNC: RsyncTable = { binary: 'rsync', flags: {}, values: {}, extra: [] };
const NO_SSH: SshTable = { binary: 'ssh', options: {}, extra: [] };

/** Written out here, not imported, so dropping one from the validator fails a test. */
const FLAGS = [
  'acls', 'append', 'append_verify', 'archive', 'backup', 'checksum', 'compress', 'copy_dirlinks', 'copy_links', 'cvs_exclude',
  'dry_run', 'executability', 'existing', 'group', 'hard_links', 'ignore_times', 'inplace', 'ipv4', 'ipv6', 'keep_dirlinks', 'links',
  'one_file_system', 'omit_dir_times', 'omit_link_times', 'owner', 'perms', 'protect_args', 'prune_empty_dirs', 'quiet', 'sparse',
  'times', 'update', 'verbose', 'whole_file', 'xattrs',
];
const VALUES: readonly [string, string, string | number][] = [
  ['bwlimit', '500', 500],
  ['rsh', '"/usr/bin/ssh -p 2222"', '/usr/bin/ssh -p 2222'],
  ['rsync_path', '"sudo rsync"', 'sudo rsync'],
  ['temp_dir', '"/tmp/rs"', '/tmp/rs'],
  ['backup_dir', '"/var/backups/www"', '/var/backups/www'],
  ['suffix', '".bak"', '.bak'],
  ['chmod', '"D2755,F644"', 'D2755,F644'],
  ['chown', '"www-data:www-data"', 'www-data:www-data'],
  ['timeout', '30', 30],
  ['password_file', '"/etc/rsync.pass"', '/etc/rsync.pass'],
  ['usermap', '"1000:2000"', '1000:2000'],
  ['groupmap', '"*:www"', '*:www'],
];

const CASES: { description: string; rsync: string; ssh?: string; expected: { rsync: RsyncTable; ssh: SshTable } }[] = [
  { description: 'empty tables give the defaults (rsync and ssh from PATH)', rsync: '', expected: { rsync: NO_RSYNC, ssh: NO_SSH } },
  ...FLAGS.flatMap((flag) =>
    [true, false].map((on) => ({
      description: `rsync.${flag} = ${String(on)}`,
      rsync: `${flag} = ${String(on)}`,
      expected: { rsync: { ...NO_RSYNC, flags: { [flag]: on } }, ssh: NO_SSH },
    })),
  ),
  ...VALUES.map(([key, lua, value]) => ({
    description: `rsync.${key} = ${lua}`,
    rsync: `${key} = ${lua}`,
    expected: { rsync: { ...NO_RSYNC, values: { [key]: value } }, ssh: NO_SSH },
  })),
  {
    description: 'rsync.binary and rsync._extra (numbers written out)',
    rsync: 'binary = "/opt/rsync/bin/rsync", _extra = { "--omit-dir-times", "--max-size", 100 }',
    expected: { rsync: { ...NO_RSYNC, binary: '/opt/rsync/bin/rsync', extra: ['--omit-dir-times', '--max-size', '100'] }, ssh: NO_SSH },
  },
  {
    description: 'a typical mix of flags and values',
    rsync: 'archive = true, compress = true, perms = false, bwlimit = 1000, _extra = {}',
    expected: { rsync: { ...NO_RSYNC, flags: { archive: true, compress: true, perms: false }, values: { bwlimit: 1000 } }, ssh: NO_SSH },
  },
  { description: 'ssh.port as a number', rsync: '', ssh: 'port = 2222', expected: { rsync: NO_RSYNC, ssh: { ...NO_SSH, port: 2222 } } },
  { description: "ssh.port as a string of digits ('2222')", rsync: '', ssh: 'port = "2222"', expected: { rsync: NO_RSYNC, ssh: { ...NO_SSH, port: 2222 } } },
  {
    description: 'ssh.identityFile',
    rsync: '',
    ssh: 'identityFile = "/root/.ssh/id_mirror"',
    expected: { rsync: NO_RSYNC, ssh: { ...NO_SSH, identityFile: '/root/.ssh/id_mirror' } },
  },
  {
    description: 'ssh.options: each k = v, numbers as text',
    rsync: '',
    ssh: 'options = { StrictHostKeyChecking = "yes", ConnectTimeout = 10 }',
    expected: { rsync: NO_RSYNC, ssh: { ...NO_SSH, options: { StrictHostKeyChecking: 'yes', ConnectTimeout: '10' } } },
  },
  {
    description: 'ssh.binary and ssh._extra',
    rsync: '',
    ssh: 'binary = "/usr/local/bin/ssh", _extra = { "-4", "-o", "Compression=yes" }',
    expected: { rsync: NO_RSYNC, ssh: { ...NO_SSH, binary: '/usr/local/bin/ssh', extra: ['-4', '-o', 'Compression=yes'] } },
  },
];

describe('rsync = {} and ssh = {}', () => {
  for (const { description, rsync, ssh, expected } of CASES) {
    it(description, async () => {
      const [sync] = (await importConfig(tables(rsync, ssh))).syncs;
      expect({ rsync: sync?.rsync, ssh: sync?.ssh }).toEqual(expected);
    });
  }

  it('rsync = {} and ssh = {} are taken by default.rsync as well (ssh for host:dir targets)', async () => {
    const config = 'sync { default.rsync, source = "/src", target = "web1:/srv", rsync = { compress = true }, ssh = { port = 22 } }';
    const [sync] = (await importConfig(config)).syncs;
    expect({ rsync: sync?.rsync, ssh: sync?.ssh }).toEqual({ rsync: { ...NO_RSYNC, flags: { compress: true } }, ssh: { ...NO_SSH, port: 22 } });
  });
});

const ERRORS: { description: string; rsync: string; ssh?: string; error: string }[] = [
  { description: 'a flag given a string', rsync: 'compress = "yes"', error: `${FILE}:6: rsync.compress must be true or false (got the string 'yes')` },
  { description: 'a valued option given a boolean', rsync: 'bwlimit = true', error: `${FILE}:6: rsync.bwlimit must be a string or a number (got the boolean true)` },
  { description: 'an unknown rsync key, with a suggestion', rsync: 'hardlinks = true', error: `${FILE}:6: unknown key 'hardlinks' in rsync = {} (did you mean 'hard_links'?)` },
  { description: 'an unknown rsync key, no suggestion', rsync: 'frobnicate = true', error: `${FILE}:6: unknown key 'frobnicate' in rsync = {}` },
  {
    description: 'an lsyncd 2.3 rsync option',
    rsync: 'delete_excluded = true',
    error: `${FILE}:6: not supported: rsync.delete_excluded (an lsyncd 2.3 feature; Tidemark follows lsyncd 2.2.3)`,
  },
  { description: 'rsync.binary empty', rsync: 'binary = ""', error: `${FILE}:6: rsync.binary must be a non-empty string (got the string '')` },
  { description: 'rsync._extra as a string', rsync: '_extra = "--foo"', error: `${FILE}:6: rsync._extra must be a list of strings (got the string '--foo')` },
  { description: 'rsync._extra with a table entry', rsync: '_extra = { "--foo", {} }', error: `${FILE}:6: rsync._extra must be a list of strings (one entry is a list)` },
  { description: 'rsync with a list entry', rsync: '"-a"', error: `${FILE}:6: rsync = { ... } takes only named keys (got the string '-a' as a list entry)` },
  { description: 'ssh.port out of range', rsync: '', ssh: 'port = 70000', error: `${FILE}:7: ssh.port must be a port number from 1 to 65535 (got the number 70000)` },
  { description: 'ssh.port not a number', rsync: '', ssh: 'port = "ssh"', error: `${FILE}:7: ssh.port must be a port number from 1 to 65535 (got the string 'ssh')` },
  { description: 'ssh.identityFile as a number', rsync: '', ssh: 'identityFile = 1', error: `${FILE}:7: ssh.identityFile must be a non-empty string (got the number 1)` },
  {
    description: 'ssh.options as a list',
    rsync: '',
    ssh: 'options = { "StrictHostKeyChecking=no" }',
    error: `${FILE}:7: ssh.options must be a table of key = value pairs, each passed as -o key=value (got a list)`,
  },
  { description: 'ssh.options with a boolean value', rsync: '', ssh: 'options = { BatchMode = true }', error: `${FILE}:7: ssh.options.BatchMode must be a string or a number (got the boolean true)` },
  { description: 'an unknown ssh key, with a suggestion', rsync: '', ssh: 'identity_file = "/k"', error: `${FILE}:7: unknown key 'identity_file' in ssh = {} (did you mean 'identityFile'?)` },
];

describe('rsync = {} and ssh = {} errors', () => {
  for (const { description, rsync, ssh, error } of ERRORS) {
    it(description, async () => {
      expect((await importError(tables(rsync, ssh))).message).toBe(error);
    });
  }

  it('a non-table rsync or ssh is refused at its line', async () => {
    const config = ['sync {', '  default.rsync, source = "/src", target = "/dst",', '  rsync = "-az",', '  ssh = 22,', '}'].join('\n');
    expect((await importError(config)).message).toBe(
      [`${FILE}:3: rsync must be a table such as rsync = { ... } (got the string '-az')`, `${FILE}:4: ssh must be a table such as ssh = { ... } (got the number 22)`].join('\n'),
    );
  });

  it('rsync and ssh keys written straight into sync{} point to their table', async () => {
    const config = ['sync {', '  default.rsyncssh, source = "/src", host = "web1", targetdir = "/srv",', '  compress = true,', '  port = 22,', '}'].join('\n');
    expect((await importError(config)).message).toBe(
      [
        `${FILE}:3: unknown key 'compress' in sync{}: rsync options go inside rsync = { compress = ... }`,
        `${FILE}:4: unknown key 'port' in sync{}: write it inside ssh = { port = ... }`,
      ].join('\n'),
    );
  });
});
