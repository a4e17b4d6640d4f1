// `tidemark import`: an lsyncd config, already evaluated and validated by the Lua loader, into a
// Profile, with a note for every key the config wrote (its file and line, and where it went, or
// why it was not carried over). The validated config gives the values; the raw Lua tables give
// which keys were written and where.
import { DEFAULT_RSYNC, DEFAULT_SETTINGS, DEFAULT_SSH, SYNC_DEFAULTS } from '../../core/config/defaults';
import type { RawLuaConfig } from '../../core/config/lua-sandbox';
import { locateKey } from '../../core/config/lua-source-locate';
import { defaultKindOf, tableView, type LuaValue } from '../../core/config/lua-values';
import { ConfigError, type Settings, type SshTable, type SyncConfig, type TargetSpec, type TidemarkConfig } from '../../core/config/model';
import { knownHostsOptions } from './profile-to-config';
import { readPairingComment, readProfileComment, type PairingMeta } from './profile-comments';
import type { Profile, ProfileRsync, ProfileSettings, ProfileSync, ProfileTarget } from './profile-schema';

/** What became of one key of the config. */
export interface ImportNote {
  readonly file: string;
  readonly line: number;
  /** As written: 'delay', 'rsync.compress', 'settings.logfile', 'default.rsyncssh'. */
  readonly key: string;
  readonly kind: 'mapped' | 'not-mapped';
  /** Where it went (`$.syncs[0].delay`), or why it did not. */
  readonly detail: string;
}

export interface ImportResult {
  readonly profile: Profile;
  readonly notes: readonly ImportNote[];
}

/** `raw` is what the sandbox left, `config` what the loader validated from it (one sync per call). */
export function configToProfile(raw: RawLuaConfig, config: TidemarkConfig): ImportResult {
  const notes: ImportNote[] = [];
  const sourceOf = (file: string | undefined): string => (file === undefined ? raw.source : (raw.includes?.find((include) => include.name === file)?.source ?? ''));
  const profileComment = readProfileComment(raw.source, raw.fileName);
  if (profileComment) notes.push({ file: raw.fileName, line: profileComment.line, key: 'tidemark profile', kind: 'mapped', detail: '$.enabled' });

  for (const call of raw.settings) {
    const view = tableView(call.table);
    for (const key of view ? [...view.fields.keys(), ...view.positional.filter((name) => typeof name === 'string')] : []) {
      const line = locateKey(sourceOf(call.file), call.line, 'settings', [key]) ?? call.line;
      notes.push({ file: call.file ?? raw.fileName, line, key: `settings.${key}`, kind: 'mapped', detail: `$.settings.${key}` });
    }
  }
  const syncs = config.syncs.map((sync, index): ProfileSync => {
    const call = raw.syncs[index];
    if (call === undefined) throw new Error('the validated config has more syncs than the Lua left');
    const file = call.file ?? raw.fileName;
    const pairing = readPairingComment(sourceOf(call.file), call.line, file);
    if (pairing && sync.target.kind !== 'ssh') throw new ConfigError({ file, line: pairing.line }, 'a tidemark pairing comment belongs above a sync{} with a remote (ssh) target');
    const profileSync = syncOf(sync, config.settings, pairing?.meta ?? {});
    const keyNotes = new SyncNotes(notes, file, sourceOf(call.file), call.line, index, sync);
    if (pairing) notes.push({ file, line: pairing.line, key: 'tidemark pairing', kind: 'mapped', detail: `$.syncs[${index}].target.keyName, .knownHosts` });
    keyNotes.add(call.table, pairing?.meta ?? {});
    return profileSync;
  });
  const profile: Profile = { enabled: profileComment?.meta.enabled ?? true, ...settingsOf(config.settings), syncs };
  return { profile, notes: notes.sort((a, b) => a.file.localeCompare(b.file) || a.line - b.line || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)) };
}

/** Settings that differ from lsyncd's defaults (paths are already absolute). */
function settingsOf(settings: Settings): { settings?: ProfileSettings } {
  const entries = Object.entries(settings).filter(([key, value]) => value !== undefined && value !== DEFAULT_SETTINGS[key as keyof Settings]);
  return entries.length === 0 ? {} : { settings: Object.fromEntries(entries) as ProfileSettings };
}

function targetOf(target: TargetSpec, ssh: SshTable, pairing: PairingMeta): ProfileTarget {
  if (target.kind === 'local') return { kind: 'local', dir: target.dir };
  if (target.kind === 'rsyncd') return { kind: 'rsyncd', address: target.address };
  const at = target.host.lastIndexOf('@');
  const host = target.host.slice(at + 1).replace(/^\[(.*)\]$/, '$1');
  return {
    kind: 'ssh',
    host,
    ...(at > 0 ? { user: target.host.slice(0, at) } : {}),
    ...(ssh.port !== undefined ? { port: ssh.port } : {}),
    dir: target.dir,
    ...(pairing.keyName !== undefined ? { keyName: pairing.keyName } : {}),
    ...(pairing.knownHosts !== undefined ? { knownHosts: pairing.knownHosts } : {}),
  };
}

/** Whether `options` carry exactly what the target's knownHosts stands for. */
function pinsKnownHosts(options: Readonly<Record<string, string>>, knownHosts: string | undefined): boolean {
  return knownHosts !== undefined && Object.entries(knownHostsOptions(knownHosts)).every(([key, value]) => options[key] === value);
}

function rsyncOf(sync: SyncConfig): ProfileRsync | undefined {
  const table: Record<string, boolean | string | number | readonly string[]> = {};
  if (sync.rsync.binary !== DEFAULT_RSYNC.binary) table['binary'] = sync.rsync.binary;
  // perms = true is Tidemark's default already (lsyncd's is false): nothing to store.
  for (const [flag, on] of Object.entries(sync.rsync.flags)) if (!(flag === 'perms' && on)) table[flag] = on;
  Object.assign(table, sync.rsync.values);
  if (sync.rsync.extra.length > 0) table['_extra'] = sync.rsync.extra;
  return Object.keys(table).length === 0 ? undefined : table;
}

function sshOf(sync: SyncConfig, knownHosts: string | undefined): ProfileSync['ssh'] {
  const { ssh } = sync;
  const pinned = pinsKnownHosts(ssh.options, knownHosts);
  const options = Object.fromEntries(Object.entries(ssh.options).filter(([key]) => !(pinned && key in knownHostsOptions(''))));
  const table = {
    ...(ssh.binary !== DEFAULT_SSH.binary ? { binary: ssh.binary } : {}),
    ...(ssh.identityFile !== undefined ? { identityFile: ssh.identityFile } : {}),
    ...(Object.keys(options).length > 0 ? { options } : {}),
    ...(ssh.extra.length > 0 ? { _extra: [...ssh.extra] } : {}),
  };
  return Object.keys(table).length === 0 ? undefined : table;
}

function syncOf(sync: SyncConfig, settings: Settings, pairing: PairingMeta): ProfileSync {
  const defaults = SYNC_DEFAULTS[sync.kind];
  const rsync = rsyncOf(sync);
  const ssh = sync.kind === 'direct' ? undefined : sshOf(sync, pairing.knownHosts);
  return {
    kind: sync.kind,
    source: sync.source,
    target: targetOf(sync.target, sync.ssh, pairing),
    delay: sync.delay,
    ...(settings.maxDelays === undefined && sync.maxDelays !== defaults.maxDelays ? { maxDelays: sync.maxDelays } : {}),
    ...(settings.maxProcesses === undefined && sync.maxProcesses !== defaults.maxProcesses ? { maxProcesses: sync.maxProcesses } : {}),
    delete: sync.delete,
    ...(sync.init !== defaults.init ? { init: sync.init } : {}),
    ...(sync.filters.length > 0 ? { filters: sync.filters.map((rule) => `${rule.action} ${rule.pattern}`) } : {}),
    ...(rsync ? { rsync } : {}),
    ...(ssh ? { ssh } : {}),
    ...(sync.watcher ? { watcher: sync.watcher } : {}),
    ...(sync.reconcile !== undefined ? { reconcile: sync.reconcile } : {}),
    ...(sync.maxDeletes !== undefined ? { maxDeletes: sync.maxDeletes } : {}),
    ...(sync.maxDeletePercent !== undefined ? { maxDeletePercent: sync.maxDeletePercent } : {}),
    ...(sync.maxDeleteWindow !== undefined ? { maxDeleteWindow: sync.maxDeleteWindow } : {}),
    ...(sync.trash !== undefined ? { trash: sync.trash } : {}),
    ...(sync.trashDays !== undefined ? { trashDays: sync.trashDays } : {}),
  };
}

/** The notes for the keys of one sync{} call. */
class SyncNotes {
  private readonly at: string;
  constructor(
    private readonly notes: ImportNote[],
    private readonly file: string,
    private readonly source: string,
    private readonly callLine: number,
    index: number,
    private readonly sync: SyncConfig,
  ) {
    this.at = `$.syncs[${index}]`;
  }

  private note(path: readonly string[], kind: ImportNote['kind'], detail: string, inherited: boolean): void {
    const line = inherited ? this.callLine : (locateKey(this.source, this.callLine, 'sync', path) ?? this.callLine);
    this.notes.push({ file: this.file, line, key: path.join('.'), kind, detail });
  }

  /** Every key of the call's table, and of the tables it inherits from (lsyncd's positional tables). */
  add(table: LuaValue, pairing: PairingMeta, inherited = false, depth = 0): void {
    const view = tableView(table);
    if (view === undefined || depth > 20) return;
    for (const [key, value] of view.fields) this.key(key, value, pairing, inherited);
    for (const entry of view.positional) {
      const kind = defaultKindOf(entry);
      if (kind) this.notes.push({ file: this.file, line: this.callLine, key: `default.${kind}`, kind: 'mapped', detail: `${this.at}.kind` });
      else this.add(entry, pairing, true, depth + 1);
    }
  }

  private key(key: string, value: LuaValue, pairing: PairingMeta, inherited: boolean): void {
    const sync = this.sync;
    const at = this.at;
    const mapped = (detail: string, path: readonly string[] = [key]): void => this.note(path, 'mapped', detail, inherited);
    const dropped = (detail: string, path: readonly string[] = [key]): void => this.note(path, 'not-mapped', detail, inherited);
    if (key === 'rsync' || key === 'ssh') {
      for (const [inner] of tableView(value)?.fields ?? []) this.tableKey(key, inner, pairing, inherited);
      return;
    }
    if (key === 'host') mapped(`${at}.target.host${sync.target.kind === 'ssh' && sync.target.host.includes('@') ? ' and .user' : ''}`);
    else if (key === 'targetdir') mapped(`${at}.target.dir`);
    else if (key === 'exclude' || key === 'filter') mapped(`${at}.filters`);
    else if (key === 'excludeFrom' || key === 'filterFrom') dropped(`the file is not linked: its rules were copied into ${at}.filters, so later edits of it do not apply`);
    else if ((key === 'maxDelays' || key === 'maxProcesses') && value !== null && sync[key] !== value) dropped(`settings.${key} wins over it (as in lsyncd)`);
    else mapped(`${at}.${key}`);
  }

  private tableKey(table: 'rsync' | 'ssh', key: string, pairing: PairingMeta, inherited: boolean): void {
    const at = this.at;
    const path = [table, key];
    const local = this.sync.target.kind !== 'ssh';
    if (table === 'rsync' && key === 'perms' && this.sync.rsync.flags['perms'] === true) this.note(path, 'not-mapped', "Tidemark's default already (lsyncd's is off): not stored", inherited);
    else if (table === 'ssh' && key === 'port') this.note(path, local ? 'not-mapped' : 'mapped', local ? 'the target is not reached over ssh' : `${at}.target.port`, inherited);
    else if (table === 'ssh' && key === 'options' && pinsKnownHosts(this.sync.ssh.options, pairing.knownHosts)) this.note(path, 'mapped', `${at}.ssh.options; UserKnownHostsFile and StrictHostKeyChecking: ${at}.target.knownHosts`, inherited);
    else if (table === 'ssh' && this.sync.kind === 'direct') this.note(path, 'not-mapped', 'default.direct runs no ssh', inherited);
    else this.note(path, 'mapped', `${at}.${table}.${key}`, inherited);
  }
}
