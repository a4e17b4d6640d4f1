// What an lsyncd config's Lua left behind (RawLuaConfig) into a TidemarkConfig, or a ConfigError
// listing every problem, one `file:line: ...` a line.

import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { DeleteMode, FilterRule, Settings, SyncConfig, SyncKind, TargetSpec, TidemarkConfig, WatcherChoice } from './model';
import { RSYNC_KEYS, SSH_KEYS, SYNC_DEFAULTS, UNSUPPORTED_SYNC_KEYS } from './defaults';
import { customActionRefusal } from './custom-actions';
import { orderRules, parseExcludeFile, parseFilterFile, parseFilterRule } from './filter-rules';
import type { LuaCall, RawLuaConfig } from './lua-sandbox';
import { defaultKindOf, describeLua, tableView, type LuaValue, type TableView } from './lua-values';
import { validateRsyncTable, validateSshTable } from './rsync-ssh-tables';
import { maxDelaysOf, validateSettings } from './settings-validate';
import { didYouMean } from './suggest';
import { parseTarget } from './sync-target';
import { refusedTarget } from '../safety/refused-targets';
import { SAFETY_KEYS, safetyKeysOf } from './safety-keys';
import { machineHomes } from './homes';
import { Problems, Scope } from './validate-context';

export interface ValidateOptions {
  /** Relative sources, targets and excludeFrom/filterFrom files resolve here (default process.cwd()). */
  readonly cwd?: string;
  /** Reads excludeFrom/filterFrom files (default: fs.readFileSync as UTF-8). */
  readonly readFile?: (path: string) => string;
  /** Home directories a target may never be (default: this machine's, from /etc/passwd). */
  readonly homes?: readonly string[];
  /**
   * Resolve a relative local target against `cwd` (command-line syncs, typed in a shell there)
   * instead of refusing it (config files, which a service reads from wherever it runs).
   */
  readonly resolveRelativeTargets?: boolean;
}

// `watcher` is Tidemark's own key (lsyncd has only inotify): 'inotify', 'chokidar' or 'poll'; so
// are the safety keys (reconcile, maxDeletes, maxDeletePercent, trash, trashDays; safety-keys.ts).
const COMMON_KEYS = ['source', 'delay', 'maxDelays', 'maxProcesses', 'exclude', 'excludeFrom', 'filter', 'filterFrom', 'delete', 'init', 'rsync', 'watcher', ...SAFETY_KEYS];
const WATCHERS: readonly WatcherChoice[] = ['inotify', 'chokidar', 'poll'];
const KIND_KEYS: Readonly<Record<SyncKind, readonly string[]>> = {
  rsync: [...COMMON_KEYS, 'target', 'ssh'],
  rsyncssh: [...COMMON_KEYS, 'host', 'targetdir', 'ssh'],
  direct: [...COMMON_KEYS, 'target'],
};
const KINDS_TEXT = 'default.rsync, default.rsyncssh or default.direct';

interface Context {
  readonly problems: Problems;
  readonly settings: Settings;
  readonly cwd: string;
  readonly readFile: (path: string) => string;
  /** Home directories, which a target may never be. */
  readonly homes: readonly string[];
  readonly resolveRelativeTargets: boolean;
}

export function validateLsyncdConfig(raw: RawLuaConfig, fileName: string = raw.fileName, options: ValidateOptions = {}): TidemarkConfig {
  const problems = new Problems(fileName, raw.source, new Map((raw.includes ?? []).map((include) => [include.name, include.source])));
  const cwd = options.cwd ?? process.cwd();
  const settings = validateSettings(raw.settings, problems, cwd);
  const context: Context = { problems, settings, cwd, readFile: options.readFile ?? ((path) => readFileSync(path, 'utf8')), homes: options.homes ?? machineHomes(), resolveRelativeTargets: options.resolveRelativeTargets ?? false };
  const syncs = raw.syncs.map((call) => validateSync(call, context)).filter((sync) => sync !== undefined);
  if (raw.syncs.length === 0 && problems.count === 0) problems.add(1, 'nothing to watch: the config has no sync{} (as in sync { default.rsync, source = ..., target = ... })');
  problems.throwIfAny();
  return { settings, syncs, ...(problems.warnings.length > 0 ? { warnings: problems.warnings } : {}) };
}

/** lsyncd's inheritance: own keys first, then those of each positional table, depth first. */
function flatten(view: TableView, fields: Map<string, LuaValue>, depth = 0): SyncKind | undefined {
  for (const [key, value] of view.fields) if (!fields.has(key)) fields.set(key, value);
  let kind: SyncKind | undefined;
  for (const entry of view.positional) {
    const inner = tableView(entry);
    const found = defaultKindOf(entry) ?? (inner && depth < 20 ? flatten(inner, fields, depth + 1) : undefined);
    kind ??= found;
  }
  return kind;
}

/** Why a key known to lsyncd is refused, or undefined when it may be validated. */
function refusal(key: string, value: LuaValue, kind: SyncKind | undefined): string | undefined {
  const unsupported = UNSUPPORTED_SYNC_KEYS[key];
  if (unsupported !== undefined) return `not supported: ${key} (${unsupported})`;
  if (kind === undefined || KIND_KEYS[kind].includes(key)) return undefined;
  if (key === 'target' && kind === 'rsyncssh') return "target is not used by default.rsyncssh: give host = '...' and targetdir = '...'";
  if (key === 'host' || key === 'targetdir') return `${key} is only used by default.rsyncssh; default.${kind} takes target = '${kind === 'rsync' ? 'host:dir' : '/dir'}'`;
  if (key === 'ssh') return 'ssh = {} is not used by default.direct, which syncs to a local directory';
  if (key === 'port' || key === 'identityFile') return `unknown key '${key}' in sync{}: write it inside ssh = { ${key} = ... }`;
  if (RSYNC_KEYS.includes(key) && !SSH_KEYS.includes(key)) return `unknown key '${key}' in sync{}: rsync options go inside rsync = { ${key} = ... }`;
  return `unknown key '${key}' in sync{}${didYouMean(key, KIND_KEYS[kind])}`;
}

function validateSync(call: LuaCall, context: Context): SyncConfig | undefined {
  const scope = new Scope(context.problems, 'sync', call.line, call.file);
  const view = tableView(call.table);
  if (view === undefined) {
    scope.error([], `sync needs a table, as in sync { default.rsync, source = ..., target = ... } (got ${describeLua(call.table)})`);
    return undefined;
  }
  const fields = new Map<string, LuaValue>();
  const kind = flatten(view, fields);
  // A custom action is one refusal at its own key; the keys it would have read (host,
  // targetdir, postcmd...) and a missing default.X are beside the point then.
  const action = customActionRefusal(fields, scope);
  if (action) {
    scope.errorAt(action.line, action.detail);
    return undefined;
  }
  if (kind === undefined) {
    const first = view.positional[0];
    const got = first === undefined ? 'nothing; a misspelt default.X is nil' : describeLua(first);
    scope.error([], `sync{} must start with ${KINDS_TEXT} (got ${got})`);
  }
  let refused = false;
  for (const [key, value] of fields) {
    const reason = refusal(key, value, kind);
    if (reason !== undefined) {
      scope.error([key], reason);
      refused = true;
    }
  }
  if (kind === undefined || refused) return undefined;
  return buildSync(scope, kind, fields, context, { file: context.problems.file, line: call.line });
}

function buildSync(scope: Scope, kind: SyncKind, fields: ReadonlyMap<string, LuaValue>, context: Context, origin: SyncConfig['origin']): SyncConfig | undefined {
  const defaults = SYNC_DEFAULTS[kind];
  const errorsBefore = context.problems.count;
  const get = (key: string): LuaValue | undefined => fields.get(key);
  const present = (key: string): boolean => get(key) !== undefined && get(key) !== null;

  const sourceValue = get('source');
  const source = present('source') ? scope.string(['source'], sourceValue ?? null) : undefined;
  if (!present('source')) scope.error([], `sync{} needs source = '/dir/to/watch'`);
  const target = targetOf(scope, kind, fields, context.cwd);

  const delay = present('delay') ? scope.number(['delay'], get('delay') ?? null, { min: 0 }) : defaults.delay;
  const ownMaxDelays = present('maxDelays') ? maxDelaysOf(scope, get('maxDelays') ?? null) : undefined;
  const ownMaxProcesses = present('maxProcesses') ? scope.number(['maxProcesses'], get('maxProcesses') ?? null, { min: 1, integer: true }) : undefined;
  if (kind === 'rsyncssh' && ownMaxProcesses !== undefined && ownMaxProcesses !== 1) {
    scope.error(['maxProcesses'], 'default.rsyncssh must have maxProcesses set to 1 (moves and deletes must stay in order)');
  }
  const deleteMode = present('delete') ? deleteModeOf(scope, get('delete') ?? null) : defaults.delete;
  const init = present('init') ? scope.boolean(['init'], get('init') ?? null) : defaults.init;
  const watcherName = present('watcher') ? scope.string(['watcher'], get('watcher') ?? null) : undefined;
  const watcher = WATCHERS.find((choice) => choice === watcherName);
  if (watcherName !== undefined && watcher === undefined) {
    scope.error(['watcher'], `watcher must be one of ${WATCHERS.map((choice) => `'${choice}'`).join(', ')} (got '${watcherName}')`);
  }
  const safety = safetyKeysOf(scope, get);
  const filters = filtersOf(scope, fields, context);
  const rsync = validateRsyncTable(scope, get('rsync'));
  const ssh = validateSshTable(scope, get('ssh'));
  // With --rsh, rsync reaches a daemon through a remote shell (its daemon-over-ssh mode): a
  // different transport with a different login, which Tidemark does not run.
  if (target?.kind === 'rsyncd' && rsync.values['rsh'] !== undefined) {
    scope.error(['rsync', 'rsh'], `rsync.rsh would reach the rsync daemon at '${target.address}' through a remote shell, which Tidemark does not support: remove rsh to use the daemon protocol, or write the target as host:dir to sync over ssh`);
  }

  if (source !== undefined && target !== undefined) {
    const asWritten = target.kind === 'local' && !context.resolveRelativeTargets ? writtenTarget(fields) : undefined;
    const written = asWritten !== undefined ? { kind: 'local' as const, dir: asWritten } : target;
    const refused = refusedTarget({ source: resolve(context.cwd, source), written, homes: context.homes });
    if (refused) scope.error([kind === 'rsyncssh' ? 'targetdir' : 'target'], `refused target: ${refused}`);
  }
  if (context.problems.count > errorsBefore || source === undefined || target === undefined) return undefined;
  if (delay === undefined || deleteMode === undefined || init === undefined) return undefined;
  // As in lsyncd's Syncs.add, settings{ maxDelays, maxProcesses } override each sync's own value.
  // rsyncssh keeps 1 process (lsyncd would refuse the config instead).
  const maxDelays = context.settings.maxDelays ?? ownMaxDelays ?? defaults.maxDelays;
  const maxProcesses = kind === 'rsyncssh' ? 1 : (context.settings.maxProcesses ?? ownMaxProcesses ?? defaults.maxProcesses);
  return {
    kind,
    source: resolve(context.cwd, source),
    target,
    delay,
    maxDelays,
    maxProcesses,
    delete: deleteMode,
    init,
    filters,
    rsync,
    ssh,
    origin,
    ...(watcher ? { watcher } : {}),
    ...safety,
  };
}

function targetOf(scope: Scope, kind: SyncKind, fields: ReadonlyMap<string, LuaValue>, cwd: string): TargetSpec | undefined {
  if (kind === 'rsyncssh') {
    const host = fields.get('host');
    const dir = fields.get('targetdir');
    if (host === undefined || host === null) scope.error([], "default.rsyncssh needs host = '...' (the remote host, user@host or an ssh_config alias)");
    if (dir === undefined || dir === null) scope.error([], "default.rsyncssh needs targetdir = '...' (the directory on the remote host)");
    const hostName = host === undefined || host === null ? undefined : scope.string(['host'], host);
    const targetDir = dir === undefined || dir === null ? undefined : scope.string(['targetdir'], dir);
    return hostName === undefined || targetDir === undefined ? undefined : { kind: 'ssh', host: hostName, dir: targetDir };
  }
  const value = fields.get('target');
  if (value === undefined || value === null) {
    scope.error([], `default.${kind} needs target = '${kind === 'rsync' ? '/dir or host:dir' : '/dir'}'`);
    return undefined;
  }
  const text = scope.string(['target'], value);
  if (text === undefined) return undefined;
  const parsed = parseTarget(kind, text, cwd);
  if (parsed.kind === 'error') scope.error(['target'], parsed.message);
  return parsed.kind === 'ok' ? parsed.target : undefined;
}

/** The local target as the config wrote it, before it was resolved against the working directory. */
function writtenTarget(fields: ReadonlyMap<string, LuaValue>): string | undefined {
  const value = fields.get('target');
  return typeof value === 'string' ? value : undefined;
}

function deleteModeOf(scope: Scope, value: LuaValue): DeleteMode | undefined {
  if (value === true || value === false || value === 'startup' || value === 'running') return value;
  scope.error(['delete'], `delete must be true, false, 'startup' or 'running' (got ${describeLua(value)})`);
  return undefined;
}

/** A string or a list of strings, as exclude and filter take. */
function patterns(scope: Scope, key: string, value: LuaValue): readonly string[] {
  if (typeof value === 'string') return [value];
  const items = Array.isArray(value) ? (value as readonly LuaValue[]) : undefined;
  if (items?.every((item) => typeof item === 'string')) return items as readonly string[];
  scope.error([key], `${key} must be a string or a list of strings (got ${describeLua(value)})`);
  return [];
}

function readListFile(scope: Scope, key: string, value: LuaValue, context: Context): { path: string; text: string } | undefined {
  const name = scope.string([key], value);
  if (name === undefined) return undefined;
  const path = resolve(context.cwd, name);
  try {
    return { path, text: context.readFile(path) };
  } catch (error) {
    scope.error([key], `cannot read ${key} file '${path}': ${error instanceof Error ? error.message : String(error)}`);
    return undefined;
  }
}

/**
 * exclude, excludeFrom, filter and filterFrom as one first-match-wins list. lsyncd 2.2.3 tests
 * its filters first (filter, then filterFrom) and the excludes only when no filter matched,
 * so the same order here: filter rules, filterFrom rules, then excludes as '-' rules.
 */
function filtersOf(scope: Scope, fields: ReadonlyMap<string, LuaValue>, context: Context): FilterRule[] {
  const filterRules: FilterRule[] = [];
  const excludeRules: FilterRule[] = [];
  const filter = fields.get('filter');
  if (filter !== undefined && filter !== null) {
    for (const text of patterns(scope, 'filter', filter)) {
      const rule = parseFilterRule(text);
      if (rule) filterRules.push(rule);
      else scope.error(['filter'], `filter rule '${text}' is not a rule: write '- PATTERN' to exclude or '+ PATTERN' to include`);
    }
  }
  const filterFrom = fields.get('filterFrom');
  const filterFile = filterFrom === undefined || filterFrom === null ? undefined : readListFile(scope, 'filterFrom', filterFrom, context);
  if (filterFile) {
    const parsed = parseFilterFile(filterFile.text);
    filterRules.push(...parsed.rules);
    for (const bad of parsed.invalid) {
      scope.error(['filterFrom'], `${filterFile.path}:${bad.line}: '${bad.text}' is not a filter rule: write '- PATTERN' or '+ PATTERN'`);
    }
  }
  const exclude = fields.get('exclude');
  if (exclude !== undefined && exclude !== null) {
    for (const pattern of patterns(scope, 'exclude', exclude)) if (pattern !== '') excludeRules.push({ action: '-', pattern });
  }
  const excludeFrom = fields.get('excludeFrom');
  const excludeFile = excludeFrom === undefined || excludeFrom === null ? undefined : readListFile(scope, 'excludeFrom', excludeFrom, context);
  if (excludeFile) excludeRules.push(...parseExcludeFile(excludeFile.text));
  return orderRules(filterRules, excludeRules);
}
