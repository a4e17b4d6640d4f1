import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile, type LoadOptions } from '../../../src-main/core/config/load';
import { ConfigError, type TidemarkConfig } from '../../../src-main/core/config/model';

const DIR = mkdtempSync(join(tmpdir(), 'tidemark-load-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
mkdirSync(join(DIR, 'etc'));
writeFileSync(join(DIR, 'etc', 'excludes'), '*.swp\n');

/** Writes `text` as DIR/etc/NAME and returns the name relative to DIR. */
function configFile(name: string, text: string): string {
  writeFileSync(join(DIR, 'etc', name), text);
  return `etc/${name}`;
}

const GOOD = configFile(
  'good.lua',
  [
    'settings {',
    '  logfile = "log/lsyncd.log",',
    '  statusFile = "/tmp/status",',
    '}',
    'sync {',
    '  default.rsync,',
    '  source = "www",',
    '  target = "web1:/srv/www",',
    '  excludeFrom = "etc/excludes",',
    '  rsync = { compress = true },',
    '}',
  ].join('\n'),
);

const GOOD_CONFIG: TidemarkConfig = {
  settings: { statusInterval: 10, nodaemon: false, insist: false, inotifyMode: 'CloseWrite', logfile: `${DIR}/log/lsyncd.log`, statusFile: '/tmp/status' },
  syncs: [
    {
      kind: 'rsync',
      source: `${DIR}/www`,
      target: { kind: 'ssh', host: 'web1', dir: '/srv/www' },
      delay: 15,
      maxDelays: 1000,
      maxProcesses: 1,
      delete: true,
      init: true,
      filters: [{ action: '-', pattern: '*.swp' }],
      rsync: { binary: 'rsync', flags: { compress: true }, values: {}, extra: [] },
      ssh: { binary: 'ssh', options: {}, extra: [] },
      origin: { file: GOOD, line: 5 },
    },
  ],
};

const CASES: { description: string; path: string; options?: Partial<LoadOptions>; expected: TidemarkConfig }[] = [
  { description: 'a config with relative paths resolves them against cwd; origins name the path as given', path: GOOD, expected: GOOD_CONFIG },
  {
    description: 'command-line overrides win over settings{} and set every delay',
    path: GOOD,
    options: { overrides: { log: ['all'], nodaemon: true, logfile: 'cli.log', pidfile: 'run/l.pid', delay: 2 } },
    expected: {
      settings: { ...GOOD_CONFIG.settings, nodaemon: true, logfile: `${DIR}/cli.log`, pidfile: `${DIR}/run/l.pid` },
      syncs: GOOD_CONFIG.syncs.map((sync) => ({ ...sync, delay: 2 })),
    },
  },
  {
    description: 'an injected readFile serves excludeFrom',
    path: GOOD,
    options: { readFile: (path) => (path === `${DIR}/etc/excludes` ? '*.bak\n' : '') },
    expected: { ...GOOD_CONFIG, syncs: GOOD_CONFIG.syncs.map((sync) => ({ ...sync, filters: [{ action: '-', pattern: '*.bak' }] })) },
  },
];

const ERRORS: { description: string; path: string; options?: Partial<LoadOptions>; message: string; line: number }[] = [
  {
    description: 'a missing config file names the path, without a line',
    path: 'etc/missing.lua',
    message: `etc/missing.lua: cannot read config: ENOENT: no such file or directory, open '${DIR}/etc/missing.lua'`,
    line: 0,
  },
  { description: 'a Lua error names path:line', path: configFile('syntax.lua', '-- x\nsync { default.rsync,, }'), message: "etc/syntax.lua:2: unexpected symbol near ','", line: 2 },
  {
    description: 'a validation error names path:line',
    path: configFile('delay.lua', 'sync {\n  default.rsync,\n  source = "/s",\n  target = "/t",\n  Delay = 1,\n}'),
    message: "etc/delay.lua:5: unknown key 'Delay' in sync{} (did you mean 'delay'?)",
    line: 5,
  },
  {
    description: 'the limits reach the sandbox',
    path: configFile('loop.lua', '\nwhile true do end'),
    options: { limits: { timeoutMs: 100 } },
    message: 'etc/loop.lua:2: evaluation took longer than 100 ms (an endless loop?)',
    line: 2,
  },
];

describe('loadConfigFile', () => {
  for (const { description, path, options, expected } of CASES) {
    it(description, async () => {
      expect(await loadConfigFile(path, { cwd: DIR, ...options })).toEqual(expected);
    });
  }

  for (const { description, path, options, message, line } of ERRORS) {
    it(`fails: ${description}`, async () => {
      const thrown: unknown = await loadConfigFile(path, { cwd: DIR, ...options }).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toBe(message);
      expect((thrown as ConfigError).origin).toEqual({ file: path, line });
    });
  }
});
