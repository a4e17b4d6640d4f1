// Runs the app's engines: one Daemon per enabled profile, and one per lsyncd config the settings
// name. Starts, stops and reloads them (a reload keeps the journal: it lives in the state
// directory), holds one lock per profile so that no second face or `tidemark run` runs it too,
// serves each target's control socket (`tidemark check --reconcile` reaches the app's engine
// there), and hands every target to the status stream.
import type { Server } from 'node:net';
import { join } from 'node:path';
import { loadConfigFile } from '../../core/config/load';
import type { SyncConfig, TidemarkConfig } from '../../core/config/model';
import { Daemon, targetName } from '../../core/daemon/daemon';
import type { SyncRunner } from '../../core/daemon/sync-runner';
import { Logger } from '../../core/report/log-writer';
import { systemClock } from '../../core/session/system-clock';
import { ChildProcesses } from '../../core/transport/process-runner';
import type { KeyService } from '../../keys/key-service';
import type { SshAgent } from '../../keys/ssh-agent';
import { agentPairingHooks, profileKeyNames, startProfileAgent } from '../profiles/profile-agent';
import { closeControl, controlSocketPath, serveControl } from '../control-socket';
import type { LogService } from '../logs/log-service';
import type { ProfileStore } from '../profiles/profile-store';
import { profileToConfig } from '../profiles/profile-to-config';
import { safetyHandlers } from '../safety-handlers';
import { SafetyService } from '../safety-service';
import type { AppPaths } from '../app-paths';
import type { StatusTarget } from '../status/status-service';
import { acquireProfileLock, lockFileFor, realPathOf, type ProfileLock } from './profile-lock';

/** Where the engines' targets go: the status stream. */
export interface StatusSink {
  attach(target: StatusTarget): void;
  detach(id: string): void;
}

/** What an engine runs: a profile by name, or an lsyncd config file by its path. */
export type EngineSource = { readonly kind: 'profile'; readonly name: string } | { readonly kind: 'config'; readonly path: string };

export interface EngineHostOptions {
  readonly paths: AppPaths;
  readonly profiles: ProfileStore;
  readonly keys: KeyService;
  readonly status: StatusSink;
  readonly logs: LogService;
  /** The lsyncd configs to run beside the profiles (the settings' lsyncdConfigs). */
  readonly lsyncdConfigs: () => Promise<readonly string[]>;
  /** Evaluates an lsyncd config's Lua (the CLI runs it in a child process). */
  readonly evaluate?: Parameters<typeof loadConfigFile>[1]['evaluate'];
}

interface Engine {
  readonly key: string;
  readonly label: string;
  readonly daemon: Daemon;
  readonly config: TidemarkConfig;
  readonly ids: readonly string[];
  readonly lock: ProfileLock;
  readonly logger: Logger;
  readonly agent: SshAgent | null;
  readonly sockets: { server: Server | null; path: string }[];
}

export function engineKey(source: EngineSource): string {
  return source.kind === 'profile' ? `profile:${source.name}` : `config:${source.path}`;
}

/** A config file's engine label in ids and logs: its file name without the extension, made safe. */
function configLabel(path: string): string {
  const base = path.split('/').pop()!.replace(/\.(conf\.)?lua$|\.conf$/, '');
  return (base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[._-]+/, '') || 'lsyncd').slice(0, 60);
}

export class EngineHost {
  readonly #engines = new Map<string, Engine>();
  /** Why a source could not start, until it starts (shown by profiles:list). */
  readonly #problems = new Map<string, string>();
  /**
   * Passphrases of keys, by key name, as profiles:unlock gave them: in this process's memory
   * only (the agent holds the decrypted keys there anyway), so reloads need not ask again.
   */
  readonly #passphrases = new Map<string, string>();
  /** The keys a source waits for, by engine key, while it cannot start for want of them. */
  readonly #locked = new Map<string, readonly string[]>();
  /** Engine changes run one at a time: a reload never races a stop. */
  #queue: Promise<unknown> = Promise.resolve();
  readonly #children = new ChildProcesses();

  constructor(private readonly options: EngineHostOptions) {}

  /** Every running target's runner with its id (`PROFILE:N`). */
  runners(): SyncRunner[] {
    return [...this.#engines.values()].flatMap((engine) => engine.daemon.runners);
  }

  running(source: EngineSource): boolean {
    return this.#engines.has(engineKey(source));
  }

  problem(source: EngineSource): string | null {
    return this.#problems.get(engineKey(source)) ?? null;
  }

  /** The passphrase-protected keys a profile waits for (empty once it starts). */
  lockedKeys(source: EngineSource): readonly string[] {
    return this.#locked.get(engineKey(source)) ?? [];
  }

  /**
   * Checks each passphrase against its key and holds the right ones for the agents to come.
   * A wrong one is not kept, and the error names its key; start or reload the profile after.
   */
  async unlock(passphrases: Readonly<Record<string, string>>): Promise<void> {
    const checked: [string, string][] = [];
    for (const [name, passphrase] of Object.entries(passphrases)) {
      try {
        await this.options.keys.unlock(name, passphrase);
      } catch (error) {
        throw new Error(`${(error as Error).message}: nothing was kept; type it again (tidemark keys list shows the keys)`);
      }
      checked.push([name, passphrase]);
    }
    for (const [name, passphrase] of checked) this.#passphrases.set(name, passphrase);
  }

  /** Starts every enabled profile and every lsyncd config of the settings; failures are reported, not thrown. */
  async startAll(): Promise<void> {
    const sources: EngineSource[] = [];
    for (const listing of await this.options.profiles.list()) {
      if (listing.kind === 'ok' && listing.profile.enabled) sources.push({ kind: 'profile', name: listing.name });
    }
    for (const path of await this.options.lsyncdConfigs()) sources.push({ kind: 'config', path });
    await Promise.all(sources.map((source) => this.start(source).catch(() => undefined)));
  }

  /** Starts one source (a no-op when it runs); throws with a message a person can act on. */
  start(source: EngineSource): Promise<void> {
    return this.#serial(async () => {
      if (this.#engines.has(engineKey(source))) return;
      await this.#start(source);
    });
  }

  stop(source: EngineSource): Promise<void> {
    return this.#serial(() => this.#stop(engineKey(source)));
  }

  /** Applies an edit: stops the engine (transfers finish) and starts it on the new config; the journal stays. */
  reload(source: EngineSource): Promise<void> {
    return this.#serial(async () => {
      await this.#stop(engineKey(source));
      await this.#start(source);
    });
  }

  /** Stops everything; running transfers finish first. */
  stopAll(): Promise<void> {
    return this.#serial(async () => {
      for (const key of [...this.#engines.keys()]) await this.#stop(key);
    });
  }

  /** Pauses, resumes or syncs now one target, or all; returns how many it reached. */
  control(action: 'pause' | 'resume' | 'sync-now', target?: string): number {
    const runners = this.runners().filter((runner) => target === undefined || runner.session.id === target);
    if (target !== undefined && runners.length === 0) throw new Error(`no running target '${target}'`);
    for (const runner of runners) {
      if (action === 'pause') runner.session.pause();
      else if (action === 'resume') runner.resume();
      else runner.syncNow();
    }
    return runners.length;
  }

  #serial<T>(work: () => Promise<T>): Promise<T> {
    const next = this.#queue.then(work, work);
    this.#queue = next.catch(() => undefined);
    return next;
  }

  async #start(source: EngineSource): Promise<void> {
    const key = engineKey(source);
    const label = source.kind === 'profile' ? source.name : configLabel(source.path);
    const what = source.kind === 'profile' ? `profile ${source.name}` : `lsyncd config ${source.path}`;
    try {
      const lock = await acquireProfileLock(lockFileFor(this.options.paths.locksDir, source.kind === 'profile' ? { profile: source.name } : { configFile: realPathOf(source.path) }), what);
      try {
        await this.#startLocked(source, key, label, lock);
      } catch (error) {
        await lock.release();
        throw error;
      }
      this.#problems.delete(key);
    } catch (error) {
      const message = `${what} did not start: ${(error as Error).message}`;
      this.#problems.set(key, message);
      this.options.logs.add(Date.now(), 'Error', label, message);
      throw new Error(message);
    }
  }

  async #startLocked(source: EngineSource, key: string, label: string, lock: ProfileLock): Promise<void> {
    let config: TidemarkConfig;
    let agent: SshAgent | null = null;
    let sshEnv: Record<string, string> | undefined;
    if (source.kind === 'profile') {
      const profile = await this.options.profiles.get(source.name);
      const names = profileKeyNames(profile);
      this.#locked.delete(key);
      if (names.length > 0) {
        let missing: readonly string[] = [];
        const given = async (locked: readonly string[]) => {
          missing = locked.filter((name) => !this.#passphrases.has(name));
          return missing.length > 0 ? null : locked.map((name) => this.#passphrases.get(name)!);
        };
        const started = await startProfileAgent(this.options.keys, this.options.paths.runtimeDir, names, given, `agent-${source.name}-${process.pid}.sock`);
        if (missing.length > 0) this.#locked.set(key, missing);
        if (started.kind === 'refused') throw new Error(missing.length > 0 ? lockedRefusal(missing) : started.message);
        agent = started.agent;
        sshEnv = started.env;
      }
      config = profileToConfig(profile, `${source.name}.json`, { pairing: agentPairingHooks(this.options.keys) });
    } else {
      config = await loadConfigFile(source.path, { cwd: join(source.path, '..'), evaluate: this.options.evaluate });
    }
    const logger = new Logger({
      logfile: config.settings.logfile ?? join(this.options.paths.logsDir, `${label}.log`),
      clock: systemClock,
      fileMode: 0o600,
      tap: this.options.logs.tapFor(label),
    });
    const ids = config.syncs.map((_, index) => `${label}:${index + 1}`);
    const daemon = new Daemon({
      config,
      logger,
      clock: systemClock,
      runner: this.#children,
      stateBase: this.options.paths.stateDir,
      configFile: source.kind === 'profile' ? source.name : source.path,
      sshEnv,
      targetId: (index) => ids[index]!,
    });
    const engine: Engine = { key, label, daemon, config, ids, lock, logger, agent, sockets: [] };
    try {
      for (const [index, runner] of daemon.runners.entries()) {
        const sync = config.syncs[index]!;
        this.options.status.attach({ id: ids[index]!, profile: label, source: sync.source, target: describeTarget(sync), kind: sync.target.kind, watcher: sync.watcher ?? 'inotify', runner });
      }
      await daemon.start();
      await this.#serveSockets(engine);
    } catch (error) {
      for (const id of ids) this.options.status.detach(id);
      await daemon.stop().catch(() => undefined);
      await agent?.stop();
      logger.close();
      throw error;
    }
    this.#engines.set(key, engine);
  }

  async #serveSockets(engine: Engine): Promise<void> {
    for (const [index, runner] of engine.daemon.runners.entries()) {
      const sync = engine.config.syncs[index]!;
      const path = controlSocketPath(this.options.paths.runtimeDir, sync.source, targetName(sync));
      try {
        const server = await serveControl(path, safetyHandlers(new SafetyService(() => [runner])));
        engine.sockets.push({ server, path });
      } catch (error) {
        engine.logger.write('Warn', `${targetName(sync)}: no control socket (${(error as Error).message}); tidemark check --reconcile cannot reach this engine, the app still can`);
      }
    }
  }

  async #stop(key: string): Promise<void> {
    const engine = this.#engines.get(key);
    if (!engine) return;
    this.#engines.delete(key);
    for (const { server, path } of engine.sockets) await closeControl(server, path);
    await engine.daemon.stop();
    for (const id of engine.ids) this.options.status.detach(id);
    await engine.agent?.stop();
    engine.logger.close();
    await engine.lock.release();
  }
}

/** user@host:dir, a local directory, or the daemon address, as a person reads it. */
export function describeTarget(sync: SyncConfig): string {
  const target = sync.target;
  if (target.kind === 'local') return target.dir;
  if (target.kind === 'rsyncd') return target.address;
  return `${target.host}:${target.dir}`;
}

/** Why a profile waits for passphrases, in the app's words (the CLI asks on stdin instead). */
function lockedRefusal(missing: readonly string[]): string {
  const many = missing.length > 1;
  return `the key${many ? 's' : ''} ${missing.join(', ')} ${many ? 'are' : 'is'} protected by a passphrase: unlock ${many ? 'them' : 'it'} on the Profiles screen (the app keeps passphrases in memory only, until it quits)`;
}
