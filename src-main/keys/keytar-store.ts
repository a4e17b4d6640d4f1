// The production SecretStore: the OS keychain through keytar (the Secret Service on Linux),
// under the service name "tidemark". keytar is loaded on first use, so a process that never
// touches a key never loads libsecret.
import { createRequire } from 'node:module';
import type * as Keytar from 'keytar';
import type { SecretStore } from './secret-store';
import { SecretStoreError } from './secret-store';
import { explainKeychainFailure } from './keychain-failure';

export const KEYCHAIN_SERVICE = 'tidemark';

let loaded: typeof Keytar | undefined;
function keytar(): typeof Keytar {
  // A native CommonJS addon: require, not import, so bundles leave it to node_modules.
  loaded ??= createRequire(import.meta.url)('keytar') as typeof Keytar;
  return loaded;
}

export class KeytarStore implements SecretStore {
  readonly kind = 'keychain' as const;

  constructor(
    private readonly service = KEYCHAIN_SERVICE,
    private readonly env: Readonly<Record<string, string | undefined>> = process.env,
  ) {}

  get(account: string): Promise<string | null> {
    return this.#call(() => keytar().getPassword(this.service, account));
  }

  set(account: string, secret: string): Promise<void> {
    return this.#call(() => keytar().setPassword(this.service, account, secret));
  }

  delete(account: string): Promise<boolean> {
    return this.#call(() => keytar().deletePassword(this.service, account));
  }

  async list(): Promise<string[]> {
    // findCredentials returns the secrets too; only the account names leave this method.
    const found = await this.#call(() => keytar().findCredentials(this.service));
    return found.map((credential) => credential.account).sort();
  }

  async #call<T>(operation: () => Promise<T>): Promise<T> {
    try {
      return await operation();
    } catch (error) {
      throw new SecretStoreError('keychain', explainKeychainFailure(error instanceof Error ? error.message : String(error), this.env));
    }
  }
}
