// `tidemark profiles`, `tidemark import` and `tidemark export`: the app's profiles from a shell.
import { readFile, realpath } from 'node:fs/promises';
import { resolve } from 'node:path';
import { evaluateLuaConfig } from '../core/config/lua-sandbox';
import { validateLsyncdConfig } from '../core/config/lsyncd-validate';
import { ConfigError } from '../core/config/model';
import { configToProfile, type ImportNote } from '../services/profiles/config-to-profile';
import { checkProfileName } from '../services/profiles/profile-name';
import { ProfileStoreError, type ProfileStore } from '../services/profiles/profile-store';
import { profileToConfig } from '../services/profiles/profile-to-config';
import { profileToLua } from '../services/profiles/profile-to-lua';
import { noPairing, profileRows, type PairingStatus } from '../services/profiles/profile-rows';
import { loadPairingStatus } from '../services/pairing/pairing-status';
import { cliKeyService } from '../services/profiles/profile-agent';
import { cliProfileStore } from './config-source';
import type { CliIo } from './run-cli';

export const PROFILE_COMMANDS = ['profiles', 'import', 'export'] as const;
export type ProfileCommand = (typeof PROFILE_COMMANDS)[number];

export const profilesUsage = `       tidemark profiles [--json]           the profiles, with their targets
       tidemark import LSYNCD.CONF --name NAME [--force]   an lsyncd config into a profile
       tidemark export NAME                 a profile as an lsyncd config (on stdout)
`;

export interface ProfileCommandOptions {
  readonly store?: ProfileStore;
  /** What the PAIRING column shows; "-" until pairing exists. */
  readonly pairing?: PairingStatus;
}

interface Parsed {
  readonly words: string[];
  readonly name?: string;
  readonly flags: Set<string>;
}

function parse(args: readonly string[]): Parsed | string {
  const words: string[] = [];
  const flags = new Set<string>();
  let name: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('-') || arg === '-') words.push(arg);
    else if (arg === '--name' || arg === '-name') {
      name = args[++i];
      if (name === undefined) return '--name needs a profile name';
    } else if (arg.startsWith('--name=')) name = arg.slice('--name='.length);
    else if (arg === '--force' || arg === '--json') flags.add(arg.slice(2));
    else return `unknown option '${arg}'`;
  }
  return { words, flags, ...(name !== undefined ? { name } : {}) };
}

export async function runProfileCommand(command: ProfileCommand, args: readonly string[], io: CliIo, options: ProfileCommandOptions = {}): Promise<number> {
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    io.stderr(`tidemark ${command}: ${parsed}\n${profilesUsage}`);
    return 2;
  }
  const store = options.store ?? cliProfileStore();
  try {
    if (command === 'profiles') return await list(store, parsed, io, options.pairing);
    if (command === 'import') return await importConfig(store, parsed, io);
    return await exportProfile(store, parsed, io);
  } catch (error) {
    if (error instanceof ConfigError || error instanceof ProfileStoreError) {
      io.stderr(`${error instanceof ProfileStoreError ? `tidemark ${command}: ` : ''}${error.message}\n`);
      return 2;
    }
    throw error;
  }
}

async function list(store: ProfileStore, parsed: Parsed, io: CliIo, given: PairingStatus | undefined): Promise<number> {
  const listing = await store.list();
  const pairing = given ?? (await loadPairingStatus(listing, cliKeyService().keys).catch(() => noPairing));
  const rows = profileRows(listing, pairing);
  if (parsed.flags.has('json')) {
    io.stdout(`${JSON.stringify(rows, null, 2)}\n`);
    return 0;
  }
  if (rows.length === 0) {
    io.stdout(`No profiles in ${store.dir} (tidemark import LSYNCD.CONF --name NAME makes one).\n`);
    return 0;
  }
  const table = [['NAME', 'ENABLED', 'SOURCE', 'TARGET', 'PAIRING'], ...rows.map((row) => [row.name, row.enabled, row.source, row.target, row.pairing])];
  const widths = table[0]!.map((_, column) => Math.max(...table.map((cells) => (cells[column] ?? '').length)));
  for (const cells of table) io.stdout(`${cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column] ?? 0))).join('  ')}\n`);
  return 0;
}

function noteLine(note: ImportNote): string {
  return `  ${note.file}:${note.line}: ${note.key}: ${note.kind === 'mapped' ? `-> ${note.detail}` : note.detail}\n`;
}

async function importConfig(store: ProfileStore, parsed: Parsed, io: CliIo): Promise<number> {
  const [file, extra] = parsed.words;
  if (file === undefined || parsed.name === undefined || extra !== undefined) {
    io.stderr(`tidemark import: give one lsyncd config and a profile name, as in: tidemark import /etc/lsyncd/lsyncd.conf.lua --name site\n`);
    return 2;
  }
  const name = checkProfileName(parsed.name);
  if (name.kind === 'error') {
    io.stderr(`tidemark import: ${name.message}\n`);
    return 2;
  }
  if (!parsed.flags.has('force') && (await store.exists(name.name))) {
    io.stderr(`tidemark import: a profile named '${name.name}' exists already (${store.fileOf(name.name)}); add --force to replace it\n`);
    return 2;
  }
  const cwd = process.cwd();
  let source: string;
  try {
    source = await readFile(resolve(cwd, file), 'utf8');
  } catch (error) {
    io.stderr(`${file}: cannot read config: ${(error as Error).message}\n`);
    return 2;
  }
  const configPath = await realpath(resolve(cwd, file)).catch(() => resolve(cwd, file));
  const raw = await evaluateLuaConfig(source, file, { cwd, configPath });
  const config = validateLsyncdConfig(raw, file, { cwd });
  const { profile, notes } = configToProfile(raw, config);
  await store.save(name.name, profile, { overwrite: parsed.flags.has('force') });
  io.stdout(`Imported ${file} into profile '${name.name}' (${store.fileOf(name.name)}).\n`);
  const mapped = notes.filter((note) => note.kind === 'mapped');
  const dropped = notes.filter((note) => note.kind === 'not-mapped');
  io.stdout(`Mapped (${mapped.length}):\n${mapped.map(noteLine).join('')}`);
  io.stdout(`Not mapped (${dropped.length}):\n${dropped.length === 0 ? '  nothing\n' : dropped.map(noteLine).join('')}`);
  return 0;
}

async function exportProfile(store: ProfileStore, parsed: Parsed, io: CliIo): Promise<number> {
  const [name, extra] = parsed.words;
  if (name === undefined || extra !== undefined) {
    io.stderr('tidemark export: give one profile name, as in: tidemark export site > site.conf.lua\n');
    return 2;
  }
  const profile = await store.get(name);
  // The same checks as a run, so that nothing is exported that would not run.
  profileToConfig(profile, `${name}.json`);
  io.stdout(profileToLua(name, profile));
  return 0;
}
