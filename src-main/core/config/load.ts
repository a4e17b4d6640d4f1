// Reads an lsyncd config file, runs it in the sandbox and validates it: the one call the CLI and
// the app make to turn `/etc/lsyncd/lsyncd.conf.lua` into a TidemarkConfig.

import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { ConfigError, type TidemarkConfig } from './model';
import { applyCliOverrides, type CliOverrides } from './cli-args';
import { evaluateLuaConfig, type LuaLimits } from './lua-sandbox';
import { validateLsyncdConfig, type ValidateOptions } from './lsyncd-validate';

export interface LoadOptions {
  /** The config path, relative sources and exclude files resolve here (lsyncd uses its cwd). */
  readonly cwd: string;
  /** Command-line settings, which win over the file's settings{}. */
  readonly overrides?: CliOverrides;
  readonly limits?: LuaLimits;
  readonly readFile?: ValidateOptions['readFile'];
  /** Runs the Lua (default: in this process; the daemon runs it in a child, cli/lua-child.ts). */
  readonly evaluate?: typeof evaluateLuaConfig;
}

/** A problem with the file as a whole: `path: detail`, origin line 0. */
function fileError(path: string, detail: string): ConfigError {
  const error = new ConfigError({ file: path, line: 0 }, detail);
  error.message = `${path}: ${detail}`;
  return error;
}

export async function loadConfigFile(path: string, options: LoadOptions): Promise<TidemarkConfig> {
  let source: string;
  try {
    source = await readFile(resolve(options.cwd, path), 'utf8');
  } catch (error) {
    throw fileError(path, `cannot read config: ${error instanceof Error ? error.message : String(error)}`);
  }
  // lsyncd loads the config by its real path, which debug.getinfo(1, 'S').source then shows.
  const configPath = await realpath(resolve(options.cwd, path)).catch(() => resolve(options.cwd, path));
  const raw = await (options.evaluate ?? evaluateLuaConfig)(source, path, { cwd: options.cwd, configPath, ...options.limits });
  const config = validateLsyncdConfig(raw, path, { cwd: options.cwd, ...(options.readFile ? { readFile: options.readFile } : {}) });
  return options.overrides ? applyCliOverrides(config, options.overrides, options.cwd) : config;
}
