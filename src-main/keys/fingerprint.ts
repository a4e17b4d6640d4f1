// A public key's fingerprint exactly as `ssh-keygen -l` prints it, computed from the key line
// alone: `256 SHA256:<base64 of sha256(blob), unpadded> <comment or "no comment"> (ED25519)`.
import { createHash } from 'node:crypto';

/** Key types Tidemark makes, with the size and label ssh-keygen prints for them. */
const KEY_TYPES: Readonly<Record<string, { bits: number; label: string }>> = {
  'ssh-ed25519': { bits: 256, label: 'ED25519' },
};

/** A parsed `TYPE BASE64 [COMMENT]` public key line. */
export interface PublicKeyLine {
  readonly type: string;
  readonly blob: Buffer;
  readonly comment: string;
}

/** Parses a public key line; an Error says what is wrong with it. */
export function parsePublicKeyLine(line: string): PublicKeyLine | Error {
  const match = /^(\S+) ([A-Za-z0-9+/]+={0,2})(?: (.*))?$/.exec(line.trim());
  if (!match) return new Error('not a public key line (TYPE BASE64 [COMMENT])');
  const [, type = '', base64 = '', comment = ''] = match;
  const blob = Buffer.from(base64, 'base64');
  // The blob starts with its own type as an SSH string; a mismatch is a corrupt or forged line.
  const inner = blob.length >= 4 ? blob.subarray(4, 4 + blob.readUInt32BE(0)).toString('latin1') : '';
  if (inner !== type) return new Error(`the key blob says ${JSON.stringify(inner)}, the line says ${JSON.stringify(type)}`);
  return { type, blob, comment };
}

/** `SHA256:...` alone, as ssh shows a key when it offers or asks about it. */
export function sha256Fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The line `ssh-keygen -l -f KEY.pub` prints, or an Error for a line or type it cannot show. */
export function sshKeygenFingerprint(line: string): string | Error {
  const key = parsePublicKeyLine(line);
  if (key instanceof Error) return key;
  const known = KEY_TYPES[key.type];
  if (!known) return new Error(`unsupported key type ${key.type}`);
  return `${known.bits} ${sha256Fingerprint(key.blob)} ${key.comment || 'no comment'} (${known.label})`;
}
