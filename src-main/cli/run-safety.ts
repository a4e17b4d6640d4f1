// `tidemark check`, `tidemark kept` and `tidemark restore`: the safety layer from a shell, on
// the same config files `tidemark run` reads, and on the same per-target state.
import type { SafetyReport } from '../../src-shared/model/safety';
import { RECONCILE_ACTIONS, type ReconcileAction } from '../../src-shared/model/safety';
import type { Outcome, RelPath } from '../../src-shared/model/sync';
import { ConfigError, type SyncConfig, type TidemarkConfig } from '../core/config/model';
import { shellWord, targetName } from '../core/daemon/daemon';
import { defaultRuntimeDir } from '../core/transport/ssh-master';
import { callControl, controlSocketPath } from '../services/control-socket';
import type { SshAgent } from '../keys/ssh-agent';
import type { PairingHooks } from '../services/profiles/profile-to-config';
import type { Profile } from '../services/profiles/profile-schema';
import { agentPairingHooks, cliKeyService, profileKeyNames, readStdinLines, startProfileAgent } from '../services/profiles/profile-agent';
import { SafetyGate, sourceIsNewer } from '../core/daemon/safety-gate';
import { TargetStore } from '../core/daemon/target-store';
import { transportFor } from '../core/daemon/transport-for';
import { DEFAULT_LIMITS } from '../core/safety/breaker';
import { systemClock } from '../core/session/system-clock';
import { spawnRunner } from '../core/transport/process-runner';
import type { SafeTransport } from '../core/transport/transport';
import { displayPath } from '../core/watch/byte-path';
import { loadConfigSource, resolveConfigSource } from './config-source';
import type { CliIo } from './run-cli';
import { reportJson, reportText } from './safety-report-text';

export const SAFETY_COMMANDS = ['check', 'kept', 'restore'] as const;

export const safetyUsage = `       tidemark check CONFIG [--json] [--reconcile pull|keep|trash|delete [--path PATH]...]
                 what a startup would delete or overwrite on each target, and what the
                 mass-delete breaker holds back; exit 0 when nothing is at risk, 3 when a
                 decision is needed (--reconcile takes it, through a running daemon if any)
       tidemark kept CONFIG [--release PATH... | --release-all]
       tidemark restore CONFIG [--from STAMP] [PATH...]   (without PATH: list the trash)
`;

/** How long a running daemon may take to answer a decision (a pull of a large window takes a while). */
const DAEMON_ANSWER_MS = 120_000;

/** The control socket of a daemon running this target, or null when none answers there. */
async function runningEngine(sync: SyncConfig): Promise<{ socket: string; target: string; report: boolean; state: string } | null> {
  const socket = controlSocketPath(defaultRuntimeDir(), sync.source, targetName(sync));
  const targets = await callControl(socket, 'safety:targets', {}, 10_000).catch(() => null);
  const target = targets?.[0];
  return target ? { socket, target: target.target, report: target.report !== null, state: target.state.kind } : null;
}

/** A decision taken by the running daemon: what it said, or why not. */
async function decideInEngine(engine: { socket: string; target: string; report: boolean; state: string }, action: ReconcileAction, paths?: RelPath[]): Promise<{ kind: 'ok'; said: string } | { kind: 'failed'; reason: string }> {
  if (!engine.report) return { kind: 'ok', said: `nothing awaits a decision there (it is ${engine.state})` };
  try {
    const outcome = await callControl(engine.socket, 'safety:decide', { target: engine.target, action, ...(paths ? { paths } : {}) }, DAEMON_ANSWER_MS);
    if (outcome === null) return { kind: 'failed', reason: 'the daemon stopped before it answered' };
    return outcome.kind === 'ok' ? { kind: 'ok', said: `${action}: done` } : { kind: 'failed', reason: outcome.reason };
  } catch (error) {
    return { kind: 'failed', reason: (error as Error).message };
  }
}

/** Exit codes as for run, and 3: a decision is needed. */
export const EXIT_DECISION_NEEDED = 3;

interface Parsed {
  readonly file: string;
  readonly flags: Set<string>;
  readonly values: Map<string, string[]>;
  readonly words: string[];
}

const VALUED = new Set(['reconcile', 'path', 'release', 'from']);

function parse(args: readonly string[]): Parsed | string {
  const flags = new Set<string>();
  const values = new Map<string, string[]>();
  const words: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith('-') || arg === '-') {
      words.push(arg);
      continue;
    }
    const [name = '', inline] = arg.replace(/^--?/, '').split(/=(.*)/s, 2);
    if (VALUED.has(name)) {
      const value = inline ?? args[++i];
      if (value === undefined) return `--${name} needs a value`;
      values.set(name, [...(values.get(name) ?? []), value]);
    } else if (['json', 'release-all', 'all'].includes(name)) flags.add(name);
    else return `unknown option '${arg}'`;
  }
  const [file, ...rest] = words;
  if (!file) return 'a config file or a profile name is needed';
  return { file, flags, values, words: rest };
}

function reasonOf(outcome: Outcome): string {
  return outcome.kind === 'ok' ? 'no answer from the target' : outcome.reason;
}

/** A path as typed in a shell (UTF-8) as the tree's byte string. */
function relOf(typed: string): RelPath {
  return Buffer.from(typed.replace(/^\/+|\/+$/g, ''), 'utf8').toString('latin1');
}

/** `passphrases`: for a paired profile's keys that have one, in order (else stdin gives them). */
export async function runSafetyCommand(command: (typeof SAFETY_COMMANDS)[number], args: readonly string[], io: CliIo, options: { passphrases?: readonly string[] } = {}): Promise<number> {
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    io.stderr(`tidemark ${command}: ${parsed}\n${safetyUsage}`);
    return 2;
  }
  let config: TidemarkConfig;
  let agent: ProfileAgent | null = null;
  try {
    const source = await resolveConfigSource(parsed.file, process.cwd());
    if (source.kind === 'neither') {
      io.stderr(`tidemark ${command}: ${source.message}\n`);
      return 2;
    }
    // A paired profile's ssh targets are reached with the app's keys, through its agent.
    agent = source.kind === 'profile' ? await profileAgent(await source.store.get(source.name), options.passphrases) : null;
    if (agent?.kind === 'refused') {
      io.stderr(`tidemark ${command}: ${agent.message}\n`);
      return 1;
    }
    config = await loadConfigSource(source, { cwd: process.cwd(), pairing: agent?.pairing });
  } catch (error) {
    if (agent?.kind === 'ok') await agent.agent.stop();
    if (!(error instanceof ConfigError)) throw error;
    io.stderr(`${error.message}\n`);
    return 2;
  }
  const sshEnv = agent?.kind === 'ok' ? agent.env : undefined;
  const targets = config.syncs.map((sync, index) => openTarget(sync, index, parsed.file, sshEnv));
  try {
    if (command === 'kept') return kept(targets, parsed, io);
    if (command === 'restore') return await restore(targets, parsed, io);
    return await check(targets, parsed, io);
  } finally {
    await Promise.all(targets.map((target) => target.transport.close()));
    if (agent?.kind === 'ok') await agent.agent.stop();
  }
}

type ProfileAgent = { kind: 'ok'; agent: SshAgent; env: Record<string, string>; pairing: PairingHooks } | { kind: 'refused'; message: string };

/** The agent for a profile's keys, when its targets are paired (a key with a passphrase reads it from stdin). */
async function profileAgent(profile: Profile, passphrases?: readonly string[]): Promise<ProfileAgent | null> {
  const names = profileKeyNames(profile);
  if (names.length === 0) return null;
  const { keys, runtimeDir } = cliKeyService();
  const given = async (locked: readonly string[]) => (passphrases && passphrases.length >= locked.length ? [...passphrases] : null);
  const started = await startProfileAgent(keys, runtimeDir, names, passphrases ? given : async (locked) => (process.stdin.isTTY ? null : readStdinLines(locked.length)));
  return started.kind === 'ok' ? { ...started, pairing: agentPairingHooks(keys) } : started;
}

interface OpenTarget {
  readonly sync: SyncConfig;
  /** The agent's environment for ssh, for a paired target. */
  readonly sshEnv?: Record<string, string>;
  readonly store: TargetStore;
  readonly transport: SafeTransport;
  readonly gate: SafetyGate;
}

function openTarget(sync: SyncConfig, index: number, file: string, sshEnv?: Record<string, string>): OpenTarget {
  const store = new TargetStore(TargetStore.dirFor(TargetStore.defaultBase(), sync.source, targetName(sync)));
  const transport = transportFor(`Check${index + 1}`, sync, { runner: spawnRunner, sshEnv }, { keepRules: () => store.rulesFile(), quickCopy: false, backupDir: () => null });
  const gate = new SafetyGate({
    source: sync.source,
    transport,
    store,
    policy: 'ask',
    limits: DEFAULT_LIMITS,
    decideHint: `tidemark check ${shellWord(file)} --reconcile pull|keep|trash|delete [--path PATH]...`,
    treeSize: () => 0,
    now: () => systemClock.now(),
  });
  gate.expectJournal();
  return { sync, store, transport, gate, sshEnv };
}

/** Whether the startup sync of this target deletes (delete = true or 'startup'). */
function startupDeletes(sync: SyncConfig): boolean {
  return sync.delete === true || sync.delete === 'startup';
}

async function check(targets: readonly OpenTarget[], parsed: Parsed, io: CliIo): Promise<number> {
  const reconcile = parsed.values.get('reconcile')?.at(-1);
  if (reconcile !== undefined && !RECONCILE_ACTIONS.includes(reconcile as ReconcileAction)) {
    io.stderr(`tidemark check: --reconcile needs one of ${RECONCILE_ACTIONS.join(', ')} (got '${reconcile}')\n`);
    return 2;
  }
  const reopened: OpenTarget[] = [];
  try {
    return await checkEach(targets, reopened, parsed, io);
  } finally {
    await Promise.all(reopened.map((target) => target.transport.close()));
  }
}

async function checkEach(targets: readonly OpenTarget[], reopened: OpenTarget[], parsed: Parsed, io: CliIo): Promise<number> {
  const reconcile = parsed.values.get('reconcile')?.at(-1) as ReconcileAction | undefined;
  const paths = parsed.values.get('path')?.map(relOf);
  const reports: object[] = [];
  let failed = false;
  let needed = false;
  for (const [index, opened] of targets.entries()) {
    let { sync, gate, store } = opened;
    // A daemon that runs this target takes the decision itself, on its own report, through its
    // control socket (the path SafetyService serves every face).
    const engine = reconcile ? await runningEngine(sync) : null;
    if (reconcile && engine) {
      const quiet = parsed.flags.has('json');
      const answer = await decideInEngine(engine, reconcile, paths);
      if (answer.kind !== 'ok') {
        io.stderr(`tidemark check: ${reconcile}: ${answer.reason}\n`);
        failed = true;
        continue;
      }
      if (!quiet) io.stdout(`${gate.description}: ${answer.said} (by the running daemon)\n`);
      // The daemon changed the target's state: read it afresh.
      const fresh = openTarget(sync, index, parsed.file, opened.sshEnv);
      reopened.push(fresh);
      ({ sync, gate, store } = fresh);
    }
    const hold = store.breaker.hold;
    if (hold && !parsed.flags.has('json')) io.stdout(`${gate.description}: the mass-delete breaker holds deletions back: ${hold.reason}\n`);
    let report = await gate.check(startupDeletes(sync) || hold !== null);
    if (engine) {
      needed ||= 'entries' in report && report.atRisk > 0;
      if ('entries' in report) {
        if (parsed.flags.has('json')) reports.push(reportJson(report as SafetyReport, sync.source));
        else io.stdout(reportText(report as SafetyReport, sync.source));
      }
      continue;
    }
    if (!('entries' in report)) {
      io.stderr(`tidemark check: ${reasonOf(report)}\n`);
      failed = true;
      continue;
    }
    if (reconcile && report.atRisk > 0) {
      const done = await gate.decide(reconcile as ReconcileAction, report, paths);
      if (done.kind !== 'ok') {
        io.stderr(`tidemark check: ${reconcile}: ${done.reason}\n`);
        failed = true;
        continue;
      }
      if (!parsed.flags.has('json')) io.stdout(`${gate.description}: ${reconcile}: done\n`);
      report = await gate.check(startupDeletes(sync));
      if (!('entries' in report)) {
        io.stderr(`tidemark check: ${reasonOf(report)}\n`);
        failed = true;
        continue;
      }
    }
    needed ||= report.atRisk > 0;
    if (parsed.flags.has('json')) reports.push(reportJson(report as SafetyReport, sync.source));
    else io.stdout(reportText(report as SafetyReport, sync.source));
  }
  if (parsed.flags.has('json')) io.stdout(`${JSON.stringify(reports, null, 2)}\n`);
  else if (needed) {
    io.stdout(`Decide with: tidemark check ${parsed.file} --reconcile pull|keep|trash|delete [--path PATH]...\n` + `   or start with: tidemark run ${parsed.file} -reconcile pull|keep|trash|delete\n`);
  }
  if (failed) return 1;
  return needed ? EXIT_DECISION_NEEDED : 0;
}

function kept(targets: readonly OpenTarget[], parsed: Parsed, io: CliIo): number {
  const release = parsed.flags.has('release-all') ? 'all' : parsed.values.get('release')?.map(relOf);
  for (const { store, gate } of targets) {
    if (release) {
      const count = store.release(release);
      io.stdout(`${gate.description}: ${count} kept entr${count === 1 ? 'y' : 'ies'} released; they sync again from the next start (or HUP) of the daemon\n`);
      continue;
    }
    io.stdout(`${gate.description}: ${store.kept.length} kept\n`);
    for (const path of store.kept) io.stdout(`  ${displayPath(path)}\n`);
  }
  return 0;
}

async function restore(targets: readonly OpenTarget[], parsed: Parsed, io: CliIo): Promise<number> {
  const wanted = parsed.words.map(relOf);
  const from = parsed.values.get('from')?.at(-1);
  let failed = false;
  for (const { sync, transport } of targets) {
    const trash = await transport.listTrash();
    if (!Array.isArray(trash)) {
      io.stderr(`tidemark restore: ${reasonOf(trash)}\n`);
      failed = true;
      continue;
    }
    const inStamp = trash.filter((entry) => from === undefined || entry.stamp === from);
    if (wanted.length === 0 && from === undefined) {
      io.stdout(`${transport.description}: ${trash.length} entries in the trash\n`);
      for (const entry of trash) io.stdout(`  ${entry.stamp}  ${displayPath(entry.path)}${entry.entry === 'dir' ? '/' : ''}\n`);
      continue;
    }
    // The latest copy of each path wanted (or everything of the stamp given).
    const byStamp = new Map<string, RelPath[]>();
    const chosen = wanted.length === 0 ? inStamp : wanted.map((path) => inStamp.filter((entry) => entry.path === path || entry.path.startsWith(`${path}/`))).flatMap((found) => {
      const latest = found.map((entry) => entry.stamp).sort().at(-1);
      return found.filter((entry) => entry.stamp === latest);
    });
    for (const entry of chosen.filter((found) => !sourceIsNewer(sync.source, found))) byStamp.set(entry.stamp, [...(byStamp.get(entry.stamp) ?? []), entry.path]);
    let restored = 0;
    for (const [stamp, paths] of byStamp) {
      const outcome = await transport.restoreFromTrash(stamp, paths);
      if (outcome.kind !== 'ok') {
        io.stderr(`tidemark restore: ${outcome.reason}\n`);
        failed = true;
      } else restored += paths.length;
    }
    io.stdout(`${transport.description}: ${restored} entries restored into ${sync.source}/ (a newer source file is never overwritten)\n`);
  }
  return failed ? 1 : 0;
}
