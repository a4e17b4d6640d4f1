// lsyncd's command line: `lsyncd [OPTIONS] CONFIG [OPTIONS]` or inline syncs
// (`-rsync SRC TGT`, `-rsyncssh SRC HOST DIR`, `-direct SRC DIR`), plus Tidemark's
// `run CONFIG` form. Options take one or two dashes and may stand before or after the config;
// an option with one value may also be written -name=value or --name=value.

import { resolve } from 'node:path';
import type { ReconcilePolicy, SyncKind, TidemarkConfig } from './model';
import type { LuaCall, RawLuaConfig } from './lua-sandbox';
import type { LuaObject, LuaValue } from './lua-values';
import { validateLsyncdConfig } from './lsyncd-validate';
import { RECONCILE_POLICIES, reconcilePolicyOf } from './safety-keys';
import { suggest } from './suggest';

export type InlineSync =
  | { readonly kind: 'rsync' | 'direct'; readonly source: string; readonly target: string }
  | { readonly kind: 'rsyncssh'; readonly source: string; readonly host: string; readonly targetdir: string };

/** Command-line settings; lsyncd lets them override the config file's settings{}. */
export interface CliOverrides {
  readonly nodaemon?: boolean;
  readonly insist?: boolean;
  readonly logfile?: string;
  readonly pidfile?: string;
  /** -delay N replaces the delay of every sync. */
  readonly delay?: number;
  /** -reconcile ACTION replaces the reconcile policy of every sync. */
  readonly reconcile?: ReconcilePolicy;
  /** -log values in order: 'all', 'scarce' or a category such as 'Exec'. */
  readonly log: readonly string[];
}

export type ParsedArgs =
  | { readonly kind: 'config'; readonly file: string; readonly overrides: CliOverrides }
  | { readonly kind: 'inline'; readonly syncs: readonly InlineSync[]; readonly overrides: CliOverrides }
  | { readonly kind: 'version' }
  | { readonly kind: 'help' }
  | { readonly kind: 'error'; readonly message: string };

interface State {
  overrides: { -readonly [K in keyof CliOverrides]: CliOverrides[K] } & { log: string[] };
  syncs: InlineSync[];
}

interface OptionSpec {
  readonly arity: number;
  /** Applies the option; returns an error message for a bad value. */
  readonly apply: (state: State, values: readonly string[]) => string | undefined;
}

/** 'ask, pull, keep, trash or delete' */
const RECONCILE_WORDS = `${RECONCILE_POLICIES.slice(0, -1).join(', ')} or ${RECONCILE_POLICIES.at(-1) ?? ''}`;

const OPTIONS: Readonly<Record<string, OptionSpec>> = {
  nodaemon: { arity: 0, apply: (state) => void (state.overrides.nodaemon = true) },
  insist: { arity: 0, apply: (state) => void (state.overrides.insist = true) },
  log: { arity: 1, apply: (state, [level = '']) => void state.overrides.log.push(level) },
  logfile: { arity: 1, apply: (state, [file = '']) => void (state.overrides.logfile = file) },
  pidfile: { arity: 1, apply: (state, [file = '']) => void (state.overrides.pidfile = file) },
  delay: {
    arity: 1,
    apply: (state, [text = '']) => {
      const delay = Number(text);
      if (text.trim() === '' || !Number.isFinite(delay) || delay < 0) return `-delay needs a number of seconds >= 0 (got '${text}')`;
      state.overrides.delay = delay;
      return undefined;
    },
  },
  reconcile: {
    arity: 1,
    apply: (state, [text = '']) => {
      const policy = reconcilePolicyOf(text);
      if (policy === undefined) return `-reconcile needs one of ${RECONCILE_WORDS} (got '${text}')`;
      state.overrides.reconcile = policy;
      return undefined;
    },
  },
  rsync: { arity: 2, apply: (state, [source = '', target = '']) => void state.syncs.push({ kind: 'rsync', source, target }) },
  direct: { arity: 2, apply: (state, [source = '', target = '']) => void state.syncs.push({ kind: 'direct', source, target }) },
  rsyncssh: {
    arity: 3,
    apply: (state, [source = '', host = '', targetdir = '']) => void state.syncs.push({ kind: 'rsyncssh', source, host, targetdir }),
  },
};

const KNOWN = [...Object.keys(OPTIONS), 'version', 'help'];
const ARGUMENT_NAMES: Readonly<Record<string, string>> = { rsync: 'SRC TGT', direct: 'SRC DIR', rsyncssh: 'SRC HOST DIR', reconcile: RECONCILE_WORDS };

/** 'nodaemon' for '-nodaemon' or '--nodaemon'; undefined for a non-option. */
function optionName(arg: string): string | undefined {
  if (!arg.startsWith('-') || arg === '-' || arg === '--') return undefined;
  return arg.startsWith('--') ? arg.slice(2) : arg.slice(1);
}

export function parseLsyncdArgs(argv: readonly string[]): ParsedArgs {
  if (argv.some((arg) => optionName(arg) === 'help')) return { kind: 'help' };
  const args = argv[0] === 'run' ? argv.slice(1) : argv;
  if (args.length === 0) return argv.length === 0 ? { kind: 'help' } : { kind: 'error', message: 'run needs a config file, as in: tidemark run /etc/lsyncd/lsyncd.conf.lua' };
  const state: State = { overrides: { log: [] }, syncs: [] };
  const files: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    const written = optionName(arg);
    if (written === undefined) {
      files.push(arg);
      continue;
    }
    // --name=value: the value rides in the same argument.
    const equals = written.indexOf('=');
    const name = equals > 0 ? written.slice(0, equals) : written;
    const inline = equals > 0 ? written.slice(equals + 1) : undefined;
    if (name === 'version') return { kind: 'version' };
    const spec = OPTIONS[name];
    if (spec === undefined) {
      const guess = suggest(name, KNOWN);
      return { kind: 'error', message: `unknown option '${arg}'${guess === undefined ? '' : ` (did you mean '-${guess}'?)`}; see -help` };
    }
    const wanted = ARGUMENT_NAMES[name];
    if (inline !== undefined) {
      if (spec.arity === 1) {
        const problem = spec.apply(state, [inline]);
        if (problem !== undefined) return { kind: 'error', message: problem };
        continue;
      }
      const form = spec.arity === 0 ? 'takes no value' : `takes ${spec.arity} separate arguments (${wanted ?? 'values'})`;
      return { kind: 'error', message: `-${name} ${form}, got '${arg}'` };
    }
    const values = args.slice(i + 1, i + 1 + spec.arity);
    const misplaced = values.find((value) => optionName(value) !== undefined);
    if (values.length < spec.arity || misplaced !== undefined) {
      const needs = spec.arity === 1 ? `a value${wanted === undefined ? '' : ` (${wanted})`}` : `${spec.arity} arguments (${wanted ?? 'values'})`;
      return { kind: 'error', message: `-${name} needs ${needs}${misplaced ? `, got option '${misplaced}'` : ''}` };
    }
    const problem = spec.apply(state, values);
    if (problem !== undefined) return { kind: 'error', message: problem };
    i += spec.arity;
  }
  if (state.syncs.length > 0) {
    if (files.length > 0) return { kind: 'error', message: `a config file ('${files[0]}') and command-line syncs (-rsync, -rsyncssh, -direct) cannot be used together` };
    return { kind: 'inline', syncs: state.syncs, overrides: state.overrides };
  }
  if (files.length === 0) return { kind: 'error', message: 'no config file given (or use -rsync SRC TGT, -rsyncssh SRC HOST DIR, -direct SRC DIR)' };
  if (files.length > 1) return { kind: 'error', message: `only one config file can be given (got ${files.map((file) => `'${file}'`).join(', ')})` };
  return { kind: 'config', file: files[0] ?? '', overrides: state.overrides };
}

/** Command-line settings win over the config file's, as in lsyncd. Files resolve against `cwd`. */
export function applyCliOverrides(config: TidemarkConfig, overrides: CliOverrides, cwd: string = process.cwd()): TidemarkConfig {
  const settings = {
    ...config.settings,
    ...(overrides.nodaemon ? { nodaemon: true } : {}),
    ...(overrides.insist ? { insist: true } : {}),
    ...(overrides.logfile === undefined ? {} : { logfile: resolve(cwd, overrides.logfile) }),
    ...(overrides.pidfile === undefined ? {} : { pidfile: resolve(cwd, overrides.pidfile) }),
  };
  const { delay, reconcile } = overrides;
  const syncs =
    delay === undefined && reconcile === undefined
      ? config.syncs
      : config.syncs.map((sync) => ({ ...sync, ...(delay === undefined ? {} : { delay }), ...(reconcile === undefined ? {} : { reconcile }) }));
  return { settings, syncs };
}

const KIND_MARKER: Readonly<Record<SyncKind, LuaValue>> = {
  rsync: { __default: 'rsync' },
  rsyncssh: { __default: 'rsyncssh' },
  direct: { __default: 'direct' },
};

/** Inline syncs as a TidemarkConfig, through the same checks and defaults as a config file. */
export function configFromInline(syncs: readonly InlineSync[], overrides: CliOverrides = { log: [] }, options: { readonly cwd?: string } = {}): TidemarkConfig {
  const calls = syncs.map((sync): LuaCall => {
    const table: LuaObject =
      sync.kind === 'rsyncssh'
        ? { '1': KIND_MARKER.rsyncssh, source: sync.source, host: sync.host, targetdir: sync.targetdir }
        : { '1': KIND_MARKER[sync.kind], source: sync.source, target: sync.target };
    return { line: 1, table };
  });
  const raw: RawLuaConfig = { fileName: '<command line>', source: '', syncs: calls, settings: [], output: [] };
  const cwd = options.cwd ?? process.cwd();
  return applyCliOverrides(validateLsyncdConfig(raw, raw.fileName, { cwd, resolveRelativeTargets: true }), overrides, cwd);
}
