import { describe, expect, it } from 'vitest';
import { evaluateLuaConfig, type RawLuaConfig } from '../../../src-main/core/config/lua-sandbox';
import { ConfigError } from '../../../src-main/core/config/model';

const FILE = '/etc/lsyncd/lsyncd.conf.lua';

/** Runs a config with small limits so the failure cases stay fast. */
function run(config: string, limits: Parameters<typeof evaluateLuaConfig>[2] = {}): Promise<RawLuaConfig> {
  return evaluateLuaConfig(config, FILE, { env: { HOME: '/home/u' }, ...limits });
}

/** The ConfigError a config fails with. */
async function failure(config: string, limits: Parameters<typeof evaluateLuaConfig>[2] = {}): Promise<ConfigError> {
  const error: unknown = await run(config, limits).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!(error instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(error)}`);
  return error;
}

const SHAPES: { description: string; config: string; expected: Partial<RawLuaConfig> }[] = [
  {
    description: 'a multi-line sync{} records the line where `sync` appears',
    config: 'local x = 1\n\nsync\n{\n  default.rsync,\n  source = "/s",\n  target = "/t",\n}\n',
    expected: { syncs: [{ line: 3, table: { '1': { __default: 'rsync' }, source: '/s', target: '/t' } }] },
  },
  {
    description: 'sync() with parentheses and a table built elsewhere',
    config: 'local cfg = { default.direct, source = "/s", target = "/t" }\nsync(cfg)\n',
    expected: { syncs: [{ line: 2, table: { '1': { __default: 'direct' }, source: '/s', target: '/t' } }] },
  },
  {
    description: 'a Lua loop generates one sync per host, each at the loop line',
    config: [
      'local hosts = { "web1", "web2", "web3" }',
      'for _, host in ipairs(hosts) do',
      '  sync { default.rsyncssh, source = "/var/www", host = "deploy@" .. host, targetdir = "/srv/www" }',
      'end',
    ].join('\n'),
    expected: {
      syncs: ['web1', 'web2', 'web3'].map((host) => ({
        line: 3,
        table: { '1': { __default: 'rsyncssh' }, source: '/var/www', host: `deploy@${host}`, targetdir: '/srv/www' },
      })),
    },
  },
  {
    description: 'a helper function that calls sync{} records the line inside the helper',
    config: 'local function mirror(dir)\n  sync { default.rsync, source = dir, target = "/b" .. dir }\nend\nmirror("/a")\nmirror("/c")\n',
    expected: { syncs: [2, 2].map((line, i) => ({ line, table: { '1': { __default: 'rsync' }, source: i === 0 ? '/a' : '/c', target: i === 0 ? '/b/a' : '/b/c' } })) },
  },
  {
    description: 'settings{} (function form) and its positional names',
    config: 'settings {\n  logfile = "/var/log/l.log",\n  "nodaemon",\n}\n',
    expected: { settings: [{ line: 1, form: 'call', table: { '1': 'nodaemon', logfile: '/var/log/l.log' } }] },
  },
  {
    description: 'settings = {} (pre-2.1 assignment form) is read back after the run',
    config: '-- old style\nsettings = {\n  statusFile = "/tmp/s",\n}\n',
    expected: { settings: [{ line: 2, form: 'assign', table: { statusFile: '/tmp/s' } }] },
  },
  {
    description: 'functions inside tables come back as markers',
    config: 'sync { default.rsync, onCreate = function(event) end, action = print }',
    expected: { syncs: [{ line: 1, table: { '1': { __default: 'rsync' }, onCreate: { __function: true }, action: { __function: true } } }] },
  },
  {
    description: 'lists become arrays, {} an empty array, mixed tables objects',
    config: 'sync { default.rsync, exclude = { "*.tmp", ".git" }, filter = {}, rsync = { _extra = { "--bwlimit=10" }, archive = true } }',
    expected: {
      syncs: [{ line: 1, table: { '1': { __default: 'rsync' }, exclude: ['*.tmp', '.git'], filter: [], rsync: { _extra: ['--bwlimit=10'], archive: true } } }],
    },
  },
  {
    description: 'reading lsyncd defaults (default.rsync.rsync, default.rsyncssh.ssh) works',
    config: 'local b = default.rsync.rsync.binary\nlocal d = default.direct.delay\nsync { default.rsync, source = b, target = tostring(d) .. default.rsyncssh.ssh.binary }',
    expected: { syncs: [{ line: 3, table: { '1': { __default: 'rsync' }, source: '/usr/bin/rsync', target: '1/usr/bin/ssh' } }] },
  },
  {
    description: 'os.getenv, string and table libraries are available; print is captured',
    config: 'local home = os.getenv("HOME")\nprint("home is", home)\nsync { default.rsync, source = home .. "/src", target = string.upper("/t") .. table.concat({ "a", "b" }) }',
    expected: { output: ['home is\t/home/u'], syncs: [{ line: 3, table: { '1': { __default: 'rsync' }, source: '/home/u/src', target: '/Tab' } }] },
  },
  {
    description: 'a shebang line and a UTF-8 BOM are skipped like luaL_loadfile does',
    config: '\uFEFF#!/usr/bin/lsyncd\nsync { default.rsync, source = "/s", target = "/t" }',
    expected: { syncs: [{ line: 2, table: { '1': { __default: 'rsync' }, source: '/s', target: '/t' } }] },
  },
  {
    description: 'a table that contains itself is marked, not followed',
    config: 'local t = { default.rsync }\nt.self = t\nsync(t)',
    expected: { syncs: [{ line: 3, table: { '1': { __default: 'rsync' }, self: { __cycle: true } } }] },
  },
];

const ERRORS: { description: string; config: string; error: string; limits?: Parameters<typeof evaluateLuaConfig>[2] }[] = [
  { description: 'syntax error at its line, without chunk noise', config: 'settings {\n  logfile = "/x",\n}\nsync { default.rsync,, }\n', error: `${FILE}:4: unexpected symbol near ','` },
  { description: 'unfinished table reports the end of file', config: 'sync {\n  default.rsync,\n', error: `${FILE}:3: unexpected symbol near <eof>` },
  { description: 'runtime error at its line', config: 'local hosts\n\nfor _, h in ipairs(hosts.list) do end\n', error: `${FILE}:3: attempt to index a nil value (local 'hosts')` },
  { description: 'error() with a message', config: '\nerror("no hosts configured")', error: `${FILE}:2: no hosts configured` },
  { description: 'error() with a table value still names the line', config: '\n\nerror({})', error: `${FILE}:3: error() was raised with a table value` },
  { description: 'os.execute is blocked with a clear message', config: 'local x = 1\nos.execute("rm -rf /")', error: `${FILE}:2: os.execute is not available in a Tidemark config` },
  { description: 'io.open for writing is refused', config: 'local f = io.open("/tmp/x", "w")', error: `${FILE}:1: io.open("/tmp/x", "w"): the config sandbox is read-only` },
  { description: 'io.popen is blocked', config: 'local p = io.popen("ls")', error: `${FILE}:1: io.popen is not available in a Tidemark config` },
  { description: 'require is blocked', config: '\n\nlocal socket = require("socket")', error: `${FILE}:3: require is not available in a Tidemark config` },
  { description: 'dofile of a missing file', config: 'dofile("/nonexistent/other.lua")', error: `${FILE}:1: cannot open /nonexistent/other.lua: No such file or directory` },
  { description: 'load is blocked', config: 'load("return 1")()', error: `${FILE}:1: load is not available in a Tidemark config` },
  { description: 'debug is blocked', config: 'debug.sethook()', error: `${FILE}:1: debug.sethook is not available in a Tidemark config` },
  { description: 'an endless loop hits the timeout', config: 'local n = 0\nwhile true do n = n + 1 end', error: 'evaluation took longer than 300 ms (an endless loop?)', limits: { timeoutMs: 300 } },
  {
    description: 'pcall cannot swallow the timeout',
    config: 'while true do pcall(function() while true do end end) end',
    error: 'evaluation took longer than 300 ms',
    limits: { timeoutMs: 300 },
  },
  { description: 'the memory cap stops a runaway table', config: 'local t = {}\nfor i = 1, 1e9 do t[i] = { i } end', error: 'the config uses more than 8 MiB of memory', limits: { memoryBytes: 8 * 1024 * 1024 } },
  { description: 'byte-code is refused', config: '\x1bLua\x54\x00', error: `${FILE}:1: precompiled Lua byte-code is not accepted` },
];

describe('evaluateLuaConfig', () => {
  for (const { description, config, expected } of SHAPES) {
    it(description, async () => {
      expect(await run(config)).toMatchObject(expected);
    });
  }

  for (const { description, config, error, limits } of ERRORS) {
    it(`fails: ${description}`, async () => {
      const thrown = await failure(config, limits);
      expect(thrown.message).toContain(error);
      expect(thrown.message).not.toContain('[string');
      expect(thrown.message).not.toContain('tidemark-config');
    });
  }

  it('stops `while true do end` within about two seconds with the default limits', async () => {
    const started = Date.now();
    const thrown = await failure('while true do end');
    expect(thrown.message).toBe(`${FILE}:1: evaluation took longer than 2000 ms (an endless loop?)`);
    expect(Date.now() - started).toBeLessThan(3000);
  });

  it('returns the source text for key lookups', async () => {
    const config = 'sync { default.rsync, source = "/s", target = "/t" }';
    expect((await run(config)).source).toBe(config);
  });
});
