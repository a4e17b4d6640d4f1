// What Tidemark knows about one of its SSH keys, without the secret: the record kept beside the
// public key in the config directory, and what the faces show. Pure schemas, shared by main and
// the renderer.
import * as v from 'valibot';

/** Where a private key lives: the OS keychain (Secret Service), or 0600 files on explicit opt-in. */
export const KEY_STORE_KINDS = ['keychain', 'file'] as const;
export const KeyStoreKind = v.picklist(KEY_STORE_KINDS);
export type KeyStoreKind = v.InferOutput<typeof KeyStoreKind>;

/**
 * A key name is also a file name and part of a keychain account, so it is kept to a safe
 * alphabet: a letter or digit first (no dot files, no options), then letters, digits, `.`, `_`
 * and `-`, at most 64 characters. No slash, so no traversal.
 */
export const KEY_NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
export const KeyName = v.pipe(v.string(), v.regex(KEY_NAME_PATTERN, 'a key name is 1 to 64 letters, digits, ".", "_" or "-", starting with a letter or digit'));

export const KeyInfo = v.strictObject({
  version: v.literal(1),
  name: KeyName,
  /** The comment of the public key line (`tidemark@HOST` unless given). */
  comment: v.string(),
  /** ISO 8601. */
  created: v.pipe(v.string(), v.isoTimestamp()),
  store: KeyStoreKind,
  /** As `ssh-keygen -l` prints it: `256 SHA256:... comment (ED25519)`. */
  fingerprint: v.string(),
  /** Whether the private key is protected by a passphrase (the agent then needs it to start). */
  encrypted: v.boolean(),
});
export type KeyInfo = v.InferOutput<typeof KeyInfo>;
