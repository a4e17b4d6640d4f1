import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { LuaLimits } from '../../../src-main/core/config/lua-sandbox';
import { FILE, importError } from './import-config';

const DIR = mkdtempSync(join(tmpdir(), 'tidemark-errors-'));
afterAll(() => rmSync(DIR, { recursive: true, force: true }));
writeFileSync(join(DIR, 'bad-filters.txt'), '+ *.c\n\n*.o\n- build/\n');

/** A sync{} call: `sync {` on line 1, `default.KIND,` on line 2, then one key a line from line 3. */
function block(kind: string, ...keys: string[]): string {
  return ['sync {', `  default.${kind},`, ...keys.map((key) => `  ${key},`), '}'].join('\n');
}

const RSYNC = ['source = "/src"', 'target = "/dst"'];
const SANDBOX = 'is not available in a Tidemark config (the config sandbox reads files, but never writes them, runs programs or loads modules)';
const RECONCILE = "'ask', 'pull', 'keep', 'trash' or 'delete'";
const MAX_DELETES = 'maxDeletes must be a whole number >= 1, or false for no limit';
const MAX_WINDOW = 'maxDeleteWindow must be a number of seconds >= 0 (0 judges each batch alone)';
const MAX_PERCENT = 'maxDeletePercent must be a number above 0 and at most 100, or false for no limit';
/** The refusal of a custom action named `key` (custom-actions.test.ts has the lsyncd-style configs). */
const action = (key: string): string => `not supported: ${key}, a custom action (lsyncd's layers 1 to 3); Tidemark supports default.rsync, default.rsyncssh and default.direct: start the sync{} with one of them instead`;

/** `error` is the whole message without the leading `FILE:`; it starts with the line. */
const CASES: { description: string; config: string; error: string; limits?: LuaLimits }[] = [
  // Lua itself
  { description: 'a Lua syntax error', config: 'settings { nodaemon = true }\n\nsync { default.rsync source = "/src" }', error: "3: '}' expected near 'source'" },
  { description: 'an unclosed table', config: 'sync {\n  default.rsync,\n  source = "/src",\n', error: "4: unexpected symbol near <eof>" },
  { description: 'a Lua runtime error', config: 'local hosts = nil\nfor _, h in ipairs(hosts.list) do end', error: "2: attempt to index a nil value (local 'hosts')" },
  { description: 'error() raised by the config', config: '\n\nerror("set HOSTS first")', error: '3: set HOSTS first' },
  { description: 'error() with a table inside a helper names the error() line', config: 'local function fail()\n  error({})\nend\nfail()', error: '2: error() was raised with a table value' },

  // types
  // dangerous targets (safety/refused-targets.ts), at the line of the key
  { description: 'target = "/" is refused', config: block('rsync', 'source = "/src"', 'target = "/"'), error: '4: refused target: the target is / (the whole filesystem): a mirror with deletes there would erase the system' },
  { description: 'a target inside the source is refused', config: block('direct', 'source = "/src"', 'target = "/src/copy"'), error: '4: refused target: the target /src/copy lies inside the source /src: it would mirror into itself without end' },
  { description: 'a relative target in a config file is refused', config: block('rsync', 'source = "/src"', 'target = "backup"'), error: "4: refused target: the target 'backup' is a relative path: give an absolute one (a detached daemon runs in /, so it would point somewhere else)" },
  { description: 'the root home as target is refused', config: block('rsync', 'source = "/src"', 'target = "/root"'), error: '4: refused target: the target /root is the root of a home directory: mirror into a directory inside it' },
  { description: 'a remote target of / is refused at targetdir', config: block('rsyncssh', 'source = "/src"', 'host = "web1"', 'targetdir = "/"'), error: '5: refused target: the remote target is / (the whole filesystem)' },
  { description: 'delay = "x"', config: block('rsync', ...RSYNC, 'delay = "x"'), error: "5: delay must be a number >= 0 (got the string 'x')" },
  { description: 'an unknown watcher', config: block('rsync', ...RSYNC, 'watcher = "fanotify"'), error: "5: watcher must be one of 'inotify', 'chokidar', 'poll' (got 'fanotify')" },
  { description: 'delay negative', config: block('rsync', ...RSYNC, 'delay = -1'), error: '5: delay must be a number >= 0 (got the number -1)' },
  { description: 'maxDelays fractional', config: block('rsync', ...RSYNC, 'maxDelays = 2.5'), error: '5: maxDelays must be a whole number >= 0 (got the number 2.5)' },
  { description: 'maxProcesses zero', config: block('rsync', ...RSYNC, 'maxProcesses = 0'), error: '5: maxProcesses must be a whole number >= 1 (got the number 0)' },
  { description: 'source as a number', config: block('rsync', 'source = 5', 'target = "/dst"'), error: '3: source must be a non-empty string (got the number 5)' },
  { description: 'init = "no"', config: block('rsync', ...RSYNC, 'init = "no"'), error: "5: init must be true or false (got the string 'no')" },
  { description: 'exclude as a number', config: block('rsync', ...RSYNC, 'exclude = 3'), error: '5: exclude must be a string or a list of strings (got the number 3)' },
  { description: 'exclude list with a number', config: block('rsync', ...RSYNC, 'exclude = { "*.o", 3 }'), error: '5: exclude must be a string or a list of strings (got a list)' },
  { description: 'a filter that is no rule', config: block('rsync', ...RSYNC, 'filter = { "+ *.c", "*.o" }'), error: "5: filter rule '*.o' is not a rule: write '- PATTERN' to exclude or '+ PATTERN' to include" },
  { description: 'excludeFrom as a boolean', config: block('rsync', ...RSYNC, 'excludeFrom = true'), error: '5: excludeFrom must be a non-empty string (got the boolean true)' },

  // unknown keys
  { description: "Delay in sync{} names 'delay'", config: block('rsync', ...RSYNC, 'Delay = 5'), error: "5: unknown key 'Delay' in sync{} (did you mean 'delay'?)" },
  { description: 'a misspelling from the table (excludes)', config: block('direct', ...RSYNC, 'excludes = "*.o"'), error: "5: unknown key 'excludes' in sync{} (did you mean 'exclude'?)" },
  { description: 'an unknown key without a near name', config: block('rsync', ...RSYNC, 'frobnicate = 1'), error: "5: unknown key 'frobnicate' in sync{}" },
  { description: 'target in default.rsyncssh', config: block('rsyncssh', ...RSYNC), error: "4: target is not used by default.rsyncssh: give host = '...' and targetdir = '...'" },
  { description: 'host in default.rsync', config: block('rsync', ...RSYNC, 'host = "web1"'), error: "5: host is only used by default.rsyncssh; default.rsync takes target = 'host:dir'" },
  { description: 'targetdir in default.direct', config: block('direct', ...RSYNC, 'targetdir = "/x"'), error: "5: targetdir is only used by default.rsyncssh; default.direct takes target = '/dir'" },
  { description: 'ssh in default.direct', config: block('direct', ...RSYNC, 'ssh = {}'), error: '5: ssh = {} is not used by default.direct, which syncs to a local directory' },

  // layers 2 and 3, and other lsyncd features Tidemark refuses
  { description: 'onCreate as a function', config: block('rsync', ...RSYNC, 'onCreate = function(event) end'), error: `5: ${action('onCreate')}` },
  { description: 'onModify as a shell string', config: block('rsync', ...RSYNC, 'onModify = "touch ^target"'), error: `5: ${action('onModify')}` },
  { description: 'onDelete', config: block('rsync', ...RSYNC, 'onDelete = "rm ^target"'), error: `5: ${action('onDelete')}` },
  { description: 'onMove', config: block('direct', ...RSYNC, 'onMove = function() end'), error: `5: ${action('onMove')}` },
  { description: 'onStartup', config: block('rsync', ...RSYNC, 'onStartup = "echo ^source"'), error: `5: ${action('onStartup')}` },
  { description: 'onAttrib', config: block('rsync', ...RSYNC, 'onAttrib = function() end'), error: `5: ${action('onAttrib')}` },
  { description: 'action', config: block('rsync', ...RSYNC, 'action = function(inlet) end'), error: `5: ${action('action')}` },
  { description: 'prepare', config: block('rsync', ...RSYNC, 'prepare = function() end'), error: `5: ${action('prepare')}` },
  { description: 'collect', config: block('rsync', ...RSYNC, 'collect = function() end'), error: `5: ${action('collect')}` },
  { description: 'init as a function', config: block('rsync', ...RSYNC, 'init = function(event) end'), error: `5: ${action('init as a function')}` },
  {
    description: 'a custom exit-code table',
    config: block('rsync', ...RSYNC, 'exitcodes = { [23] = "again" }'),
    error: '5: not supported: exitcodes (custom exit-code tables; Tidemark classifies rsync and ssh exit codes itself)',
  },
  { description: 'an lsyncd 2.3 key', config: block('rsync', ...RSYNC, 'batchSizeLimit = 1000'), error: '5: not supported: batchSizeLimit (an lsyncd 2.3 feature; Tidemark follows lsyncd 2.2.3)' },
  {
    description: 'a pure layer 3 sync: no default.X and an onCreate',
    config: 'sync {\n  source = "/src",\n  onCreate = "cp ^sourcePathname ^target",\n}',
    error: `3: ${action('onCreate')}`,
  },

  // what a sync{} needs
  { description: 'missing source', config: block('rsync', 'target = "/dst"'), error: "1: sync{} needs source = '/dir/to/watch'" },
  { description: 'missing target (rsync)', config: block('rsync', 'source = "/src"'), error: "1: default.rsync needs target = '/dir or host:dir'" },
  { description: 'missing target (direct)', config: block('direct', 'source = "/src"'), error: "1: default.direct needs target = '/dir'" },
  {
    description: 'missing host and targetdir (rsyncssh), both reported',
    config: block('rsyncssh', 'source = "/src"'),
    error: `1: default.rsyncssh needs host = '...' (the remote host, user@host or an ssh_config alias)\n${FILE}:1: default.rsyncssh needs targetdir = '...' (the directory on the remote host)`,
  },
  { description: 'missing source and target, both reported', config: block('rsync'), error: `1: sync{} needs source = '/dir/to/watch'\n${FILE}:1: default.rsync needs target = '/dir or host:dir'` },
  { description: 'no default.X', config: 'sync { source = "/src", target = "/dst" }', error: '1: sync{} must start with default.rsync, default.rsyncssh or default.direct (got nothing; a misspelt default.X is nil)' },
  { description: 'a misspelt default.X (nil)', config: 'sync { default.rsink, source = "/src", target = "/dst" }', error: '1: sync{} must start with default.rsync, default.rsyncssh or default.direct (got nothing; a misspelt default.X is nil)' },
  { description: 'a string in place of default.X', config: 'sync { "rsync", source = "/src", target = "/dst" }', error: "1: sync{} must start with default.rsync, default.rsyncssh or default.direct (got the string 'rsync')" },
  { description: 'sync called with a string', config: '\nsync "/src"', error: "2: sync needs a table, as in sync { default.rsync, source = ..., target = ... } (got the string '/src')" },
  { description: 'no sync{} at all', config: 'settings { nodaemon = true }', error: '1: nothing to watch: the config has no sync{} (as in sync { default.rsync, source = ..., target = ... })' },
  { description: 'default.direct to a remote target', config: block('direct', 'source = "/src"', 'target = "web1:/srv"'), error: "4: default.direct syncs to a local directory, but target 'web1:/srv' is remote; use default.rsync or default.rsyncssh" },
  { description: 'an rsync daemon target without a module', config: block('rsync', 'source = "/src"', 'target = "backup::"'), error: "4: target 'backup::' is an rsync daemon address, but it names no module: a daemon target is rsync://host/module/dir or host::module/dir (rsync --list-only rsync://host/ lists the modules)" },
  { description: 'default.direct to an rsync daemon', config: block('direct', 'source = "/src"', 'target = "rsync://backup/module"'), error: "4: default.direct syncs to a local directory, but target 'rsync://backup/module' is an rsync daemon; use default.rsync" },
  {
    description: 'an rsync daemon target with rsync.rsh (daemon over ssh)',
    config: block('rsync', 'source = "/src"', 'target = "backup::module/dir"', 'rsync = { rsh = "/usr/bin/ssh" }'),
    error: "5: rsync.rsh would reach the rsync daemon at 'backup::module/dir' through a remote shell, which Tidemark does not support: remove rsh to use the daemon protocol, or write the target as host:dir to sync over ssh",
  },
  {
    description: 'default.rsyncssh with maxProcesses 2',
    config: block('rsyncssh', 'source = "/src"', 'host = "web1"', 'targetdir = "/srv"', 'maxProcesses = 2'),
    error: '6: default.rsyncssh must have maxProcesses set to 1 (moves and deletes must stay in order)',
  },

  // delete
  { description: "delete = 'yes'", config: block('rsync', ...RSYNC, 'delete = "yes"'), error: "5: delete must be true, false, 'startup' or 'running' (got the string 'yes')" },
  { description: "delete = 'Startup' (case matters)", config: block('rsync', ...RSYNC, 'delete = "Startup"'), error: "5: delete must be true, false, 'startup' or 'running' (got the string 'Startup')" },
  { description: 'delete = 1', config: block('rsync', ...RSYNC, 'delete = 1'), error: "5: delete must be true, false, 'startup' or 'running' (got the number 1)" },

  // Tidemark's own safety keys, each at its own line
  { description: "reconcile = 'merge'", config: block('rsync', ...RSYNC, 'reconcile = "merge"'), error: `5: reconcile must be one of ${RECONCILE} (got the string 'merge')` },
  { description: "reconcile = 'Ask' (case matters)", config: block('rsync', ...RSYNC, 'reconcile = "Ask"'), error: `5: reconcile must be one of ${RECONCILE} (got the string 'Ask')` },
  { description: "reconcile = ''", config: block('rsync', ...RSYNC, 'reconcile = ""'), error: `5: reconcile must be one of ${RECONCILE} (got the string '')` },
  { description: 'reconcile = true', config: block('rsync', ...RSYNC, 'reconcile = true'), error: `5: reconcile must be one of ${RECONCILE} (got the boolean true)` },
  { description: 'reconcile = 1', config: block('direct', ...RSYNC, 'reconcile = 1'), error: `5: reconcile must be one of ${RECONCILE} (got the number 1)` },
  { description: 'maxDeletes = true', config: block('rsync', ...RSYNC, 'maxDeletes = true'), error: `5: ${MAX_DELETES} (got the boolean true)` },
  { description: 'maxDeletes = 0', config: block('rsync', ...RSYNC, 'maxDeletes = 0'), error: `5: ${MAX_DELETES} (got the number 0)` },
  { description: 'maxDeletes = -5', config: block('rsync', ...RSYNC, 'maxDeletes = -5'), error: `5: ${MAX_DELETES} (got the number -5)` },
  { description: 'maxDeletes = 2.5', config: block('rsync', ...RSYNC, 'maxDeletes = 2.5'), error: `5: ${MAX_DELETES} (got the number 2.5)` },
  { description: "maxDeletes = '100'", config: block('rsync', ...RSYNC, 'maxDeletes = "100"'), error: `5: ${MAX_DELETES} (got the string '100')` },
  { description: 'maxDeletes = math.huge', config: block('rsync', ...RSYNC, 'maxDeletes = math.huge'), error: `5: ${MAX_DELETES} (got a non-finite number)` },
  { description: 'maxDeletePercent = 0', config: block('rsync', ...RSYNC, 'maxDeletePercent = 0'), error: `5: ${MAX_PERCENT} (got the number 0)` },
  { description: 'maxDeletePercent = -1', config: block('rsync', ...RSYNC, 'maxDeletePercent = -1'), error: `5: ${MAX_PERCENT} (got the number -1)` },
  { description: 'maxDeletePercent = 100.5', config: block('rsync', ...RSYNC, 'maxDeletePercent = 100.5'), error: `5: ${MAX_PERCENT} (got the number 100.5)` },
  { description: 'maxDeletePercent = true', config: block('rsync', ...RSYNC, 'maxDeletePercent = true'), error: `5: ${MAX_PERCENT} (got the boolean true)` },
  { description: "maxDeletePercent = '10%'", config: block('rsync', ...RSYNC, 'maxDeletePercent = "10%"'), error: `5: ${MAX_PERCENT} (got the string '10%')` },
  { description: 'maxDeletePercent = 0/0 (NaN)', config: block('rsync', ...RSYNC, 'maxDeletePercent = 0/0'), error: `5: ${MAX_PERCENT} (got a non-finite number)` },
  { description: 'maxDeleteWindow = -1', config: block('rsync', ...RSYNC, 'maxDeleteWindow = -1'), error: `5: ${MAX_WINDOW} (got the number -1)` },
  { description: "maxDeleteWindow = '60s'", config: block('rsync', ...RSYNC, 'maxDeleteWindow = "60s"'), error: `5: ${MAX_WINDOW} (got the string '60s')` },
  { description: 'maxDeleteWindow = false', config: block('rsync', ...RSYNC, 'maxDeleteWindow = false'), error: `5: ${MAX_WINDOW} (got the boolean false)` },
  { description: "trash = 'yes'", config: block('rsync', ...RSYNC, 'trash = "yes"'), error: "5: trash must be true or false (got the string 'yes')" },
  { description: 'trash = 1', config: block('rsync', ...RSYNC, 'trash = 1'), error: '5: trash must be true or false (got the number 1)' },
  { description: 'trashDays = -1', config: block('rsync', ...RSYNC, 'trashDays = -1'), error: '5: trashDays must be a number >= 0 (got the number -1)' },
  { description: "trashDays = '30'", config: block('rsync', ...RSYNC, 'trashDays = "30"'), error: "5: trashDays must be a number >= 0 (got the string '30')" },
  { description: 'trashDays = false', config: block('rsync', ...RSYNC, 'trashDays = false'), error: '5: trashDays must be a number >= 0 (got the boolean false)' },
  { description: 'trashDays = math.huge', config: block('rsync', ...RSYNC, 'trashDays = math.huge'), error: '5: trashDays must be a number >= 0 (got a non-finite number)' },
  {
    description: 'a safety key in default.rsyncssh points at its own line',
    config: block('rsyncssh', 'source = "/src"', 'host = "web1"', 'targetdir = "/srv"', 'trash = true', 'maxDeletes = 0'),
    error: `7: ${MAX_DELETES} (got the number 0)`,
  },
  {
    description: 'several bad safety keys are all reported, each at its line',
    config: block('rsync', ...RSYNC, 'reconcile = "wipe"', 'maxDeletes = true', 'maxDeletePercent = 150', 'trash = "on"', 'trashDays = -2'),
    error: [
      `5: reconcile must be one of ${RECONCILE} (got the string 'wipe')`,
      `6: ${MAX_DELETES} (got the boolean true)`,
      `7: ${MAX_PERCENT} (got the number 150)`,
      "8: trash must be true or false (got the string 'on')",
      '9: trashDays must be a number >= 0 (got the number -2)',
    ].join(`\n${FILE}:`),
  },
  { description: "maxDelete suggests 'maxDeletes'", config: block('rsync', ...RSYNC, 'maxDelete = 10'), error: "5: unknown key 'maxDelete' in sync{} (did you mean 'maxDeletes'?)" },
  { description: "max_deletes suggests 'maxDeletes'", config: block('direct', ...RSYNC, 'max_deletes = 10'), error: "5: unknown key 'max_deletes' in sync{} (did you mean 'maxDeletes'?)" },
  { description: "maxDeletePct suggests 'maxDeletePercent'", config: block('rsync', ...RSYNC, 'maxDeletePct = 10'), error: "5: unknown key 'maxDeletePct' in sync{} (did you mean 'maxDeletePercent'?)" },
  { description: "maxDeletesPercent suggests 'maxDeletePercent'", config: block('rsync', ...RSYNC, 'maxDeletesPercent = 10'), error: "5: unknown key 'maxDeletesPercent' in sync{} (did you mean 'maxDeletePercent'?)" },
  { description: "reconcil suggests 'reconcile'", config: block('rsync', ...RSYNC, 'reconcil = "ask"'), error: "5: unknown key 'reconcil' in sync{} (did you mean 'reconcile'?)" },
  { description: "reconciliation suggests 'reconcile'", config: block('rsync', ...RSYNC, 'reconciliation = "ask"'), error: "5: unknown key 'reconciliation' in sync{} (did you mean 'reconcile'?)" },
  { description: "Trash suggests 'trash'", config: block('rsync', ...RSYNC, 'Trash = true'), error: "5: unknown key 'Trash' in sync{} (did you mean 'trash'?)" },
  { description: "trashDay suggests 'trashDays'", config: block('rsyncssh', 'source = "/src"', 'host = "web1"', 'targetdir = "/srv"', 'trashDay = 3'), error: "6: unknown key 'trashDay' in sync{} (did you mean 'trashDays'?)" },
  { description: 'a safety key in settings{} is unknown there', config: `settings { maxDeletes = 5 }\n${block('rsync', ...RSYNC)}`, error: "1: unknown key 'maxDeletes' in settings{}" },

  // files
  {
    description: 'excludeFrom pointing at a missing file',
    config: block('rsync', ...RSYNC, 'excludeFrom = "missing-excludes.txt"'),
    error: `5: cannot read excludeFrom file '${DIR}/missing-excludes.txt': ENOENT: no such file or directory, open '${DIR}/missing-excludes.txt'`,
  },
  {
    description: 'filterFrom pointing at a missing file',
    config: block('rsync', ...RSYNC, 'filterFrom = "/nonexistent/filters.txt"'),
    error: "5: cannot read filterFrom file '/nonexistent/filters.txt': ENOENT: no such file or directory, open '/nonexistent/filters.txt'",
  },
  {
    description: 'a filterFrom line that is no rule names the file line',
    config: block('rsync', ...RSYNC, 'filterFrom = "bad-filters.txt"'),
    error: `5: ${DIR}/bad-filters.txt:3: '*.o' is not a filter rule: write '- PATTERN' or '+ PATTERN'`,
  },

  // the sandbox
  { description: 'os.execute', config: 'local home = os.getenv("HOME")\nos.execute("rm -rf " .. home)', error: `2: os.execute ${SANDBOX}` },
  { description: 'os.remove', config: '\nos.remove("/etc/passwd")', error: `2: os.remove ${SANDBOX}` },
  { description: 'os.exit', config: 'os.exit(1)', error: `1: os.exit ${SANDBOX}` },
  { description: 'io.open for appending', config: '\n\nlocal f = io.open("/etc/hosts", "a")', error: `3: io.open("/etc/hosts", "a"): the config sandbox is read-only: open files with mode 'r' or 'rb'` },
  { description: 'io.popen', config: 'local p = io.popen("hostname")', error: `1: io.popen ${SANDBOX}` },
  { description: 'io.lines of a missing file', config: 'for l in io.lines("/nonexistent/hosts") do end', error: '1: /nonexistent/hosts: No such file or directory' },
  { description: 'require of a C module', config: '\nlocal lfs = require("lfs")', error: `2: require ${SANDBOX}; readdir(path) lists a directory, as in lsyncd` },
  { description: 'load', config: 'load("return 1")', error: `1: load ${SANDBOX}` },
  { description: 'package.loadlib', config: 'package.loadlib("x.so", "f")', error: `1: package.loadlib ${SANDBOX}` },
  { description: 'debug.sethook', config: 'debug.sethook()', error: `1: debug.sethook ${SANDBOX}` },
  { description: 'string.dump', config: 'string.dump(print)', error: `1: string.dump ${SANDBOX}` },
  { description: 'the time cap stops an endless loop', config: 'local n = 0\n\nwhile true do n = n + 1 end', error: '3: evaluation took longer than 200 ms (an endless loop?)', limits: { timeoutMs: 200 } },
  {
    description: 'the time cap names the loop inside a helper',
    config: 'local function spin()\n  while true do end\nend\n\nspin()',
    error: '2: evaluation took longer than 200 ms (an endless loop?)',
    limits: { timeoutMs: 200 },
  },
  {
    description: 'pcall cannot swallow the time cap',
    config: '\nwhile true do pcall(function() while true do end end) end',
    error: '2: evaluation took longer than 200 ms (an endless loop?)',
    limits: { timeoutMs: 200 },
  },
  {
    description: 'the memory cap stops a growing table',
    config: 'local t = {}\nfor i = 1, 1e9 do\n  t[i] = { i }\nend',
    error: '3: the config uses more than 16 MiB of memory',
    limits: { memoryBytes: 16 * 1024 * 1024 },
  },
  { description: 'the memory cap stops one huge string.rep', config: '\nlocal s = string.rep("x", 2^30)', error: '2: the config uses more than 16 MiB of memory', limits: { memoryBytes: 16 * 1024 * 1024 } },
  {
    description: 'the memory cap stops a doubling concatenation',
    config: 'local s = "x"\nwhile true do\n  s = s .. s\nend',
    error: '3: the config uses more than 16 MiB of memory',
    limits: { memoryBytes: 16 * 1024 * 1024 },
  },

  // where the errors point
  {
    description: 'a sync{} generated in a loop points at the key inside the loop',
    config: 'for _, d in ipairs({ "a", "b" }) do\n  sync {\n    default.rsync,\n    source = "/" .. d,\n    target = "/dst/" .. d,\n    Delay = 1,\n  }\nend',
    error: `6: unknown key 'Delay' in sync{} (did you mean 'delay'?)\n${FILE}:6: unknown key 'Delay' in sync{} (did you mean 'delay'?)`,
  },
  {
    description: 'a table built elsewhere points at the sync() call',
    config: 'local cfg = {\n  default.rsync,\n  source = "/src",\n}\nsync(cfg)',
    error: "5: default.rsync needs target = '/dir or host:dir'",
  },
  {
    description: 'mistakes in several syncs and settings are all reported in line order',
    config: ['sync { default.rsync, source = "/a", target = "/b", delete = "always" }', 'settings {', '  statusIntervall = 5,', '}', block('direct', 'source = "/c"')].join('\n'),
    error: [
      "1: delete must be true, false, 'startup' or 'running' (got the string 'always')",
      "3: unknown key 'statusIntervall' in settings{} (did you mean 'statusInterval'?)",
      "5: default.direct needs target = '/dir'",
    ].join(`\n${FILE}:`),
  },
];

describe('config errors name file:line', () => {
  for (const { description, config, error, limits } of CASES) {
    it(description, async () => {
      const thrown = await importError(config, { cwd: DIR, ...(limits ? { limits } : {}) });
      expect(thrown.message).toBe(`${FILE}:${error}`);
      expect(thrown.origin).toEqual({ file: FILE, line: Number(error.split(':')[0]) });
    });
  }
});
