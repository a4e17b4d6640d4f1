// The opt-in file store: one 0600 file per secret in a 0700 directory of this user's, for
// machines without a usable keychain (a server under systemd has no login keyring). Used only
// when asked for (`--key-store file` or a setting), never as a silent fallback.
import { randomBytes } from 'node:crypto';
import { chmod, lstat, mkdir, readdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from './secret-store';
import { SecretStoreError } from './secret-store';

/** An account is a file name here: the keychain's account alphabet, no dot first, no slash. */
const ACCOUNT_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._:@-]{0,127}$/;
const TEMP_PREFIX = '.tmp-';

export class FileStore implements SecretStore {
  readonly kind = 'file' as const;

  /** `dir` is created 0700 when missing; an existing one must be this user's and private. */
  constructor(readonly dir: string) {}

  async get(account: string): Promise<string | null> {
    await this.#checkedDir();
    try {
      return await readFile(this.#path(account), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw this.#failure(`cannot read ${this.#path(account)}`, error);
    }
  }

  async set(account: string, secret: string): Promise<void> {
    await this.#checkedDir();
    const target = this.#path(account);
    // Written whole under a temporary name (created 0600, never wider), then renamed: a reader
    // sees the old secret or the new one, never half of one.
    const temp = join(this.dir, `${TEMP_PREFIX}${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(temp, secret, { mode: 0o600, flag: 'wx' });
      await rename(temp, target);
    } catch (error) {
      await rm(temp, { force: true });
      throw this.#failure(`cannot write ${target}`, error);
    }
  }

  async delete(account: string): Promise<boolean> {
    await this.#checkedDir();
    try {
      await rm(this.#path(account));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw this.#failure(`cannot remove ${this.#path(account)}`, error);
    }
  }

  async list(): Promise<string[]> {
    await this.#checkedDir();
    const names = await readdir(this.dir);
    return names.filter((name) => ACCOUNT_PATTERN.test(name)).sort();
  }

  #path(account: string): string {
    if (!ACCOUNT_PATTERN.test(account)) throw new SecretStoreError('file', `not an account name for the file store: ${JSON.stringify(account)}`);
    return join(this.dir, account);
  }

  async #checkedDir(): Promise<void> {
    try {
      await mkdir(this.dir, { recursive: true, mode: 0o700 });
    } catch (error) {
      throw this.#failure(`cannot create ${this.dir}`, error);
    }
    const stat = await lstat(this.dir);
    if (!stat.isDirectory() || stat.uid !== process.getuid?.()) {
      throw new SecretStoreError('file', `${this.dir} must be a directory owned by this user (it holds private keys)`);
    }
    // mkdir's mode is masked by the umask, and a directory made by hand may be wider.
    if ((stat.mode & 0o777) !== 0o700) await chmod(this.dir, 0o700);
  }

  #failure(what: string, error: unknown): SecretStoreError {
    const code = (error as NodeJS.ErrnoException).code;
    return new SecretStoreError('file', `${what}${code ? ` (${code})` : ''}`);
  }
}
