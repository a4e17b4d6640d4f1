// The Lua that runs before a config: lsyncd's globals (default.*, settings, sync), the sandbox, and
// the encoder that hands the recorded calls back to JS as one JSON string.
//
// Invariants:
// - debug.getinfo is captured into a local before `debug` is replaced, so sync{}/settings{} can
//   record the line of the call. Lua 5.4 reports the line of the called name (`sync`), even for
//   a call whose table spans many lines (checked in the tests).
// - pcall/xpcall re-raise the engine's timeout error (a JS error, seen as userdata), or a config
//   could catch it in a loop and run forever.
// - `load`, `require`, `io.popen`, `os.execute` and the like raise a clear error rather than
//   being nil, so the config's author reads "X is not available" at their own line. Reading
//   files (io.open, io.lines, dofile, loadfile, readdir) is read-only: lua-prelude-files.ts.

import { INCLUDE_CHUNK, LUA_PRELUDE_FILES } from './lua-prelude-files';

/** Chunk name of the config; Lua prints it as the position prefix ("tidemark-config:7: ..."). */
export const CONFIG_CHUNK = 'tidemark-config';
export const PRELUDE_CHUNK = 'tidemark-prelude';
/** The global the JS side reads back (after the config ran) through `return __tidemark_collect()`. */
export const COLLECT_CALL = 'return __tidemark_collect()';
/** The global the JS side sets before the prelude runs: the process environment for os.getenv. */
export const ENV_GLOBAL = '__tidemark_env';
/** Globals the JS side sets before the prelude runs: the read-only file host (lua-files.ts). */
export const HOST_GLOBALS = { read: '__tidemark_read', list: '__tidemark_list', include: '__tidemark_include', configPath: '__tidemark_config_path' } as const;

export const LUA_PRELUDE = String.raw`
local getinfo = debug.getinfo
local type, next, tostring, error, select, rawget, setmetatable = type, next, tostring, error, select, rawget, setmetatable
local rawpcall, rawxpcall, pack, unpack = pcall, xpcall, table.pack, table.unpack
local concat, format, gsub, byte = table.concat, string.format, string.gsub, string.byte
local mathtype, huge, ipairs, G = math.type, math.huge, ipairs, _G
local rawload, match = load, string.match
local CHUNK = '=${CONFIG_CHUNK}'
local ENV = ${ENV_GLOBAL} or {}
local hostRead, hostList, hostInclude = ${HOST_GLOBALS.read}, ${HOST_GLOBALS.list}, ${HOST_GLOBALS.include}
local CONFIG_PATH = ${HOST_GLOBALS.configPath}
${ENV_GLOBAL}, ${HOST_GLOBALS.read}, ${HOST_GLOBALS.list}, ${HOST_GLOBALS.include}, ${HOST_GLOBALS.configPath} = nil, nil, nil, nil, nil
-- Files run by dofile/loadfile, by chunk number: { name = as given, real = real path, source = text }.
local includes = {}

-- Where in the config (or an included file) the current call was made: the first frame from
-- the config chunk or an include; the include's name as second value.
local function callSite()
  for level = 2, 60 do
    local info = getinfo(level, 'Sl')
    if not info then break end
    if info.currentline and info.currentline > 0 then
      if info.source == CHUNK then return info.currentline end
      local index = match(info.source, '^=${INCLUDE_CHUNK.replace(/-/g, '%-')}(%d+)$')
      if index then return info.currentline, includes[tonumber(index)].name end
    end
  end
  return 0
end

local SANDBOX = ' is not available in a Tidemark config (the config sandbox reads files, but never writes them, runs programs or loads modules)'
local function blockedFunction(name)
  return function() error(name .. SANDBOX, 2) end
end
local function blockedLibrary(name, allowed)
  return setmetatable(allowed or {}, {
    __index = function(_, key) error(name .. '.' .. tostring(key) .. SANDBOX, 2) end,
    __newindex = function(_, key) error(name .. '.' .. tostring(key) .. SANDBOX, 2) end,
    __metatable = false,
  })
end

local realos = os
os = blockedLibrary('os', {
  getenv = function(name) return ENV[name] end,
  time = realos.time, clock = realos.clock, date = realos.date, difftime = realos.difftime,
})
package = blockedLibrary('package')
coroutine = blockedLibrary('coroutine')
require = function(name)
  local hint = ''
  if name == 'lfs' then hint = '; readdir(path) lists a directory, as in lsyncd'
  elseif type(name) == 'string' then hint = "; include a Lua file with dofile('/path/to/" .. name .. ".lua')" end
  error('require' .. SANDBOX .. hint, 2)
end
terminate = blockedFunction('terminate')
load = blockedFunction('load')
loadstring = blockedFunction('loadstring')
string.dump = blockedFunction('string.dump')

local function reraiseEngineErrors(results)
  if not results[1] and type(results[2]) == 'userdata' then error(results[2], 0) end
  return unpack(results, 1, results.n)
end
pcall = function(...) return reraiseEngineErrors(pack(rawpcall(...))) end
xpcall = function(...) return reraiseEngineErrors(pack(rawxpcall(...))) end

local output = {}
local function record(...)
  if #output >= 200 then return end
  local parts = {}
  for i = 1, select('#', ...) do parts[i] = tostring((select(i, ...))) end
  output[#output + 1] = concat(parts, '\t')
end
print = record
log = function(_, ...) record(...) end
${LUA_PRELUDE_FILES}
lsyncd_version = '2.2.3'
-- Lets a config tell Tidemark from lsyncd, which has no such global: 'tidemark export' puts
-- Tidemark's own sync{} keys behind 'rawget(_G, "tidemark")' (services/profiles/profile-to-lua.ts).
tidemark = { lsyncd = '2.2.3' }

-- lsyncd's default layers, with the values configs sometimes read (default.rsync.rsync.binary).
local function rsyncDefaults()
  return { binary = '/usr/bin/rsync', links = true, times = true, protect_args = true }
end
default = {
  rsync = { delay = 15, delete = true, maxProcesses = 1, rsync = rsyncDefaults() },
  rsyncssh = { delay = 15, delete = true, maxProcesses = 1, rsync = rsyncDefaults(),
    ssh = { binary = '/usr/bin/ssh', _extra = {} } },
  direct = { delay = 1, delete = true, maxProcesses = 1, rsync = rsyncDefaults() },
  statusInterval = 10,
  rsyncExitCodes = {},
  sshExitCodes = {},
}
local MARKERS = { [default.rsync] = 'rsync', [default.rsyncssh] = 'rsyncssh', [default.direct] = 'direct' }

local syncCalls, settingsCalls, mergedSettings = {}, {}, {}
function settings(arg)
  if type(arg) == 'string' then return mergedSettings[arg] end
  local line, file = callSite()
  settingsCalls[#settingsCalls + 1] = { line = line, file = file, t = arg }
  if type(arg) == 'table' then
    for k, v in next, arg do
      if mathtype(k) == 'integer' then mergedSettings[v] = true else mergedSettings[k] = v end
    end
  end
end
local settingsFunction = settings
function sync(t)
  local line, file = callSite()
  syncCalls[#syncCalls + 1] = { line = line, file = file, t = t }
end

-- JSON encoder: sequences (and {}) become arrays, other tables objects with string keys.
local ESCAPES = { ['"'] = '\\"', ['\\'] = '\\\\', ['\n'] = '\\n', ['\r'] = '\\r', ['\t'] = '\\t' }
local function encodeString(s)
  return '"' .. (gsub(s, '[%c"\\]', function(c) return ESCAPES[c] or format('\\u%04x', byte(c)) end)) .. '"'
end
local function encodeNumber(n)
  if mathtype(n) == 'integer' then return tostring(n) end
  if n ~= n then return '{"__number":"nan"}' end
  if n == huge then return '{"__number":"inf"}' end
  if n == -huge then return '{"__number":"-inf"}' end
  return format('%.17g', n)
end
local function encodeKey(k)
  local tk = type(k)
  if tk == 'string' then return encodeString(k) end
  if tk == 'number' then return '"' .. encodeNumber(k) .. '"' end
  return '"<' .. tk .. ' key>"'
end
local encode
local function encodeTable(t, out, open, depth)
  if MARKERS[t] then out[#out + 1] = '{"__default":"' .. MARKERS[t] .. '"}' return end
  if open[t] then out[#out + 1] = '{"__cycle":true}' return end
  if depth > 40 then out[#out + 1] = '{"__tooDeep":true}' return end
  open[t] = true
  local count, isSequence = 0, true
  for k in next, t do
    count = count + 1
    if mathtype(k) ~= 'integer' or k < 1 then isSequence = false end
  end
  if isSequence then
    for i = 1, count do if rawget(t, i) == nil then isSequence = false break end end
  end
  if isSequence then
    out[#out + 1] = '['
    for i = 1, count do
      if i > 1 then out[#out + 1] = ',' end
      encode(rawget(t, i), out, open, depth + 1)
    end
    out[#out + 1] = ']'
  else
    out[#out + 1] = '{'
    local first = true
    for k, v in next, t do
      if not first then out[#out + 1] = ',' end
      first = false
      out[#out + 1] = encodeKey(k)
      out[#out + 1] = ':'
      encode(v, out, open, depth + 1)
    end
    out[#out + 1] = '}'
  end
  open[t] = nil
end
encode = function(v, out, open, depth)
  local tv = type(v)
  if tv == 'nil' then out[#out + 1] = 'null'
  elseif tv == 'boolean' then out[#out + 1] = tostring(v)
  elseif tv == 'number' then out[#out + 1] = encodeNumber(v)
  elseif tv == 'string' then out[#out + 1] = encodeString(v)
  elseif tv == 'function' then out[#out + 1] = '{"__function":true}'
  elseif tv == 'table' then encodeTable(v, out, open, depth)
  else out[#out + 1] = '{"__unsupported":"' .. tv .. '"}' end
end
local function encodeCalls(calls, out)
  out[#out + 1] = '['
  for i, call in ipairs(calls) do
    if i > 1 then out[#out + 1] = ',' end
    out[#out + 1] = '{"line":' .. call.line .. (call.file and ',"file":' .. encodeString(call.file) or '') .. ',"table":'
    encode(call.t, out, {}, 0)
    out[#out + 1] = '}'
  end
  out[#out + 1] = ']'
end

function __tidemark_collect()
  local out = { '{"syncs":' }
  encodeCalls(syncCalls, out)
  out[#out + 1] = ',"settings":'
  encodeCalls(settingsCalls, out)
  local current = rawget(G, 'settings')
  if current ~= settingsFunction then
    out[#out + 1] = ',"settingsAssigned":'
    encode(current, out, {}, 0)
  end
  out[#out + 1] = ',"output":'
  encode(output, out, {}, 0)
  out[#out + 1] = ',"includes":['
  for i, include in ipairs(includes) do
    out[#out + 1] = (i > 1 and ',' or '') .. '{"name":' .. encodeString(include.name) .. ',"source":' .. encodeString(include.source) .. '}'
  end
  out[#out + 1] = ']'
  out[#out + 1] = '}'
  return concat(out)
end
`;
