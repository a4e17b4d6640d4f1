// A server's host key as OpenSSH shows it: the key type of known_hosts (ssh-ed25519), the label
// ssh and ssh-keygen print (ED25519), and the SHA256 fingerprint, base64 without padding.
import { createHash } from 'node:crypto';

export interface HostKey {
  /** The key type inside the key blob, as known_hosts writes it: ssh-ed25519, ecdsa-sha2-nistp256, ssh-rsa. */
  readonly keyType: string;
  /** What OpenSSH prints for the type: "ED25519 key fingerprint is ..." and ssh-keygen -l's "(ED25519)". */
  readonly label: string;
  /** SHA256:<base64 without padding>, exactly as ssh-keygen -l -E sha256 prints it. */
  readonly fingerprint: string;
  /** The key blob as the server sent it: what a pin stores. */
  readonly key: Buffer;
}

/**
 * The host key algorithms in OpenSSH 9's order (without certificates). Probe and install ask
 * for the same list, so a server with several host keys shows both the same key, the one ssh
 * will later check; and ssh-rsa with SHA-1, which ssh2 would accept and OpenSSH 9 refuses, is out.
 */
export const HOST_KEY_ALGORITHMS = [
  'ssh-ed25519',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'rsa-sha2-512',
  'rsa-sha2-256',
] as const;

/** ssh-keygen's names for the key types (sshkey.c, keytypes[].shortname). */
const LABELS: Readonly<Record<string, string>> = {
  'ssh-ed25519': 'ED25519',
  'sk-ssh-ed25519@openssh.com': 'ED25519-SK',
  'ecdsa-sha2-nistp256': 'ECDSA',
  'ecdsa-sha2-nistp384': 'ECDSA',
  'ecdsa-sha2-nistp521': 'ECDSA',
  'sk-ecdsa-sha2-nistp256@openssh.com': 'ECDSA-SK',
  'ssh-rsa': 'RSA',
  'ssh-dss': 'DSA',
};

/** The SHA256 fingerprint of a key blob, as OpenSSH prints it. */
export function fingerprintOf(blob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Reads a host key blob (RFC 4253 6.6: a string naming the type, then the key's fields). */
export function parseHostKey(blob: unknown): HostKey | Error {
  if (!Buffer.isBuffer(blob) || blob.length < 4) return new Error('the host key is not a key blob');
  const typeLength = blob.readUInt32BE(0);
  if (typeLength === 0 || typeLength > 64 || blob.length < 4 + typeLength) return new Error('the host key blob has no key type');
  const keyType = blob.subarray(4, 4 + typeLength).toString('latin1');
  if (!/^[a-z0-9@.-]+$/.test(keyType)) return new Error('the host key blob names no valid key type');
  return { keyType, label: LABELS[keyType] ?? keyType.toUpperCase(), fingerprint: fingerprintOf(blob), key: Buffer.from(blob) };
}

/** OpenSSH's own sentence for a key it has not seen: what the wizard asks a person to compare. */
export function describeHostKey(hostKey: HostKey): string {
  return `${hostKey.label} key fingerprint is ${hostKey.fingerprint}.`;
}
