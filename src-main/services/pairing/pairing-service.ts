// The pairing flow a wizard (or `tidemark pair`) drives, one step at a time: connect (probe) →
// host key (confirm, pin) → authenticate + install the key (the password once, never kept) →
// verify (a key login through a short-lived agent) → preflight (through the same agent) → save
// (the profile). Each step refuses to run unless the one before it succeeded. On a failure,
// or abort(), what this pairing changed is undone: a pin it added or replaced is restored, a key
// line it added is removed while the key still logs in; what could not be undone is named.
import { readFile, rm } from 'node:fs/promises';
import { randomBytes } from 'node:crypto';
import { agentSshEnv, agentSshOptions } from '../../keys/agent-ssh-options';
import type { KeyService } from '../../keys/key-service';
import { startKeyAgent, type SshAgent } from '../../keys/ssh-agent';
import { remoteCommand } from '../../core/transport/ssh-quote';
import type { ProfileStore } from '../profiles/profile-store';
import type { Profile, ProfileSshTarget } from '../profiles/profile-schema';
import { runBounded } from './bounded-run';
import { pinHostKey, pinnedFingerprint, restoreKnownHosts } from './host-key-pin';
import { describeHostKey, type HostKey } from './host-key';
import { installPublicKey } from './install-key';
import { preflight, type PreflightReport } from './preflight';
import { probeHost } from './probe-host';
import type { HostRequest, ResolvedTarget } from './resolve-host';
import { failed, type PairingStep, type StepFailure, type StepResult } from './step-result';

export interface PairingServiceOptions {
  readonly keys: KeyService;
  readonly profiles: ProfileStore;
  /** The app's known_hosts file ($XDG_CONFIG_HOME/tidemark/known_hosts). */
  readonly knownHostsFile: string;
  /** Where the short-lived agent's socket goes. */
  readonly runtimeDir: string;
  /** ssh and options for resolving the host (tests pass -F CONFIG); default ['ssh']. */
  readonly sshCommand?: readonly string[];
  readonly timeoutMs?: number;
}

export interface ConnectedHost {
  readonly target: ResolvedTarget;
  readonly hostKey: HostKey;
  /** "ED25519 key fingerprint is SHA256:...", as OpenSSH asks. */
  readonly description: string;
  /** The fingerprint pinned for this host before (a re-pair), or null: show both side by side. */
  readonly pinned: string | null;
}

export interface SaveRequest {
  readonly name: string;
  readonly source: string;
  readonly targetDir: string;
  /**
   * Update a profile of that name (a re-pair): its sync from this source to an ssh target gets
   * the new target, key and pin, everything else of the profile is kept; a profile without
   * such a sync gets one more.
   */
  readonly overwrite?: boolean;
}

/** What a failure or an abort could not undo, in words for a person; empty when nothing is left. */
export interface Undone {
  readonly leftBehind: readonly string[];
}

type Stage = 'new' | 'connected' | 'pinned' | 'installed' | 'verified' | 'preflighted' | 'saved' | 'failed';

const NEXT_OF: Record<PairingStep, Stage> = {
  connect: 'new',
  'host-key': 'connected',
  authenticate: 'pinned',
  'install-key': 'pinned',
  verify: 'installed',
  preflight: 'verified',
  save: 'preflighted',
};

/** Removes exactly the line given on stdin from ~/.ssh/authorized_keys; the line is data, never shell. */
const REMOVE_KEY_SCRIPT = [
  'IFS= read -r line || exit 3',
  'f="$HOME/.ssh/authorized_keys"',
  '[ -f "$f" ] || exit 0',
  't=$(mktemp "$f.XXXXXX") || exit 4',
  'grep -vxF -e "$line" "$f" > "$t"; s=$?',
  'if [ $s -gt 1 ]; then rm -f "$t"; exit 5; fi',
  'mv -f "$t" "$f"',
].join('\n');

export class PairingService {
  readonly #options: PairingServiceOptions;
  #stage: Stage = 'new';
  #host: ConnectedHost | undefined;
  /** The known_hosts text before this pairing pinned (null: no file), to restore on failure. */
  #knownHostsBefore: string | null | undefined;
  #keyName: string | undefined;
  #keyLine: string | undefined;
  #keyAdded = false;
  #agent: SshAgent | undefined;
  #agentOptions: string[] = [];
  #preflight: PreflightReport | undefined;

  constructor(options: PairingServiceOptions) {
    this.#options = options;
  }

  get stage(): Stage {
    return this.#stage;
  }

  /** Step "connect": where the host is and the host key it shows; nothing trusted or written. */
  async connect(request: HostRequest): Promise<StepResult<ConnectedHost>> {
    const refused = this.#refuseOutOfOrder('connect');
    if (refused) return refused;
    const probed = await probeHost({ ...request, sshCommand: request.sshCommand ?? this.#options.sshCommand, timeoutMs: this.#options.timeoutMs });
    if (probed.kind === 'failed') return this.#fail(probed);
    let pinned: string | null;
    try {
      pinned = await pinnedFingerprint(this.#options.knownHostsFile, probed.target.hostname, probed.target.port);
    } catch (error) {
      return this.#fail(failed('connect', 'file-error', `cannot read the pinned host keys in ${this.#options.knownHostsFile}: ${(error as Error).message}`, 'Check that file (it must be a readable known_hosts file).'));
    }
    this.#host = { target: probed.target, hostKey: probed.hostKey, description: describeHostKey(probed.hostKey), pinned };
    this.#stage = 'connected';
    return { kind: 'ok', ...this.#host };
  }

  /**
   * Step "host-key": the person confirms the fingerprint they compared. It must be the one the
   * server showed; a re-pair whose pin differs is confirmed by naming the new fingerprint.
   */
  async confirmHostKey(fingerprint: string): Promise<StepResult<{ change: 'added' | 'unchanged' | 'replaced' }>> {
    const refused = this.#refuseOutOfOrder('host-key');
    if (refused) return refused;
    const host = this.#host!;
    const offered = host.hostKey.fingerprint;
    if (fingerprint !== offered) {
      return this.#fail(failed('host-key', 'host-key-changed', `the server shows host key ${offered}, not the ${fingerprint} that was confirmed`, 'Compare the fingerprint with the server\'s administrator (ssh-keygen -lf /etc/ssh/ssh_host_*_key.pub there) and confirm the one it shows.', { fingerprints: { expected: fingerprint, offered } }));
    }
    const file = this.#options.knownHostsFile;
    try {
      this.#knownHostsBefore = await readFile(file, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return this.#fail(failed('host-key', 'file-error', `cannot read ${file}: ${(error as Error).message}`, 'Check that file.'));
      this.#knownHostsBefore = null;
    }
    const pinned = await pinHostKey(file, host.target.hostname, host.target.port, host.hostKey.key, host.pinned && host.pinned !== offered ? { replacing: host.pinned } : {});
    if (pinned.kind === 'failed') {
      this.#knownHostsBefore = undefined;
      return this.#fail(pinned);
    }
    if (pinned.change === 'unchanged') this.#knownHostsBefore = undefined; // nothing of ours to undo
    this.#stage = 'pinned';
    return { kind: 'ok', change: pinned.change };
  }

  /** Steps "authenticate" and "install-key": the password is used for this one login and dropped. */
  async installKey(keyName: string, password: string): Promise<StepResult<{ added: boolean }>> {
    const refused = this.#refuseOutOfOrder('install-key');
    if (refused) return refused;
    const host = this.#host!;
    let line: string;
    try {
      line = (await this.#options.keys.exportPublic(keyName)).trim();
    } catch (error) {
      return this.#fail(failed('install-key', 'bad-request', `cannot read the key ${keyName}: ${(error as Error).message}`, 'Create it first (tidemark keys new NAME), or name another key.'));
    }
    const installed = await installPublicKey({
      host: host.target.hostname,
      port: host.target.port,
      user: host.target.user,
      password,
      publicKeyLine: line,
      expectedFingerprint: host.hostKey.fingerprint,
      timeoutMs: this.#options.timeoutMs,
    });
    if (installed.kind === 'failed') return this.#fail(installed);
    this.#keyName = keyName;
    this.#keyLine = line;
    this.#keyAdded = installed.added;
    this.#stage = 'installed';
    return { kind: 'ok', added: installed.added };
  }

  /**
   * Step "verify": a key login through the app's agent alone, as the sync will log in. The
   * agent stays up for preflight and stops at save, abort or a failure. A passphrase-protected
   * key needs its passphrase here.
   */
  async verify(passphrase?: string): Promise<StepResult<{ socketPath: string }>> {
    const refused = this.#refuseOutOfOrder('verify');
    if (refused) return refused;
    const host = this.#host!;
    const keyName = this.#keyName!;
    try {
      this.#agent = await startKeyAgent(this.#options.keys, [{ name: keyName, passphrase }], {
        runtimeDir: this.#options.runtimeDir,
        socketName: `pair-${process.pid}-${randomBytes(4).toString('hex')}.sock`,
      });
    } catch (error) {
      return this.#fail(failed('verify', 'bad-request', `cannot load the key ${keyName} into the agent: ${(error as Error).message}`, 'Give the key\'s passphrase, or check the keychain (tidemark keys list).'));
    }
    this.#agentOptions = agentSshOptions({ knownHostsFile: this.#options.knownHostsFile, publicKeyFile: this.#options.keys.publicKeyFile(keyName) });
    const run = await this.#sshByKey(['true']);
    if (run.spawnError) return this.#fail(failed('verify', 'ssh-failed', `ssh could not be started: ${run.spawnError}`, 'Install the OpenSSH client (Debian: apt install openssh-client).'));
    if (run.timedOut) return this.#fail(failed('verify', 'timeout', `the key login to ${describeTarget(host.target)} did not finish in time`, 'Try again, or allow more time.'));
    if (run.exitCode !== 0) {
      const said = run.stderr.trim().split('\n').filter(Boolean).at(-1) ?? `exit ${run.exitCode}`;
      return this.#fail(failed('verify', 'ssh-failed', `the key login to ${describeTarget(host.target)} failed: ${said}`, 'The server may not accept keys (PubkeyAuthentication no) or ignore ~/.ssh/authorized_keys (AuthorizedKeysFile): check its sshd_config.'));
    }
    this.#stage = 'verified';
    return { kind: 'ok', socketPath: this.#agent.socketPath };
  }

  /** Step "preflight": rsync, the target directory and its room, over ssh through the agent. */
  async preflight(targetDir: string): Promise<StepResult<PreflightReport>> {
    const refused = this.#refuseOutOfOrder('preflight');
    if (refused) return refused;
    const host = this.#host!;
    const report = await preflight({
      host: host.target.hostname,
      port: host.target.port,
      user: host.target.user,
      targetDir,
      sshCommand: [...(this.#options.sshCommand ?? ['ssh']), ...this.#agentOptions],
      env: agentSshEnv(this.#agent!.socketPath),
      timeoutMs: this.#options.timeoutMs,
    });
    if (report.kind === 'failed') return this.#fail(report);
    this.#preflight = report;
    this.#stage = 'preflighted';
    return report;
  }

  /** Step "save": the profile with its ssh target, key name and pinned known_hosts. */
  async save(request: SaveRequest): Promise<StepResult<{ profile: Profile }>> {
    const refused = this.#refuseOutOfOrder('save');
    if (refused) return refused;
    const host = this.#host!;
    const target: ProfileSshTarget = {
      kind: 'ssh',
      host: host.target.hostname,
      user: host.target.user,
      ...(host.target.port === 22 ? {} : { port: host.target.port }),
      dir: request.targetDir,
      keyName: this.#keyName!,
      knownHosts: this.#options.knownHostsFile,
    };
    let saved: Profile;
    try {
      const existing = request.overwrite && (await this.#options.profiles.exists(request.name)) ? await this.#options.profiles.get(request.name) : undefined;
      saved = await this.#options.profiles.save(request.name, withTarget(existing, request.source, target), { overwrite: request.overwrite });
    } catch (error) {
      return this.#fail(failed('save', 'file-error', `cannot save the profile ${request.name}: ${(error as Error).message}`, 'Choose another name, or allow replacing it.'));
    }
    await this.#stopAgent();
    this.#stage = 'saved';
    return { kind: 'ok', profile: saved };
  }

  /** Ends an unfinished pairing, undoing what it did; a saved pairing is kept. */
  async abort(): Promise<Undone> {
    if (this.#stage === 'saved') return { leftBehind: [] };
    return this.#undo();
  }

  async #undo(): Promise<Undone> {
    const leftBehind: string[] = [];
    const host = this.#host;
    if (this.#keyAdded && host && this.#keyLine) {
      const removed = this.#agent ? await this.#sshByKey(['sh', '-c', REMOVE_KEY_SCRIPT], `${this.#keyLine}\n`) : undefined;
      if (removed?.exitCode !== 0) leftBehind.push(`the key line of ${this.#keyName} in ~/.ssh/authorized_keys of ${describeTarget(host.target)} (remove it there by hand)`);
      this.#keyAdded = false;
    }
    await this.#stopAgent();
    if (this.#knownHostsBefore !== undefined) {
      try {
        if (this.#knownHostsBefore === null) await rm(this.#options.knownHostsFile, { force: true });
        else await restoreKnownHosts(this.#options.knownHostsFile, this.#knownHostsBefore);
      } catch (error) {
        leftBehind.push(`the pin of ${host?.hostKey.fingerprint ?? 'the host'} in ${this.#options.knownHostsFile} (${(error as Error).message})`);
      }
      this.#knownHostsBefore = undefined;
    }
    this.#stage = 'failed';
    return { leftBehind };
  }

  /** A failure ends the pairing: undo, and say in the failure what could not be undone. */
  async #fail(failure: StepFailure): Promise<StepFailure> {
    const { leftBehind } = await this.#undo();
    if (leftBehind.length === 0) return failure;
    return { ...failure, reason: `${failure.reason}; left behind: ${leftBehind.join('; ')}` };
  }

  #refuseOutOfOrder(step: PairingStep): StepFailure | undefined {
    const needed = NEXT_OF[step];
    if (this.#stage === needed) return undefined;
    return failed(step, 'bad-request', `the step ${step} cannot run now: the pairing is at ${this.#stage === 'new' ? 'its start' : `'${this.#stage}'`}`, this.#stage === 'failed' ? 'A failed pairing is over: start a new one.' : 'Run the steps in order: connect, host key, install key, verify, preflight, save.');
  }

  #sshByKey(command: readonly string[], input?: string) {
    const host = this.#host!;
    const argv = [...(this.#options.sshCommand ?? ['ssh']), ...this.#agentOptions, '-o', 'ConnectTimeout=10', '-p', String(host.target.port), '-l', host.target.user, '--', host.target.hostname, remoteCommand(command)];
    return runBounded(argv, { timeoutMs: this.#options.timeoutMs ?? 20_000, env: agentSshEnv(this.#agent!.socketPath), input });
  }

  async #stopAgent(): Promise<void> {
    const agent = this.#agent;
    this.#agent = undefined;
    await agent?.stop();
  }
}

/** The profile with `target` for `source`: the existing ssh sync from that source updated, or one added. */
function withTarget(existing: Profile | undefined, source: string, target: ProfileSshTarget): Profile {
  if (!existing) return { enabled: true, syncs: [{ source, target }] };
  const index = existing.syncs.findIndex((sync) => sync.source === source && sync.target.kind === 'ssh');
  if (index < 0) return { ...existing, syncs: [...existing.syncs, { source, target }] };
  return { ...existing, syncs: existing.syncs.map((sync, at) => (at === index ? { ...sync, target } : sync)) };
}

function describeTarget(target: ResolvedTarget): string {
  return `${target.user}@${target.hostname} port ${target.port}`;
}
