// The part of the prelude that lets a config read its surroundings, read-only, as real configs
// do: io.open / io.lines on a host list, dofile / loadfile of a shared config, lsyncd's
// readdir(path), and debug.getinfo(1, 'S').source to find the config's own directory.
//
// It is spliced into LUA_PRELUDE (lua-prelude.ts) and uses that chunk's locals: getinfo, CHUNK,
// SANDBOX, blockedLibrary, blockedFunction, record, includes, rawload and the host functions
// hostRead, hostList, hostInclude (lua-files.ts), plus CONFIG_PATH.
//
// Invariants:
// - A file handle is a table over the file's whole text (read once, by the host); there is no
//   write path at all. Any mode but 'r'/'rb' raises an error naming the call's line.
// - An included file runs as chunk `=tidemark-include-N` (N from hostInclude), so its errors can
//   be mapped back to `name:line`; load() is called with mode 't', so byte-code never loads.
// - dofile refuses a file that is already running further up the Lua stack (a loop), and more
//   than MAX_INCLUDES includes in all (a loop through tail calls leaves no frames to see).

/** Chunk name prefix of included files: include N runs as `=tidemark-include-N`. */
export const INCLUDE_CHUNK = 'tidemark-include-';
export const MAX_INCLUDES = 200;
const INCLUDE_LUA_PATTERN = INCLUDE_CHUNK.replace(/-/g, '%-');

export const LUA_PRELUDE_FILES = String.raw`
local sub, find, match, tonumber = string.sub, string.find, string.match, tonumber
local INCLUDE_PATTERN = '^=${INCLUDE_LUA_PATTERN}(%d+)$'
local INCLUDE_POSITION = '^${INCLUDE_LUA_PATTERN}%d+:'
local READ_ONLY = "the config sandbox is read-only: open files with mode 'r' or 'rb'"

local function argError(n, fname, expected, got)
  error(format("bad argument #%d to '%s' (%s expected, got %s)", n, fname, expected, type(got)), 3)
end

-- File handles: the text, a 1-based position, closed or not.
local states = setmetatable({}, { __mode = 'k' })
local FILE = {}
local function state(h)
  local s = states[h]
  if not s then error('bad file handle', 3) end
  if s.closed then error('attempt to use a closed file', 3) end
  return s
end
local function readOne(s, fmt)
  local text, pos = s.text, s.pos
  if mathtype(fmt) == 'integer' then
    if pos > #text then return nil end
    local chunk = sub(text, pos, pos + fmt - 1)
    s.pos = pos + #chunk
    return chunk
  end
  if type(fmt) ~= 'string' then error("bad argument to 'read' (invalid format)", 3) end
  local c = sub(gsub(fmt, '^%*', ''), 1, 1)
  if c == 'a' then
    s.pos = #text + 1
    return sub(text, pos)
  elseif c == 'l' or c == 'L' then
    if pos > #text then return nil end
    local nl = find(text, '\n', pos, true)
    s.pos = (nl or #text) + 1
    if nl and c == 'l' then return sub(text, pos, nl - 1) end
    return sub(text, pos, nl or #text)
  elseif c == 'n' then
    local _, last, numeral = find(text, '^%s*([-+]?[%w%.]+)', pos)
    local n = numeral and tonumber(numeral)
    if n then s.pos = last + 1 end
    return n
  end
  error("bad argument to 'read' (invalid format)", 3)
end
local function readAll(s, ...)
  local n = select('#', ...)
  if n == 0 then return readOne(s, 'l') end
  local out = {}
  for i = 1, n do
    out[i] = readOne(s, (select(i, ...)))
    if out[i] == nil then return unpack(out, 1, i) end
  end
  return unpack(out, 1, n)
end
function FILE.read(h, ...) return readAll(state(h), ...) end
function FILE.lines(h, ...)
  local s, formats = state(h), pack(...)
  return function() return readAll(s, unpack(formats, 1, formats.n)) end
end
function FILE.seek(h, whence, offset)
  local s = state(h)
  whence, offset = whence or 'cur', offset or 0
  local base = ({ set = 0, cur = s.pos - 1, ['end'] = #s.text })[whence]
  if not base then error("bad argument #1 to 'seek' (invalid option '" .. tostring(whence) .. "')", 2) end
  if base + offset < 0 then return nil, 'Invalid argument', 22 end
  s.pos = base + offset + 1
  return base + offset
end
function FILE.close(h) state(h).closed = true return true end
function FILE.flush(h) state(h) return h end
function FILE.setvbuf(h) state(h) return true end
function FILE.write() error('file:write: ' .. READ_ONLY, 2) end
local FILE_META = {
  __index = FILE,
  __name = 'FILE*',
  __metatable = false,
  __tostring = function(h) return states[h].closed and 'file (closed)' or 'file (0x' .. format('%x', states[h].id) .. ')' end,
}
local handleCount = 0
local function newHandle(text)
  local h = setmetatable({}, FILE_META)
  handleCount = handleCount + 1
  states[h] = { text = text, pos = 1, closed = false, id = handleCount }
  return h
end

local function open(name, mode)
  if type(name) ~= 'string' then argError(1, 'open', 'string', name) end
  if mode ~= nil and mode ~= 'r' and mode ~= 'rb' then
    error(format('io.open(%q, %q): %s', name, tostring(mode), READ_ONLY), 2)
  end
  local answer = hostRead(name)
  if answer.error then return nil, name .. ': ' .. answer.error, answer.errno end
  return newHandle(answer.text)
end
io = blockedLibrary('io', {
  open = open,
  lines = function(name, ...)
    if name == nil then error('io.lines() without a file name reads standard input, which a Tidemark config cannot', 2) end
    if type(name) ~= 'string' then argError(1, 'lines', 'string', name) end
    local answer = hostRead(name)
    if answer.error then error(name .. ': ' .. answer.error, 2) end
    local h = newHandle(answer.text)
    local s, formats = states[h], pack(...)
    return function()
      if s.closed then return nil end
      local line = readAll(s, unpack(formats, 1, formats.n))
      if line == nil then s.closed = true end
      return line
    end
  end,
  type = function(h)
    local s = states[h]
    if not s then return nil end
    return s.closed and 'closed file' or 'file'
  end,
  close = function(h)
    if h == nil then error('io.close() closes standard output, which a Tidemark config cannot', 2) end
    return FILE.close(h)
  end,
  write = function(...) record(...) return io end,
})

-- lsyncd's readdir(path): entry name to true for directories; nil (and an Error log) on failure.
readdir = function(path)
  if type(path) ~= 'string' then argError(1, 'readdir', 'string', path) end
  local answer = hostList(path)
  if answer.error then
    record('Error: cannot open dir [' .. path .. '].', answer.error)
    return nil
  end
  return answer.entries
end

-- The file a chunk on the stack came from: the config's real path, or an include's name.
local function realOfSource(source)
  if source == CHUNK then return CONFIG_PATH end
  local index = match(source, INCLUDE_PATTERN)
  if index then return includes[tonumber(index)].real end
  return nil
end

local includeCount = 0
local function loadInclude(name, fname, env)
  if name == nil then error(fname .. '() without a file name reads standard input, which a Tidemark config cannot', 3) end
  if type(name) ~= 'string' then argError(1, fname, 'string', name) end
  local answer = hostRead(name)
  if answer.error then return nil, 'cannot open ' .. name .. ': ' .. answer.error end
  for level = 3, 250 do
    local info = getinfo(level, 'S')
    if not info then break end
    if realOfSource(info.source) == answer.real then
      return nil, format('%s loop: %s (%s) is already running, so including it again would never end', fname, name, answer.real)
    end
  end
  includeCount = includeCount + 1
  if includeCount > ${MAX_INCLUDES} then return nil, fname .. ': more than ${MAX_INCLUDES} files included (a dofile loop?)' end
  local text = answer.text
  if sub(text, 1, 3) == '\239\187\191' then text = sub(text, 4) end
  if sub(text, 1, 4) == '\27Lua' then return nil, name .. ': precompiled Lua byte-code is not accepted; give the file as text' end
  if sub(text, 1, 1) == '#' then text = gsub(text, '^[^\n]*', '', 1) end
  local index = hostInclude(name)
  includes[index] = { name = name, real = answer.real, source = text }
  if env == nil then return rawload(text, '=${INCLUDE_CHUNK}' .. index, 't') end
  return rawload(text, '=${INCLUDE_CHUNK}' .. index, 't', env)
end
dofile = function(name)
  local chunk, message = loadInclude(name, 'dofile')
  if not chunk then error(message, match(message, INCLUDE_POSITION) and 0 or 2) end
  return chunk()
end
loadfile = function(name, mode, env)
  if mode ~= nil and mode ~= 't' and mode ~= 'bt' then error("loadfile: only text chunks are accepted (mode 't')", 2) end
  return loadInclude(name, 'loadfile', env)
end

-- debug.getinfo for finding the config's own file: sources read '@/path/of/file.lua' as in
-- lsyncd (which loads the config by its real path); no function values ('f', 'L' are dropped).
local function shownSource(source)
  if source == CHUNK then return '@' .. CONFIG_PATH, CONFIG_PATH end
  local index = match(source or '', INCLUDE_PATTERN)
  if index then local name = includes[tonumber(index)].name return '@' .. name, name end
  return '=[C]', '[C]'
end
local function safeGetinfo(f, what)
  if type(f) ~= 'function' and mathtype(f) ~= 'integer' then argError(1, 'getinfo', 'function or level', f) end
  if what ~= nil and type(what) ~= 'string' then argError(2, 'getinfo', 'string', what) end
  if mathtype(f) == 'integer' and f > 0 then f = f + 1 end
  local info = getinfo(f, gsub(what or 'lnSrtu', '[fL>]', ''))
  if not info then return nil end
  local copy = {}
  for k, v in next, info do copy[k] = v end
  if copy.source then
    copy.source, copy.short_src = shownSource(copy.source)
    if copy.source == '=[C]' then copy.what, copy.linedefined, copy.lastlinedefined, copy.currentline = 'C', -1, -1, -1 end
  end
  return copy
end
debug = blockedLibrary('debug', { getinfo = safeGetinfo })
`;
