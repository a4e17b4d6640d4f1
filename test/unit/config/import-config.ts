// Fixtures for the config tests: a config text run through the Lua sandbox and the validator, as
// loadConfigFile does once it has read the file, and the SyncConfig lsyncd's defaults give.

import { evaluateLuaConfig, type LuaLimits } from '../../../src-main/core/config/lua-sandbox';
import { validateLsyncdConfig, type ValidateOptions } from '../../../src-main/core/config/lsyncd-validate';
import { ConfigError, type SyncConfig, type SyncKind, type TidemarkConfig } from '../../../src-main/core/config/model';

/** The file name every config text is imported under. */
export const FILE = '/etc/lsyncd/lsyncd.conf.lua';

export interface ImportOptions extends ValidateOptions {
  readonly limits?: LuaLimits;
}

/** Imports a config text; relative paths resolve against /work unless `cwd` says otherwise. */
export async function importConfig(config: string, options: ImportOptions = {}): Promise<TidemarkConfig> {
  const raw = await evaluateLuaConfig(config, FILE, { env: { HOME: '/home/u' }, ...options.limits });
  return validateLsyncdConfig(raw, FILE, { cwd: '/work', ...options });
}

/** The ConfigError a config text fails with; throws when it imports. */
export async function importError(config: string, options: ImportOptions = {}): Promise<ConfigError> {
  const thrown: unknown = await importConfig(config, options).then(
    () => undefined,
    (error: unknown) => error,
  );
  if (!(thrown instanceof ConfigError)) throw new Error(`expected a ConfigError, got ${String(thrown)}`);
  return thrown;
}

/** A sync as lsyncd 2.2.3's defaults for `kind` make it (delete = true, init = true), with `fields` on top. */
export function expectedSync(kind: SyncKind, line: number, fields: Partial<SyncConfig>): SyncConfig {
  return {
    kind,
    source: '/src',
    target: { kind: 'local', dir: '/dst' },
    delay: kind === 'direct' ? 1 : 15,
    maxDelays: 1000,
    maxProcesses: 1,
    delete: true,
    init: true,
    filters: [],
    rsync: { binary: 'rsync', flags: {}, values: {}, extra: [] },
    ssh: { binary: 'ssh', options: {}, extra: [] },
    origin: { file: FILE, line },
    ...fields,
  };
}
