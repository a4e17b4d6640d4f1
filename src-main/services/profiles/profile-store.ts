// Profiles on disk: `NAME.json` in `$XDG_CONFIG_HOME/tidemark/profiles` (else
// ~/.config/tidemark/profiles). Every write is atomic (a temporary file, then a rename), the
// files are 0600 and the directory 0700; a name is never a path.
import { writeJsonAtomically } from '../atomic-json';
import { chmod, link, mkdir, readdir, readFile, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { checkProfileName } from './profile-name';
import { parseProfileText, parseProfileValue, ProfileError } from './profile-parse';
import type { Profile } from './profile-schema';

/** The profiles directory for an environment (XDG base directory rules: a relative XDG_CONFIG_HOME is ignored). */
export function defaultProfilesDir(env: NodeJS.ProcessEnv = process.env, home: string = homedir()): string {
  const config = env['XDG_CONFIG_HOME'];
  return join(config && isAbsolute(config) ? config : join(home, '.config'), 'tidemark', 'profiles');
}

/** One entry of a listing: a profile that reads, or why it does not. */
export type ProfileListing =
  | { readonly name: string; readonly kind: 'ok'; readonly profile: Profile }
  | { readonly name: string; readonly kind: 'invalid'; readonly error: ProfileError };

/** Why a store operation failed; `code` says which, `message` says it to a person. */
export class ProfileStoreError extends Error {
  override name = 'ProfileStoreError';
  constructor(
    readonly code: 'bad-name' | 'not-found' | 'exists',
    message: string,
  ) {
    super(message);
  }
}

function errnoOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException | undefined)?.code;
}

export class ProfileStore {
  constructor(readonly dir: string = defaultProfilesDir()) {}

  /** The file of a valid name; throws a ProfileStoreError for a name that is a path or otherwise bad. */
  fileOf(name: string): string {
    const check = checkProfileName(name);
    if (check.kind === 'error') throw new ProfileStoreError('bad-name', check.message);
    return join(this.dir, `${name}.json`);
  }

  /** Every profile, by name; a file that does not parse is listed with its error, not dropped. */
  async list(): Promise<ProfileListing[]> {
    let names: string[];
    try {
      names = await readdir(this.dir);
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') return [];
      throw error;
    }
    const profiles = names
      .filter((file) => file.endsWith('.json'))
      .map((file) => file.slice(0, -'.json'.length))
      .filter((name) => checkProfileName(name).kind === 'ok')
      .sort();
    return Promise.all(
      profiles.map(async (name): Promise<ProfileListing> => {
        try {
          return { name, kind: 'ok', profile: await this.get(name) };
        } catch (error) {
          if (error instanceof ProfileError) return { name, kind: 'invalid', error };
          throw error;
        }
      }),
    );
  }

  async exists(name: string): Promise<boolean> {
    if (checkProfileName(name).kind === 'error') return false;
    return readFile(this.fileOf(name)).then(
      () => true,
      () => false,
    );
  }

  /** The profile `name`; a ProfileError (file and JSON path) when it does not validate. */
  async get(name: string): Promise<Profile> {
    const file = this.fileOf(name);
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw new ProfileStoreError('not-found', `no profile named '${name}' (profiles live in ${this.dir}; tidemark profiles lists them)`);
      throw error;
    }
    return parseProfileText(text, `${name}.json`);
  }

  /**
   * Validates `profile` (an unknown value: it may come from IPC) and writes it atomically.
   * An existing profile is replaced only with `overwrite`.
   */
  async save(name: string, profile: unknown, options: { readonly overwrite?: boolean } = {}): Promise<Profile> {
    const file = this.fileOf(name);
    const parsed = parseProfileValue(profile, `${name}.json`);
    if (!options.overwrite && (await this.exists(name))) throw new ProfileStoreError('exists', `a profile named '${name}' exists already (${file})`);
    await this.ensureDir();
    await writeJsonAtomically(file, parsed);
    return parsed;
  }

  async delete(name: string): Promise<void> {
    try {
      await unlink(this.fileOf(name));
    } catch (error) {
      if (errnoOf(error) === 'ENOENT') throw new ProfileStoreError('not-found', `no profile named '${name}' to delete`);
      throw error;
    }
  }

  /** Renames a profile; never replaces another one (a hard link fails when `to` exists). */
  async rename(from: string, to: string): Promise<void> {
    const source = this.fileOf(from);
    const destination = this.fileOf(to);
    try {
      await link(source, destination);
    } catch (error) {
      if (errnoOf(error) === 'EEXIST') throw new ProfileStoreError('exists', `a profile named '${to}' exists already`);
      if (errnoOf(error) === 'ENOENT') throw new ProfileStoreError('not-found', `no profile named '${from}' to rename`);
      throw error;
    }
    await unlink(source);
  }

  /** The directory, made 0700 when this creates it (an existing one keeps its mode). */
  private async ensureDir(): Promise<void> {
    const made = await mkdir(this.dir, { recursive: true, mode: 0o700 });
    // mkdir's mode passes through the umask; the directory this made must be 0700 exactly.
    if (made !== undefined) await chmod(this.dir, 0o700);
  }
}
