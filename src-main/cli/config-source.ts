// What a CONFIG argument names: an lsyncd config file, or else a profile (a word that is no
// existing file and names one), for run, check, kept and restore alike.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { loadConfigFile, type LoadOptions } from '../core/config/load';
import { ConfigError, type TidemarkConfig } from '../core/config/model';
import { checkProfileName } from '../services/profiles/profile-name';
import { ProfileStore, ProfileStoreError } from '../services/profiles/profile-store';
import { profileToConfig, type PairingHooks } from '../services/profiles/profile-to-config';

export type ConfigSource = { readonly kind: 'file'; readonly path: string } | { readonly kind: 'profile'; readonly name: string; readonly store: ProfileStore };

/** The store the CLI reads profiles from ($XDG_CONFIG_HOME/tidemark/profiles, else ~/.config/...). */
export function cliProfileStore(): ProfileStore {
  return new ProfileStore();
}

/** A file when one exists at `word`; a profile when `word` is a profile's name; else why neither. */
export async function resolveConfigSource(word: string, cwd: string, store: ProfileStore = cliProfileStore()): Promise<ConfigSource | { readonly kind: 'neither'; readonly message: string }> {
  if (existsSync(resolve(cwd, word))) return { kind: 'file', path: word };
  if (checkProfileName(word).kind === 'error') return { kind: 'file', path: word };
  if (await store.exists(word)) return { kind: 'profile', name: word, store };
  return { kind: 'neither', message: `'${word}' is neither a config file (there is no ${resolve(cwd, word)}) nor a profile (none in ${store.dir}; tidemark profiles lists them)` };
}

/** The config a source gives; a ConfigError (file:line, or NAME.json: $.path) when it is bad. */
export async function loadConfigSource(source: ConfigSource, options: LoadOptions & { readonly pairing?: PairingHooks }): Promise<TidemarkConfig> {
  if (source.kind === 'file') return loadConfigFile(source.path, options);
  try {
    return profileToConfig(await source.store.get(source.name), `${source.name}.json`, { pairing: options.pairing });
  } catch (error) {
    if (error instanceof ProfileStoreError) {
      const problem = new ConfigError({ file: `${source.name}.json`, line: 0 }, error.message);
      problem.message = error.message;
      throw problem;
    }
    throw error;
  }
}
