// `tidemark keys`: list, make, rename, delete and export Tidemark's SSH keys from a shell. The
// private keys stay in their store; this command prints public keys and fingerprints only.
import { KEY_STORE_KINDS, type KeyInfo, type KeyStoreKind } from '../../src-shared/model/keys';
import { defaultKeyPaths } from '../keys/key-paths';
import { KeyError } from '../keys/key-service';
import { SecretStoreError } from '../keys/secret-store';
import { cliKeyService, readAllStdin } from '../services/profiles/profile-agent';
import type { CliIo } from './run-cli';

export const keysUsage = `       tidemark keys [list]
       tidemark keys new NAME [--passphrase-stdin] [--key-store keychain|file] [--comment TEXT]
       tidemark keys rename OLD NEW
       tidemark keys delete NAME
       tidemark keys export NAME      (prints the public key line)
                 SSH keys for paired targets; private keys stay in the keychain, or in
                 0600 files with --key-store file (or TIDEMARK_KEY_STORE=file)
`;

export interface KeysDeps {
  /** All of stdin, for --passphrase-stdin. */
  readonly readStdin?: () => Promise<string>;
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface Parsed {
  readonly words: string[];
  readonly passphraseStdin: boolean;
  readonly store?: string;
  readonly comment?: string;
}

function parse(args: readonly string[]): Parsed | string {
  const words: string[] = [];
  let passphraseStdin = false;
  let store: string | undefined;
  let comment: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag = '', inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg];
    if (flag === '--passphrase-stdin' && inline === undefined) passphraseStdin = true;
    else if (flag === '--key-store' || flag === '--comment') {
      const value = inline ?? args[++i];
      if (value === undefined) return `${flag} needs a value`;
      if (flag === '--key-store') store = value;
      else comment = value;
    } else if (arg.startsWith('-') && arg !== '-') return `unknown option ${arg}`;
    else words.push(arg);
  }
  return { words, passphraseStdin, store, comment };
}

/** Exit codes: 0 done, 1 the operation failed (a store, a missing key), 2 bad usage or name. */
export async function runKeysCommand(args: readonly string[], io: CliIo, deps: KeysDeps = {}): Promise<number> {
  const env = deps.env ?? process.env;
  const parsed = parse(args);
  if (typeof parsed === 'string') return usageError(io, parsed);
  const [command = 'list', ...operands] = parsed.words;
  const expected: Record<string, number> = { list: 0, new: 1, rename: 2, delete: 1, export: 1 };
  if (!(command in expected)) return usageError(io, `unknown keys command ${JSON.stringify(command)}`);
  if (operands.length !== expected[command]) return usageError(io, `keys ${command} takes ${expected[command]} name(s)`);
  if (command !== 'new' && (parsed.passphraseStdin || parsed.store !== undefined || parsed.comment !== undefined)) {
    return usageError(io, '--passphrase-stdin, --key-store and --comment belong to keys new');
  }
  const storeKind = parsed.store ?? env.TIDEMARK_KEY_STORE ?? 'keychain';
  if (!isStoreKind(storeKind)) return usageError(io, `--key-store is keychain or file, not ${JSON.stringify(storeKind)}`);

  const paths = defaultKeyPaths(env);
  const service = cliKeyService(env).keys;
  const [first = '', second = ''] = operands;
  try {
    switch (command) {
      case 'new': {
        const passphrase = parsed.passphraseStdin ? await readPassphrase(deps) : undefined;
        const info = await service.create(first, { store: storeKind, ...(passphrase === undefined ? {} : { passphrase }), ...(parsed.comment === undefined ? {} : { comment: parsed.comment }) });
        io.stdout(`${info.name}: ${info.fingerprint}, private key in the ${storeText(info.store, paths.fileStoreDir)}\n`);
        io.stdout(`${await service.exportPublic(info.name)}\n`);
        return 0;
      }
      case 'rename':
        await service.rename(first, second);
        io.stdout(`${first} is now ${second}\n`);
        return 0;
      case 'delete':
        await service.delete(first);
        io.stdout(`${first}: deleted\n`);
        return 0;
      case 'export':
        io.stdout(`${await service.exportPublic(first)}\n`);
        return 0;
      default:
        io.stdout(listText(await service.list()));
        return 0;
    }
  } catch (error) {
    if (error instanceof KeyError) {
      io.stderr(`tidemark keys: ${error.message}\n`);
      return error.kind === 'bad-name' || error.kind === 'bad-comment' ? 2 : 1;
    }
    if (error instanceof SecretStoreError) {
      io.stderr(`tidemark keys: ${error.message}\n`);
      return 1;
    }
    throw error;
  }
}

function isStoreKind(value: string): value is KeyStoreKind {
  return (KEY_STORE_KINDS as readonly string[]).includes(value);
}

function storeText(kind: KeyStoreKind, fileStoreDir: string): string {
  return kind === 'file' ? `file store (${fileStoreDir})` : 'keychain';
}

function listText(keys: readonly KeyInfo[]): string {
  if (keys.length === 0) return 'no keys yet: make one with `tidemark keys new NAME`\n';
  const width = Math.max(...keys.map((key) => key.name.length));
  return keys.map((key) => `${key.name.padEnd(width)}  ${key.store.padEnd(8)}  ${key.encrypted ? 'passphrase' : 'no passphrase'}  ${key.fingerprint}\n`).join('');
}

/** The passphrase is stdin's first line; nothing of it is echoed or kept past the key's creation. */
async function readPassphrase(deps: KeysDeps): Promise<string> {
  const text = await (deps.readStdin ?? readAllStdin)();
  const line = text.split(/\r?\n/, 1)[0] ?? '';
  if (line === '') throw new KeyError('bad-passphrase', '--passphrase-stdin read an empty passphrase');
  return line;
}

function usageError(io: CliIo, message: string): number {
  io.stderr(`tidemark keys: ${message}\n${keysUsage}`);
  return 2;
}
