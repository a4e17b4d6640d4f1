// The `rsync = {}` and `ssh = {}` tables of a sync{}.

import type { RsyncTable, SshTable } from './model';
import { DEFAULT_RSYNC, DEFAULT_SSH, RSYNC_FLAGS, RSYNC_KEYS, RSYNC_VALUES, SSH_KEYS, UNSUPPORTED_RSYNC_KEYS } from './defaults';
import { describeLua, tableView, type LuaValue, type TableView } from './lua-values';
import { didYouMean } from './suggest';
import { Scope } from './validate-context';

/** The named fields of a table value; reports positional entries and non-tables. */
function fieldsOf(scope: Scope, key: string, value: LuaValue): TableView | undefined {
  const view = tableView(value);
  if (view === undefined) {
    scope.error([key], `${key} must be a table such as ${key} = { ... } (got ${describeLua(value)})`);
    return undefined;
  }
  if (view.positional.length > 0) scope.error([key], `${key} = { ... } takes only named keys (got ${describeLua(view.positional[0])} as a list entry)`);
  return view;
}

/** `_extra`: a list of extra arguments, each a string (numbers are written out). */
function extraList(scope: Scope, path: readonly string[], value: LuaValue): string[] {
  if (!Array.isArray(value)) {
    scope.error(path, `${Scope.label(path)} must be a list of strings (got ${describeLua(value)})`);
    return [];
  }
  const items = value as readonly LuaValue[];
  const bad = items.find((item) => typeof item !== 'string' && typeof item !== 'number');
  if (bad !== undefined) scope.error(path, `${Scope.label(path)} must be a list of strings (one entry is ${describeLua(bad)})`);
  return items.filter((item) => typeof item === 'string' || typeof item === 'number').map(String);
}

function stringOrNumber(scope: Scope, path: readonly string[], value: LuaValue): string | number | undefined {
  if (typeof value === 'string' || (typeof value === 'number' && Number.isFinite(value))) return value;
  scope.error(path, `${Scope.label(path)} must be a string or a number (got ${describeLua(value)})`);
  return undefined;
}

export function validateRsyncTable(scope: Scope, value: LuaValue | undefined): RsyncTable {
  if (value === undefined || value === null) return DEFAULT_RSYNC;
  const view = fieldsOf(scope, 'rsync', value);
  if (view === undefined) return DEFAULT_RSYNC;
  let binary = DEFAULT_RSYNC.binary;
  const flags: Record<string, boolean> = {};
  const values: Record<string, string | number> = {};
  let extra: string[] = [];
  for (const [key, item] of view.fields) {
    const path = ['rsync', key];
    const unsupported = UNSUPPORTED_RSYNC_KEYS[key];
    if (unsupported !== undefined) {
      scope.error(path, `not supported: rsync.${key} (${unsupported})`);
    } else if (key === 'binary') {
      binary = scope.string(path, item) ?? binary;
    } else if (key === '_extra') {
      extra = extraList(scope, path, item);
    } else if (RSYNC_FLAGS.includes(key)) {
      const flag = scope.boolean(path, item);
      if (flag !== undefined) flags[key] = flag;
    } else if (RSYNC_VALUES.includes(key)) {
      const option = stringOrNumber(scope, path, item);
      if (option !== undefined) values[key] = option;
    } else {
      scope.error(path, `unknown key '${key}' in rsync = {}${didYouMean(key, RSYNC_KEYS)}`);
    }
  }
  return { binary, flags, values, extra };
}

function sshOptions(scope: Scope, value: LuaValue): Record<string, string> {
  const view = tableView(value);
  const path = ['ssh', 'options'];
  if (view === undefined || view.positional.length > 0) {
    scope.error(path, `ssh.options must be a table of key = value pairs, each passed as -o key=value (got ${describeLua(value)})`);
    return {};
  }
  const options: Record<string, string> = {};
  for (const [key, item] of view.fields) {
    const option = stringOrNumber(scope, [...path, key], item);
    if (option !== undefined) options[key] = String(option);
  }
  return options;
}

function sshPort(scope: Scope, value: LuaValue): number | undefined {
  const port = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : value;
  if (typeof port === 'number' && Number.isInteger(port) && port >= 1 && port <= 65535) return port;
  scope.error(['ssh', 'port'], `ssh.port must be a port number from 1 to 65535 (got ${describeLua(value)})`);
  return undefined;
}

export function validateSshTable(scope: Scope, value: LuaValue | undefined): SshTable {
  if (value === undefined || value === null) return DEFAULT_SSH;
  const view = fieldsOf(scope, 'ssh', value);
  if (view === undefined) return DEFAULT_SSH;
  let binary = DEFAULT_SSH.binary;
  let port: number | undefined;
  let identityFile: string | undefined;
  let options: Record<string, string> = {};
  let extra: string[] = [];
  for (const [key, item] of view.fields) {
    const path = ['ssh', key];
    if (key === 'binary') binary = scope.string(path, item) ?? binary;
    else if (key === 'port') port = sshPort(scope, item);
    else if (key === 'identityFile') identityFile = scope.string(path, item);
    else if (key === 'options') options = sshOptions(scope, item);
    else if (key === '_extra') extra = extraList(scope, path, item);
    else scope.error(path, `unknown key '${key}' in ssh = {}${didYouMean(key, SSH_KEYS)}`);
  }
  return {
    binary,
    ...(port === undefined ? {} : { port }),
    ...(identityFile === undefined ? {} : { identityFile }),
    options,
    extra,
  };
}
