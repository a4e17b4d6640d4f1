// Runs an lsyncd config (Lua) in a fresh wasmoon engine and returns what it asked for: the
// sync{} and settings{} calls with their lines, as plain JS values. Nothing here validates keys;
// that is lsyncd-validate's job.
//
// Each call gets a new LuaFactory and engine: an engine stopped by the timeout or the memory cap
// is not safe to reuse. The timeout hook only fires between Lua instructions, so a single huge C
// call (a pathological string.rep or pattern) can overrun it; callers that take configs from
// strangers should run this in a worker as well.

import { resolve } from 'node:path';
import { LuaFactory, type LuaGlobal, type LuaThread } from 'wasmoon';
import { ConfigError } from './model';
import { COLLECT_CALL, CONFIG_CHUNK, ENV_GLOBAL, HOST_GLOBALS, LUA_PRELUDE, PRELUDE_CHUNK } from './lua-prelude';
import { INCLUDE_CHUNK } from './lua-prelude-files';
import { ConfigFiles } from './lua-files';
import type { LuaValue } from './lua-values';

export interface LuaLimits {
  /** Wall-clock budget for running the config (default 2000 ms). */
  readonly timeoutMs?: number;
  /** Cap on the Lua heap (default 64 MiB). */
  readonly memoryBytes?: number;
  /** What os.getenv sees (default process.env). */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** Where relative names in io.open, dofile and readdir resolve (default process.cwd()). */
  readonly cwd?: string;
  /** The config's real absolute path, as debug.getinfo(1, 'S').source shows it (default: fileName resolved against cwd). */
  readonly configPath?: string;
}

/** One sync{} or settings{} call: the line where the called name appears, and its argument. */
export interface LuaCall {
  readonly line: number;
  /** The included file (as dofile named it) the call was made in; absent for the config itself. */
  readonly file?: string;
  readonly table: LuaValue;
}

/** A file run through dofile or loadfile: its name as given, and its text. */
export interface IncludedFile {
  readonly name: string;
  readonly source: string;
}

export interface RawLuaConfig {
  readonly fileName: string;
  /** The config's text, for finding the line of a key inside a call. */
  readonly source: string;
  readonly syncs: readonly LuaCall[];
  /** settings{} calls in order; an old-style `settings = {...}` comes last with form 'assign'. */
  readonly settings: readonly (LuaCall & { readonly form: 'call' | 'assign' })[];
  /** What print() and log() wrote, for diagnostics. */
  readonly output: readonly string[];
  /** The files the config included, in the order they ran. */
  readonly includes?: readonly IncludedFile[];
}

interface Collected {
  syncs: LuaCall[];
  settings: LuaCall[];
  settingsAssigned?: LuaValue;
  output: string[];
  includes?: IncludedFile[];
}

const DEFAULT_TIMEOUT_MS = 2000;
const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;
const MIN_COLLECT_MS = 250;

export async function evaluateLuaConfig(source: string, fileName: string, limits: LuaLimits = {}): Promise<RawLuaConfig> {
  return rawConfigFromJson(await evaluateLuaToJson(source, fileName, limits), source, fileName);
}

/** What evaluateLuaToJson answered, as the RawLuaConfig it stands for. */
export function rawConfigFromJson(json: string, source: string, fileName: string): RawLuaConfig {
  return toRawConfig(JSON.parse(json, revive) as Collected, source, fileName);
}

/**
 * Runs the config and answers what it defined as JSON (rawConfigFromJson reads it): a text that
 * can cross a process boundary, so the daemon can leave wasmoon's memory to a child process.
 */
export async function evaluateLuaToJson(source: string, fileName: string, limits: LuaLimits = {}): Promise<string> {
  const timeoutMs = limits.timeoutMs ?? DEFAULT_TIMEOUT_MS;
  const memoryBytes = limits.memoryBytes ?? DEFAULT_MEMORY_BYTES;
  const chunk = loadableText(source, fileName);
  const cwd = limits.cwd ?? process.cwd();
  const files = new ConfigFiles(cwd);
  const globalsBefore = new Set(Object.getOwnPropertyNames(globalThis));
  const engine = await new LuaFactory().createEngine({ traceAllocations: true, enableProxy: false, injectObjects: false });
  const failure = (error: unknown, best: number): ConfigError => classify(error, fileName, { timeoutMs, memoryBytes, best }, files.includes);
  try {
    engine.global.setMemoryMax(memoryBytes);
    engine.global.set(ENV_GLOBAL, envTable(limits.env ?? process.env));
    engine.global.set(HOST_GLOBALS.read, (name: unknown) => files.read(name));
    engine.global.set(HOST_GLOBALS.list, (name: unknown) => files.list(name));
    engine.global.set(HOST_GLOBALS.include, (name: unknown) => files.include(String(name)));
    engine.global.set(HOST_GLOBALS.configPath, limits.configPath ?? resolve(cwd, fileName));
    const prelude = engine.global.newThread();
    prelude.loadString(LUA_PRELUDE, `=${PRELUDE_CHUNK}`);
    await prelude.run(0);

    const started = Date.now();
    const thread = engine.global.newThread();
    try {
      thread.loadString(chunk, `=${CONFIG_CHUNK}`);
    } catch (error) {
      throw failure(error, 1);
    }
    try {
      await thread.run(0, { timeout: timeoutMs });
    } catch (error) {
      throw failure(withStack(error, thread, engine.global), 1);
    }

    const collector = engine.global.newThread();
    collector.loadString(COLLECT_CALL, '=collect');
    let json: unknown;
    try {
      const results = await collector.run(0, { timeout: Math.max(MIN_COLLECT_MS, timeoutMs - (Date.now() - started)) });
      json = results[0];
    } catch (error) {
      throw failure(error, 1);
    }
    if (typeof json !== 'string') throw new ConfigError({ file: fileName, line: 1 }, 'the config replaced an internal function of the sandbox (__tidemark_collect)');
    return json;
  } finally {
    engine.global.close();
    releaseEmscriptenGlobals(globalsBefore);
  }
}

/**
 * wasmoon's Emscripten runtime defines ~120 getters on globalThis (helpers it did not export),
 * and their closures keep the whole module alive, its 16 MB WebAssembly memory included, for
 * as long as the process runs. Nothing uses them once the engine is closed; without them the
 * module is garbage like any other.
 */
function releaseEmscriptenGlobals(before: ReadonlySet<string>): void {
  for (const name of Object.getOwnPropertyNames(globalThis)) {
    if (before.has(name)) continue;
    if (Object.getOwnPropertyDescriptor(globalThis, name)?.configurable) Reflect.deleteProperty(globalThis, name);
  }
}

/**
 * The error with the failed thread's whole stack in place of wasmoon's traceback, which skips the
 * innermost frame and is absent for memory errors, yet that frame is where a runaway loop or
 * allocation sits. The memory cap is lifted while the traceback is built.
 */
function withStack(error: unknown, thread: LuaThread, global: LuaGlobal): unknown {
  if (!(error instanceof Error)) return error;
  const max = global.getMemoryMax();
  try {
    global.setMemoryMax(undefined);
    thread.lua.luaL_traceback(thread.address, thread.address, null, 0);
    const own = error.message.split('\nstack traceback:')[0];
    error.message = `${own}\n${thread.lua.lua_tolstring(thread.address, -1, null)}`;
    thread.pop(1);
  } catch {
    // An aborted engine cannot say more; the error keeps what it had.
  } finally {
    global.setMemoryMax(max);
  }
  return error;
}

/** What Lua should load: no byte-code, and lsyncd's luaL_loadfile habits (BOM, '#' first line). */
function loadableText(source: string, fileName: string): string {
  let text = source.startsWith('\uFEFF') ? source.slice(1) : source;
  if (text.startsWith('\x1bLua')) throw new ConfigError({ file: fileName, line: 1 }, 'precompiled Lua byte-code is not accepted; give the config as text');
  // luaL_loadfile skips a first line starting with '#' (a shebang); keep its newline for line numbers.
  if (text.startsWith('#')) text = text.replace(/^[^\n]*/, '');
  return text;
}

function envTable(env: Readonly<Record<string, string | undefined>>): Record<string, string> {
  const table: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) if (value !== undefined) table[key] = value;
  return table;
}

/** JSON.parse reviver: restores the non-finite numbers the encoder had to spell out. */
function revive(_key: string, value: unknown): unknown {
  if (typeof value === 'object' && value !== null && '__number' in value) {
    const spelled = (value as { __number: unknown }).__number;
    return spelled === 'inf' ? Infinity : spelled === '-inf' ? -Infinity : NaN;
  }
  return value;
}

function toRawConfig(collected: Collected, source: string, fileName: string): RawLuaConfig {
  const settings: (LuaCall & { form: 'call' | 'assign' })[] = collected.settings.map((call) => ({ ...call, form: 'call' }));
  if ('settingsAssigned' in collected && collected.settingsAssigned !== null && collected.settingsAssigned !== undefined) {
    settings.push({ line: assignmentLine(source, 'settings'), table: collected.settingsAssigned, form: 'assign' });
  }
  return { fileName, source, syncs: collected.syncs, settings, output: collected.output, includes: collected.includes ?? [] };
}

/** The line of the last top-level `name = ...` assignment, or 1. */
function assignmentLine(source: string, name: string): number {
  const lines = source.split('\n');
  const pattern = new RegExp(`^\\s*${name}\\s*=(?!=)`);
  for (let i = lines.length - 1; i >= 0; i--) if (pattern.test(lines[i] ?? '')) return i + 1;
  return 1;
}

interface Budget {
  readonly timeoutMs: number;
  readonly memoryBytes: number;
  /** The line to blame when the error carries none. */
  readonly best: number;
}

const POSITION = new RegExp(`^(?:${CONFIG_CHUNK}|${INCLUDE_CHUNK}\\d+|${PRELUDE_CHUNK}|collect|\\[string ".*?"\\]):(\\d+): `);
/** A position in the config (group 1 empty) or in include N (group 1 = N), line in group 2. */
const USER_POSITION = `(?:${CONFIG_CHUNK}|${INCLUDE_CHUNK}(\\d+)):(\\d+):`;
const TRACEBACK_LINE = new RegExp(`\\b${USER_POSITION}`);
const OWN_LINE = new RegExp(`^${USER_POSITION} `);

/**
 * Turns whatever wasmoon threw into a ConfigError at the best place we know: the error's own
 * position, else the innermost config or include frame of the traceback, else the config at
 * `budget.best`. Include N is named as dofile was given it (`includes[N - 1]`), as Lua does.
 */
function classify(error: unknown, fileName: string, budget: Budget, includes: readonly string[]): ConfigError {
  if (error instanceof ConfigError) return error;
  const text = error instanceof Error ? error.message : String(error);
  const [first = '', ...rest] = text.split('\n');
  const position = OWN_LINE.exec(first) ?? TRACEBACK_LINE.exec(rest.join('\n'));
  const include = position?.[1] === undefined ? undefined : includes[Number(position[1]) - 1];
  const at = { file: include ?? fileName, line: Number(position?.[2] ?? budget.best) };
  if (text.includes('thread timeout exceeded')) {
    return new ConfigError(at, `evaluation took longer than ${budget.timeoutMs} ms (an endless loop?)`);
  }
  if (first.startsWith('not enough memory')) {
    return new ConfigError(at, `the config uses more than ${formatMiB(budget.memoryBytes)} of memory`);
  }
  if (first.startsWith('Aborted(')) {
    return new ConfigError(at, `the Lua engine aborted (${first}); is the config using too much memory?`);
  }
  const detail = first.replace(POSITION, '').trim();
  if (/^(table|userdata|function): 0x[0-9a-f]+$/.test(detail)) return new ConfigError(at, `error() was raised with a ${detail.split(':')[0]} value`);
  return new ConfigError(at, detail === '' ? 'Lua error' : detail);
}

function formatMiB(bytes: number): string {
  const mib = bytes / (1024 * 1024);
  return `${Number.isInteger(mib) ? mib : mib.toFixed(1)} MiB`;
}
