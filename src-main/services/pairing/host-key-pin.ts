// Step "host-key": the app's own known_hosts file, read by ssh with StrictHostKeyChecking=yes
// (DESIGN.md decision 4). A host key is pinned once a person has confirmed its fingerprint; a
// pin is replaced only when the caller names the fingerprint it replaces, so a changed key is
// never taken silently. Writes are atomic (a temporary file renamed over the old one), 0600.
import { randomBytes } from 'node:crypto';
import { mkdir, open, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { fingerprintOf, parseHostKey } from './host-key';
import { entryNames, formatEntry, knownHostsName, parseKnownHosts, type KnownHostsLine } from './known-hosts';
import { failed, type StepResult } from './step-result';

export interface PinOptions {
  /** The fingerprint of the pin being replaced: required to replace any other pin for this host. */
  readonly replacing?: string;
  /** Write the host name hashed, as ssh-keygen -H does (HashKnownHosts yes). */
  readonly hashed?: boolean;
}

export interface Pinned {
  readonly fingerprint: string;
  /** What the file now holds for the host compared with before. */
  readonly change: 'added' | 'unchanged' | 'replaced';
}

/** Pins in one file are written one at a time within this process: no update is lost. */
const queues = new Map<string, Promise<unknown>>();

/** The fingerprint pinned for host:port, or null when none is (or no file yet); throws if the file cannot be read. */
export async function pinnedFingerprint(file: string, host: string, port: number): Promise<string | null> {
  const name = knownHostsName(host, port);
  const entry = (await readLines(file)).find((line) => line.kind === 'entry' && entryNames(line.entry, name));
  return entry?.kind === 'entry' ? fingerprintOf(entry.entry.key) : null;
}

export function pinHostKey(file: string, host: string, port: number, key: Buffer, options: PinOptions = {}): Promise<StepResult<Pinned>> {
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.then(() => pin(file, host, port, key, options));
  queues.set(file, next.catch(() => undefined));
  return next;
}

async function pin(file: string, host: string, port: number, key: Buffer, options: PinOptions): Promise<StepResult<Pinned>> {
  const hostKey = parseHostKey(key);
  if (hostKey instanceof Error) return failed('host-key', 'bad-request', `the key to pin is not a host key: ${hostKey.message}`, 'Probe the server again and pin the key it shows.');
  const name = knownHostsName(host, port);
  let lines: KnownHostsLine[];
  try {
    lines = await readLines(file);
  } catch (error) {
    return failed('host-key', 'file-error', `cannot read the pinned host keys in ${file}: ${(error as Error).message}`, 'Check that file (it must be a readable known_hosts file).');
  }
  const pins = lines.filter((line) => line.kind === 'entry' && entryNames(line.entry, name));
  const others = pins.filter((line) => line.kind === 'entry' && !line.entry.key.equals(key));
  if (pins.length > 0 && others.length === 0) return { kind: 'ok', fingerprint: hostKey.fingerprint, change: 'unchanged' };
  const old = others[0]?.kind === 'entry' ? fingerprintOf(others[0].entry.key) : null;
  if (old !== null && options.replacing !== old) {
    return failed(
      'host-key',
      'host-key-changed',
      `the host key of ${name} has CHANGED: pinned ${old}, offered ${hostKey.fingerprint}`,
      'Someone may be intercepting the connection, or the server was reinstalled. Check the new fingerprint with the server\'s administrator (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub there) before replacing the pin.',
      { fingerprints: { expected: old, offered: hostKey.fingerprint } },
    );
  }
  const kept = lines.filter((line) => !pins.includes(line)).map((line) => line.text);
  const text = [...kept, formatEntry(name, hostKey.keyType, key, options.hashed ?? false)].join('\n') + '\n';
  try {
    await writeAtomically(file, text);
  } catch (error) {
    return failed('host-key', 'file-error', `cannot write the pinned host keys to ${file}: ${(error as Error).message}`, 'Check that its directory exists and is writable.');
  }
  return { kind: 'ok', fingerprint: hostKey.fingerprint, change: old === null ? 'added' : 'replaced' };
}

async function readLines(file: string): Promise<KnownHostsLine[]> {
  try {
    return parseKnownHosts(await readFile(file, 'utf8'));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
}

/** Writes beside the file, syncs, and renames over it: a reader sees the old file or the new one. */
async function writeAtomically(file: string, text: string): Promise<void> {
  await mkdir(path.dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(temporary, 'wx', 0o600);
  try {
    await handle.writeFile(text);
    await handle.sync();
    await handle.close();
    await rename(temporary, file);
  } catch (error) {
    await handle.close().catch(() => undefined);
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Puts back the file's text as it was before a pairing pinned (its undo), atomically, in the file's queue. */
export function restoreKnownHosts(file: string, text: string): Promise<void> {
  const previous = queues.get(file) ?? Promise.resolve();
  const next = previous.then(() => writeAtomically(file, text));
  queues.set(file, next.catch(() => undefined));
  return next;
}
