// Plain-JS shapes of the Lua values a config leaves behind, as the sandbox's encoder writes them.
// Lua sequences become arrays (an empty table too); every other table becomes an object whose
// keys are strings (integer keys written in decimal). Values JSON cannot carry come back as
// markers: functions, lsyncd's default layers, cycles and userdata.

import type { SyncKind } from './model';

export type LuaValue = null | boolean | number | string | readonly LuaValue[] | LuaObject;

export interface LuaObject {
  readonly [key: string]: LuaValue;
}

/** What stands in for a Lua function (layer 2/3 actions such as `onCreate = function ... end`). */
export interface LuaFunctionMarker {
  readonly __function: true;
}

/** What stands in for `default.rsync`, `default.rsyncssh` and `default.direct`. */
export interface LuaDefaultMarker {
  readonly __default: SyncKind;
}

/** A table seen as lsyncd sees a sync{} table: positional entries, then named fields. */
export interface TableView {
  readonly positional: readonly LuaValue[];
  readonly fields: ReadonlyMap<string, LuaValue>;
}

const SYNC_KINDS: readonly string[] = ['rsync', 'rsyncssh', 'direct'];

function isObject(value: LuaValue | undefined): value is LuaObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function isFunctionMarker(value: LuaValue | undefined): boolean {
  return isObject(value) && value['__function'] === true;
}

/** The layer a `default.X` marker names, or undefined for anything else. */
export function defaultKindOf(value: LuaValue | undefined): SyncKind | undefined {
  if (!isObject(value)) return undefined;
  const kind = value['__default'];
  return typeof kind === 'string' && SYNC_KINDS.includes(kind) ? (kind as SyncKind) : undefined;
}

function isMarker(value: LuaObject): boolean {
  return ['__function', '__default', '__cycle', '__unsupported', '__tooDeep'].some((key) => key in value);
}

/** A Lua table (not a marker), or undefined when the value is no table. */
export function tableView(value: LuaValue | undefined): TableView | undefined {
  if (Array.isArray(value)) return { positional: value as readonly LuaValue[], fields: new Map() };
  if (!isObject(value) || isMarker(value)) return undefined;
  const positional: LuaValue[] = [];
  const fields = new Map<string, LuaValue>();
  for (let i = 1; String(i) in value; i++) positional.push(value[String(i)] ?? null);
  for (const [key, item] of Object.entries(value)) {
    const index = Number(key);
    if (Number.isInteger(index) && index >= 1 && index <= positional.length) continue;
    fields.set(key, item);
  }
  return { positional, fields };
}

/** A list of strings (a Lua sequence; `{}` counts as empty), or undefined. */
export function stringList(value: LuaValue | undefined): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  const items = value as readonly LuaValue[];
  return items.every((item) => typeof item === 'string') ? (items as string[]) : undefined;
}

/** Names a value's Lua type for error messages: "a string", "a function", "nil"... */
export function describeLua(value: LuaValue | undefined): string {
  if (value === undefined || value === null) return 'nil';
  if (typeof value === 'boolean') return `the boolean ${String(value)}`;
  if (typeof value === 'number') return Number.isFinite(value) ? `the number ${value}` : 'a non-finite number';
  if (typeof value === 'string') return `the string '${value.length > 40 ? `${value.slice(0, 40)}…` : value}'`;
  if (Array.isArray(value)) return 'a list';
  const obj = value as LuaObject;
  if (isFunctionMarker(obj)) return 'a function';
  const kind = defaultKindOf(obj);
  if (kind) return `default.${kind}`;
  if ('__cycle' in obj) return 'a table that contains itself';
  if ('__tooDeep' in obj) return 'a table nested too deeply';
  if ('__unsupported' in obj) return `a ${String(obj['__unsupported'])}`;
  return 'a table';
}
