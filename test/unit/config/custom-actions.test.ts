import { describe, expect, it } from 'vitest';
import { FILE, importError } from './import-config';

// Configs with custom actions (lsyncd's layers 1 to 3), modelled on the examples lsyncd 2.2.3
// ships (examples/lecho.lua, lgforce.lua, lbash.lua, lpostcmd.lua, lrsync.lua). Each is refused
// with one message at the action's own key; nothing about the keys the action would have read.

const SUPPORTED = "; Tidemark supports default.rsync, default.rsyncssh and default.direct: start the sync{} with one of them instead";
/** The refusal text for `key`, with the other action keys the sync{} sets. */
function refusal(key: string, ...others: string[]): string {
  return `not supported: ${key}, a custom action (lsyncd's layers 1 to 3)${others.length > 0 ? ` (this sync{} also sets ${others.join(', ')})` : ''}${SUPPORTED}`;
}

const LECHO = [
  '-- lecho.lua: just echos the operations',
  'echo = {',
  '  maxProcesses = 1,',
  '  delay = 1,',
  '  onStartup = "/bin/echo telling about ^source",',
  '  onAttrib  = "/bin/echo attrib ^pathname",',
  '  onCreate  = "/bin/echo create ^pathname",',
  '  onDelete  = "/bin/echo delete ^pathname",',
  '  onModify  = "/bin/echo modify ^pathname",',
  '  onMove    = "/bin/echo move ^o.pathname -> ^d.pathname",',
  '}',
  '',
  'sync{echo, source="src", target="/path/to/trg/"}',
].join('\n');

const LGFORCE = [
  'fgroup = "staff"',
  'command = [[',
  'if [ `stat -c %G ^sourcePathname` != ]]..fgroup..[[ ]; then',
  '  /bin/chgrp ]]..fgroup..[[ ^sourcePathname || /bin/true;',
  'fi',
  ']]',
  'startup = [[^/bin/chgrp -R ]]..fgroup..[[ ^source || /bin/true]]',
  'gforce = {',
  '  maxProcesses = 99,',
  '  delay        = 1,',
  '  onStartup    = startup,',
  '  onAttrib     = command,',
  '  onCreate     = command,',
  '  onModify     = command,',
  '  onMove       = true,',
  '}',
  'sync{gforce, source="/path/to/share"}',
].join('\n');

const LBASH = [
  'settings { nodaemon = true }',
  'prefix = ""',
  'bash = {',
  '  delay = 0,',
  '  onCreate = prefix..[[cp -r ^sourcePath ^targetPathdir]],',
  '  onModify = prefix..[[cp -r ^sourcePath ^targetPathdir]],',
  '  onDelete = prefix..[[rm -rf ^targetPath]],',
  '  onMove   = prefix..[[mv ^o.targetPath ^d.targetPath]],',
  '}',
  'sync{bash, source="src", target="/path/to/trg/"}',
].join('\n');

const LPOSTCMD = [
  'local rsyncpostcmd = {',
  '  default.rsync,',
  '  checkgauge = {',
  '    default.rsync.checkgauge,',
  '    host = true, targetdir = true, target = true, postcmd = true,',
  '  },',
  '  maxProcesses = 1,',
  '  action = function(inlet)',
  '    local event = inlet.getEvent()',
  '    return default.rsync.action(inlet)',
  '  end,',
  '  collect = function(agent, exitcode)',
  '    return default.collect(agent, exitcode)',
  '  end,',
  '  prepare = function(config, level, skipTarget)',
  '    config.target = config.host .. ":" .. config.targetdir',
  '    return default.rsync.prepare(config, level, skipTarget)',
  '  end',
  '}',
  'sync {',
  '  rsyncpostcmd,',
  '  delay = 3,',
  "  source = '/path/to/src',",
  "  host = 'localhost',",
  "  targetdir = '/path/to/trg',",
  "  postcmd = '/usr/local/bin/dopostcmd',",
  '}',
].join('\n');

/** `error` is the whole message without the leading `FILE:`; it starts with the line. */
const CASES: { description: string; config: string; error: string }[] = [
  { description: 'lecho.lua: a table of string actions as the first entry, named at onStartup, its first key', config: LECHO, error: `5: ${refusal('onStartup', 'onAttrib', 'onCreate', 'onDelete', 'onModify', 'onMove')}` },
  { description: 'lgforce.lua: shell-string actions built from globals; onMove = true counts too', config: LGFORCE, error: `11: ${refusal('onStartup', 'onAttrib', 'onCreate', 'onModify', 'onMove')}` },
  { description: 'lbash.lua: no complaint about the relative source or target the actions would use', config: LBASH, error: `5: ${refusal('onCreate', 'onModify', 'onDelete', 'onMove')}` },
  {
    description: 'lpostcmd.lua: default.rsync with action, collect, prepare; named at action, nothing about host, targetdir or postcmd',
    config: LPOSTCMD,
    error: `8: ${refusal('action', 'checkgauge', 'collect', 'prepare')}`,
  },
  {
    description: 'onMove as a string action inside the sync{} itself, on default.rsyncssh',
    config: 'sync {\n  default.rsyncssh,\n  source = "/src",\n  host = "web1",\n  targetdir = "/srv",\n  onMove = "mv ^o.pathname ^d.pathname",\n}',
    error: `6: ${refusal('onMove')}`,
  },
  {
    description: 'action = function ... in the sync{}, with no default.X and an unknown key beside it',
    config: 'sync {\n  source = "/src",\n  postcmd = "/bin/true",\n  action = function(inlet)\n    local event = inlet.getEvent()\n  end,\n}',
    error: `4: ${refusal('action')}`,
  },
  {
    description: 'onCreate as a function next to default.rsync and host/targetdir it would have read',
    config: 'sync {\n  default.rsync,\n  source = "/src",\n  target = "/dst",\n  host = "web1",\n  targetdir = "/srv",\n  onCreate = function(event) spawn(event, "/bin/true") end,\n}',
    error: `7: ${refusal('onCreate')}`,
  },
  {
    description: 'init as a function is a custom action; the key is named as such',
    config: 'sync {\n  default.direct,\n  source = "/src",\n  target = "/dst",\n  init = function(event) end,\n}',
    error: `5: ${refusal('init as a function')}`,
  },
  {
    description: 'two syncs over the same action table: each refused once, at the action key',
    config: 'local act = {\n  onModify = "touch ^target",\n}\nsync { act, source = "/a" }\nsync { act, source = "/b" }',
    error: `2: ${refusal('onModify')}\n${FILE}:2: ${refusal('onModify')}`,
  },
  {
    description: 'an action table defined after a helper with the same key uses the nearest one before the sync{}',
    config: 'local a = { onCreate = "echo a" }\nlocal b = {\n  onCreate = "echo b",\n}\nsync { b, source = "/b" }',
    error: `3: ${refusal('onCreate')}`,
  },
  {
    description: 'a table built in a function (no key written near) points at the sync{} call',
    config: 'local function mk(k) local t = {} t[k] = "echo" return t end\n\nsync { mk("onDelete"), source = "/src" }',
    error: `3: ${refusal('onDelete')}`,
  },
];

describe('custom actions are refused at their own key', () => {
  for (const { description, config, error } of CASES) {
    it(description, async () => {
      const thrown = await importError(config, { cwd: '/work' });
      expect(thrown.message).toBe(`${FILE}:${error}`);
      expect(thrown.origin).toEqual({ file: FILE, line: Number(error.split(':')[0]) });
    });
  }
});
