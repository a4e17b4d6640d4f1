import { describe, expect, it } from 'vitest';
import type { Settings } from '../../../src-main/core/config/model';
import { FILE, importConfig, importError } from './import-config';

/** lsyncd 2.2.3's settings when the config sets none. */
const DEFAULTS: Settings = { statusInterval: 10, nodaemon: false, insist: false, inotifyMode: 'CloseWrite' };

/** The two forms lsyncd accepts: the settings{} call and the pre-2.1 assignment. */
const FORMS = [
  { name: 'settings {}', open: 'settings {' },
  { name: 'settings = {}', open: 'settings = {' },
] as const;

const SYNC = 'sync { default.rsync, source = "/src", target = "/dst" }';

/** A config with a comment on line 1, the settings table opening on line 2, one entry a line from line 3. */
function config(open: string, entries: readonly string[]): string {
  return ['-- lsyncd.conf.lua', open, ...entries.map((entry) => `  ${entry},`), '}', SYNC].join('\n');
}

const CASES: { description: string; entries: readonly string[]; expected: Partial<Settings> }[] = [
  { description: 'an empty table keeps the defaults', entries: [], expected: {} },
  { description: 'logfile', entries: ['logfile = "/var/log/lsyncd/lsyncd.log"'], expected: { logfile: '/var/log/lsyncd/lsyncd.log' } },
  { description: 'a relative logfile resolves against the working directory', entries: ['logfile = "logs/l.log"'], expected: { logfile: '/work/logs/l.log' } },
  { description: 'statusFile', entries: ['statusFile = "/var/log/lsyncd/lsyncd.status"'], expected: { statusFile: '/var/log/lsyncd/lsyncd.status' } },
  { description: 'statusInterval', entries: ['statusInterval = 20'], expected: { statusInterval: 20 } },
  { description: 'statusInterval = 0', entries: ['statusInterval = 0'], expected: { statusInterval: 0 } },
  { description: 'nodaemon = true', entries: ['nodaemon = true'], expected: { nodaemon: true } },
  { description: 'nodaemon = false', entries: ['nodaemon = false'], expected: { nodaemon: false } },
  { description: 'pidfile', entries: ['pidfile = "/run/lsyncd.pid"'], expected: { pidfile: '/run/lsyncd.pid' } },
  { description: 'insist', entries: ['insist = true'], expected: { insist: true } },
  { description: "inotifyMode = 'CloseWrite'", entries: ['inotifyMode = "CloseWrite"'], expected: { inotifyMode: 'CloseWrite' } },
  { description: "inotifyMode = 'Modify'", entries: ['inotifyMode = "Modify"'], expected: { inotifyMode: 'Modify' } },
  { description: "inotifyMode = 'CloseWrite or Modify'", entries: ['inotifyMode = "CloseWrite or Modify"'], expected: { inotifyMode: 'CloseWrite or Modify' } },
  { description: 'maxProcesses', entries: ['maxProcesses = 4'], expected: { maxProcesses: 4 } },
  { description: 'maxDelays', entries: ['maxDelays = 500'], expected: { maxDelays: 500 } },
  { description: 'logfacility', entries: ['logfacility = "daemon"'], expected: { logfacility: 'daemon' } },
  { description: 'logident', entries: ['logident = "lsyncd-www"'], expected: { logident: 'lsyncd-www' } },
  { description: "a list entry 'nodaemon' means nodaemon = true", entries: ['"nodaemon"'], expected: { nodaemon: true } },
  { description: "a list entry 'insist' means insist = true", entries: ['"insist"'], expected: { insist: true } },
  {
    description: 'every key at once',
    entries: [
      'logfile = "/var/log/l.log"',
      'statusFile = "/var/log/l.status"',
      'statusInterval = 1',
      'nodaemon = true',
      'pidfile = "/run/l.pid"',
      'insist = true',
      'inotifyMode = "Modify"',
      'maxProcesses = 2',
      'maxDelays = 3',
      'logfacility = "local0"',
      'logident = "mirror"',
    ],
    expected: {
      logfile: '/var/log/l.log',
      statusFile: '/var/log/l.status',
      statusInterval: 1,
      nodaemon: true,
      pidfile: '/run/l.pid',
      insist: true,
      inotifyMode: 'Modify',
      maxProcesses: 2,
      maxDelays: 3,
      logfacility: 'local0',
      logident: 'mirror',
    },
  },
];

describe('settings into Settings', () => {
  for (const form of FORMS) {
    for (const { description, entries, expected } of CASES) {
      it(`${form.name}: ${description}`, async () => {
        expect((await importConfig(config(form.open, entries))).settings).toEqual({ ...DEFAULTS, ...expected });
      });
    }
  }

  it('no settings at all gives the defaults (statusInterval 10)', async () => {
    expect((await importConfig(SYNC)).settings).toEqual(DEFAULTS);
  });

  it('several settings{} calls merge, later keys winning, and the assignment form comes last', async () => {
    const text = ['settings { logfile = "/a.log", statusInterval = 5 }', 'settings { logfile = "/b.log" }', 'settings = { logfile = "/c.log", logident = "c" }', SYNC].join('\n');
    expect((await importConfig(text)).settings).toEqual({ ...DEFAULTS, logfile: '/c.log', logident: 'c', statusInterval: 5 });
  });

  it("settings('key') reads back what settings{} set, as lsyncd's function does", async () => {
    const text = ['settings { logfile = "/a.log" }', 'sync { default.rsync, source = "/src", target = "/dst", exclude = settings("logfile") }'].join('\n');
    expect((await importConfig(text)).syncs[0]?.filters).toEqual([{ action: '-', pattern: '/a.log' }]);
  });
});

const ERRORS: { description: string; entries: readonly string[]; error: string }[] = [
  { description: 'a misspelt key names the right one', entries: ['statusIntervall = 20'], error: "3: unknown key 'statusIntervall' in settings{} (did you mean 'statusInterval'?)" },
  { description: 'a key in the wrong case', entries: ['logFile = "/l"'], error: "3: unknown key 'logFile' in settings{} (did you mean 'logfile'?)" },
  { description: 'an unknown key without a near name', entries: ['frobnicate = 1'], error: "3: unknown key 'frobnicate' in settings{}" },
  { description: 'delay belongs in sync{}', entries: ['delay = 5'], error: "3: unknown key 'delay' in settings{}: delay is set in each sync{} (or for all syncs with the -delay option), not in settings{}" },
  { description: 'an lsyncd 2.3 key', entries: ['onepass = true'], error: '3: not supported: onepass in settings{} (an lsyncd 2.3 feature; Tidemark follows lsyncd 2.2.3)' },
  { description: 'logfile as a number', entries: ['logfile = 3'], error: '3: logfile must be a non-empty string (got the number 3)' },
  { description: 'statusFile empty', entries: ['statusFile = ""'], error: "3: statusFile must be a non-empty string (got the string '')" },
  { description: 'statusInterval negative', entries: ['statusInterval = -1'], error: '3: statusInterval must be a number >= 0 (got the number -1)' },
  { description: 'statusInterval as a string', entries: ['statusInterval = "10"'], error: "3: statusInterval must be a number >= 0 (got the string '10')" },
  { description: 'maxProcesses fractional', entries: ['maxProcesses = 1.5'], error: '3: maxProcesses must be a whole number >= 1 (got the number 1.5)' },
  { description: 'maxDelays negative', entries: ['maxDelays = -1'], error: '3: maxDelays must be a whole number >= 0 (got the number -1)' },
  { description: 'inotifyMode in the wrong case', entries: ['inotifyMode = "closewrite"'], error: "3: inotifyMode must be one of 'CloseWrite', 'Modify', 'CloseWrite or Modify' (got the string 'closewrite')" },
  { description: 'logident as a table', entries: ['logident = {}'], error: '3: logident must be a non-empty string (got a list)' },
  { description: 'a list entry that is no name', entries: ['42'], error: '2: settings{} list entries must be setting names (got the number 42)' },
  { description: 'an error on a later line points at that line', entries: ['logfile = "/l"', 'nodaemon = true', 'pidfile = false'], error: '5: pidfile must be a non-empty string (got the boolean false)' },
];

describe('settings errors', () => {
  for (const form of FORMS) {
    for (const { description, entries, error } of ERRORS) {
      it(`${form.name}: ${description}`, async () => {
        expect((await importError(config(form.open, entries))).message).toBe(`${FILE}:${error}`);
      });
    }
  }

  it('the assignment form split over two lines (settings =, then {) still names the key line', async () => {
    const text = ['-- old style', '', 'settings =', '{', '  nodaemon = true,', '  logfile = 3,', '}', SYNC].join('\n');
    expect((await importError(text)).message).toBe(`${FILE}:6: logfile must be a non-empty string (got the number 3)`);
  });

  it('settings that are not a table', async () => {
    expect((await importError(['-- x', 'settings = "nodaemon"', SYNC].join('\n'))).message).toBe(
      `${FILE}:2: settings must be a table, as in settings { logfile = '...' } (got the string 'nodaemon')`,
    );
  });

  it('several mistakes are all reported, one line each, in line order', async () => {
    const text = config('settings {', ['statusIntervall = 20', 'pidfile = false']);
    expect((await importError(text)).message).toBe(
      [`${FILE}:3: unknown key 'statusIntervall' in settings{} (did you mean 'statusInterval'?)`, `${FILE}:4: pidfile must be a non-empty string (got the boolean false)`].join('\n'),
    );
  });
});
