// Tidemark's SSH keys: ed25519 pairs made with ssh2, the private half only in a SecretStore, the
// public half and its record (NAME.pub, NAME.json) in the config directory. Every change either
// completes or leaves nothing behind: the record is written last on create and removed first on
// delete, and a failed step undoes the ones before it.
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { link, mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import * as v from 'valibot';
import { KEY_NAME_PATTERN, KeyInfo, type KeyStoreKind } from '../../src-shared/model/keys';
import { sshKeygenFingerprint, parsePublicKeyLine } from './fingerprint';
import { keyAccount, type SecretStore } from './secret-store';

export type KeyErrorKind = 'bad-name' | 'bad-comment' | 'exists' | 'not-found' | 'corrupt' | 'passphrase-needed' | 'bad-passphrase';

/** A refused or impossible key operation; the message is one line and holds no secret. */
export class KeyError extends Error {
  constructor(readonly kind: KeyErrorKind, message: string) {
    super(message);
    this.name = 'KeyError';
  }
}

export interface KeyServiceOptions {
  /** Where NAME.pub and NAME.json live (created 0700). */
  readonly configDir: string;
  /** The store of each kind; a key records which one holds its secret. */
  readonly storeFor: (kind: KeyStoreKind) => SecretStore;
  /** Injected time, for the record's `created`. */
  readonly now?: () => Date;
}

export interface NewKeyOptions {
  readonly store: KeyStoreKind;
  /** Encrypts the private key (aes256-ctr, bcrypt KDF) before it reaches the store. */
  readonly passphrase?: string;
  /** The public key's comment; `tidemark@HOST` unless given. */
  readonly comment?: string;
}

/** A private key decrypted in memory, for the agent. */
export interface UnlockedKey {
  readonly name: string;
  readonly key: ParsedKey;
}

export class KeyService {
  readonly #dir: string;
  readonly #storeFor: (kind: KeyStoreKind) => SecretStore;
  readonly #now: () => Date;

  constructor(options: KeyServiceOptions) {
    this.#dir = options.configDir;
    this.#storeFor = options.storeFor;
    this.#now = options.now ?? (() => new Date());
  }

  /** NAME.pub: what `IdentityFile` names so ssh picks this key from the agent. */
  publicKeyFile(name: string): string {
    return join(this.#dir, `${checkedName(name)}.pub`);
  }

  async create(name: string, options: NewKeyOptions): Promise<KeyInfo> {
    checkedName(name);
    if (options.passphrase === '') throw new KeyError('bad-passphrase', 'an empty passphrase protects nothing: leave it out instead');
    await this.#refuseTaken(name);
    const comment = options.comment ?? `tidemark@${hostname()}`;
    if (/[\r\n]/.test(comment)) throw new KeyError('bad-comment', 'a key comment is one line');
    const pair = ssh2.utils.generateKeyPairSync('ed25519', {
      comment,
      ...(options.passphrase === undefined ? {} : { passphrase: options.passphrase, cipher: 'aes256-ctr' }),
    });
    const info = this.#record(name, pair.public, comment, options.store, options.passphrase !== undefined, this.#now());
    const store = this.#storeFor(options.store);
    // The secret first: if the store refuses, nothing has been written yet.
    await store.set(keyAccount(name), pair.private);
    try {
      await this.#writeFiles(info, pair.public);
    } catch (error) {
      await store.delete(keyAccount(name)).catch(() => false);
      throw error;
    }
    return info;
  }

  /** Every key with a record, by name. */
  async list(): Promise<KeyInfo[]> {
    let names: string[];
    try {
      names = await readdir(this.#dir);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw error;
    }
    const keys = names.filter((file) => file.endsWith('.json') && KEY_NAME_PATTERN.test(file.slice(0, -5)));
    return Promise.all(keys.sort().map((file) => this.get(file.slice(0, -5))));
  }

  async get(name: string): Promise<KeyInfo> {
    let text: string;
    try {
      text = await readFile(join(this.#dir, `${checkedName(name)}.json`), 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new KeyError('not-found', `no key named ${name}`);
      throw error;
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new KeyError('corrupt', `${name}.json is not JSON`);
    }
    const result = v.safeParse(KeyInfo, parsed);
    if (!result.success) throw new KeyError('corrupt', `${name}.json is not a key record: ${result.issues[0].message}`);
    if (result.output.name !== name) throw new KeyError('corrupt', `${name}.json names the key ${result.output.name}`);
    return result.output;
  }

  /** The public key line (`ssh-ed25519 AAAA... comment`), as `ssh-copy-id` would install it. */
  async exportPublic(name: string): Promise<string> {
    await this.get(name);
    const line = (await readFile(this.publicKeyFile(name), 'utf8').catch(() => {
      throw new KeyError('corrupt', `${name}.pub is missing`);
    })).trim();
    if (parsePublicKeyLine(line) instanceof Error) throw new KeyError('corrupt', `${name}.pub is not a public key line`);
    return line;
  }

  /** As `ssh-keygen -l` prints it: `256 SHA256:... comment (ED25519)`. */
  async fingerprint(name: string): Promise<string> {
    const fingerprint = sshKeygenFingerprint(await this.exportPublic(name));
    if (fingerprint instanceof Error) throw new KeyError('corrupt', `${name}.pub: ${fingerprint.message}`);
    return fingerprint;
  }

  async rename(oldName: string, newName: string): Promise<KeyInfo> {
    checkedName(newName);
    const info = await this.get(oldName);
    const line = await this.exportPublic(oldName);
    await this.#refuseTaken(newName);
    const store = this.#storeFor(info.store);
    const secret = await store.get(keyAccount(oldName));
    if (secret === null) throw new KeyError('corrupt', `the ${info.store} store holds no private key for ${oldName}`);
    // Copy, then drop the original: a failure in between leaves the old key whole.
    await store.set(keyAccount(newName), secret);
    const renamed = { ...info, name: newName };
    try {
      await this.#writeFiles(renamed, line);
    } catch (error) {
      await store.delete(keyAccount(newName)).catch(() => false);
      throw error;
    }
    await this.#removeFiles(oldName);
    await store.delete(keyAccount(oldName));
    return renamed;
  }

  async delete(name: string): Promise<void> {
    const info = await this.get(name);
    // The secret first: if the store refuses (a locked keyring), the key stays whole and listed.
    await this.#storeFor(info.store).delete(keyAccount(name));
    await this.#removeFiles(name);
  }

  /** The private key decrypted in memory; `passphrase` only for a key made with one. */
  async unlock(name: string, passphrase?: string): Promise<UnlockedKey> {
    const info = await this.get(name);
    if (info.encrypted && passphrase === undefined) throw new KeyError('passphrase-needed', `key ${name} is protected by a passphrase`);
    const secret = await this.#storeFor(info.store).get(keyAccount(name));
    if (secret === null) throw new KeyError('corrupt', `the ${info.store} store holds no private key for ${name}`);
    const key = ssh2.utils.parseKey(secret, info.encrypted ? passphrase : undefined);
    if (key instanceof Error) {
      throw info.encrypted ? new KeyError('bad-passphrase', `wrong passphrase for key ${name}`) : new KeyError('corrupt', `the private key of ${name} cannot be read`);
    }
    const publicLine = parsePublicKeyLine(await this.exportPublic(name));
    if (publicLine instanceof Error || !key.getPublicSSH().equals(publicLine.blob)) {
      throw new KeyError('corrupt', `the private key of ${name} does not match ${name}.pub`);
    }
    return { name, key };
  }

  #record(name: string, line: string, comment: string, store: KeyStoreKind, encrypted: boolean, created: Date): KeyInfo {
    const fingerprint = sshKeygenFingerprint(line);
    if (fingerprint instanceof Error) throw fingerprint;
    return { version: 1, name, comment, created: created.toISOString(), store, fingerprint, encrypted };
  }

  async #refuseTaken(name: string): Promise<void> {
    const taken = await readdir(this.#dir).catch(() => [] as string[]);
    if (taken.includes(`${name}.json`) || taken.includes(`${name}.pub`)) throw new KeyError('exists', `a key named ${name} exists already`);
  }

  /** NAME.pub, then NAME.json (the record makes the key exist); neither replaces a file. */
  async #writeFiles(info: KeyInfo, publicLine: string): Promise<void> {
    await mkdir(this.#dir, { recursive: true, mode: 0o700 });
    const written: string[] = [];
    try {
      for (const [file, text] of [[`${info.name}.pub`, `${publicLine}\n`], [`${info.name}.json`, `${JSON.stringify(info, null, 2)}\n`]] as const) {
        await this.#createWhole(join(this.#dir, file), text);
        written.push(file);
      }
    } catch (error) {
      for (const file of written) await rm(join(this.#dir, file), { force: true });
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new KeyError('exists', `a key named ${info.name} exists already`);
      throw error;
    }
  }

  /** Written under a temporary name, then linked into place: whole, and never over another file. */
  async #createWhole(path: string, text: string): Promise<void> {
    const temp = join(this.#dir, `.tmp-${randomBytes(6).toString('hex')}`);
    try {
      await writeFile(temp, text, { mode: 0o644, flag: 'wx' });
      await link(temp, path);
    } finally {
      await rm(temp, { force: true });
    }
  }

  async #removeFiles(name: string): Promise<void> {
    await rm(join(this.#dir, `${name}.json`), { force: true });
    await rm(join(this.#dir, `${name}.pub`), { force: true });
  }
}

function checkedName(name: string): string {
  if (!KEY_NAME_PATTERN.test(name)) {
    throw new KeyError('bad-name', `${JSON.stringify(name)} is not a key name: use 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit`);
  }
  return name;
}
