// Seeded random churn on a source tree: the operations a user, an editor, a build or a package
// manager perform, in a random order at random speeds. The same seed gives the same operations
// (the tree is tracked in memory, so no choice depends on readdir order or on timing), which is
// what makes a failure replayable with TIDEMARK_CHURN_SEED.
import { chmod, mkdir, rename, rm, stat, symlink, unlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** mulberry32: a tiny PRNG with a 32-bit state; uniform floats in [0, 1). */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Kind = 'file' | 'dir' | 'symlink';

export interface ChurnOptions {
  readonly seed: number;
  readonly ops: number;
  /** Above this many entries, deletes win more often, so the tree stays small enough to compare. */
  readonly maxEntries?: number;
  /** Receives each operation as it is done, so a caller can print them even if churn throws. */
  readonly log?: string[];
}

export interface ChurnResult {
  /** Every operation done, in order ("rename a/b -> c/d"), for the failure message. */
  readonly log: string[];
  /** Operations that the filesystem refused (renaming a directory over a non-empty one, ...). */
  readonly refused: number;
}

// A few names with spaces, brackets and non-ASCII letters, so that churn exercises them too.
const NAMES = ['a', 'b', 'c', 'dir', 'x.tmp', 'x', 'new file', 'ü', 'k]', 'deep', 'n1', 'n2', 'n3', 'sub'];
const FILE_MODES = [0o644, 0o600, 0o640, 0o755, 0o700];
const DIR_MODES = [0o755, 0o700, 0o750];
const LINK_TARGETS = ['a', '../b', 'dir/x', '/nonexistent/abs', '.', 'missing'];

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** The churn itself: one instance per run, its model of the tree always equal to the disk. */
class Churner {
  readonly #tree = new Map<string, Kind>([['', 'dir']]);
  refused = 0;

  constructor(
    private readonly root: string,
    private readonly rng: () => number,
    private readonly maxEntries: number,
    readonly log: string[],
  ) {}

  #int(n: number): number {
    return Math.floor(this.rng() * n);
  }

  #pick<T>(items: readonly T[]): T | undefined {
    return items.length === 0 ? undefined : items[this.#int(items.length)];
  }

  #paths(kind?: Kind): string[] {
    return [...this.#tree].filter(([path, k]) => path !== '' && (kind === undefined || k === kind)).map(([path]) => path).sort();
  }

  #dirs(): string[] {
    return [...this.#tree].filter(([, k]) => k === 'dir').map(([path]) => path).sort();
  }

  #abs(rel: string): string {
    return join(this.root, rel);
  }

  /** A child path of a random directory: a new name, or (sometimes) an existing one. */
  #childPath(): string {
    const dir = this.#pick(this.#dirs()) ?? '';
    const name = this.#pick(NAMES)!;
    return dir === '' ? name : `${dir}/${name}`;
  }

  #content(): Buffer {
    const size = this.rng() < 0.1 ? 0 : this.#int(this.rng() < 0.8 ? 200 : 20_000);
    const out = Buffer.alloc(size);
    for (let i = 0; i < size; i++) out[i] = this.#int(256);
    return out;
  }

  #removeSubtree(path: string): void {
    for (const key of [...this.#tree.keys()]) if (key === path || key.startsWith(`${path}/`)) this.#tree.delete(key);
  }

  #moveSubtree(from: string, to: string): void {
    for (const [key, kind] of [...this.#tree]) {
      if (key !== from && !key.startsWith(`${from}/`)) continue;
      this.#tree.delete(key);
      this.#tree.set(to + key.slice(from.length), kind);
    }
  }

  async step(): Promise<void> {
    const crowded = this.#tree.size > this.maxEntries;
    const roll = this.rng();
    if (roll < 0.2) await this.#createFile();
    else if (roll < 0.35) await this.#modifyFile();
    else if (roll < 0.45) await this.#renameFile();
    else if (roll < 0.52) await this.#renameDir();
    else if (roll < (crowded ? 0.75 : 0.6)) await this.#deleteFile();
    else if (roll < (crowded ? 0.85 : 0.65)) await this.#deleteDir();
    else if (roll < 0.8) await this.#mkdir();
    else if (roll < 0.9) await this.#chmod();
    else await this.#symlink();
  }

  async #do(description: string, action: () => Promise<void>, apply: () => void): Promise<void> {
    try {
      await action();
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // The model only picks what it believes possible; a refusal is a plain fs rule (EISDIR,
      // ENOTEMPTY, ...), recorded and skipped. Anything else is a bug in the churn itself.
      if (!['EISDIR', 'ENOTDIR', 'ENOTEMPTY', 'EEXIST', 'EINVAL'].includes(code ?? '')) throw error;
      this.refused += 1;
      this.log.push(`${description} (refused: ${code})`);
      return;
    }
    apply();
    this.log.push(description);
  }

  async #createFile(): Promise<void> {
    const path = this.#childPath();
    const kind = this.#tree.get(path);
    if (kind === 'dir') return this.#mkdir();
    const content = this.#content();
    // Over a symlink, writeFile would follow it: replace the link instead, as an editor does.
    const action = kind === 'symlink' ? async () => { await unlink(this.#abs(path)); await writeFile(this.#abs(path), content); } : () => writeFile(this.#abs(path), content);
    await this.#do(`write ${path} (${content.length} bytes)`, action, () => this.#tree.set(path, 'file'));
  }

  async #modifyFile(): Promise<void> {
    const path = this.#pick(this.#paths('file'));
    if (path === undefined) return this.#createFile();
    const how = this.#int(3);
    if (how === 0) {
      // Same size, new bytes: rsync's quick check must not skip it (size and mtime to the ns).
      const { size } = await stat(this.#abs(path));
      const bytes = Buffer.alloc(size);
      for (let i = 0; i < size; i++) bytes[i] = this.#int(256);
      await this.#do(`rewrite ${path} (same ${size} bytes)`, () => writeFile(this.#abs(path), bytes), () => {});
    } else if (how === 1) {
      await this.#do(`append to ${path}`, () => writeFile(this.#abs(path), this.#content(), { flag: 'a' }), () => {});
    } else {
      await this.#do(`truncate ${path}`, () => writeFile(this.#abs(path), ''), () => {});
    }
  }

  async #renameFile(): Promise<void> {
    const from = this.#pick([...this.#paths('file'), ...this.#paths('symlink')]);
    if (from === undefined) return this.#createFile();
    const to = this.#childPath();
    if (to === from || this.#tree.get(to) === 'dir') return;
    const kind = this.#tree.get(from)!;
    const over = this.#tree.has(to) ? ` over ${this.#tree.get(to)}` : '';
    await this.#do(`rename ${from} -> ${to}${over}`, () => rename(this.#abs(from), this.#abs(to)), () => {
      this.#tree.delete(from);
      this.#tree.set(to, kind);
    });
  }

  async #renameDir(): Promise<void> {
    const from = this.#pick(this.#paths('dir'));
    if (from === undefined) return this.#mkdir();
    const to = this.#childPath();
    // Never into itself; over an existing directory only if it is empty (else ENOTEMPTY).
    if (to === from || to.startsWith(`${from}/`) || (this.#tree.has(to) && this.#tree.get(to) !== 'dir')) return;
    const empty = ![...this.#tree.keys()].some((key) => key.startsWith(`${to}/`));
    if (this.#tree.has(to) && !empty) return;
    const over = this.#tree.has(to) ? ' over an empty dir' : '';
    await this.#do(`rename dir ${from} -> ${to}${over}`, () => rename(this.#abs(from), this.#abs(to)), () => {
      this.#tree.delete(to);
      this.#moveSubtree(from, to);
    });
  }

  async #deleteFile(): Promise<void> {
    const path = this.#pick([...this.#paths('file'), ...this.#paths('symlink')]);
    if (path === undefined) return;
    await this.#do(`unlink ${path}`, () => unlink(this.#abs(path)), () => this.#tree.delete(path));
  }

  async #deleteDir(): Promise<void> {
    const path = this.#pick(this.#paths('dir'));
    if (path === undefined) return;
    await this.#do(`rm -rf ${path}`, () => rm(this.#abs(path), { recursive: true, force: true }), () => this.#removeSubtree(path));
  }

  async #mkdir(): Promise<void> {
    let path = this.#childPath();
    const depth = this.#int(3);
    for (let i = 0; i < depth; i++) path += `/${this.#pick(NAMES)!}`;
    // mkdir -p fails (EEXIST/ENOTDIR) when some component is not a directory: skip those.
    const parts = path.split('/');
    for (let i = 1; i <= parts.length; i++) {
      const prefix = parts.slice(0, i).join('/');
      const kind = this.#tree.get(prefix);
      if (kind !== undefined && kind !== 'dir') return;
    }
    await this.#do(`mkdir -p ${path}`, () => mkdir(this.#abs(path), { recursive: true }).then(() => {}), () => {
      for (let i = 1; i <= parts.length; i++) this.#tree.set(parts.slice(0, i).join('/'), 'dir');
    });
  }

  async #chmod(): Promise<void> {
    const path = this.#pick([...this.#paths('file'), ...this.#paths('dir')]);
    if (path === undefined) return;
    const mode = this.#pick(this.#tree.get(path) === 'dir' ? DIR_MODES : FILE_MODES)!;
    await this.#do(`chmod ${mode.toString(8)} ${path}`, () => chmod(this.#abs(path), mode), () => {});
  }

  async #symlink(): Promise<void> {
    const existing = this.#pick(this.#paths('symlink'));
    const target = this.#pick(LINK_TARGETS)!;
    if (existing !== undefined && this.rng() < 0.5) {
      // Replace a link atomically, as `ln -sfn` through a temporary name does.
      const temp = `${existing}.new-link`;
      if (this.#tree.has(temp)) return;
      await this.#do(`replace link ${existing} -> ${target}`, async () => {
        await symlink(target, this.#abs(temp));
        await rename(this.#abs(temp), this.#abs(existing));
      }, () => {});
      return;
    }
    const path = this.#childPath();
    if (this.#tree.has(path)) return;
    await this.#do(`symlink ${path} -> ${target}`, () => symlink(target, this.#abs(path)), () => this.#tree.set(path, 'symlink'));
  }
}

/**
 * Runs `ops` random operations on `root` (which must start empty or hold only what a previous
 * churn with the same model made: the model starts from an empty tree). About half the
 * operations follow each other at once; the others wait 0-50 ms first.
 */
export async function churn(root: string, options: ChurnOptions): Promise<ChurnResult> {
  const rng = mulberry32(options.seed);
  const churner = new Churner(root, rng, options.maxEntries ?? 80, options.log ?? []);
  for (let i = 0; i < options.ops; i++) {
    if (rng() >= 0.5) await sleep(Math.floor(rng() * 51));
    await churner.step();
  }
  return { log: churner.log, refused: churner.refused };
}
