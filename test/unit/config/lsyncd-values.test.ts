import { mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadConfigFile } from '../../../src-main/core/config/load';
import { ConfigError, type ConfigWarning, type Settings } from '../../../src-main/core/config/model';
import { expectedSync, FILE, importConfig, importError } from './import-config';

// Values lsyncd 2.2.3 accepts that a stricter reading would refuse, taken with lsyncd's meaning
// and logged as a warning: insist and nodaemon are only tested for truth (`if settings('insist')`
// in default-rsync.lua, `if uSettings.nodaemon` in lsyncd.lua), and maxDelays = 0 makes
// `self.delays:size() < self.config.maxDelays` never true, so every event is acted on at once.

const SYNC = 'sync { default.rsync, source = "/src", target = "/dst" }';
const DEFAULTS: Settings = { statusInterval: 10, nodaemon: false, insist: false, inotifyMode: 'CloseWrite' };
const ON = (key: string, shown: string): string => `${key} is ${shown}; lsyncd only tests it for truth, so ${key} is on (write ${key} = true)`;
const LOOKS_OFF = (key: string, shown: string): string => `${key} is ${shown}, which lsyncd (like Lua) counts as true, so ${key} is on; write ${key} = false to turn it off`;
const ZERO = 'maxDelays = 0: as in lsyncd, every change is shipped at once, without waiting for delay (write delay = 0 to say so, or maxDelays = 1000, the default, to batch)';

/** A warning at `line` of the test config. */
function warning(line: number, detail: string): ConfigWarning {
  return { origin: { file: FILE, line }, detail, message: `${FILE}:${line}: ${detail}` };
}

const CASES: { description: string; config: string; settings?: Partial<Settings>; maxDelays?: number; warnings?: ConfigWarning[] }[] = [
  { description: 'insist = true: no warning', config: `settings { insist = true }\n${SYNC}`, settings: { insist: true } },
  { description: 'insist = 1 is on, with a warning', config: `settings {\n  insist = 1,\n}\n${SYNC}`, settings: { insist: true }, warnings: [warning(2, ON('insist', 'the number 1'))] },
  { description: "insist = 'yes' is on, with a warning", config: `settings { insist = "yes" }\n${SYNC}`, settings: { insist: true }, warnings: [warning(1, ON('insist', "the string 'yes'"))] },
  { description: 'insist = 0 is on in lsyncd (Lua truth), so on here, with a louder warning', config: `settings {\n  insist = 0,\n}\n${SYNC}`, settings: { insist: true }, warnings: [warning(2, LOOKS_OFF('insist', 'the number 0'))] },
  { description: "nodaemon = 'false' is on, with a warning", config: `settings { nodaemon = "false" }\n${SYNC}`, settings: { nodaemon: true }, warnings: [warning(1, LOOKS_OFF('nodaemon', "the string 'false'"))] },
  { description: 'the old settings = {} form takes insist = 1 the same way', config: `settings = {\n  insist = 1,\n}\n${SYNC}`, settings: { insist: true }, warnings: [warning(2, ON('insist', 'the number 1'))] },
  { description: 'maxDelays = 0 in a sync{} is kept, with a warning at its line', config: 'sync {\n  default.rsync,\n  source = "/src",\n  target = "/dst",\n  maxDelays = 0,\n}', maxDelays: 0, warnings: [warning(5, ZERO)] },
  { description: 'maxDelays = 0 in settings{} overrides every sync, as lsyncd (0 is true to Lua)', config: `settings { maxDelays = 0 }\nsync { default.rsync, source = "/src", target = "/dst", maxDelays = 50 }`, settings: { maxDelays: 0 }, maxDelays: 0, warnings: [warning(1, ZERO)] },
  { description: 'maxDelays = 1: no warning', config: 'sync { default.rsync, source = "/src", target = "/dst", maxDelays = 1 }', maxDelays: 1 },
];

const ERRORS: { description: string; config: string; error: string }[] = [
  { description: 'maxDelays = -1 stays an error', config: 'sync { default.rsync, source = "/src", target = "/dst", maxDelays = -1 }', error: '1: maxDelays must be a whole number >= 0 (got the number -1)' },
  { description: "maxDelays = '0' stays an error (lsyncd would fail comparing it at the first event)", config: `settings {\n  maxDelays = "0",\n}\n${SYNC}`, error: "2: maxDelays must be a whole number >= 0 (got the string '0')" },
  {
    description: 'relative paths (lrsync.lua: source = "src", target = "trg") stay refused',
    config: 'settings {\n  statusFile = "/tmp/lsyncd.stat",\n  statusInterval = 1,\n}\nsync{\n  default.rsync,\n  source="src",\n  target="trg",\n}',
    error: "8: refused target: the target 'trg' is a relative path: give an absolute one (a detached daemon runs in /, so it would point somewhere else)",
  },
];

describe('values lsyncd accepts, with its meaning and a warning', () => {
  for (const { description, config, settings, maxDelays, warnings } of CASES) {
    it(description, async () => {
      const imported = await importConfig(config);
      expect(imported.settings).toEqual({ ...DEFAULTS, ...settings });
      expect(imported.syncs).toEqual([expectedSync('rsync', imported.syncs[0]?.origin.line ?? 0, maxDelays === undefined ? {} : { maxDelays })]);
      expect(imported.warnings).toEqual(warnings);
    });
  }

  for (const { description, config, error } of ERRORS) {
    it(`fails: ${description}`, async () => {
      expect((await importError(config)).message).toBe(`${FILE}:${error}`);
    });
  }
});

const DIR = realpathSync(mkdtempSync(join(tmpdir(), 'tidemark-values-')));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
writeFileSync(join(DIR, 'hosts.lua'), 'settings {\n  insist = 1,\n}\nsync {\n  default.rsync,\n  source = "/src",\n  target = "/dst",\n  Delay = 3,\n}\n');
writeFileSync(join(DIR, 'main.lua'), '-- includes its neighbour by its own directory\nlocal here = debug.getinfo(1, "S").source:match("^@(.*/)")\ndofile(here .. "hosts.lua")\nsync { default.rsync, source = "/a", target = "/b", delete = "yes" }\n');

describe('syncs and settings in an included file are checked against that file', () => {
  it('errors name the included file and the key line, after the config own errors', async () => {
    const thrown: unknown = await loadConfigFile('main.lua', { cwd: DIR }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).message).toBe(
      [`main.lua:4: delete must be true, false, 'startup' or 'running' (got the string 'yes')`, `${DIR}/hosts.lua:8: unknown key 'Delay' in sync{} (did you mean 'delay'?)`].join('\n'),
    );
  });

  it('warnings name the included file too', async () => {
    writeFileSync(join(DIR, 'ok.lua'), 'dofile("hosts.lua")');
    writeFileSync(join(DIR, 'hosts.lua'), 'settings {\n  insist = 1,\n}\n' + SYNC);
    const config = await loadConfigFile('ok.lua', { cwd: DIR });
    expect(config.warnings?.map((each) => each.message)).toEqual([`hosts.lua:2: ${ON('insist', 'the number 1')}`]);
  });
});
