// What `tidemark run NAME` adds for a paired profile: the ssh options that make every ssh and
// rsync child use the app's key for its target (through PairingHooks), and the built-in agent
// that serves those keys (its SSH_AUTH_SOCK goes to the children through RunnerOptions.sshEnv).
// A passphrase-protected key needs its passphrase on stdin, one line per such key in the
// order of the profile's targets; without it, the run is refused before anything starts.
import { FileStore } from '../../keys/file-store';
import { defaultKeyPaths } from '../../keys/key-paths';
import { KeyService } from '../../keys/key-service';
import { KeytarStore } from '../../keys/keytar-store';
import type { SecretStore } from '../../keys/secret-store';
import { agentSshEnv, agentSshOptions } from '../../keys/agent-ssh-options';
import { startKeyAgent, type AgentKeyRequest, type SshAgent } from '../../keys/ssh-agent';
import type { PairingHooks } from './profile-to-config';
import type { Profile } from './profile-schema';
import type { KeyStoreKind } from '../../../src-shared/model/keys';

/** The key names of a profile's ssh targets, each once, in the order of the syncs. */
export function profileKeyNames(profile: Profile): string[] {
  const names = profile.syncs.flatMap((sync) => (sync.target.kind === 'ssh' && sync.target.keyName !== undefined ? [sync.target.keyName] : []));
  return [...new Set(names)];
}

export function cliKeyService(env: NodeJS.ProcessEnv = process.env): { keys: KeyService; runtimeDir: string } {
  const paths = defaultKeyPaths(env);
  const stores = new Map<KeyStoreKind, SecretStore>();
  const storeFor = (kind: KeyStoreKind): SecretStore => {
    const store = stores.get(kind) ?? (kind === 'file' ? new FileStore(paths.fileStoreDir) : new KeytarStore(undefined, env));
    stores.set(kind, store);
    return store;
  };
  return { keys: new KeyService({ configDir: paths.configDir, storeFor }), runtimeDir: paths.runtimeDir };
}

/**
 * ssh options for a key served by the agent: its public key names it (IdentityFile with
 * IdentitiesOnly), publickey only, no prompt. The known_hosts file is the target's own
 * (knownHosts), so it is left out here.
 */
export function agentPairingHooks(keys: KeyService): PairingHooks {
  return {
    sshOptionsForKey(keyName) {
      const words = agentSshOptions({ knownHostsFile: '/dev/null', publicKeyFile: keys.publicKeyFile(keyName) });
      const options: Record<string, string> = {};
      for (let i = 1; i < words.length; i += 2) {
        const word = words[i]!;
        const at = word.indexOf('=');
        const name = word.slice(0, at);
        if (name === 'UserKnownHostsFile') continue;
        options[name] = word.slice(at + 1);
      }
      return options;
    },
  };
}

export type AgentStart = { kind: 'ok'; agent: SshAgent; env: Record<string, string> } | { kind: 'refused'; message: string };

/**
 * Starts the agent with `names`; `readPassphrases` is asked, only when some keys need one, for
 * the passphrases of those keys (named, in order), and may answer null to refuse the start.
 */
export async function startProfileAgent(keys: KeyService, runtimeDir: string, names: readonly string[], readPassphrases: (locked: readonly string[]) => Promise<string[] | null>, socketName = `agent-run-${process.pid}.sock`): Promise<AgentStart> {
  const requests: AgentKeyRequest[] = [];
  const locked: string[] = [];
  for (const name of names) {
    try {
      const info = await keys.get(name);
      if (info.encrypted) locked.push(name);
    } catch (error) {
      return { kind: 'refused', message: `the profile's key ${name} cannot be used: ${(error as Error).message} (tidemark keys list shows the keys; pair again with tidemark pair)` };
    }
  }
  let passphrases: string[] = [];
  if (locked.length > 0) {
    const read = await readPassphrases(locked);
    if (read === null || read.length < locked.length) {
      return { kind: 'refused', message: passphraseRefusal(locked) };
    }
    passphrases = read;
  }
  for (const name of names) {
    const index = locked.indexOf(name);
    requests.push(index >= 0 ? { name, passphrase: passphrases[index] } : { name });
  }
  try {
    const agent = await startKeyAgent(keys, requests, { runtimeDir, socketName });
    return { kind: 'ok', agent, env: agentSshEnv(agent.socketPath) };
  } catch (error) {
    return { kind: 'refused', message: `cannot start the key agent: ${(error as Error).message}` };
  }
}

/** The keys of `names` that have a passphrase (a key that cannot be read is left to the start). */
export async function lockedKeyNames(keys: KeyService, names: readonly string[]): Promise<string[]> {
  const locked: string[] = [];
  for (const name of names) if (await keys.get(name).then((info) => info.encrypted, () => false)) locked.push(name);
  return locked;
}

export function passphraseRefusal(locked: readonly string[]): string {
  const many = locked.length > 1;
  return `the key${many ? 's' : ''} ${locked.join(', ')} ${many ? 'are' : 'is'} protected by a passphrase: give ${many ? 'them on stdin, one line each in this order' : 'it on stdin'} with -nodaemon (e.g. tidemark run NAME -nodaemon < passphrase-file), or use a key without one`;
}

/** The first `count` lines of stdin (passphrases), or null when it has fewer. */
export async function readStdinLines(count: number): Promise<string[] | null> {
  const lines = (await readAllStdin()).split(/\r?\n/).slice(0, count);
  return lines.length === count && lines.every((line) => line !== '') ? lines : null;
}

/** All of stdin, as UTF-8 text (passwords and passphrases: never echoed, never kept). */
export async function readAllStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
