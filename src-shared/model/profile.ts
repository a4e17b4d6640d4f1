// The app's own config: one JSON profile per sync set, in the shapes of the lsyncd keys it maps
// onto (profile-to-config.ts turns it into the same TidemarkConfig the Lua loader gives). Pure
// valibot, no node:* imports: the IPC contract carries it.
import * as v from 'valibot';
import { INOTIFY_MODES, RECONCILE_POLICIES, RSYNC_FLAGS, RSYNC_VALUES } from './config-keys';

/** Bounds that keep a hostile or broken file from costing memory: a path, a name, a list. */
export const LIMITS = { path: 4096, text: 1024, list: 10_000, syncs: 256, fileBytes: 1 << 20 } as const;

const text = (max: number = LIMITS.text) => v.pipe(v.string(), v.minLength(1, 'must be a non-empty string'), v.maxLength(max, `must be at most ${max} characters`));
const absolutePath = v.pipe(text(LIMITS.path), v.startsWith('/', 'must be an absolute path (starting with /)'), v.check((path) => !path.includes('\0'), 'must not contain a NUL byte'));
const count = (min: number) => v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(min, `must be at least ${min}`));
const seconds = v.pipe(v.number(), v.finite('must be a finite number'), v.minValue(0, 'must be at least 0'));
const port = v.pipe(v.number(), v.integer('must be a whole number'), v.minValue(1, 'must be a port from 1 to 65535'), v.maxValue(65535, 'must be a port from 1 to 65535'));
const stringList = v.pipe(v.array(v.pipe(v.string(), v.maxLength(LIMITS.text, `must be at most ${LIMITS.text} characters`))), v.maxLength(LIMITS.list, `must have at most ${LIMITS.list} entries`));
const picklist = <T extends string>(options: readonly T[]) => v.picklist(options, `must be one of ${options.map((option) => `'${option}'`).join(', ')}`);

export const LocalTargetSchema = v.strictObject({
  kind: v.literal('local'),
  dir: absolutePath,
});

/** A remote directory reached over ssh; keyName and knownHosts are what pairing records. */
export const SshTargetSchema = v.strictObject({
  kind: v.literal('ssh'),
  /** A host name, an address or an ssh_config alias, without the user. */
  host: v.pipe(text(255), v.regex(/^[^\s@/]+$/, 'must be a host name, an address or an ssh_config alias (no spaces, @ or /; the user goes in user)')),
  user: v.optional(v.pipe(text(255), v.regex(/^[^\s@:/]+$/, 'must be a user name (no spaces, @, : or /)'))),
  port: v.optional(port),
  /** The directory on the remote host (relative paths are below the remote user's home). */
  dir: v.pipe(text(LIMITS.path), v.check((dir) => !dir.includes('\0'), 'must not contain a NUL byte')),
  /** The name of a private key in the app's keychain, which its agent serves to ssh. */
  keyName: v.optional(v.pipe(text(255), v.regex(/^[A-Za-z0-9][A-Za-z0-9._@-]*$/, 'must be a key name (letters, digits, . _ @ -)'))),
  /** An app-owned known_hosts file that pins the host key (StrictHostKeyChecking=yes). */
  knownHosts: v.optional(absolutePath),
});

/** An rsync daemon's module, written as rsync takes it: rsync://[user@]host[:port]/module/dir or [user@]host::module/dir. */
export const RsyncdTargetSchema = v.strictObject({
  kind: v.literal('rsyncd'),
  address: text(LIMITS.path),
});

export const TargetSchema = v.variant('kind', [LocalTargetSchema, SshTargetSchema, RsyncdTargetSchema], "must be a target with kind 'local', 'ssh' or 'rsyncd'");

/** An rsync option's value: a flag's boolean, a valued option's string or number, _extra's list. */
type RsyncValue = boolean | string | number | readonly string[];

/**
 * The rsync = {} table with lsyncd's key names (its flags, its valued options, binary and _extra).
 * The entries come from lsyncd's key tables, so their type is a record; each key is still checked.
 */
const rsyncEntries: Record<string, v.OptionalSchema<v.GenericSchema<RsyncValue>, undefined>> = {
  binary: v.optional(text(LIMITS.path)),
  _extra: v.optional(stringList),
  ...Object.fromEntries(RSYNC_FLAGS.map((flag) => [flag, v.optional(v.boolean('must be true or false'))])),
  ...Object.fromEntries(RSYNC_VALUES.map((name) => [name, v.optional(v.union([text(), v.pipe(v.number(), v.finite())], 'must be a string or a number'))])),
};
export const RsyncSchema = v.strictObject(rsyncEntries);

/** The ssh = {} table; the port lives on the target. */
export const SshSchema = v.strictObject({
  binary: v.optional(text(LIMITS.path)),
  identityFile: v.optional(absolutePath),
  options: v.optional(v.pipe(v.record(v.pipe(v.string(), v.maxLength(64, 'must be an ssh option name'), v.regex(/^[A-Za-z][A-Za-z0-9]*$/, 'must be an ssh option name')), text()), v.check((options) => Object.keys(options).length <= 256, 'must have at most 256 options'))),
  _extra: v.optional(stringList),
});

/** One rsync filter rule as lsyncd's filter takes it: '- PATTERN' excludes, '+ PATTERN' includes. */
const FilterRuleSchema = v.pipe(v.string(), v.maxLength(LIMITS.text, `must be at most ${LIMITS.text} characters`), v.regex(/^[+-] ?\S/s, "must be a rule: '- PATTERN' to exclude or '+ PATTERN' to include"));

export const SyncSchema = v.strictObject({
  /** default.rsync, default.rsyncssh or default.direct; when absent, rsyncssh for an ssh target, else rsync. */
  kind: v.optional(picklist(['rsync', 'rsyncssh', 'direct'] as const)),
  source: absolutePath,
  target: TargetSchema,
  delay: v.optional(seconds),
  maxDelays: v.optional(count(0)),
  maxProcesses: v.optional(count(1)),
  delete: v.optional(v.union([v.boolean(), v.literal('startup'), v.literal('running')], "must be true, false, 'startup' or 'running'")),
  init: v.optional(v.boolean('must be true or false')),
  /** exclude and filter as one first-match-wins list. */
  filters: v.optional(v.pipe(v.array(FilterRuleSchema), v.maxLength(LIMITS.list, `must have at most ${LIMITS.list} rules`))),
  rsync: v.optional(RsyncSchema),
  ssh: v.optional(SshSchema),
  watcher: v.optional(picklist(['inotify', 'chokidar', 'poll'] as const)),
  reconcile: v.optional(picklist(RECONCILE_POLICIES)),
  maxDeletes: v.optional(v.union([count(1), v.literal(false)], 'must be a whole number >= 1, or false for no limit')),
  maxDeletePercent: v.optional(v.union([v.pipe(v.number(), v.gtValue(0), v.maxValue(100)), v.literal(false)], 'must be a number above 0 and at most 100, or false for no limit')),
  maxDeleteWindow: v.optional(seconds),
  trash: v.optional(v.boolean('must be true or false')),
  trashDays: v.optional(seconds),
});

export const SettingsSchema = v.strictObject({
  logfile: v.optional(absolutePath),
  statusFile: v.optional(absolutePath),
  statusInterval: v.optional(seconds),
  nodaemon: v.optional(v.boolean('must be true or false')),
  pidfile: v.optional(absolutePath),
  insist: v.optional(v.boolean('must be true or false')),
  inotifyMode: v.optional(picklist(INOTIFY_MODES)),
  maxProcesses: v.optional(count(1)),
  maxDelays: v.optional(count(0)),
  logfacility: v.optional(text()),
  logident: v.optional(text()),
});

export const ProfileSchema = v.strictObject({
  /** The format's version; absent means 1. */
  version: v.optional(v.literal(1, 'must be 1 (the only profile format so far)')),
  /** Whether the app starts this profile's syncs; `tidemark run NAME` runs it either way. */
  enabled: v.boolean('must be true or false'),
  settings: v.optional(SettingsSchema),
  syncs: v.pipe(v.array(SyncSchema), v.minLength(1, 'must list at least one sync'), v.maxLength(LIMITS.syncs, `must have at most ${LIMITS.syncs} syncs`)),
});

export type ProfileRsync = Readonly<Record<string, RsyncValue | undefined>>;
export type Profile = v.InferOutput<typeof ProfileSchema>;
export type ProfileSync = Profile['syncs'][number];
export type ProfileTarget = v.InferOutput<typeof TargetSchema>;
export type ProfileSshTarget = v.InferOutput<typeof SshTargetSchema>;
export type ProfileSettings = v.InferOutput<typeof SettingsSchema>;
