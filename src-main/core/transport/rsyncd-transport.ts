import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EntryKind, Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import type { FilterRule, RsyncdTarget, RsyncTable } from '../config/model';
import { moduleAddress } from '../config/rsyncd-address';
import { withoutNested } from '../plan/merge';
import type { EntryStat } from '../safety/at-risk';
import type { DryRunResult } from '../safety/itemize';
import { TRASH_DIR } from '../safety/keep-rules';
import type { TrashEntry } from '../safety/trash-scripts';
import type { SessionLog } from '../session/session';
import { absoluteBytes, joinRel, parentOf, toBytes } from '../watch/byte-path';
import { classifyRsyncExit } from './exit-codes';
import type { ProcessResult, ProcessRunner } from './process-runner';
import { classifyRsyncdFailure } from './rsyncd-failure';
import { latestInSecond, LISTING_FORMAT, parseListing, type ListedEntry } from './rsyncd-listing';
import { lastLines, RsyncTransfer, type RsyncTransferOptions, type TransferListener } from './rsync-transfer';
import type { SafeTransport } from './transport';

export interface RsyncdTransportOptions {
  readonly source: string;
  readonly target: RsyncdTarget;
  readonly rsync: RsyncTable;
  readonly filters: readonly FilterRule[];
  readonly runner: ProcessRunner;
  readonly parallelism?: number;
  readonly log?: SessionLog;
  /** Where RSYNC_PASSWORD is looked up (default: this process's environment). */
  readonly environment?: Readonly<Record<string, string | undefined>>;
  /** Where the empty directories of trash moves and prunes are made (default: the OS's temp dir). */
  readonly tempDir?: string;
  /** The kept entries' exclude rules (a file), when there are any. */
  readonly keepRules?: () => string | null;
  /** Where rsync keeps what it deletes or overwrites (relative to the target), when a trash is on. */
  readonly backupDir?: () => string | null;
  /** Who listens to the progress of the transfers now, if anyone. */
  readonly progress?: () => TransferListener | null;
}

/**
 * A directory in an rsync daemon's module (rsync://host[:port]/module/dir, host::module/dir).
 * There is no shell on a daemon, so everything goes over the daemon protocol:
 * - content and deletes: one rsync per batch, as for every target (RsyncTransfer); a move is
 *   sent as what the plan lists anyway, both of its ends: the origin deleted, the destination
 *   transferred (no rename: its content travels again);
 * - the safety checks read the target with dry-run pulls (rsyncd-listing.ts), and pull with rsync;
 * - moving entries into the trash, and pruning it, are deletions made with --backup from an
 *   empty directory: rsync moves what it deletes into the backup directory, or (pruning)
 *   deletes only the trash directories named.
 * The password comes from rsync.password_file or RSYNC_PASSWORD, as rsync reads them; it never
 * appears in an argument list or a log line.
 */
export class RsyncdTransport implements SafeTransport {
  readonly description: string;
  readonly #rsync: RsyncTransfer;
  readonly #env: Record<string, string>;
  readonly #table: RsyncTable;

  constructor(private readonly options: RsyncdTransportOptions) {
    this.description = `${options.target.address}/`;
    this.#env = passwordEnv(options.rsync, options.environment ?? process.env);
    // rsh is refused when the config is read (it would mean daemon-over-ssh); drop it here too.
    const { rsh: _rsh, ...values } = options.rsync.values;
    this.#table = { ...options.rsync, values };
    this.#rsync = this.#transfer({});
  }

  async apply(plan: Plan): Promise<Outcome> {
    // plan.moves are hints only: both ends of every move are in plan.sync, so rsync deletes the
    // origin and transfers the destination.
    if (plan.full) return this.#rsync.fullSync(plan.allowDelete);
    const listed = await this.#rsync.listable(plan.sync, plan.deletes, plan.landed);
    if (listed.length === 0) return { kind: 'ok', moved: 0, listed: 0 };
    const outcome = await this.#rsync.listed(listed, plan.allowDelete);
    return outcome.kind === 'ok' ? { kind: 'ok', moved: 0, listed: listed.length } : outcome;
  }

  async close(): Promise<void> {}

  dryRun(list: readonly RelPath[] | null): Promise<DryRunResult | Outcome> {
    return this.#rsync.dryRun(list);
  }

  async statTarget(paths: readonly RelPath[]): Promise<Map<RelPath, EntryStat> | Outcome> {
    if (paths.length === 0) return new Map();
    const listing = await this.#list('', ['--from0', '--files-from=-', '--ignore-missing-args'], paths);
    if (!Array.isArray(listing)) return listing === 'missing' ? new Map() : listing;
    const wanted = new Set(paths);
    const stats = new Map<RelPath, EntryStat>();
    // Whole seconds only: read as the end of the second, so a target copy is never taken for older than it may be.
    for (const { path, entry, size, mtimeMs } of listing) if (wanted.has(path)) stats.set(path, { entry, size, mtimeMs: latestInSecond(mtimeMs) });
    return stats;
  }

  async isEmpty(): Promise<boolean | Outcome> {
    const listing = await this.#list('', ['--dirs']);
    if (listing === 'missing') return true;
    return Array.isArray(listing) ? listing.every((entry) => entry.path === '') : listing;
  }

  async listTrash(): Promise<TrashEntry[] | Outcome> {
    const listing = await this.#list(TRASH_DIR, ['--recursive']);
    if (listing === 'missing') return [];
    if (!Array.isArray(listing)) return listing;
    const entries: TrashEntry[] = [];
    for (const { path, ...stat } of listing) {
      const slash = path.indexOf('/');
      if (slash > 0) entries.push({ stamp: path.slice(0, slash), path: path.slice(slash + 1), ...stat });
    }
    return entries.sort((a, b) => (a.stamp === b.stamp ? (a.path < b.path ? -1 : 1) : a.stamp < b.stamp ? -1 : 1));
  }

  /** Deletes the trash directories not written to since `olderThanMs`, and nothing else: they are named one by one. */
  async pruneTrash(olderThanMs: number): Promise<Outcome> {
    const listing = await this.#list(TRASH_DIR, ['--dirs']);
    if (listing === 'missing') return { kind: 'ok', moved: 0, listed: 0 };
    if (!Array.isArray(listing)) return listing;
    // A directory's time is known to the second: one that may have been written to since stays.
    const old = listing.filter((entry) => entry.entry === 'dir' && entry.path !== '' && latestInSecond(entry.mtimeMs) < olderThanMs).map((entry) => entry.path);
    if (old.length === 0) return { kind: 'ok', moved: 0, listed: 0 };
    return this.#fromEmpty([], (empty) =>
      this.#transfer({ source: empty, destination: `${this.options.target.address}/${TRASH_DIR}`, filters: [], keepRules: undefined, backupDir: undefined }).listed(old, true, ['--no-implied-dirs']),
    );
  }

  /** One stamp directory of the trash goes (the breaker's window, once closed): deleted by a sync from an empty directory. */
  removeTrashStamp(stamp: string): Promise<Outcome> {
    return this.#fromEmpty([], (empty) =>
      this.#transfer({ source: empty, destination: `${this.options.target.address}/${TRASH_DIR}`, filters: [], keepRules: undefined, backupDir: undefined }).listed([stamp], true, ['--no-implied-dirs']),
    );
  }

  restoreFromTrash(stamp: string, paths: readonly RelPath[]): Promise<Outcome> {
    return this.#pullFrom(joinRel(this.options.target.dir, joinRel(TRASH_DIR, stamp)), paths);
  }

  pull(paths: readonly RelPath[]): Promise<Outcome> {
    return this.#pullFrom(this.options.target.dir, paths);
  }

  /**
   * Copies entries of `base` (a directory of the module) into the source. The pull starts at the
   * module's root and names each entry `base/./path`, which places it at `path` (rsync's
   * --relative marker): an rsync 3.5.0 daemon fails every file of a --files-from pull whose
   * source is a directory inside the module as "vanished" (measured: it looks for the file
   * below that directory twice), and is right when the pull starts at the module's root.
   */
  #pullFrom(base: RelPath, paths: readonly RelPath[]): Promise<Outcome> {
    const listed = base === '' ? paths : paths.map((path) => `${base}/./${path}`);
    return this.#transfer({ destination: moduleAddress(this.options.target) }).pull(listed);
  }

  /**
   * Without a shell there is no rename: the entries are deleted by an rsync from an empty
   * directory with --backup-dir=dir, and rsync's backup moves each one there (a rename on the
   * daemon's side) instead of deleting it. The config's filters and the kept entries' rules
   * still apply, so nothing they protect is touched.
   */
  async moveToTrash(entries: readonly { readonly path: RelPath; readonly entry: EntryKind }[], dir: RelPath): Promise<Outcome> {
    const top = withoutNested(entries.map((entry) => entry.path));
    const outcome = await this.#fromEmpty(top, (empty) => this.#transfer({ source: empty, backupDir: () => dir }).listed(top, true, ['--no-implied-dirs']));
    if (outcome.kind === 'ok') return { kind: 'ok', moved: top.length, listed: 0 };
    return outcome.kind === 'retry' ? { ...outcome, reason: `could not move ${top.length} entries into ${dir}/: ${outcome.reason}` } : outcome;
  }

  replaceFromSource(paths: readonly RelPath[]): Promise<Outcome> {
    return this.#rsync.listed(withoutNested(paths), true);
  }

  #transfer(over: Partial<RsyncTransferOptions>): RsyncTransfer {
    const env = this.#env;
    const { runner } = this.options;
    return new RsyncTransfer({
      source: this.options.source,
      destination: this.options.target.address,
      label: this.description,
      rsync: this.#table,
      filters: this.options.filters,
      runner: { run: (file, args, run) => runner.run(file, args, { ...run, env: { ...run?.env, ...env } }) },
      parallelism: this.options.parallelism,
      explainFailure: (result) => this.#explain(result),
      keepRules: this.options.keepRules,
      backupDir: this.options.backupDir,
      progress: this.options.progress,
      ...over,
    });
  }

  /**
   * Runs `use` with a fresh empty directory holding only the parents of `paths` (rsync reads a
   * listed name's parent in the source even when the name itself is missing; --no-implied-dirs
   * keeps those stand-ins from touching the target's own directories).
   */
  async #fromEmpty(paths: readonly RelPath[], use: (empty: string) => Promise<Outcome>): Promise<Outcome> {
    const empty = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'tidemark-rsyncd-'));
    try {
      for (const parent of new Set(paths.map(parentOf))) if (parent !== '') await mkdir(absoluteBytes(empty, parent), { recursive: true });
      return await use(empty);
    } finally {
      await rm(empty, { recursive: true, force: true });
    }
  }

  /**
   * What the daemon holds below `under` (a dry-run pull into a directory that does not exist,
   * so every entry is itemized); 'missing' when that directory is not there.
   */
  async #list(under: RelPath, args: readonly string[], list?: readonly RelPath[]): Promise<ListedEntry[] | 'missing' | Outcome> {
    const { target, runner } = this.options;
    const nowhere = await mkdtemp(join(this.options.tempDir ?? tmpdir(), 'tidemark-rsyncd-list-'));
    try {
      const from = under === '' ? `${target.address}/` : `${target.address}/${under}/`;
      const argv = ['--dry-run', LISTING_FORMAT, '--links', '--devices', '--specials', ...this.#connectionArgs(), ...args, '--', from, `${nowhere}/none/`];
      const input = list ? Buffer.concat(list.flatMap((path) => [toBytes(path), Buffer.from([0])])) : undefined;
      // TZ=UTC: rsync prints times in the child's local time.
      const result = await runner.run(this.#table.binary, argv, { input, env: { ...this.#env, TZ: 'UTC' }, stdoutEncoding: 'latin1' });
      if (result.exitCode === 0) return parseListing(result.stdout);
      if (result.exitCode === 23 && /change_dir .* failed: No such file or directory/.test(result.stderr)) return 'missing';
      return this.#explain(result) ?? this.#failed(result);
    } finally {
      await rm(nowhere, { recursive: true, force: true });
    }
  }

  /**
   * What every listing shares with the transfers: the login, the connection's limits, and the
   * connection options of `_extra` (host::module takes its port from --port=N there).
   */
  #connectionArgs(): string[] {
    const { flags, values, extra } = this.#table;
    const args: string[] = extra.filter((arg) => CONNECTION_EXTRA.test(arg));
    if (values['password_file'] !== undefined) args.push(`--password-file=${values['password_file']}`);
    if (values['timeout'] !== undefined) args.push(`--timeout=${values['timeout']}`);
    if (flags['ipv4']) args.push('--ipv4');
    if (flags['ipv6']) args.push('--ipv6');
    return args;
  }

  /** The daemon's refusals (and an unreachable daemon), named with what to do. */
  #explain(result: ProcessResult): Outcome | null {
    if (result.spawnError) return { kind: 'halt', reason: `${this.description}: cannot run ${this.#table.binary}: ${result.spawnError}` };
    const failure = classifyRsyncdFailure(result.stderr);
    return failure ? { kind: failure.verdict, reason: `${this.description}: ${failure.reason}` } : null;
  }

  #failed(result: ProcessResult): Outcome {
    const verdict = classifyRsyncExit(result.exitCode, result.signal);
    const reason = `${this.description}: could not read the target: rsync exited ${result.exitCode ?? result.signal} (${verdict.meaning}): ${lastLines(result.stderr)}`;
    return verdict.verdict === 'halt' || verdict.verdict === 'config' ? { kind: 'halt', reason } : { kind: 'retry', reason };
  }
}

/** The `_extra` arguments that say how to reach the daemon, not what to copy. */
const CONNECTION_EXTRA = /^(?:--(?:port|address|sockopts|contimeout)=.|--ipv[46]$|-[46]$)/;

/**
 * rsync asks for a password on the terminal when a module wants one and neither
 * rsync.password_file nor RSYNC_PASSWORD gives it, and a daemon has nobody to answer (run from
 * a shell, it would hang on the prompt). An empty RSYNC_PASSWORD makes it fail as "auth failed"
 * instead. A password in the environment is passed on untouched, as rsync reads it.
 */
export function passwordEnv(rsync: RsyncTable, environment: Readonly<Record<string, string | undefined>>): Record<string, string> {
  return rsync.values['password_file'] === undefined && environment['RSYNC_PASSWORD'] === undefined ? { RSYNC_PASSWORD: '' } : {};
}
