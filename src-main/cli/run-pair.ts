// `tidemark pair USER@HOST[:PORT]`: the pairing flow from a shell. It shows the host key as
// OpenSSH does and needs it confirmed (--fingerprint, or "yes" on a terminal), logs in once with
// the password (typed without echo, or --password-stdin) to install the app's key, checks a key
// login through the app's agent and the target directory, then saves the profile.
import { join } from 'node:path';
import { homedir } from 'node:os';
import { KEY_STORE_KINDS, type KeyStoreKind } from '../../src-shared/model/keys';
import { KeyError } from '../keys/key-service';
import { cliKeyService, readAllStdin } from '../services/profiles/profile-agent';
import { PairingService } from '../services/pairing/pairing-service';
import type { StepFailure } from '../services/pairing/step-result';
import { checkProfileName } from '../services/profiles/profile-name';
import { EXIT_DECISION_NEEDED, runSafetyCommand } from './run-safety';
import { formatBytes } from '../core/safety/at-risk';
import { ProfileStore } from '../services/profiles/profile-store';
import type { CliIo } from './run-cli';
import { promptLine } from './tty-prompt';

export const pairUsage = `       tidemark pair USER@HOST[:PORT] --source DIR --target DIR --name NAME
                     [--fingerprint SHA256:...] [--password-stdin] [--key NAME] [--key-store keychain|file]
                                      install a key on a server by password once, pin its host key, save a profile
`;

export interface PairDeps {
  readonly env?: NodeJS.ProcessEnv;
  readonly readStdin?: () => Promise<string>;
  /** Whether stdin is a terminal a person can answer on. */
  readonly interactive?: boolean;
  /** ssh and options for the host (tests: ['ssh', '-F', '/dev/null']). */
  readonly sshCommand?: readonly string[];
}

interface PairArgs {
  readonly user: string;
  readonly host: string;
  readonly port?: number;
  readonly source: string;
  readonly target: string;
  readonly name: string;
  readonly fingerprint?: string;
  readonly passwordStdin: boolean;
  readonly key?: string;
  readonly store?: string;
}

/** The app's own known_hosts: $XDG_CONFIG_HOME/tidemark/known_hosts. */
export function defaultKnownHostsFile(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'tidemark', 'known_hosts');
}

function parse(args: readonly string[]): PairArgs | string {
  const values: Record<string, string> = {};
  let passwordStdin = false;
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--password-stdin') passwordStdin = true;
    else if (['--source', '--target', '--name', '--fingerprint', '--key', '--key-store'].includes(arg)) {
      const value = args[++i];
      if (value === undefined) return `${arg} needs a value`;
      values[arg.slice(2)] = value;
    } else if (arg.startsWith('-')) return `unknown option ${arg}`;
    else words.push(arg);
  }
  if (words.length !== 1) return 'pair takes one USER@HOST[:PORT]';
  const match = /^([^@\s]+)@([^@\s:]+)(?::(\d{1,5}))?$/.exec(words[0]!);
  if (!match) return `${JSON.stringify(words[0])} is not USER@HOST[:PORT]`;
  for (const needed of ['source', 'target', 'name']) if (!values[needed]) return `--${needed} is required`;
  const port = match[3] === undefined ? undefined : Number(match[3]);
  if (port !== undefined && (port < 1 || port > 65535)) return `${port} is not a port (1 to 65535)`;
  return {
    user: match[1]!,
    host: match[2]!,
    port,
    source: values.source!,
    target: values.target!,
    name: values.name!,
    fingerprint: values.fingerprint,
    passwordStdin,
    key: values.key,
    store: values['key-store'],
  };
}

export async function runPairCommand(args: readonly string[], io: CliIo, deps: PairDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const parsed = parse(args);
  if (typeof parsed === 'string') return usageError(io, parsed);
  const named = checkProfileName(parsed.name);
  if (named.kind === 'error') return usageError(io, named.message);
  if (!parsed.source.startsWith('/')) return usageError(io, `--source must be an absolute path, not ${JSON.stringify(parsed.source)}`);
  const storeKind = parsed.store ?? env.TIDEMARK_KEY_STORE ?? 'keychain';
  if (!(KEY_STORE_KINDS as readonly string[]).includes(storeKind)) return usageError(io, `--key-store is keychain or file, not ${JSON.stringify(storeKind)}`);
  const interactive = deps.interactive ?? (process.stdin.isTTY === true);
  if (parsed.fingerprint === undefined && !interactive) {
    io.stderr('tidemark pair: refusing to trust a host key nobody confirmed: pass --fingerprint SHA256:... (compare it with ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub on the server), or run pair on a terminal and answer yes\n');
    return 2;
  }
  if (!parsed.passwordStdin && !interactive) {
    io.stderr('tidemark pair: no terminal to ask the password on: pass --password-stdin and give it on stdin\n');
    return 2;
  }

  const { keys, runtimeDir } = cliKeyService(env);
  const knownHostsFile = defaultKnownHostsFile(env);
  const profiles = new ProfileStore(join(env.XDG_CONFIG_HOME || join(env.HOME || homedir(), '.config'), 'tidemark', 'profiles'));
  const overwrite = await profiles.exists(parsed.name).catch(() => false);
  const pairing = new PairingService({ keys, profiles, knownHostsFile, runtimeDir, sshCommand: deps.sshCommand });
  const fail = (failure: StepFailure): number => {
    io.stderr(`tidemark pair: ${failure.step} failed: ${failure.reason}\n  ${failure.fix}\n`);
    return 1;
  };

  const connected = await pairing.connect({ host: parsed.host, port: parsed.port, user: parsed.user });
  if (connected.kind === 'failed') return fail(connected);
  const where = connected.target.port === 22 ? connected.target.hostname : `[${connected.target.hostname}]:${connected.target.port}`;
  if (connected.pinned && connected.pinned !== connected.hostKey.fingerprint) {
    io.stdout(`WARNING: the host key of ${where} has CHANGED.\n  pinned:  ${connected.pinned}\n  offered: ${connected.hostKey.fingerprint} (${connected.hostKey.label})\n`);
  } else {
    io.stdout(`The authenticity of host '${where}' is being established.\n${connected.description}\n`);
  }
  let confirmed = parsed.fingerprint;
  if (confirmed === undefined) {
    const answer = await promptLine('Are you sure you want to trust this host key (yes/no)? ', { echo: true });
    if (answer.trim() !== 'yes') {
      await pairing.abort();
      io.stderr('tidemark pair: the host key was not confirmed; nothing was changed\n');
      return 1;
    }
    confirmed = connected.hostKey.fingerprint;
  }
  const pinned = await pairing.confirmHostKey(confirmed);
  if (pinned.kind === 'failed') return fail(pinned);

  const keyName = parsed.key ?? parsed.name;
  let createdKey = false;
  let encrypted = false;
  try {
    encrypted = (await keys.get(keyName)).encrypted;
  } catch (error) {
    try {
      if (!(error instanceof KeyError && error.kind === 'not-found')) throw error;
      await keys.create(keyName, { store: storeKind as KeyStoreKind });
      createdKey = true;
      io.stdout(`made the key ${keyName} (${storeKind === 'file' ? 'file store' : 'keychain'})\n`);
    } catch (keyError) {
      // The keychain unreachable, say: the pin goes again, as after any failed step.
      const { leftBehind } = await pairing.abort();
      io.stderr(`tidemark pair: key failed: ${(keyError as Error).message}${leftBehind.length > 0 ? `; left behind: ${leftBehind.join('; ')}` : ''}\n  ${storeKind === 'keychain' ? 'Unlock the keychain, or use --key-store file (see tidemark keys).' : 'Check the key store directory.'}\n`);
      return 1;
    }
  }
  const undoKey = async () => {
    if (createdKey) await keys.delete(keyName).catch(() => undefined);
  };

  let password: string;
  let passphrase: string | undefined;
  try {
    if (parsed.passwordStdin) {
      // The password's line, then the key's passphrase when the key has one.
      const lines = (await (deps.readStdin ?? readAllStdin)()).split(/\r?\n/);
      password = firstLine(lines[0] ?? '');
      if (encrypted) passphrase = firstLine(lines[1] ?? '', `the key ${keyName} has a passphrase: give it on the line after the password`);
    } else {
      password = await promptLine(`${parsed.user}@${where}'s password: `, { echo: false });
      if (encrypted) passphrase = await promptLine(`passphrase of the key ${keyName}: `, { echo: false });
    }
  } catch (error) {
    await pairing.abort();
    await undoKey();
    io.stderr(`tidemark pair: cannot read the password: ${(error as Error).message}\n`);
    return 1;
  }
  const installed = await pairing.installKey(keyName, password);
  password = '';
  if (installed.kind === 'failed') {
    await undoKey();
    return fail(installed);
  }
  const steps = [
    () => pairing.verify(passphrase),
    () => pairing.preflight(parsed.target),
    () => pairing.save({ name: parsed.name, source: parsed.source, targetDir: parsed.target, overwrite }),
  ];
  for (const step of steps) {
    const result = await step();
    if (result.kind === 'failed') {
      await undoKey();
      return fail(result);
    }
    if ('rsyncVersion' in result) {
      io.stdout(`preflight: rsync ${result.rsyncVersion} on the server; ${result.directory} ${result.created ? 'created' : 'exists'} and is writable; ${formatBytes(result.freeBytes)} free there\n`);
    }
  }
  const passphrases = passphrase === undefined ? [] : [passphrase];
  passphrase = undefined;
  io.stdout(`paired ${parsed.user}@${where} with the key ${keyName}; host key ${connected.hostKey.fingerprint} pinned in ${knownHostsFile}\nsaved the profile ${parsed.name}\n`);
  // What a first sync would delete or overwrite there, before it runs (tidemark check NAME).
  io.stdout(`\nThe pre-restart check of the new target:\n`);
  const checked = await runSafetyCommand('check', [parsed.name], io, { passphrases });
  io.stdout(checked === 0 ? `Nothing there is at risk: start it with \`tidemark run ${parsed.name}\`\n` : checked === EXIT_DECISION_NEEDED ? `Decide about those entries first (tidemark check ${parsed.name} --reconcile ...), or start with \`tidemark run ${parsed.name}\` and decide when it asks\n` : `The check could not run; see above. The pairing itself is done.\n`);
  return 0;
}

function firstLine(text: string, empty = '--password-stdin read an empty password'): string {
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (line === '') throw new Error(empty);
  return line;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`tidemark pair: ${message}\n${pairUsage}`);
  return 2;
}
