// The pairing and key channels: the wizard's steps, one pairing per id. A key named at the
// install step that does not exist yet is made there (ed25519, in the keychain), so that the
// wizard pairs a server from "a host, a user and a password" alone.
import type { KeyService } from '../../keys/key-service';
import type { KeyStoreKind } from '../../../src-shared/model/keys';
import type { InvokeHandlers } from '../contract-router';
import type { PairingSessions } from '../pairing/pairing-sessions';
import { failed } from '../pairing/step-result';

export interface PairingHandlerDeps {
  readonly sessions: PairingSessions;
  readonly keys: KeyService;
  /** Where new keys go: the keychain, or files on explicit opt-in (TIDEMARK_KEY_STORE=file). */
  readonly keyStore: KeyStoreKind;
  /** A pairing saved a profile: run it when enabled, and tell the faces. */
  readonly saved: (profile: string, enabled: boolean) => Promise<void>;
  /** Holds a key's passphrase in memory for the engines (EngineHost.unlock). */
  readonly unlock: (passphrases: Record<string, string>) => Promise<void>;
}

export function pairingHandlers(deps: PairingHandlerDeps): InvokeHandlers {
  const { sessions, keys } = deps;
  // A passphrase that verified a pairing's key is handed to the engines at save, so the new
  // profile starts at once instead of asking again; it is dropped with the pairing otherwise.
  const keyNames = new Map<string, string>();
  const verified = new Map<string, Record<string, string>>();
  const forget = (pairing: string) => {
    keyNames.delete(pairing);
    verified.delete(pairing);
  };
  return {
    'pairing:begin': async () => ({ pairing: await sessions.begin() }),
    'pairing:connect': async ({ pairing, host, user, port }) => {
      const result = await (await sessions.get(pairing)).connect({ host, ...(user !== undefined ? { user } : {}), ...(port !== undefined ? { port } : {}) });
      if (result.kind === 'failed') return result;
      return {
        kind: 'ok',
        alias: result.target.alias,
        hostname: result.target.hostname,
        port: result.target.port,
        user: result.target.user,
        keyType: result.hostKey.keyType,
        fingerprint: result.hostKey.fingerprint,
        description: result.description,
        pinned: result.pinned,
      };
    },
    'pairing:confirm-host-key': async ({ pairing, fingerprint }) => (await sessions.get(pairing)).confirmHostKey(fingerprint),
    'pairing:install-key': async ({ pairing, keyName, password }) => {
      const service = await sessions.get(pairing);
      const exists = await keys.get(keyName).then(() => true, () => false);
      if (!exists) {
        try {
          await keys.create(keyName, { store: deps.keyStore });
        } catch (error) {
          await sessions.abort(pairing);
          return failed('install-key', 'bad-request', `cannot create the key ${keyName}: ${(error as Error).message}`, 'Check that the keychain is unlocked, or name an existing key.');
        }
      }
      keyNames.set(pairing, keyName);
      return service.installKey(keyName, password);
    },
    'pairing:verify': async ({ pairing, passphrase }) => {
      const result = await (await sessions.get(pairing)).verify(passphrase);
      const keyName = keyNames.get(pairing);
      if (result.kind === 'ok' && passphrase !== undefined && keyName !== undefined) verified.set(pairing, { [keyName]: passphrase });
      return result.kind === 'failed' ? result : { kind: 'ok' };
    },
    'pairing:preflight': async ({ pairing, targetDir }) => (await sessions.get(pairing)).preflight(targetDir),
    'pairing:save': async ({ pairing, name, source, targetDir, overwrite }) => {
      const result = await (await sessions.get(pairing)).save({ name, source, targetDir, ...(overwrite !== undefined ? { overwrite } : {}) });
      if (result.kind === 'failed') return result;
      sessions.end(pairing);
      const passphrases = verified.get(pairing);
      forget(pairing);
      if (passphrases) await deps.unlock(passphrases).catch(() => undefined); // the Profiles screen asks then
      await deps.saved(name, result.profile.enabled);
      return { kind: 'ok', profile: name };
    },
    'pairing:abort': async ({ pairing }) => {
      forget(pairing);
      return { leftBehind: [...(await sessions.abort(pairing))] };
    },
    'keys:list': () => keys.list(),
    'keys:generate': ({ name, passphrase, comment }) => keys.create(name, { store: deps.keyStore, ...(passphrase !== undefined ? { passphrase } : {}), ...(comment !== undefined ? { comment } : {}) }),
  };
}
