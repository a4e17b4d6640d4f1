// The lines of an OpenSSH known_hosts file (sshd(8), SSH_KNOWN_HOSTS FILE FORMAT): reading them,
// matching a host (plain or hashed names), and writing one. No file I/O here.
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export interface KnownHostsEntry {
  /** The comma-separated host names or patterns, or one hashed name (|1|salt|hash). */
  readonly hosts: string;
  readonly keyType: string;
  readonly key: Buffer;
}

/** One line of the file: an entry, or anything else (comments, markers), kept as it was. */
export type KnownHostsLine = { readonly kind: 'entry'; readonly entry: KnownHostsEntry; readonly text: string } | { readonly kind: 'other'; readonly text: string };

/** The name OpenSSH looks a host up by: `host` on port 22, `[host]:port` on any other. */
export function knownHostsName(host: string, port: number): string {
  const name = host.toLowerCase();
  return port === 22 ? name : `[${name}]:${port}`;
}

/** A hashed name as ssh-keygen -H writes it: |1|base64(salt)|base64(HMAC-SHA1(salt, name)). */
export function hashKnownHostsName(name: string, salt: Buffer = randomBytes(20)): string {
  return `|1|${salt.toString('base64')}|${createHmac('sha1', salt).update(name).digest('base64')}`;
}

export function parseKnownHosts(text: unknown): KnownHostsLine[] {
  if (typeof text !== 'string') throw new TypeError('a known_hosts file must be text');
  const lines = text.split('\n');
  if (lines.at(-1) === '') lines.pop();
  return lines.map((line) => {
    const fields = line.trim().split(/\s+/);
    // A marker (@cert-authority, @revoked) or a comment is not a pin of ours: kept as it is.
    if (fields.length < 3 || line.trim().startsWith('#') || line.trim().startsWith('@')) return { kind: 'other', text: line };
    const [hosts, keyType, base64] = fields as [string, string, string];
    if (!/^[A-Za-z0-9+/]+={0,2}$/.test(base64)) return { kind: 'other', text: line };
    return { kind: 'entry', entry: { hosts, keyType, key: Buffer.from(base64, 'base64') }, text: line };
  });
}

/** Whether an entry names exactly this host (plain names, or a hashed one); patterns are not ours. */
export function entryNames(entry: KnownHostsEntry, name: string): boolean {
  if (entry.hosts.startsWith('|1|')) {
    const [, , salt, hash] = entry.hosts.split('|');
    if (!salt || !hash) return false;
    const expected = Buffer.from(hash, 'base64');
    const actual = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest();
    return expected.length === actual.length && timingSafeEqual(expected, actual);
  }
  return entry.hosts.split(',').some((pattern) => pattern.toLowerCase() === name);
}

export function formatEntry(name: string, keyType: string, key: Buffer, hashed: boolean): string {
  return `${hashed ? hashKnownHostsName(name) : name} ${keyType} ${key.toString('base64')}`;
}
