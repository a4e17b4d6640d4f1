// A public key line as authorized_keys holds it ("ssh-ed25519 AAAA... comment"), checked before
// it is sent anywhere: one line, a key type, a key blob naming the same type, a plain comment.
import { parseHostKey } from './host-key';

export interface PublicKeyLine {
  readonly keyType: string;
  readonly base64: string;
  readonly comment: string;
  /** "type base64": the key itself, which decides whether a line holds it, whatever the comment. */
  readonly keyText: string;
  /** The whole line as it is installed. */
  readonly line: string;
}

export function parsePublicKeyLine(input: unknown): PublicKeyLine | Error {
  if (typeof input !== 'string') return new Error('the public key must be text');
  const line = input.trim();
  if (/[\x00-\x1f\x7f]/.test(line)) return new Error('the public key must be one line of printable text');
  const [keyType = '', base64 = '', ...rest] = line.split(' ');
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return new Error('the public key has no base64 key after its type (options before the type are not accepted)');
  const blob = parseHostKey(Buffer.from(base64, 'base64'));
  if (blob instanceof Error) return new Error(`the public key is not a key: ${blob.message}`);
  if (blob.keyType !== keyType) return new Error(`the public key says ${keyType} but holds a ${blob.keyType} key`);
  const comment = rest.join(' ');
  return { keyType, base64, comment, keyText: `${keyType} ${base64}`, line: comment ? `${keyType} ${base64} ${comment}` : `${keyType} ${base64}` };
}
