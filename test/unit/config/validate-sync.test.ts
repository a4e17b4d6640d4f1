import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { SyncConfig } from '../../../src-main/core/config/model';
import { expectedSync, importConfig } from './import-config';

const DIR = mkdtempSync(join(tmpdir(), 'tidemark-sync-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
writeFileSync(join(DIR, 'filters.txt'), '# keep sources\n+ *.c\n\n- *.o\nexclude build/\ninclude /docs/\n');
writeFileSync(join(DIR, 'excludes.txt'), '# editor files\n*.swp\n- .git/\n+ ignored-include\n\n  *~\n');

/** A sync{} call: `sync {` on line 1 with one key a line, so the key lines are 2, 3, ... */
function block(kind: string, ...keys: string[]): string {
  return ['sync {', `  default.${kind},`, ...keys.map((key) => `  ${key},`), '}'].join('\n');
}

const RSYNC = ['source = "/src"', 'target = "/dst"'];
const SSH_TARGET = { kind: 'ssh', host: 'deploy@web1', dir: '/srv/www' } as const;

const CASES: { description: string; config: string; cwd?: string; expected: readonly SyncConfig[] }[] = [
  { description: 'default.rsync with only source and target takes lsyncd 2.2.3 defaults (delay 15, maxDelays 1000)', config: block('rsync', ...RSYNC), expected: [expectedSync('rsync', 1, {})] },
  {
    description: 'default.rsyncssh takes host and targetdir, delay 15',
    config: block('rsyncssh', 'source = "/src"', 'host = "deploy@web1"', 'targetdir = "/srv/www"'),
    expected: [expectedSync('rsyncssh', 1, { target: SSH_TARGET })],
  },
  { description: 'default.direct defaults to delay 1', config: block('direct', ...RSYNC), expected: [expectedSync('direct', 1, { delay: 1 })] },
  {
    description: 'default.rsync to host:dir is an ssh target',
    config: block('rsync', 'source = "/src"', 'target = "deploy@web1:/srv/www"'),
    expected: [expectedSync('rsync', 1, { target: SSH_TARGET })],
  },
  {
    description: 'default.rsync to rsync://user@host:port/module/dir is an rsync daemon target',
    config: block('rsync', 'source = "/src"', 'target = "rsync://backup@nas:8730/mirror/www/"'),
    expected: [expectedSync('rsync', 1, { target: { kind: 'rsyncd', address: 'rsync://backup@nas:8730/mirror/www', host: 'nas', user: 'backup', port: 8730, module: 'mirror', dir: 'www' } })],
  },
  {
    description: 'default.rsync to host::module is an rsync daemon target (the module root)',
    config: block('rsync', 'source = "/src"', 'target = "nas::mirror"'),
    expected: [expectedSync('rsync', 1, { target: { kind: 'rsyncd', address: 'nas::mirror', host: 'nas', module: 'mirror', dir: '' } })],
  },
  {
    description: 'a relative source resolves against the working directory, trailing slash dropped',
    config: block('rsync', 'source = "src/"', 'target = "/srv/backup/"'),
    cwd: '/work',
    expected: [expectedSync('rsync', 1, { source: '/work/src', target: { kind: 'local', dir: '/srv/backup' } })],
  },
  { description: 'delay', config: block('rsync', ...RSYNC, 'delay = 3'), expected: [expectedSync('rsync', 1, { delay: 3 })] },
  { description: 'watcher (Tidemark\'s own key) picks polling', config: block('rsync', ...RSYNC, 'watcher = "poll"'), expected: [expectedSync('rsync', 1, { watcher: 'poll' })] },
  { description: 'watcher = "chokidar"', config: block('rsync', ...RSYNC, 'watcher = "chokidar"'), expected: [expectedSync('rsync', 1, { watcher: 'chokidar' })] },
  // Tidemark's own safety keys, in every kind; absent keys stay absent (core/safety's defaults apply)
  ...(['ask', 'pull', 'keep', 'trash', 'delete'] as const).map((reconcile) => ({
    description: `reconcile = '${reconcile}'`,
    config: block('rsync', ...RSYNC, `reconcile = "${reconcile}"`),
    expected: [expectedSync('rsync', 1, { reconcile })],
  })),
  { description: 'maxDeletes = 1 (the least)', config: block('rsync', ...RSYNC, 'maxDeletes = 1'), expected: [expectedSync('rsync', 1, { maxDeletes: 1 })] },
  { description: 'maxDeletes = 500', config: block('direct', ...RSYNC, 'maxDeletes = 500'), expected: [expectedSync('direct', 1, { delay: 1, maxDeletes: 500 })] },
  { description: 'maxDeletes = false (no limit)', config: block('rsync', ...RSYNC, 'maxDeletes = false'), expected: [expectedSync('rsync', 1, { maxDeletes: false })] },
  { description: 'maxDeletePercent = 100 (the most)', config: block('rsync', ...RSYNC, 'maxDeletePercent = 100'), expected: [expectedSync('rsync', 1, { maxDeletePercent: 100 })] },
  { description: 'maxDeletePercent = 0.5 (fractions)', config: block('rsync', ...RSYNC, 'maxDeletePercent = 0.5'), expected: [expectedSync('rsync', 1, { maxDeletePercent: 0.5 })] },
  { description: 'maxDeletePercent = false (no limit)', config: block('rsync', ...RSYNC, 'maxDeletePercent = false'), expected: [expectedSync('rsync', 1, { maxDeletePercent: false })] },
  { description: 'maxDeleteWindow = 300 (five minutes)', config: block('rsync', ...RSYNC, 'maxDeleteWindow = 300'), expected: [expectedSync('rsync', 1, { maxDeleteWindow: 300 })] },
  { description: 'maxDeleteWindow = 0 (each batch alone)', config: block('rsync', ...RSYNC, 'maxDeleteWindow = 0'), expected: [expectedSync('rsync', 1, { maxDeleteWindow: 0 })] },
  { description: 'trash = true', config: block('rsync', ...RSYNC, 'trash = true'), expected: [expectedSync('rsync', 1, { trash: true })] },
  { description: 'trash = false', config: block('rsync', ...RSYNC, 'trash = false'), expected: [expectedSync('rsync', 1, { trash: false })] },
  { description: 'trashDays = 0 (kept until the next startup prune)', config: block('rsync', ...RSYNC, 'trashDays = 0'), expected: [expectedSync('rsync', 1, { trashDays: 0 })] },
  { description: 'trashDays = 7', config: block('rsync', ...RSYNC, 'trashDays = 7'), expected: [expectedSync('rsync', 1, { trashDays: 7 })] },
  { description: 'trashDays = 0.5 (fractional days)', config: block('rsync', ...RSYNC, 'trashDays = 0.5'), expected: [expectedSync('rsync', 1, { trashDays: 0.5 })] },
  { description: 'a safety key set to nil is absent', config: block('rsync', ...RSYNC, 'reconcile = nil', 'trash = nil'), expected: [expectedSync('rsync', 1, {})] },
  {
    description: 'all five safety keys in default.rsyncssh',
    config: block('rsyncssh', 'source = "/src"', 'host = "deploy@web1"', 'targetdir = "/srv/www"', 'reconcile = "keep"', 'maxDeletes = 20', 'maxDeletePercent = 5', 'trash = true', 'trashDays = 14'),
    expected: [expectedSync('rsyncssh', 1, { target: SSH_TARGET, reconcile: 'keep', maxDeletes: 20, maxDeletePercent: 5, trash: true, trashDays: 14 })],
  },
  {
    description: 'all five safety keys in default.direct',
    config: block('direct', ...RSYNC, 'reconcile = "trash"', 'maxDeletes = false', 'maxDeletePercent = false', 'trash = false', 'trashDays = 30'),
    expected: [expectedSync('direct', 1, { delay: 1, reconcile: 'trash', maxDeletes: false, maxDeletePercent: false, trash: false, trashDays: 30 })],
  },
  {
    description: 'safety keys inherited from a base table, own keys winning',
    config: ['local safe = { default.rsync, reconcile = "ask", maxDeletes = 10, trash = true }', 'sync { safe, source = "/src", target = "/dst", maxDeletes = 3 }'].join('\n'),
    expected: [expectedSync('rsync', 2, { reconcile: 'ask', maxDeletes: 3, trash: true })],
  },
  { description: 'delay = 0 is allowed', config: block('rsync', ...RSYNC, 'delay = 0'), expected: [expectedSync('rsync', 1, { delay: 0 })] },
  { description: 'fractional delay', config: block('direct', ...RSYNC, 'delay = 0.5'), expected: [expectedSync('direct', 1, { delay: 0.5 })] },
  { description: 'maxDelays', config: block('rsync', ...RSYNC, 'maxDelays = 20'), expected: [expectedSync('rsync', 1, { maxDelays: 20 })] },
  { description: 'maxProcesses', config: block('rsync', ...RSYNC, 'maxProcesses = 4'), expected: [expectedSync('rsync', 1, { maxProcesses: 4 })] },
  {
    description: 'maxProcesses = 1 is accepted for default.rsyncssh',
    config: block('rsyncssh', 'source = "/src"', 'host = "deploy@web1"', 'targetdir = "/srv/www"', 'maxProcesses = 1'),
    expected: [expectedSync('rsyncssh', 1, { target: SSH_TARGET })],
  },
  { description: 'delete = true', config: block('rsync', ...RSYNC, 'delete = true'), expected: [expectedSync('rsync', 1, { delete: true })] },
  { description: 'delete = false', config: block('rsync', ...RSYNC, 'delete = false'), expected: [expectedSync('rsync', 1, { delete: false })] },
  { description: "delete = 'startup'", config: block('rsync', ...RSYNC, "delete = 'startup'"), expected: [expectedSync('rsync', 1, { delete: 'startup' })] },
  { description: "delete = 'running'", config: block('rsync', ...RSYNC, "delete = 'running'"), expected: [expectedSync('rsync', 1, { delete: 'running' })] },
  { description: 'init = false skips the startup sync', config: block('rsync', ...RSYNC, 'init = false'), expected: [expectedSync('rsync', 1, { init: false })] },
  { description: 'init = true', config: block('direct', ...RSYNC, 'init = true'), expected: [expectedSync('direct', 1, { init: true })] },
  {
    description: 'exclude as a string is one - rule',
    config: block('rsync', ...RSYNC, 'exclude = "*.tmp"'),
    expected: [expectedSync('rsync', 1, { filters: [{ action: '-', pattern: '*.tmp' }] })],
  },
  {
    description: 'exclude as a list keeps its order and drops repeats',
    config: block('rsync', ...RSYNC, 'exclude = { ".git/", "*.tmp", ".git/" }'),
    expected: [expectedSync('rsync', 1, { filters: [{ action: '-', pattern: '.git/' }, { action: '-', pattern: '*.tmp' }] })],
  },
  { description: 'exclude = {} adds nothing', config: block('rsync', ...RSYNC, 'exclude = {}'), expected: [expectedSync('rsync', 1, {})] },
  {
    description: 'filter as a string',
    config: block('rsync', ...RSYNC, 'filter = "- *.bak"'),
    expected: [expectedSync('rsync', 1, { filters: [{ action: '-', pattern: '*.bak' }] })],
  },
  {
    description: 'filter as a list: + and - rules in order (first match wins)',
    config: block('rsync', ...RSYNC, "filter = { '+ /keep/**', '-/drop/', '- *' }"),
    expected: [expectedSync('rsync', 1, { filters: [{ action: '+', pattern: '/keep/**' }, { action: '-', pattern: '/drop/' }, { action: '-', pattern: '*' }] })],
  },
  {
    description: 'filterFrom reads a rule file (comments and blank lines skipped, include/exclude words accepted)',
    config: block('rsync', ...RSYNC, `filterFrom = "${join(DIR, 'filters.txt')}"`),
    expected: [
      expectedSync('rsync', 1, {
        filters: [
          { action: '+', pattern: '*.c' },
          { action: '-', pattern: '*.o' },
          { action: '-', pattern: 'build/' },
          { action: '+', pattern: '/docs/' },
        ],
      }),
    ],
  },
  {
    description: "excludeFrom reads one pattern a line, ignoring comments and '+' lines as lsyncd 2.2.3 does",
    config: block('rsync', ...RSYNC, `excludeFrom = "${join(DIR, 'excludes.txt')}"`),
    expected: [expectedSync('rsync', 1, { filters: [{ action: '-', pattern: '*.swp' }, { action: '-', pattern: '.git/' }, { action: '-', pattern: '*~' }] })],
  },
  {
    description: 'a relative excludeFrom resolves against the working directory',
    config: block('direct', ...RSYNC, 'excludeFrom = "excludes.txt"'),
    expected: [expectedSync('direct', 1, { filters: [{ action: '-', pattern: '*.swp' }, { action: '-', pattern: '.git/' }, { action: '-', pattern: '*~' }] })],
  },
  {
    description: 'all four together: filter, then filterFrom, then exclude and excludeFrom without repeats',
    config: block('rsync', ...RSYNC, 'exclude = { "*.swp", "*.log" }', 'excludeFrom = "excludes.txt"', "filter = '+ keep.log'", 'filterFrom = "filters.txt"'),
    expected: [
      expectedSync('rsync', 1, {
        filters: [
          { action: '+', pattern: 'keep.log' },
          { action: '+', pattern: '*.c' },
          { action: '-', pattern: '*.o' },
          { action: '-', pattern: 'build/' },
          { action: '+', pattern: '/docs/' },
          { action: '-', pattern: '*.swp' },
          { action: '-', pattern: '*.log' },
          { action: '-', pattern: '.git/' },
          { action: '-', pattern: '*~' },
        ],
      }),
    ],
  },
  {
    description: 'several sync{} blocks, each with its own line',
    config: [
      'sync { default.rsync, source = "/src", target = "/dst" }',
      '',
      'sync { default.direct, source = "/a", target = "/b", delay = 2 }',
      'sync { default.rsyncssh, source = "/src", host = "deploy@web1", targetdir = "/srv/www", delete = false }',
    ].join('\n'),
    expected: [
      expectedSync('rsync', 1, {}),
      expectedSync('direct', 3, { source: '/a', target: { kind: 'local', dir: '/b' }, delay: 2 }),
      expectedSync('rsyncssh', 4, { target: SSH_TARGET, delete: false }),
    ],
  },
  {
    description: 'syncs generated by a Lua loop, each with its own values',
    config: [
      'local sites = { { "blog", 5 }, { "shop", 10 } }',
      'for _, site in ipairs(sites) do',
      '  sync {',
      '    default.rsyncssh,',
      '    source = "/var/www/" .. site[1],',
      '    host = "deploy@" .. site[1] .. ".example.org",',
      '    targetdir = "/srv/" .. site[1],',
      '    delay = site[2],',
      '  }',
      'end',
    ].join('\n'),
    expected: ['blog', 'shop'].map((site, i) =>
      expectedSync('rsyncssh', 3, { source: `/var/www/${site}`, target: { kind: 'ssh', host: `deploy@${site}.example.org`, dir: `/srv/${site}` }, delay: [5, 10][i] }),
    ),
  },
  {
    description: 'keys inherited from a table in the positional part (lsyncd inheritance), own keys winning',
    config: ['local base = { default.rsync, delay = 7, exclude = "*.tmp", init = false }', 'sync { base, source = "/src", target = "/dst", delay = 2 }'].join('\n'),
    expected: [expectedSync('rsync', 2, { delay: 2, init: false, filters: [{ action: '-', pattern: '*.tmp' }] })],
  },
  {
    description: 'settings{ maxDelays, maxProcesses } override every sync, as lsyncd Syncs.add does; rsyncssh keeps one process',
    config: [
      'settings { maxDelays = 50, maxProcesses = 3 }',
      'sync { default.rsync, source = "/src", target = "/dst", maxDelays = 9, maxProcesses = 2 }',
      'sync { default.rsyncssh, source = "/src", host = "deploy@web1", targetdir = "/srv/www" }',
    ].join('\n'),
    expected: [expectedSync('rsync', 2, { maxDelays: 50, maxProcesses: 3 }), expectedSync('rsyncssh', 3, { target: SSH_TARGET, maxDelays: 50, maxProcesses: 1 })],
  },
];

describe('sync{} into SyncConfig', () => {
  for (const { description, config, cwd = DIR, expected } of CASES) {
    it(description, async () => {
      expect((await importConfig(config, { cwd })).syncs).toEqual(expected);
    });
  }
});
