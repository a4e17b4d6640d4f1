// Where private keys live (DESIGN.md, "Secrets and keys"): one small interface, with the OS
// keychain behind it in production (keytar-store.ts) and 0600 files on explicit opt-in
// (file-store.ts). Values are secrets: no implementation logs them or puts them in an error.
import type { KeyStoreKind } from '../../src-shared/model/keys';

export interface SecretStore {
  readonly kind: KeyStoreKind;
  /** The secret stored under `account`, or null when there is none. */
  get(account: string): Promise<string | null>;
  /** Stores (or replaces) the secret under `account`. */
  set(account: string, secret: string): Promise<void>;
  /** Removes `account`; false when there was nothing to remove. */
  delete(account: string): Promise<boolean>;
  /** Every account this store holds for Tidemark. */
  list(): Promise<string[]>;
}

/**
 * A store that cannot serve: no Secret Service, a locked keyring, an unwritable directory.
 * `message` is one line saying what to start, unlock or choose instead; it never holds a secret.
 */
export class SecretStoreError extends Error {
  constructor(readonly store: KeyStoreKind, message: string) {
    super(message);
    this.name = 'SecretStoreError';
  }
}

/** Accounts are `key:NAME` (NAME as KEY_NAME_PATTERN), so a store can tell them from others. */
export function keyAccount(name: string): string {
  return `key:${name}`;
}
