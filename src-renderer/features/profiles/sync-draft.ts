// One sync of a profile as the editor's fields hold it, and back. Keys the editor does not show
// (the rsync table's other options, the ssh table, init, maxProcesses, the profile's settings)
// are carried over untouched from the profile as loaded. Empty fields mean "not set": the
// default applies, as in the profile file. Pure: test/renderer/sync-draft.test.ts.
import type { ProfileSync, ProfileTarget } from '../../../src-shared/model/profile';
import { RECONCILE_POLICIES, type ReconcilePolicy } from '../../../src-shared/model/config-keys';
import { describeLineProblems, linesOf, numberOrOffOf, parseFilterLines, parseNumber, parseNumberOrOff, textOf, type NumberOrOff } from '../../lib/ui/form-values';

export type DeleteMode = 'true' | 'false' | 'startup' | 'running';
export const DELETE_MODES: readonly { value: DeleteMode; label: string }[] = [
  { value: 'true', label: 'At startup and while running' },
  { value: 'startup', label: 'Only at startup' },
  { value: 'running', label: 'Only while running' },
  { value: 'false', label: 'Never: keep files deleted from the source' },
];
export { RECONCILE_POLICIES, type ReconcilePolicy };

/** What the editor shows read-only: pairing set them, pairing again changes them. */
export interface PairingFacts {
  readonly keyName: string | null;
  readonly knownHosts: string | null;
}

export interface SyncDraft {
  source: string;
  targetKind: ProfileTarget['kind'];
  localDir: string;
  sshHost: string;
  sshUser: string;
  sshPort: string;
  sshDir: string;
  rsyncdAddress: string;
  delay: string;
  maxDelays: string;
  filters: string;
  deleteMode: DeleteMode;
  perms: boolean;
  owner: boolean;
  group: boolean;
  compress: boolean;
  maxDeletes: NumberOrOff;
  maxDeletePercent: NumberOrOff;
  maxDeleteWindow: string;
  reconcile: ReconcilePolicy;
  trash: boolean;
  trashDays: string;
}

/** The fields a problem can be shown beside. */
export type SyncField = 'source' | 'localDir' | 'sshHost' | 'sshUser' | 'sshPort' | 'sshDir' | 'rsyncdAddress' | 'delay' | 'maxDelays' | 'filters' | 'maxDeletes' | 'maxDeletePercent' | 'maxDeleteWindow' | 'trashDays';

export function draftOfSync(sync: ProfileSync): SyncDraft {
  const target = sync.target;
  const rsync = sync.rsync ?? {};
  return {
    source: sync.source,
    targetKind: target.kind,
    localDir: target.kind === 'local' ? target.dir : '',
    sshHost: target.kind === 'ssh' ? target.host : '',
    sshUser: target.kind === 'ssh' ? (target.user ?? '') : '',
    sshPort: target.kind === 'ssh' ? textOf(target.port) : '',
    sshDir: target.kind === 'ssh' ? target.dir : '',
    rsyncdAddress: target.kind === 'rsyncd' ? target.address : '',
    delay: textOf(sync.delay),
    maxDelays: textOf(sync.maxDelays),
    filters: linesOf(sync.filters),
    deleteMode: sync.delete === undefined ? 'true' : (String(sync.delete) as DeleteMode),
    // Tidemark preserves permissions unless told not to (lsyncd does not).
    perms: rsync['perms'] !== false,
    owner: rsync['owner'] === true,
    group: rsync['group'] === true,
    compress: rsync['compress'] === true,
    maxDeletes: numberOrOffOf(sync.maxDeletes),
    maxDeletePercent: numberOrOffOf(sync.maxDeletePercent),
    maxDeleteWindow: textOf(sync.maxDeleteWindow),
    reconcile: sync.reconcile ?? 'ask',
    trash: sync.trash === true,
    trashDays: textOf(sync.trashDays),
  };
}

export function pairingOf(sync: ProfileSync): PairingFacts {
  return sync.target.kind === 'ssh' ? { keyName: sync.target.keyName ?? null, knownHosts: sync.target.knownHosts ?? null } : { keyName: null, knownHosts: null };
}

export type SyncResult = { readonly ok: true; readonly sync: ProfileSync } | { readonly ok: false; readonly problems: Partial<Record<SyncField, string>> };

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Sets `key` to `value`, or removes it when undefined (so an empty field leaves the default). */
function put<T extends object, K extends keyof T>(object: Mutable<T>, key: K, value: T[K] | undefined): void {
  if (value === undefined) delete object[key];
  else object[key] = value;
}

function targetOf(original: ProfileTarget, draft: SyncDraft, problems: Partial<Record<SyncField, string>>): ProfileTarget | null {
  const required = (field: SyncField, text: string, what: string): string => {
    if (text.trim() === '') problems[field] = `enter ${what}`;
    return text.trim();
  };
  if (draft.targetKind === 'local') {
    const dir = required('localDir', draft.localDir, 'the target directory');
    if (dir !== '' && !dir.startsWith('/')) problems.localDir = 'must be an absolute path (starting with /)';
    return { kind: 'local', dir };
  }
  if (draft.targetKind === 'rsyncd') return { kind: 'rsyncd', address: required('rsyncdAddress', draft.rsyncdAddress, "the daemon's address") };
  const host = required('sshHost', draft.sshHost, 'the host');
  if (/[\s@/]/.test(host)) problems.sshHost = 'must be a host name, an address or an ssh_config alias (no spaces, @ or /; the user goes in User)';
  const user = draft.sshUser.trim();
  if (/[\s@:/]/.test(user)) problems.sshUser = 'must be a user name (no spaces, @, : or /)';
  const port = parseNumber(draft.sshPort, { integer: true, min: 1, max: 65535, optional: true });
  if (!port.ok) problems.sshPort = port.message;
  const dir = required('sshDir', draft.sshDir, 'the directory on the server');
  // The key and the pinned host key are pairing's: kept as they were (same host or not).
  const pinned = original.kind === 'ssh' ? { keyName: original.keyName, knownHosts: original.knownHosts } : {};
  const target: Mutable<ProfileTarget & { kind: 'ssh' }> = { kind: 'ssh', host, dir };
  put(target, 'user', user === '' ? undefined : user);
  put(target, 'port', port.ok ? port.value : undefined);
  put(target, 'keyName', pinned.keyName);
  put(target, 'knownHosts', pinned.knownHosts);
  return target;
}

/** The sync the draft describes, starting from `original` so that keys not shown stay; or each field's problem. */
export function syncOfDraft(original: ProfileSync, draft: SyncDraft): SyncResult {
  const problems: Partial<Record<SyncField, string>> = {};
  const source = draft.source.trim();
  if (source === '') problems.source = 'enter the source directory';
  else if (!source.startsWith('/')) problems.source = 'must be an absolute path (starting with /)';
  const target = targetOf(original.target, draft, problems);
  const number = (field: SyncField, text: string, rules: Parameters<typeof parseNumber>[1]) => {
    const parsed = parseNumber(text, { ...rules, optional: true });
    if (!parsed.ok) problems[field] = parsed.message;
    return parsed.ok ? parsed.value : undefined;
  };
  const delay = number('delay', draft.delay, { min: 0 });
  const maxDelays = number('maxDelays', draft.maxDelays, { integer: true, min: 0 });
  const maxDeleteWindow = number('maxDeleteWindow', draft.maxDeleteWindow, { min: 0 });
  const trashDays = number('trashDays', draft.trashDays, { min: 0 });
  const maxDeletes = parseNumberOrOff(draft.maxDeletes, { integer: true, min: 1, optional: true });
  if (!maxDeletes.ok) problems.maxDeletes = maxDeletes.message;
  const maxDeletePercent = parseNumberOrOff(draft.maxDeletePercent, { above: 0, max: 100, optional: true });
  if (!maxDeletePercent.ok) problems.maxDeletePercent = maxDeletePercent.message;
  const filters = parseFilterLines(draft.filters);
  if (filters.problems.length > 0) problems.filters = describeLineProblems(filters.problems);
  if (Object.keys(problems).length > 0 || target === null) return { ok: false, problems };

  const sync: Mutable<ProfileSync> = { ...original, source, target };
  // rsyncssh needs an ssh target: moved elsewhere, the sync takes the default kind for its target.
  if (original.kind === 'rsyncssh' && target.kind !== 'ssh') delete sync.kind;
  put(sync, 'delay', delay);
  put(sync, 'maxDelays', maxDelays);
  put(sync, 'filters', filters.values.length > 0 ? filters.values : undefined);
  // Absent is lsyncd's default (true); keep it absent when the person left it so.
  put(sync, 'delete', draft.deleteMode === 'true' ? (original.delete === undefined ? undefined : true) : draft.deleteMode === 'false' ? false : draft.deleteMode);
  const rsync: Mutable<NonNullable<ProfileSync['rsync']>> = { ...original.rsync };
  put(rsync, 'perms', draft.perms ? (rsync['perms'] === true ? true : undefined) : false);
  for (const flag of ['owner', 'group', 'compress'] as const) put(rsync, flag, draft[flag] ? true : rsync[flag] === false ? false : undefined);
  put(sync, 'rsync', Object.keys(rsync).length > 0 ? rsync : undefined);
  put(sync, 'maxDeletes', maxDeletes.ok ? maxDeletes.value : undefined);
  put(sync, 'maxDeletePercent', maxDeletePercent.ok ? maxDeletePercent.value : undefined);
  put(sync, 'maxDeleteWindow', maxDeleteWindow);
  put(sync, 'reconcile', draft.reconcile === 'ask' && original.reconcile === undefined ? undefined : draft.reconcile);
  put(sync, 'trash', draft.trash ? true : original.trash === undefined ? undefined : false);
  put(sync, 'trashDays', trashDays);
  return { ok: true, sync };
}
