// A validated Profile into the TidemarkConfig the engine runs, with the checks the Lua loader
// makes on the same values (refused targets, rsyncssh's single process, daemon addresses), each
// reported at its JSON path. The defaults are lsyncd's, as for a config file.
import { resolve } from 'node:path';
import { DEFAULT_RSYNC, DEFAULT_SETTINGS, DEFAULT_SSH, RSYNC_FLAGS, SYNC_DEFAULTS } from '../../core/config/defaults';
import { machineHomes } from '../../core/config/homes';
import type { ConfigWarning, FilterRule, RsyncTable, Settings, SshTable, SyncConfig, SyncKind, TargetSpec, TidemarkConfig } from '../../core/config/model';
import { parseRsyncdAddress } from '../../core/config/rsyncd-address';
import { refusedTarget } from '../../core/safety/refused-targets';
import { jsonPath, ProfileError, type ProfileIssue } from './profile-parse';
import type { Profile, ProfileRsync, ProfileSync, ProfileTarget } from './profile-schema';

/** What pairing adds to a remote target; absent until a face has a key agent to offer. */
export interface PairingHooks {
  /**
   * The ssh options that let ssh log in with the keychain's key `keyName` (for example
   * IdentityAgent pointing at the app's agent), or undefined when that key is not available.
   */
  sshOptionsForKey(keyName: string): Readonly<Record<string, string>> | undefined;
}

export interface ProfileMapOptions {
  /** Home directories a target may never be (default: this machine's). */
  readonly homes?: readonly string[];
  readonly pairing?: PairingHooks;
}

/** The ssh options an app-owned known_hosts file stands for: that file, and no trust on first use. */
export function knownHostsOptions(file: string): Record<string, string> {
  return { UserKnownHostsFile: file, StrictHostKeyChecking: 'yes' };
}

/** The sync kind a profile's sync runs as: its own, else rsyncssh for an ssh target, else rsync. */
export function syncKindOf(sync: ProfileSync): SyncKind {
  return sync.kind ?? (sync.target.kind === 'ssh' ? 'rsyncssh' : 'rsync');
}

/** The ssh login as ssh and rsync take it: user@host, an IPv6 address in brackets for rsync's host:dir. */
export function sshLogin(target: Extract<ProfileTarget, { kind: 'ssh' }>, kind: SyncKind): string {
  const host = kind === 'rsync' && target.host.includes(':') ? `[${target.host}]` : target.host;
  return target.user === undefined ? host : `${target.user}@${host}`;
}

class Issues {
  readonly list: ProfileIssue[] = [];
  readonly warnings: ConfigWarning[] = [];
  constructor(readonly file: string) {}
  add(keys: readonly (string | number)[], message: string): void {
    this.list.push({ path: jsonPath(keys), message });
  }
  warn(keys: readonly (string | number)[], detail: string): void {
    const message = `${this.file}: ${jsonPath(keys)}: ${detail}`;
    this.warnings.push({ origin: { file: this.file, line: 0 }, detail, message });
  }
}

/** The engine's config for `profile`, read from `file`; a ProfileError lists every problem. */
export function profileToConfig(profile: Profile, file: string, options: ProfileMapOptions = {}): TidemarkConfig {
  const issues = new Issues(file);
  const settings: Settings = { ...DEFAULT_SETTINGS, ...profile.settings };
  const homes = options.homes ?? machineHomes();
  const syncs = profile.syncs.map((sync, index) => syncConfig(sync, ['syncs', index], settings, { issues, homes, pairing: options.pairing }));
  if (issues.list.length > 0) throw new ProfileError(file, issues.list);
  return { settings, syncs, ...(issues.warnings.length > 0 ? { warnings: issues.warnings } : {}) };
}

interface Context {
  readonly issues: Issues;
  readonly homes: readonly string[];
  readonly pairing: PairingHooks | undefined;
}

function syncConfig(sync: ProfileSync, at: (string | number)[], settings: Settings, context: Context): SyncConfig {
  const { issues } = context;
  const kind = syncKindOf(sync);
  const defaults = SYNC_DEFAULTS[kind];
  const source = resolve(sync.source);
  const target = targetSpec(sync.target, kind, [...at, 'target'], issues);
  if (target) {
    const refused = refusedTarget({ source, written: target.kind === 'local' ? { kind: 'local', dir: sync.target.kind === 'local' ? sync.target.dir : target.dir } : target, homes: context.homes });
    if (refused) issues.add([...at, 'target'], `refused target: ${refused}`);
  }
  if (kind === 'rsyncssh' && sync.maxProcesses !== undefined && sync.maxProcesses !== 1) {
    issues.add([...at, 'maxProcesses'], 'default.rsyncssh must have maxProcesses set to 1 (moves and deletes must stay in order)');
  }
  const rsync = rsyncTable(sync.rsync);
  if (target?.kind === 'rsyncd' && rsync.values['rsh'] !== undefined) {
    issues.add([...at, 'rsync', 'rsh'], 'rsync.rsh would reach the rsync daemon through a remote shell, which Tidemark does not support: remove rsh, or use an ssh target');
  }
  const filters = (sync.filters ?? []).map(filterRuleOf);
  return {
    kind,
    source,
    target: target ?? { kind: 'local', dir: '/' },
    delay: sync.delay ?? defaults.delay,
    // As in lsyncd (and the Lua loader), settings' maxDelays and maxProcesses win over each sync's.
    maxDelays: settings.maxDelays ?? sync.maxDelays ?? defaults.maxDelays,
    maxProcesses: kind === 'rsyncssh' ? 1 : (settings.maxProcesses ?? sync.maxProcesses ?? defaults.maxProcesses),
    delete: sync.delete ?? defaults.delete,
    init: sync.init ?? defaults.init,
    filters,
    rsync,
    ssh: sshTable(sync, at, kind, context, rsync),
    origin: { file: issues.file, line: 0 },
    ...(sync.watcher ? { watcher: sync.watcher } : {}),
    ...(sync.reconcile !== undefined ? { reconcile: sync.reconcile } : {}),
    ...(sync.maxDeletes !== undefined ? { maxDeletes: sync.maxDeletes } : {}),
    ...(sync.maxDeletePercent !== undefined ? { maxDeletePercent: sync.maxDeletePercent } : {}),
    ...(sync.maxDeleteWindow !== undefined ? { maxDeleteWindow: sync.maxDeleteWindow } : {}),
    ...(sync.trash !== undefined ? { trash: sync.trash } : {}),
    ...(sync.trashDays !== undefined ? { trashDays: sync.trashDays } : {}),
  };
}

/** '- PATTERN' or '+ PATTERN' (the schema checked the shape): the sign, one optional space, then the pattern verbatim. */
function filterRuleOf(text: string): FilterRule {
  return { action: text.startsWith('+') ? '+' : '-', pattern: text.slice(1).replace(/^ /, '') };
}

/** Which sync kinds can write to which targets, as the Lua loader's parseTarget decides. */
function targetSpec(target: ProfileTarget, kind: SyncKind, at: (string | number)[], issues: Issues): TargetSpec | undefined {
  if (target.kind === 'local') {
    if (kind === 'rsyncssh') issues.add([...at, 'kind'], "default.rsyncssh syncs to a remote host: use an 'ssh' target, or kind 'rsync' for a local directory");
    return { kind: 'local', dir: resolve(target.dir) };
  }
  if (target.kind === 'ssh') {
    if (kind === 'direct') issues.add([...at, 'kind'], "default.direct syncs to a local directory: use kind 'rsync' or 'rsyncssh' for an ssh target");
    return { kind: 'ssh', host: sshLogin(target, kind), dir: target.dir };
  }
  if (kind !== 'rsync') issues.add([...at, 'kind'], `an rsync daemon's module is reached by default.rsync only (this sync is ${kind})`);
  const parsed = parseRsyncdAddress(target.address);
  if (parsed.kind === 'error') {
    issues.add([...at, 'address'], parsed.message);
    return undefined;
  }
  return parsed.target;
}

function rsyncTable(table: ProfileRsync | undefined): RsyncTable {
  if (table === undefined) return DEFAULT_RSYNC;
  const flags: Record<string, boolean> = {};
  const values: Record<string, string | number> = {};
  for (const [key, value] of Object.entries(table)) {
    if (key === 'binary' || key === '_extra' || value === undefined) continue;
    if (RSYNC_FLAGS.includes(key) && typeof value === 'boolean') flags[key] = value;
    else if (typeof value === 'string' || typeof value === 'number') values[key] = value;
  }
  const binary = table['binary'];
  const extra = table['_extra'];
  return { binary: typeof binary === 'string' ? binary : DEFAULT_RSYNC.binary, flags, values, extra: Array.isArray(extra) ? [...extra] : [] };
}

/** The ssh table, with the target's port and what pairing recorded (the pinned known_hosts, the key). */
function sshTable(sync: ProfileSync, at: (string | number)[], kind: SyncKind, context: Context, rsync: RsyncTable): SshTable {
  const own = sync.ssh;
  const target = sync.target;
  const options: Record<string, string> = { ...own?.options };
  let port: number | undefined;
  if (target.kind === 'ssh') {
    port = target.port;
    const paired = target.knownHosts !== undefined || target.keyName !== undefined;
    // rsync's rsh replaces the ssh command Tidemark builds, and with it these options.
    if (paired && rsync.values['rsh'] !== undefined) context.issues.add([...at, 'rsync', 'rsh'], 'rsync.rsh replaces the ssh command, so the target\'s keyName and knownHosts would not apply: remove rsh and use ssh = { ... }');
    if (target.knownHosts !== undefined) {
      for (const option of Object.keys(knownHostsOptions(''))) {
        if (own?.options?.[option] !== undefined) context.issues.add([...at, 'ssh', 'options', option], `is set by the target's knownHosts; remove it here`);
      }
      Object.assign(options, knownHostsOptions(target.knownHosts));
    }
    if (target.keyName !== undefined) {
      const keyOptions = context.pairing?.sshOptionsForKey(target.keyName);
      if (keyOptions) Object.assign(options, keyOptions);
      else context.issues.warn([...at, 'target', 'keyName'], `the key '${target.keyName}' is served by the app's key agent, which is not available here; ssh uses its own identities`);
    }
  }
  if (kind === 'direct' && own !== undefined) context.issues.add([...at, 'ssh'], 'ssh = { ... } is not used by default.direct, which syncs to a local directory');
  return {
    binary: own?.binary ?? DEFAULT_SSH.binary,
    ...(port !== undefined ? { port } : {}),
    ...(own?.identityFile !== undefined ? { identityFile: own.identityFile } : {}),
    options,
    extra: [...(own?._extra ?? [])],
  };
}
