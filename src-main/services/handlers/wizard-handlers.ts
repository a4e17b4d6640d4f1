// What the pairing wizard (and the profile editor) offer besides the pairing steps: the aliases
// of ~/.ssh/config as ssh resolves them, the folders below a local path to choose a source
// from, and a preview of which source paths a filter list excludes. The preview runs the
// core's own matcher on the rules as a profile would hand them to it (ProfileSchema, then
// profileToConfig, then compileFilters), so it cannot disagree with the sync.
import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import * as v from 'valibot';
import type { InvokeOutput } from '../../../src-shared/ipc/contract';
import type { RelPath } from '../../../src-shared/model/sync';
import { compileFilters, type PathFilter } from '../../core/plan/filter';
import { parseSshG } from '../../core/transport/ssh-resolve-parse';
import { absoluteBytes, fromBytes, joinRel, toBytes } from '../../core/watch/byte-path';
import type { InvokeHandlers } from '../contract-router';
import { runBounded } from '../pairing/bounded-run';
import { ProfileSchema } from '../profiles/profile-schema';
import { profileToConfig } from '../profiles/profile-to-config';

export interface WizardHandlerDeps {
  /** The env the services were built with: its HOME names the ~/.ssh/config to list. */
  readonly env: NodeJS.ProcessEnv;
  /** The ssh program and options pairing resolves hosts with (tests pass -F CONFIG). */
  readonly sshCommand?: readonly string[];
}

/** Bounds that keep a huge tree or a hostile config from costing time or memory. */
export const WIZARD_LIMITS = {
  aliases: 200,
  includeDepth: 16,
  resolveMs: 5_000,
  resolveAtOnce: 4,
  dirs: 2_000,
  previewEntries: 20_000,
  previewListed: 500,
} as const;

export function wizardHandlers(deps: WizardHandlerDeps): InvokeHandlers {
  return {
    'pairing:ssh-aliases': () => sshAliases(deps),
    'fs:dirs': ({ path }) => listDirs(path),
    'filters:preview': ({ source, filters, limit }) => previewFilters(source, filters, limit ?? WIZARD_LIMITS.previewListed),
  };
}

// ---- ~/.ssh/config aliases ------------------------------------------------------------------

type Alias = InvokeOutput<'pairing:ssh-aliases'>[number];

async function sshAliases(deps: WizardHandlerDeps): Promise<Alias[]> {
  const home = deps.env['HOME'] || homedir();
  const sshDir = join(home, '.ssh');
  const configFile = join(sshDir, 'config');
  const names = await hostNames(configFile, { sshDir, home, seen: new Set(), depth: 0 });
  // ssh reads the config of the account's passwd home, not $HOME: when the two differ (a test's
  // or a sandbox's HOME), -F names the file listed here so that the aliases resolve as listed.
  const sshCommand = deps.sshCommand ?? (resolve(home) === resolve(homedir()) ? ['ssh'] : ['ssh', '-F', configFile]);
  return mapLimited(names.slice(0, WIZARD_LIMITS.aliases), WIZARD_LIMITS.resolveAtOnce, (alias) => resolveAlias(alias, sshCommand));
}

interface ReadContext {
  readonly sshDir: string;
  readonly home: string;
  readonly seen: Set<string>;
  readonly depth: number;
}

/** The concrete Host names of a config file and the files it includes, in order, once each. */
async function hostNames(file: string, context: ReadContext): Promise<string[]> {
  if (context.depth > WIZARD_LIMITS.includeDepth || context.seen.has(file)) return [];
  context.seen.add(file);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch {
    return []; // a missing or unreadable file lists nothing, as ssh skips a missing Include
  }
  const found: string[] = [];
  for (const line of text.split('\n')) {
    const [keyword, ...args] = configWords(line);
    if (!keyword) continue;
    if (keyword.toLowerCase() === 'host') {
      found.push(...args.filter((name) => !/[*?!]/.test(name) && /^[A-Za-z0-9_.:%[\]-]+$/.test(name) && !name.startsWith('-')));
    } else if (keyword.toLowerCase() === 'include') {
      for (const pattern of args) {
        for (const included of await includedFiles(pattern, context)) {
          found.push(...(await hostNames(included, { ...context, depth: context.depth + 1 })));
        }
      }
    }
  }
  return [...new Set(found)];
}

/** A config line's words: `Keyword args` or `Keyword=args`, comments dropped, quotes removed. */
function configWords(line: string): string[] {
  const text = line.replace(/^\s+/, '');
  if (text === '' || text.startsWith('#')) return [];
  const words = [...text.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2]!);
  const first = words[0] ?? '';
  const equals = first.indexOf('=');
  if (equals > 0) return [first.slice(0, equals), ...(first.slice(equals + 1) ? [first.slice(equals + 1)] : []), ...words.slice(1)];
  if (words[1]?.startsWith('=')) return [first, ...(words[1].slice(1) ? [words[1].slice(1)] : []), ...words.slice(2)];
  return words;
}

/** An Include's files: relative to ~/.ssh as ssh reads a user config, with * and ? in the file name. */
async function includedFiles(pattern: string, context: ReadContext): Promise<string[]> {
  const expanded = pattern.startsWith('~/') ? join(context.home, pattern.slice(2)) : pattern;
  const path = isAbsolute(expanded) ? expanded : join(context.sshDir, expanded);
  const name = basename(path);
  if (!/[*?]/.test(name)) return [path];
  const matcher = new RegExp(`^${name.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  const entries = await readdir(dirname(path)).catch(() => [] as string[]);
  return entries.filter((entry) => matcher.test(entry)).sort().map((entry) => join(dirname(path), entry));
}

/** One alias as `ssh -G` resolves it; nulls where ssh could not say. */
async function resolveAlias(alias: string, sshCommand: readonly string[]): Promise<Alias> {
  const [program = 'ssh', ...options] = sshCommand;
  const run = await runBounded([program, '-G', ...options, '--', alias], { timeoutMs: WIZARD_LIMITS.resolveMs });
  if (run.exitCode !== 0 || run.timedOut) return { alias, hostname: null, user: null, port: null };
  try {
    const resolved = parseSshG(run.stdout);
    return { alias, hostname: resolved.hostname, user: resolved.user, port: resolved.port };
  } catch {
    return { alias, hostname: null, user: null, port: null };
  }
}

async function mapLimited<T, R>(items: readonly T[], atOnce: number, work: (item: T) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(atOnce, items.length) }, worker));
  return results;
}

// ---- folders to choose a source from --------------------------------------------------------

/** Why a folder cannot be listed, in words that say what to do. */
function folderProblem(path: string, error: unknown): Error {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new Error(`there is no folder ${path}: check the path, or choose one from its parent`);
  if (code === 'ENOTDIR') return new Error(`${path} is a file, not a folder: choose the folder that holds it`);
  if (code === 'EACCES' || code === 'EPERM') return new Error(`${path} cannot be read (permission denied): choose a folder your account can read`);
  return new Error(`cannot list ${path}: ${(error as Error).message}`);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true });

async function listDirs(path: string): Promise<InvokeOutput<'fs:dirs'>> {
  const folder = path === '/' ? '/' : path.replace(/\/+$/, '');
  let entries;
  try {
    entries = await readdir(folder, { withFileTypes: true, encoding: 'buffer' });
  } catch (error) {
    throw folderProblem(folder, error);
  }
  const names: string[] = [];
  for (const entry of entries) {
    let name: string;
    try {
      name = UTF8.decode(entry.name);
    } catch {
      continue; // a name that is not UTF-8 cannot be written in a profile (JSON text)
    }
    if (entry.isDirectory()) names.push(name);
    else if (entry.isSymbolicLink() && (await isDirectory(join(folder, name)))) names.push(name);
  }
  // Plain names first, then the hidden ones, each alphabetical.
  const hidden = (name: string) => (name.startsWith('.') ? 1 : 0);
  names.sort((a, b) => hidden(a) - hidden(b) || a.localeCompare(b));
  return {
    path: folder,
    parent: folder === '/' ? null : dirname(folder),
    dirs: names.slice(0, WIZARD_LIMITS.dirs),
    truncated: names.length > WIZARD_LIMITS.dirs,
  };
}

async function isDirectory(path: string): Promise<boolean> {
  return readdir(path).then(() => true, () => false);
}

// ---- the filter preview ---------------------------------------------------------------------

type Preview = InvokeOutput<'filters:preview'>;

/** The rules as the engine will hold them: checked by ProfileSchema, mapped by profileToConfig. */
function engineRules(source: string, filters: readonly string[]) {
  // A daemon target: no local or remote path checks stand between the rules and the matcher.
  const candidate = { enabled: false, syncs: [{ source, target: { kind: 'rsyncd', address: 'rsync://preview.invalid/preview' }, filters: [...filters] }] };
  const parsed = v.safeParse(ProfileSchema, candidate);
  if (!parsed.success) {
    const problems = parsed.issues.map((issue) => {
      const keys = (issue.path ?? []).map((item) => item.key);
      const index = keys[keys.indexOf('filters') + 1];
      return typeof index === 'number' ? `rule ${index + 1} (${JSON.stringify(filters[index])}): ${issue.message}` : issue.message;
    });
    throw new Error(problems.slice(0, 3).join('; '));
  }
  return profileToConfig(parsed.output, 'preview.json', { homes: [] }).syncs[0]!.filters;
}

async function previewFilters(source: string, filters: readonly string[], limit: number): Promise<Preview> {
  const rules = engineRules(source, filters);
  const filter = compileFilters(rules);
  const deciding = decidingRule(rules);
  const root = source === '/' ? '/' : source.replace(/\/+$/, '');
  try {
    await readdir(root);
  } catch (error) {
    throw folderProblem(root, error);
  }
  const excluded: Preview['excluded'] = [];
  let scanned = 0;
  let included = 0;
  let truncated = false;
  // Depth first in name order, so the listing reads like the tree; `inside` marks the contents
  // of an excluded directory, counted but never listed or matched (rsync never descends there).
  const pending: { path: RelPath; inside: boolean }[] = [{ path: '', inside: false }];
  while (pending.length > 0) {
    const { path: dir, inside } = pending.pop()!;
    let entries;
    try {
      entries = await readdir(absoluteBytes(root, dir), { withFileTypes: true, encoding: 'buffer' });
    } catch {
      continue; // vanished or unreadable meanwhile: the preview shows what it could read
    }
    entries.sort((a, b) => Buffer.compare(a.name, b.name));
    const below: { path: RelPath; inside: boolean }[] = [];
    for (const entry of entries) {
      if (scanned >= WIZARD_LIMITS.previewEntries) {
        truncated = true;
        break;
      }
      scanned++;
      const path = joinRel(dir, fromBytes(entry.name));
      const isDir = entry.isDirectory();
      if (inside) {
        if (isDir) below.push({ path, inside: true });
        continue;
      }
      if (filter.isExcluded(path, isDir)) {
        if (excluded.length < limit) excluded.push({ path: readable(path), dir: isDir, rule: filters[deciding(path, isDir)] ?? '' });
        if (isDir) below.push({ path, inside: true });
      } else {
        included++;
        if (isDir) below.push({ path, inside: false });
      }
    }
    if (truncated) break;
    pending.push(...below.reverse());
  }
  return { scanned, excluded, included, truncated };
}

/**
 * Which rule decided an excluded path, by the core's matcher alone: the shortest prefix of the
 * rules that already excludes it. A path reached by the walk has every ancestor included, and
 * any prefix of the rules keeps them included, so the prefix excludes the path exactly when it
 * holds the first rule that matches it. Binary search; each prefix is compiled once.
 */
function decidingRule(rules: Parameters<typeof compileFilters>[0]): (path: RelPath, isDir: boolean) => number {
  const prefixes = new Map<number, PathFilter>();
  const prefix = (count: number) => {
    let compiled = prefixes.get(count);
    if (!compiled) prefixes.set(count, (compiled = compileFilters(rules.slice(0, count))));
    return compiled;
  };
  return (path, isDir) => {
    let low = 1;
    let high = rules.length;
    while (low < high) {
      const middle = (low + high) >> 1;
      if (prefix(middle).isExcluded(path, isDir)) high = middle;
      else low = middle + 1;
    }
    return low - 1;
  };
}

/** A RelPath (UTF-8 bytes as latin1) as text; bytes that are not UTF-8 show as U+FFFD. */
function readable(path: RelPath): string {
  return new TextDecoder('utf-8', { fatal: false }).decode(toBytes(path));
}
