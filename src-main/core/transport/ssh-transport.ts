import type { EntryKind, Move, Outcome, Plan, RelPath } from '../../../src-shared/model/sync';
import type { FilterRule, RsyncTable, SshTable } from '../config/model';
import { withoutNested } from '../plan/merge';
import type { EntryStat } from '../safety/at-risk';
import type { DryRunResult } from '../safety/itemize';
import { TRASH_DIR } from '../safety/keep-rules';
import type { TrashEntry } from '../safety/trash-scripts';
import { joinRel } from '../watch/byte-path';
import type { SessionLog } from '../session/session';
import type { ProcessResult, ProcessRunner } from './process-runner';
import { fallbackPaths, parseMoveResults, remoteMovesCommand, remoteMovesInput, type MoveResult } from './remote-moves';
import { lastLines, RsyncTransfer, type TransferListener } from './rsync-transfer';
import { clientCommand, remoteArgv, resolveArgv, sshCommand, type SshEndpoint } from './ssh-argv';
import { classifySshFailure } from './ssh-failure';
import { readPinnedFingerprint } from './pinned-key';
import { defaultRuntimeDir, SshMaster } from './ssh-master';
import { joinRsh, remoteCommand } from './ssh-quote';
import { hostKeyCheckingOff, parseSshG } from './ssh-resolve-parse';
import { TargetScripts } from './target-scripts';
import type { SafeTransport } from './transport';

export interface SshTransportOptions {
  /** Names the target's master connection. */
  readonly id: string;
  readonly source: string;
  /** As the config wrote it: an ssh_config alias, a hostname, or user@host. */
  readonly host: string;
  readonly targetDir: string;
  readonly rsync: RsyncTable;
  readonly ssh: SshTable;
  readonly filters: readonly FilterRule[];
  readonly runner: ProcessRunner;
  readonly runtimeDir?: string;
  readonly parallelism?: number;
  readonly log?: SessionLog;
  /** For the children (rsync, ssh): SSH_AUTH_SOCK of the app's agent, for example. */
  readonly env?: Record<string, string>;
  /** The kept entries' exclude rules (a file), when there are any. */
  readonly keepRules?: () => string | null;
  /** Where rsync keeps what it deletes or overwrites (relative to the target), when a trash is on. */
  readonly backupDir?: () => string | null;
  /** Who listens to the progress of the transfers now, if anyone. */
  readonly progress?: () => TransferListener | null;
}

/**
 * A directory on another machine, over one OpenSSH master connection (DESIGN.md decision 3):
 * each batch makes one remote call for its renames (names on stdin, NUL-separated) and one
 * rsync for content and deletes, both through the master's socket, so no batch pays for a
 * handshake. A move whose rename cannot happen there falls back to transferring its
 * destination, which the batch lists anyway; nothing is ever deleted instead.
 */
export class SshTransport implements SafeTransport {
  readonly description: string;
  readonly #endpoint: SshEndpoint;
  readonly #master: SshMaster;
  readonly #rsync: RsyncTransfer;
  readonly #scripts: TargetScripts;
  #checkedHost = false;

  constructor(private readonly options: SshTransportOptions) {
    this.description = `${options.host}:${options.targetDir}/`;
    this.#endpoint = { command: sshCommand(options.ssh, options.rsync), host: options.host };
    this.#master = new SshMaster({ endpoint: this.#endpoint, runtimeDir: options.runtimeDir ?? defaultRuntimeDir(), id: options.id, env: options.env });
    // The rsh of the table becomes our -e command (with the master's socket), not a second --rsh.
    const { rsh: _rsh, ...values } = options.rsync.values;
    this.#rsync = new RsyncTransfer({
      source: options.source,
      destination: `${options.host}:${options.targetDir}`,
      label: this.description,
      rsync: { ...options.rsync, values },
      filters: options.filters,
      runner: { run: (file, args, run) => options.runner.run(file, args, { ...run, env: options.env }) },
      extraArgs: ['--rsh', joinRsh(clientCommand(this.#endpoint, this.#master.controlPath))],
      parallelism: options.parallelism,
      explainFailure: (result) => this.#explain(result),
      keepRules: options.keepRules,
      backupDir: options.backupDir,
      progress: options.progress,
      space: () => this.#scripts.space(),
    });
    this.#scripts = new TargetScripts(options.targetDir, this.description, (argv, input) => this.#onTarget(argv, input));
  }

  /** Connections opened so far (one per master start). */
  get connectionsOpened(): number {
    return this.#master.opened;
  }

  async apply(plan: Plan): Promise<Outcome> {
    const problem = await this.#connect();
    if (problem) return problem;
    let moved = 0;
    if (plan.moves.length > 0) {
      const results = await this.#renameRemotely(plan);
      if (!Array.isArray(results)) return results;
      moved = results.filter((result) => result === 'ok').length;
      const fallbacks = fallbackPaths(plan.moves, results);
      if (fallbacks.length > 0) this.options.log?.('Normal', `${this.description}: ${fallbacks.length} rename(s) could not be made there; transferring instead`);
    }
    if (plan.full) return this.#rsync.fullSync(plan.allowDelete);
    const listed = await this.#rsync.listable(plan.sync, plan.deletes, plan.landed);
    if (listed.length === 0) return { kind: 'ok', moved, listed: 0 };
    const outcome = await this.#rsync.listed(listed, plan.allowDelete);
    return outcome.kind === 'ok' ? { ...outcome, moved, listed: listed.length } : outcome;
  }

  async close(): Promise<void> {
    await this.#master.close();
  }

  async dryRun(list: readonly RelPath[] | null): Promise<DryRunResult | Outcome> {
    return (await this.#connect()) ?? this.#rsync.dryRun(list);
  }

  statTarget(paths: readonly RelPath[]): Promise<Map<RelPath, EntryStat> | Outcome> {
    return this.#scripts.stat(paths);
  }

  isEmpty(): Promise<boolean | Outcome> {
    return this.#scripts.isEmpty();
  }

  listTrash(): Promise<TrashEntry[] | Outcome> {
    return this.#scripts.listTrash();
  }

  pruneTrash(olderThanMs: number): Promise<Outcome> {
    return this.#scripts.pruneTrash(olderThanMs);
  }

  removeTrashStamp(stamp: string): Promise<Outcome> {
    return this.#scripts.removeStamp(stamp);
  }

  async restoreFromTrash(stamp: string, paths: readonly RelPath[]): Promise<Outcome> {
    return (await this.#connect()) ?? this.#rsync.pull(paths, joinRel(TRASH_DIR, stamp));
  }

  /** One of the safety scripts, run on the remote host through the master. */
  async #onTarget(argv: readonly string[], input?: Buffer): Promise<ProcessResult | Outcome> {
    const problem = await this.#connect();
    if (problem) return problem;
    const [file, ...args] = remoteArgv(this.#endpoint, this.#master.controlPath, remoteCommand(argv));
    const result = await this.options.runner.run(file!, args, { input, env: this.options.env, stdoutEncoding: 'latin1' });
    if (result.exitCode === 255 || result.spawnError) return this.#explain(result) ?? { kind: 'retry', reason: `${this.description}: ssh failed` };
    return result;
  }

  async pull(paths: readonly RelPath[]): Promise<Outcome> {
    return (await this.#connect()) ?? this.#rsync.pull(paths);
  }

  /** The remote renames of the batch code, into the trash directory. */
  async moveToTrash(entries: readonly { readonly path: RelPath; readonly entry: EntryKind }[], dir: RelPath): Promise<Outcome> {
    const problem = await this.#connect();
    if (problem) return problem;
    const top = new Set(withoutNested(entries.map((entry) => entry.path)));
    const moves: Move[] = entries.filter((entry) => top.has(entry.path)).map((entry) => ({ from: entry.path, to: joinRel(dir, entry.path), entry: entry.entry }));
    const results = await this.#renameRemotely({ moves, sync: [], deletes: [], allowDelete: false, full: false });
    if (!Array.isArray(results)) return results;
    const failed = results.filter((result) => result === 'failed').length;
    if (failed === 0) return { kind: 'ok', moved: moves.length, listed: 0 };
    return { kind: 'retry', reason: `${this.description}: could not move ${failed} entries into ${dir}/` };
  }

  async replaceFromSource(paths: readonly RelPath[]): Promise<Outcome> {
    return (await this.#connect()) ?? this.#rsync.listed(withoutNested(paths), true);
  }

  /** Starts (or checks) the master; an Outcome when the target cannot be reached. */
  async #connect(): Promise<Outcome | null> {
    const failure = await this.#master.ensure();
    if (failure) return { kind: failure.verdict, reason: `${this.description}: ${failure.reason}` };
    if (!this.#checkedHost) {
      this.#checkedHost = true;
      await this.#warnIfUnpinned();
    }
    return null;
  }

  /** One remote call for all the batch's renames; the per-move results, or why it failed. */
  async #renameRemotely(plan: Plan): Promise<MoveResult[] | Outcome> {
    const [file, ...args] = remoteArgv(this.#endpoint, this.#master.controlPath, remoteMovesCommand(this.options.targetDir));
    const result = await this.options.runner.run(file!, args, { input: remoteMovesInput(plan.moves), env: this.options.env });
    if (result.exitCode === 0) return parseMoveResults(result.stdout, plan.moves.length);
    if (result.exitCode === 255 || result.spawnError) return this.#explain(result) ?? { kind: 'retry', reason: `${this.description}: ssh failed` };
    // The target directory is missing (3) or the remote side lacks a tool: rsync transfers all.
    this.options.log?.('Warn', `${this.description}: the remote renames failed (exit ${result.exitCode}): ${lastLines(result.stderr)}`);
    return plan.moves.map(() => 'failed');
  }

  /** ssh's own failures (exit 255, or what it printed) drop the master and name the cause. */
  #explain(result: ProcessResult): Outcome | null {
    if (result.spawnError) return { kind: 'halt', reason: `${this.description}: cannot run ssh: ${result.spawnError}` };
    // 255: ssh itself failed. rsync's 10/12 (socket, protocol stream) with a dropped link say the same.
    const dropped = (result.exitCode === 10 || result.exitCode === 12) && /connection|broken pipe|closed/i.test(result.stderr);
    if (result.exitCode !== 255 && !dropped) return null;
    this.#master.reset();
    const failure = classifySshFailure(result.stderr, result.exitCode, readPinnedFingerprint);
    return { kind: failure.verdict, reason: `${this.description}: ${failure.reason}` };
  }

  /** Configs that switch host key checking off get one clear warning with the secure way. */
  async #warnIfUnpinned(): Promise<void> {
    const [file, ...args] = resolveArgv(this.#endpoint);
    const result = await this.options.runner.run(file!, args, { env: this.options.env });
    if (result.exitCode !== 0) return;
    try {
      const host = parseSshG(result.stdout);
      if (!hostKeyCheckingOff(host)) return;
      this.options.log?.(
        'Warn',
        `${this.description}: host key checking is off for ${host.hostname}:${host.port}, so anyone on the way can pose as the server. ` +
          `Pin its key instead: ssh-keyscan -p ${host.port} ${host.hostname} >> ~/.ssh/known_hosts (compare the fingerprint with ssh-keygen -lf), ` +
          'then remove StrictHostKeyChecking=no (or UserKnownHostsFile=/dev/null) from the config.',
      );
    } catch {
      // ssh -G output it cannot read: nothing to warn about
    }
  }
}
