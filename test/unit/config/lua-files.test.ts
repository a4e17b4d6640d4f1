import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { evaluateLuaConfig, type LuaLimits, type RawLuaConfig } from '../../../src-main/core/config/lua-sandbox';
import { ConfigError } from '../../../src-main/core/config/model';

// Configs that read their surroundings, read-only: io.open / io.lines on a host list, dofile of a
// shared file, lsyncd's readdir, and debug.getinfo to find the config's own directory.

const DIR = realpathSync(mkdtempSync(join(tmpdir(), 'tidemark-files-')));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));

/** Writes DIR/NAME (directories made on the way) and returns its absolute path. */
function file(name: string, text: string): string {
  const path = join(DIR, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
}

const CONFIG = file('etc/lsyncd.conf.lua', '-- the config under test is given as text; this file makes its real path exist\n');
file('etc/hosts.txt', 'web1\n# a comment\nweb2\n\nweb3');
file('etc/common.lua', 'targets = { "/srv/a", "/srv/b" }\nreturn "common", 2\n');
file('etc/broken.lua', 'local x = 1\n\nlocal y = x.field.missing\n');
file('etc/syntax.lua', '-- fine so far\nsync { default.rsync,, }\n');
file('etc/loop-a.lua', 'dofile("etc/loop-b.lua")\n');
file('etc/loop-b.lua', '\n\ndofile("etc/loop-a.lua")\n');
file('etc/self.lua', '\ndofile(debug.getinfo(1, "S").source:sub(2))\n');
file('etc/tail.lua', 'return dofile("etc/tail.lua")\n');
file('etc/spin.lua', 'local n = 0\nwhile true do n = n + 1 end\n');
file('etc/with-sync.lua', '-- shared\nsync { default.rsync, source = "/src", target = "/dst" }\n');
file('etc/shebang.lua', '#!/usr/bin/lsyncd\nshebang = debug.getinfo(1, "S").source\n');
file('etc/where.lua', 'return debug.getinfo(1, "S").source, debug.getinfo(1, "l").currentline\n');
file('www/site1/index.html', '');
file('www/site2/index.html', '');
file('www/README', '');
symlinkSync(join(DIR, 'www/site1'), join(DIR, 'www/link'));

/** Runs `config` as if it were DIR/etc/lsyncd.conf.lua, started from DIR. */
function run(config: string, limits: LuaLimits = {}): Promise<RawLuaConfig> {
  return evaluateLuaConfig(config, 'etc/lsyncd.conf.lua', { env: {}, cwd: DIR, configPath: CONFIG, ...limits });
}

const CASES: { description: string; config: string; expected: Partial<RawLuaConfig> }[] = [
  {
    description: "debug.getinfo(1, 'S').source is '@' and the config's real path, as lsyncd loads it",
    config: 'local info = debug.getinfo(1, "S")\nprint(info.source, info.short_src, info.what, debug.getinfo(1, "l").currentline)',
    expected: { output: [`@${CONFIG}\t${CONFIG}\tmain\t2`] },
  },
  {
    description: "the config's directory from debug.getinfo, then dofile of a sibling; dofile returns what the file returns",
    config: 'local here = debug.getinfo(1, "S").source:match("^@(.*/)")\nprint(dofile(here .. "common.lua"))\nprint(targets[2])',
    expected: { output: ['common\t2', '/srv/b'], includes: [{ name: `${DIR}/etc/common.lua`, source: 'targets = { "/srv/a", "/srv/b" }\nreturn "common", 2\n' }] },
  },
  {
    description: 'a relative dofile resolves against the cwd, as Lua does',
    config: 'dofile("etc/common.lua")\nprint(#targets)',
    expected: { output: ['2'] },
  },
  {
    description: "an included file's debug.getinfo shows it under the name dofile was given, as Lua does",
    config: 'print(dofile("etc/where.lua"))',
    expected: { output: ['@etc/where.lua\t1'] },
  },
  {
    description: 'loadfile returns the chunk without running it; nil and a message for a missing file',
    config: 'local f = loadfile("etc/common.lua")\nprint(type(f), targets)\nf()\nprint(#targets, loadfile("etc/none.lua"))',
    expected: { output: ['function\tnil', '2\tnil\tcannot open etc/none.lua: No such file or directory'] },
  },
  {
    description: 'an included file skips its shebang line, like luaL_loadfile',
    config: 'dofile("etc/shebang.lua")\nprint(shebang)',
    expected: { output: ['@etc/shebang.lua'] },
  },
  {
    description: 'a sync{} in an included file records that file and its line',
    config: '\ndofile("etc/with-sync.lua")',
    expected: { syncs: [{ line: 2, file: 'etc/with-sync.lua', table: { '1': { __default: 'rsync' }, source: '/src', target: '/dst' } }] },
  },
  {
    description: 'io.lines reads a host list line by line (one sync per host)',
    config: 'for host in io.lines("etc/hosts.txt") do\n  if host ~= "" and not host:match("^#") then\n    sync { default.rsyncssh, source = "/www", host = host, targetdir = "/srv" }\n  end\nend',
    expected: { syncs: ['web1', 'web2', 'web3'].map((host) => ({ line: 3, table: { '1': { __default: 'rsyncssh' }, source: '/www', host, targetdir: '/srv' } })) },
  },
  {
    description: "io.open in mode 'r' then read('l'), read('n'), read('a'), lines(), seek and close",
    config: [
      'local f = assert(io.open("etc/hosts.txt", "r"))',
      'print(f:read("l"), f:read("L"), io.type(f))',
      'print(f:seek("set", 0), f:read(4), f:seek())',
      'local rest = {}',
      'for line in f:lines() do rest[#rest + 1] = line end',
      'print(#rest, rest[1], rest[5], f:read("a"), f:read("l"))',
      'f:close()',
      'print(io.type(f), tostring(f))',
    ].join('\n'),
    expected: { output: ['web1\t# a comment\n\tfile', '0\tweb1\t4', '5\t\tweb3\t\tnil', 'closed file\tfile (closed)'] },
  },
  {
    description: "io.open in mode 'rb' reads the same text",
    config: 'local f = io.open("etc/hosts.txt", "rb")\nprint(#f:read("a"))',
    expected: { output: ['27'] },
  },
  {
    description: 'io.open of a missing file answers nil, message, errno as Lua does',
    config: 'print(io.open("etc/missing.txt"))',
    expected: { output: ['nil\tetc/missing.txt: No such file or directory\t2'] },
  },
  {
    description: 'io.open of a directory answers nil and EISDIR',
    config: 'print(io.open("www"))',
    expected: { output: ['nil\twww: Is a directory\t21'] },
  },
  {
    description: 'io.open of a device is refused without reading it',
    config: 'print(io.open("/dev/zero"))',
    expected: { output: ['nil\t/dev/zero: not a regular file (a config may read regular files only)\t22'] },
  },
  {
    description: "lsyncd's readdir(path): names to true for directories (a symlink is no directory, as with d_type)",
    config: 'local names = {}\nfor name, isdir in pairs(readdir("www")) do names[#names + 1] = name .. "=" .. tostring(isdir) end\ntable.sort(names)\nprint(table.concat(names, " "))',
    expected: { output: ['README=false link=false site1=true site2=true'] },
  },
  {
    description: 'readdir of a missing directory answers nil and logs the error, as lsyncd does',
    config: 'print(readdir("/nonexistent"))',
    expected: { output: ['Error: cannot open dir [/nonexistent].\tNo such file or directory', 'nil'] },
  },
  {
    description: 'a config that loops over readdir makes one sync per site',
    config: 'local sites = {}\nfor name, isdir in pairs(readdir("www")) do if isdir then sites[#sites + 1] = name end end\ntable.sort(sites)\nfor _, name in ipairs(sites) do\n  sync { default.direct, source = "/www/" .. name, target = "/mirror/" .. name }\nend',
    expected: { syncs: ['site1', 'site2'].map((name) => ({ line: 5, table: { '1': { __default: 'direct' }, source: `/www/${name}`, target: `/mirror/${name}` } })) },
  },
  {
    description: 'pcall(dofile) of an optional file that is missing goes on',
    config: 'local ok, err = pcall(dofile, "etc/local.lua")\nprint(ok, err)',
    expected: { output: ['false\tcannot open etc/local.lua: No such file or directory'] },
  },
  {
    description: 'io.write goes to the captured output; lsyncd_version is 2.2.3',
    config: 'io.write("running ", lsyncd_version)',
    expected: { output: ['running \t2.2.3'] },
  },
];

/** `error` is the whole message; `origin` names the file and line it must point at. */
const ERRORS: { description: string; config: string; error: string; origin: { file: string; line: number }; limits?: LuaLimits }[] = [
  {
    description: 'dofile of a missing file names the dofile line',
    config: '-- shared settings\ndofile("etc/missing.lua")',
    error: 'etc/lsyncd.conf.lua:2: cannot open etc/missing.lua: No such file or directory',
    origin: { file: 'etc/lsyncd.conf.lua', line: 2 },
  },
  {
    description: 'a runtime error inside an included file names that file:line',
    config: '\ndofile("etc/broken.lua")',
    error: "etc/broken.lua:3: attempt to index a number value (local 'x')",
    origin: { file: 'etc/broken.lua', line: 3 },
  },
  {
    description: 'a syntax error inside an included file names that file:line',
    config: 'dofile("etc/syntax.lua")',
    error: "etc/syntax.lua:2: unexpected symbol near ','",
    origin: { file: 'etc/syntax.lua', line: 2 },
  },
  {
    description: 'a dofile loop (a includes b includes a) stops at the line that closes it',
    config: 'dofile("etc/loop-a.lua")',
    error: `etc/loop-b.lua:3: dofile loop: etc/loop-a.lua (${DIR}/etc/loop-a.lua) is already running, so including it again would never end`,
    origin: { file: 'etc/loop-b.lua', line: 3 },
  },
  {
    description: 'a file that includes itself through its own debug.getinfo path',
    config: 'dofile("etc/self.lua")',
    error: `etc/self.lua:2: dofile loop: etc/self.lua (${DIR}/etc/self.lua) is already running`,
    origin: { file: 'etc/self.lua', line: 2 },
  },
  {
    description: 'the config including itself',
    config: '\n\ndofile("etc/lsyncd.conf.lua")',
    error: `etc/lsyncd.conf.lua:3: dofile loop: etc/lsyncd.conf.lua (${CONFIG}) is already running`,
    origin: { file: 'etc/lsyncd.conf.lua', line: 3 },
  },
  {
    description: 'a loop through tail calls (no frames left to see) stops at the include cap',
    config: 'dofile("etc/tail.lua")',
    error: 'etc/lsyncd.conf.lua:1: dofile: more than 200 files included (a dofile loop?)',
    origin: { file: 'etc/lsyncd.conf.lua', line: 1 },
  },
  {
    description: 'an endless loop inside an included file names that file:line',
    config: 'dofile("etc/spin.lua")',
    error: 'etc/spin.lua:2: evaluation took longer than 300 ms (an endless loop?)',
    origin: { file: 'etc/spin.lua', line: 2 },
    limits: { timeoutMs: 300 },
  },
  {
    description: 'dofile of a directory',
    config: 'dofile("www")',
    error: 'etc/lsyncd.conf.lua:1: cannot open www: Is a directory',
    origin: { file: 'etc/lsyncd.conf.lua', line: 1 },
  },
  {
    description: 'dofile() without a name would read standard input',
    config: '\ndofile()',
    error: 'etc/lsyncd.conf.lua:2: dofile() without a file name reads standard input, which a Tidemark config cannot',
    origin: { file: 'etc/lsyncd.conf.lua', line: 2 },
  },
  ...['w', 'a', 'r+', 'w+', 'a+', 'wb'].map((mode) => ({
    description: `io.open in mode '${mode}' is refused`,
    config: `local f = io.open("etc/hosts.txt", "${mode}")`,
    error: `etc/lsyncd.conf.lua:1: io.open("etc/hosts.txt", "${mode}"): the config sandbox is read-only: open files with mode 'r' or 'rb'`,
    origin: { file: 'etc/lsyncd.conf.lua', line: 1 },
  })),
  {
    description: 'writing to a handle opened for reading',
    config: 'local f = io.open("etc/hosts.txt")\nf:write("web4\\n")',
    error: "etc/lsyncd.conf.lua:2: file:write: the config sandbox is read-only: open files with mode 'r' or 'rb'",
    origin: { file: 'etc/lsyncd.conf.lua', line: 2 },
  },
  {
    description: 'reading a closed file',
    config: 'local f = io.open("etc/hosts.txt")\nf:close()\nf:read("a")',
    error: 'etc/lsyncd.conf.lua:3: attempt to use a closed file',
    origin: { file: 'etc/lsyncd.conf.lua', line: 3 },
  },
  {
    description: 'io.lines of a missing file raises at its line',
    config: 'for host in io.lines("etc/nohosts.txt") do end',
    error: 'etc/lsyncd.conf.lua:1: etc/nohosts.txt: No such file or directory',
    origin: { file: 'etc/lsyncd.conf.lua', line: 1 },
  },
  ...['io.popen("ls /www")', 'os.execute("ls")', 'io.tmpfile()', 'io.read()', 'os.remove("etc/hosts.txt")', 'package.loadlib("lfs.so", "luaopen_lfs")', 'debug.sethook()', 'load("return 1")'].map((call) => ({
    description: `${call} stays blocked`,
    config: `local x = ${call}`,
    error: `etc/lsyncd.conf.lua:1: ${call.split('(')[0]} is not available in a Tidemark config (the config sandbox reads files, but never writes them, runs programs or loads modules)`,
    origin: { file: 'etc/lsyncd.conf.lua', line: 1 },
  })),
  {
    description: 'require of a C module (lfs) is refused, pointing at readdir',
    config: 'local lfs = require "lfs"',
    error: 'etc/lsyncd.conf.lua:1: require is not available in a Tidemark config (the config sandbox reads files, but never writes them, runs programs or loads modules); readdir(path) lists a directory, as in lsyncd',
    origin: { file: 'etc/lsyncd.conf.lua', line: 1 },
  },
  {
    description: "loadfile in binary mode 'b' is refused",
    config: 'loadfile("etc/common.lua", "b")',
    error: "etc/lsyncd.conf.lua:1: loadfile: only text chunks are accepted (mode 't')",
    origin: { file: 'etc/lsyncd.conf.lua', line: 1 },
  },
];

describe('a config reads its surroundings, read-only', () => {
  for (const { description, config, expected } of CASES) {
    it(description, async () => {
      expect(await run(config)).toMatchObject(expected);
    });
  }

  for (const { description, config, error, origin, limits } of ERRORS) {
    it(`fails: ${description}`, async () => {
      const thrown: unknown = await run(config, limits).then(
        () => undefined,
        (caught: unknown) => caught,
      );
      expect(thrown).toBeInstanceOf(ConfigError);
      expect((thrown as ConfigError).message).toContain(error);
      expect((thrown as ConfigError).origin).toEqual(origin);
    });
  }
});
