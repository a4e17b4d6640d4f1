// settings{ ... } (or the pre-2.1 `settings = { ... }`) into Settings. Several calls merge, later
// keys winning, as lsyncd merges them; the assignment form comes last.

import { resolve } from 'node:path';
import type { InotifyMode, Settings } from './model';
import { DEFAULT_SETTINGS, INOTIFY_MODES, SETTINGS_KEYS, UNSUPPORTED_SETTINGS_KEYS } from './defaults';
import type { LuaCall } from './lua-sandbox';
import { describeLua, tableView, type LuaValue } from './lua-values';
import { didYouMean } from './suggest';
import { Scope, type Problems } from './validate-context';

type MutableSettings = { -readonly [K in keyof Settings]: Settings[K] };

const PATH_KEYS = new Set(['logfile', 'statusFile', 'pidfile']);
const STRING_KEYS = new Set(['logfacility', 'logident']);
// lsyncd 2.2.3 only tests these for truth (`if settings('insist')`, `if uSettings.nodaemon`), so
// any value but false and nil switches them on: insist = 1 works, and so, surprisingly, does 0.
const TRUTH_KEYS = new Set(['nodaemon', 'insist']);
/** Values that read as "off" to a person but are true to Lua. */
const LOOKS_OFF = new Set<LuaValue>([0, '0', 'false', 'no', 'off', '']);

/** Hints for keys people put in settings{} that belong elsewhere. */
const MISPLACED: Readonly<Record<string, string>> = {
  delay: "delay is set in each sync{} (or for all syncs with the -delay option), not in settings{}",
};

function applyKey(scope: Scope, settings: MutableSettings, key: string, value: LuaValue, cwd: string): void {
  const path = [key];
  if (PATH_KEYS.has(key)) {
    const file = scope.string(path, value);
    // Resolved against the working directory now: lsyncd chdirs to / when it daemonizes.
    if (file !== undefined) settings[key as 'logfile'] = resolve(cwd, file);
  } else if (STRING_KEYS.has(key)) {
    const text = scope.string(path, value);
    if (text !== undefined) settings[key as 'logident'] = text;
  } else if (TRUTH_KEYS.has(key)) {
    settings[key as 'nodaemon'] = truthOf(scope, key, value);
  } else if (key === 'statusInterval') {
    settings.statusInterval = scope.number(path, value, { min: 0 }) ?? settings.statusInterval;
  } else if (key === 'maxProcesses') {
    settings[key] = scope.number(path, value, { min: 1, integer: true }) ?? settings[key];
  } else if (key === 'maxDelays') {
    settings[key] = maxDelaysOf(scope, value) ?? settings[key];
  } else if (key === 'inotifyMode') {
    if (typeof value === 'string' && INOTIFY_MODES.includes(value)) settings.inotifyMode = value as InotifyMode;
    else scope.error(path, `inotifyMode must be one of ${INOTIFY_MODES.map((mode) => `'${mode}'`).join(', ')} (got ${describeLua(value)})`);
  } else if (UNSUPPORTED_SETTINGS_KEYS[key] !== undefined) {
    scope.error(path, `not supported: ${key} in settings{} (${UNSUPPORTED_SETTINGS_KEYS[key]})`);
  } else if (MISPLACED[key] !== undefined) {
    scope.error(path, `unknown key '${key}' in settings{}: ${MISPLACED[key]}`);
  } else {
    scope.error(path, `unknown key '${key}' in settings{}${didYouMean(key, SETTINGS_KEYS)}`);
  }
}

/** A setting lsyncd tests for truth: Lua's truth, with a warning for anything but a boolean. */
function truthOf(scope: Scope, key: string, value: LuaValue): boolean {
  if (typeof value === 'boolean' || value === null) return value === true;
  const shown = describeLua(value);
  if (LOOKS_OFF.has(value)) {
    scope.warn([key], `${key} is ${shown}, which lsyncd (like Lua) counts as true, so ${key} is on; write ${key} = false to turn it off`);
  } else {
    scope.warn([key], `${key} is ${shown}; lsyncd only tests it for truth, so ${key} is on (write ${key} = true)`);
  }
  return true;
}

/**
 * maxDelays, in settings{} or a sync{}: a whole number >= 0. lsyncd 2.2.3 waits out `delay` only
 * while the queue holds fewer than maxDelays events (`if self.delays:size() < self.config.maxDelays`
 * in lsyncd.lua), so 0 means every event is acted on at once; Tidemark's batcher does the same.
 */
export function maxDelaysOf(scope: Scope, value: LuaValue): number | undefined {
  const maxDelays = scope.number(['maxDelays'], value, { min: 0, integer: true });
  if (maxDelays === 0) scope.warn(['maxDelays'], 'maxDelays = 0: as in lsyncd, every change is shipped at once, without waiting for delay (write delay = 0 to say so, or maxDelays = 1000, the default, to batch)');
  return maxDelays;
}

export function validateSettings(
  calls: readonly (LuaCall & { readonly form: 'call' | 'assign' })[],
  problems: Problems,
  cwd: string,
): Settings {
  const settings: MutableSettings = { ...DEFAULT_SETTINGS };
  for (const call of calls) {
    const scope = new Scope(problems, 'settings', call.line, call.file);
    const view = tableView(call.table);
    if (view === undefined) {
      scope.error([], `settings must be a table, as in settings { logfile = '...' } (got ${describeLua(call.table)})`);
      continue;
    }
    // lsyncd accepts settings{ 'nodaemon' } as nodaemon = true.
    for (const name of view.positional) {
      if (typeof name === 'string') applyKey(scope, settings, name, true, cwd);
      else scope.error([], `settings{} list entries must be setting names (got ${describeLua(name)})`);
    }
    for (const [key, value] of view.fields) applyKey(scope, settings, key, value, cwd);
  }
  return settings;
}
