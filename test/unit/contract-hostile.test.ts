// The one IPC contract against hostile messages: every invoke channel (taken from the contract
// itself, so a new channel is covered as soon as it is declared) refuses what it does not
// describe, with a ContractError that names the channel, and a refused message never reaches a
// handler. Outputs and event payloads are checked too.
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import * as v from 'valibot';
import {
  ContractError, events, invoke, parseInvoke, type EventChannel, type EventPayload, type InvokeChannel, type InvokeInput, type InvokeOutput,
} from '../../src-shared/ipc/contract';
import { routeInvoke, type InvokeHandlers } from '../../src-main/services/contract-router';
import { DEFAULT_APP_SETTINGS } from '../../src-shared/model/app-settings';
import type { Profile } from '../../src-shared/model/profile';

const CHANNELS = Object.keys(invoke) as InvokeChannel[];
const EVENT_CHANNELS = Object.keys(events) as EventChannel[];

const PAIRING = '0123456789abcdef0123456789abcdef';
const HUGE = 'a'.repeat(10 * 1024 * 1024);
/** A refusal quotes a few issues, each cut short, never the whole hostile message. */
const MESSAGE_BOUND = 2000;
const MANY = 200_000;

const PROFILE: Profile = {
  enabled: true,
  syncs: [
    { source: '/srv/data', target: { kind: 'local', dir: '/backup/data' } },
    {
      source: '/home/alice',
      target: { kind: 'ssh', host: 'backup.example.org', user: 'alice', port: 2222, dir: 'backups/alice', keyName: 'tidemark-backup', knownHosts: '/home/alice/.config/tidemark/known_hosts' },
      filters: ['- *.tmp', '+ docs/**'],
      rsync: { compress: true, _extra: ['--info=progress2'] },
      ssh: { options: { ServerAliveInterval: '30' } },
      maxDeletes: 100,
      maxDeletePercent: 25,
    },
  ],
};

const KEY_INFO = { version: 1, name: 'laptop', comment: 'tidemark@laptop', created: '2024-05-01T12:00:00.000Z', store: 'keychain', fingerprint: '256 SHA256:abc tidemark@laptop (ED25519)', encrypted: true } as const;
const LOG_LINE = { seq: 3, at: 1_700_000_000_000, level: 'Normal', profile: 'home', text: 'Normal: Finished a list' } as const;
const TARGET_STATUS: EventPayload<'status:target'> = {
  id: 'home:1', profile: 'home', source: '/srv/data/', target: '/backup/data/', kind: 'local',
  state: { kind: 'idle', lastSyncAt: 1_700_000_000_000 }, paused: false, holding: null, pending: 0, transfer: null,
  throughput: [{ at: 1_700_000_000_000, bytesPerSecond: 10 }], lastSyncAt: 1_700_000_000_000,
  recent: [{ path: 'a.txt', kind: 'created', at: 1_700_000_000_000 }], errors: [], watchedDirs: 3, watcher: 'inotify',
};

/**
 * One minimal valid input per channel, optional keys included so that the generic cases below
 * reach them too. The type makes a new channel a compile error until it has a row; the first
 * test makes it a failure at run time as well.
 */
const VALID_INPUT: { [C in InvokeChannel]: InvokeInput<C> } = {
  'app:info': {},
  'status:targets': {},
  'control:pause': { target: 'home:1' },
  'control:resume': { target: 'home:12' },
  'control:sync-now': { target: 'Sync1' },
  'safety:targets': {},
  // Names that start with '.' or '-' are ordinary files below a source, so paths keep them.
  'safety:decide': { target: 'home:1', action: 'keep', paths: ['docs/a.txt', '.bashrc', '-dash-file', 'dir/.hidden/x'] },
  'safety:release': { target: 'home:1', paths: ['docs/a.txt'] },
  'safety:resume': { target: 'home:1' },
  'pairing:begin': {},
  'pairing:connect': { pairing: PAIRING, host: 'backup.example.org', user: 'alice', port: 22 },
  'pairing:confirm-host-key': { pairing: PAIRING, fingerprint: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s' },
  'pairing:install-key': { pairing: PAIRING, keyName: 'tidemark-backup', password: 'hunter2' },
  'pairing:verify': { pairing: PAIRING, passphrase: 'correct horse battery staple' },
  'pairing:preflight': { pairing: PAIRING, targetDir: 'backups/alice' },
  'pairing:save': { pairing: PAIRING, name: 'home', source: '/home/alice', targetDir: 'backups/alice', overwrite: false },
  'pairing:abort': { pairing: PAIRING },
  'keys:list': {},
  'keys:generate': { name: 'laptop', passphrase: 'pw', comment: 'tidemark@laptop' },
  'profiles:list': {},
  'profiles:get': { name: 'home' },
  'profiles:save': { name: 'home', profile: PROFILE, overwrite: true },
  'profiles:set-enabled': { name: 'home', enabled: false },
  'profiles:delete': { name: 'home' },
  'profiles:unlock': { name: 'home', passphrases: { 'tidemark-web1': 'correct horse' } },
  'profiles:import': { name: 'home', config: 'sync { default.rsync, source = "/a", target = "/b" }', file: 'lsyncd.conf.lua', dryRun: true },
  'profiles:export': { name: 'home' },
  'logs:tail': { lines: 100, profile: 'home', level: 'Warn', after: 0 },
  'settings:get': {},
  'pairing:ssh-aliases': {},
  'fs:dirs': { path: '/home/user' },
  'filters:preview': { source: '/srv/data', filters: ['- *.tmp', '+ keep/'], limit: 100 },
  'settings:set': { startAtLogin: true, notifications: { halt: false }, defaults: { delay: 2, excludes: ['*.tmp'], maxDeletes: false, maxDeletePercent: 10 }, lsyncdConfigs: ['/etc/lsyncd/lsyncd.conf.lua'] },
};

/** One valid answer per channel, for the handlers of the routing tests. */
const VALID_OUTPUT: { [C in InvokeChannel]: InvokeOutput<C> } = {
  'app:info': { name: 'Tidemark', version: '1.0.0', face: 'electron' },
  'status:targets': [TARGET_STATUS],
  'control:pause': { targets: 1 },
  'control:resume': { targets: 1 },
  'control:sync-now': { targets: 2 },
  'safety:targets': [],
  'safety:decide': { kind: 'ok' },
  'safety:release': { released: 1 },
  'safety:resume': {},
  'pairing:begin': { pairing: PAIRING },
  'pairing:connect': { kind: 'ok', alias: 'backup', hostname: 'backup.example.org', port: 22, user: 'alice', keyType: 'ssh-ed25519', fingerprint: 'SHA256:x', description: 'ED25519 key fingerprint is SHA256:x', pinned: null },
  'pairing:confirm-host-key': { kind: 'ok', change: 'added' },
  'pairing:install-key': { kind: 'ok', added: true },
  'pairing:verify': { kind: 'ok' },
  'pairing:preflight': { kind: 'failed', step: 'preflight', cause: 'no-rsync', reason: 'rsync is not installed on backup', fix: 'install rsync there' },
  'pairing:save': { kind: 'ok', profile: 'home' },
  'pairing:abort': { leftBehind: [] },
  'keys:list': [KEY_INFO],
  'keys:generate': KEY_INFO,
  'profiles:list': [{ name: 'home', valid: true, error: null, enabled: true, running: false, locked: ['tidemark-web1'], syncs: [{ source: '/srv/data', target: '/backup/data', kind: 'local', pairing: '' }] }],
  'profiles:get': { name: 'home', profile: PROFILE },
  'profiles:save': { name: 'home', profile: PROFILE },
  'profiles:set-enabled': {},
  'profiles:delete': {},
  'profiles:unlock': {},
  'profiles:import': { profile: PROFILE, notes: [{ file: 'lsyncd.conf.lua', line: 1, key: 'sync', kind: 'mapped', detail: '$.syncs[0]' }] },
  'profiles:export': { lua: 'sync { default.rsync, source = "/a", target = "/b" }\n' },
  'logs:tail': [LOG_LINE],
  'settings:get': DEFAULT_APP_SETTINGS,
  'settings:set': DEFAULT_APP_SETTINGS,
  'pairing:ssh-aliases': [{ alias: 'backup', hostname: 'backup.example', user: 'me', port: 22 }],
  'fs:dirs': { path: '/home/user', parent: '/home', dirs: ['docs'], truncated: false },
  'filters:preview': { scanned: 10, excluded: [{ path: 'a.tmp', dir: false, rule: '- *.tmp' }], included: 9, truncated: false },
};

const VALID_EVENT: { [C in EventChannel]: EventPayload<C> } = {
  'app:notice': { text: 'Tidemark is running' },
  'status:target': TARGET_STATUS,
  'status:removed': { id: 'home:1' },
  'logs:line': LOG_LINE,
  'profiles:changed': {},
  'settings:changed': DEFAULT_APP_SETTINGS,
  'app:open': { view: 'safety', subject: 'home:1' },
};

// ---------------------------------------------------------------------------------------------
// Building hostile messages.

type Row = Record<string, unknown>;
interface Hostile {
  readonly channel: InvokeChannel;
  readonly why: string;
  readonly input: unknown;
}

function validRow(channel: InvokeChannel): Row {
  return structuredClone(VALID_INPUT[channel]) as Row;
}

/** The valid row with `key` set, as an own property even for '__proto__' (as JSON.parse makes it). */
function withOwnKey(row: Row, key: string, value: unknown): Row {
  const body = JSON.stringify(row).slice(1, -1);
  return JSON.parse(`{${body}${body ? ',' : ''}${JSON.stringify(key)}:${JSON.stringify(value)}}`) as Row;
}

/** The profile row of profiles:save, changed by `change` (which may reach anywhere inside). */
function profileCase(why: string, change: (profile: { syncs: Row[] } & Row) => void): Hostile {
  const row = validRow('profiles:save');
  change(row.profile as { syncs: Row[] } & Row);
  return { channel: 'profiles:save', why: `profile: ${why}`, input: row };
}

function settingsCase(why: string, input: unknown): Hostile {
  return { channel: 'settings:set', why, input };
}

/** Values of every JSON type but the valid value's own (and never undefined, which an optional key takes). */
function wrongTypes(valid: unknown): unknown[] {
  if (typeof valid === 'string') return [7, true, null, [], {}];
  if (typeof valid === 'number') return ['7', true, null, [], {}];
  if (typeof valid === 'boolean') return ['true', 1, null, [], {}];
  if (Array.isArray(valid)) return ['x', 7, true, null, {}];
  // An array posing as an object is covered by hand below (see 'arrays instead of objects').
  return ['x', 7, true, null];
}

const ATTACK_NAMES = ['', '.', '..', '../x', '/etc/passwd', 'a/../../b', 'a/b', 'a\\b', 'a\0b', 'x\0../../etc', '-rf', '--help', '.hidden', ' home', 'home ', 'a\nb', '\u202ehome', 'a'.repeat(65), HUGE];
const ATTACK_PATHS = ['', '..', '../x', 'a/..', '/etc/passwd', '//etc/passwd', 'a/../../b', 'docs/../../..', 'a\0b', 'x\0../../etc', 'ok\0../etc', 'ok\0/etc/passwd', 'a'.repeat(4097), HUGE];
const ATTACK_TARGET_IDS = [...ATTACK_NAMES, 'home:0', 'home:1000', 'home:-1', 'home:1.5', 'home:', ':1', 'home:1:2'];
const ATTACK_PAIRING_IDS = ['', 'nothex', PAIRING.toUpperCase(), PAIRING.slice(1), `${PAIRING}0`, `../${PAIRING.slice(3)}`, `${PAIRING.slice(1)}\0`, HUGE];

/** Each field that names something (a file, a key, a target, a pairing) and what it must refuse. */
const NAME_FIELDS: { readonly channel: InvokeChannel; readonly key: string; readonly attacks: readonly unknown[]; readonly item?: true }[] = [
  ...(['profiles:get', 'profiles:save', 'profiles:set-enabled', 'profiles:delete', 'profiles:unlock', 'profiles:import', 'profiles:export', 'pairing:save'] as const).map((channel) => ({ channel, key: 'name', attacks: [...ATTACK_NAMES, 'home.json'] })),
  { channel: 'logs:tail', key: 'profile', attacks: ATTACK_NAMES },
  { channel: 'keys:generate', key: 'name', attacks: ATTACK_NAMES },
  { channel: 'pairing:install-key', key: 'keyName', attacks: ATTACK_NAMES },
  ...(['control:pause', 'control:resume', 'control:sync-now', 'safety:decide', 'safety:release', 'safety:resume'] as const).map((channel) => ({ channel, key: 'target', attacks: ATTACK_TARGET_IDS })),
  { channel: 'safety:decide', key: 'paths', attacks: ATTACK_PATHS, item: true },
  { channel: 'safety:release', key: 'paths', attacks: ATTACK_PATHS, item: true },
  ...CHANNELS.filter((channel) => 'pairing' in VALID_INPUT[channel]).map((channel) => ({ channel, key: 'pairing', attacks: ATTACK_PAIRING_IDS })),
  { channel: 'pairing:connect', key: 'host', attacks: ['', '-oProxyCommand=touch /tmp/x', '-p', 'a b', 'a/b', 'alice@host', 'host\0', 'host\n', 'a'.repeat(256), HUGE] },
  { channel: 'pairing:connect', key: 'user', attacks: ['', '-oProxyCommand=x', 'a b', 'a/b', 'root@host', 'root\0', 'a'.repeat(256), HUGE] },
  { channel: 'pairing:connect', key: 'port', attacks: [0, -1, 65536, 22.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, '22'] },
  { channel: 'pairing:preflight', key: 'targetDir', attacks: ['', 'dir\0', 'a'.repeat(4097), HUGE] },
  { channel: 'pairing:save', key: 'targetDir', attacks: ['', 'dir\0', 'a'.repeat(4097), HUGE] },
  { channel: 'fs:dirs', key: 'path', attacks: ['', 'home/alice', '../etc', '/home/../etc', '/home/alice\0/x', `/${'a'.repeat(4096)}`, HUGE] },
  { channel: 'filters:preview', key: 'source', attacks: ['', 'home/alice', '../etc', '/srv/../etc', '/srv\0/x', `/${'a'.repeat(4096)}`, HUGE] },
  { channel: 'filters:preview', key: 'filters', attacks: ['- a\0b', 'a'.repeat(1025), HUGE], item: true },
  { channel: 'filters:preview', key: 'limit', attacks: [0, -1, 5001, 1.5, Number.NaN, Number.POSITIVE_INFINITY] },
  { channel: 'pairing:save', key: 'source', attacks: ['', 'home/alice', '../etc', '/home/alice\0/x', `/${'a'.repeat(4096)}`, HUGE] },
  { channel: 'pairing:confirm-host-key', key: 'fingerprint', attacks: ['a'.repeat(129), HUGE] },
  { channel: 'keys:generate', key: 'comment', attacks: ['a\nb', 'a\rb', 'a\0b', 'a'.repeat(256), HUGE] },
  { channel: 'logs:tail', key: 'lines', attacks: [0, -1, 5001, 1.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] },
  { channel: 'logs:tail', key: 'after', attacks: [-1, 0.5, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] },
  { channel: 'logs:tail', key: 'level', attacks: ['error', 'Everything', '', HUGE] },
  { channel: 'safety:decide', key: 'action', attacks: ['rm', 'DELETE', '', HUGE] },
  { channel: 'safety:release', key: 'paths', attacks: ['All', 'all ', '*'] },
  { channel: 'profiles:import', key: 'config', attacks: ['a'.repeat((1 << 20) + 1), HUGE] },
  { channel: 'profiles:import', key: 'file', attacks: ['a'.repeat(256), HUGE] },
  { channel: 'pairing:install-key', key: 'password', attacks: ['', 'a'.repeat(1025), HUGE] },
  { channel: 'pairing:verify', key: 'passphrase', attacks: ['', 'a'.repeat(1025), HUGE] },
  { channel: 'keys:generate', key: 'passphrase', attacks: ['', 'a'.repeat(1025), HUGE] },
];

function genericCases(channel: InvokeChannel): Hostile[] {
  const valid = validRow(channel);
  const cases: Hostile[] = [
    { channel, why: 'undefined', input: undefined },
    { channel, why: 'null', input: null },
    { channel, why: 'a string', input: 'x' },
    { channel, why: 'a JSON string of the valid input', input: JSON.stringify(valid) },
    { channel, why: 'a number', input: 7 },
    { channel, why: 'NaN', input: Number.NaN },
    { channel, why: 'a boolean', input: true },
    { channel, why: 'an empty array', input: [] },
    { channel, why: 'the valid input in an array', input: [valid] },
    { channel, why: 'a function', input: () => valid },
    { channel, why: 'an extra key', input: { ...valid, evil: true } },
    { channel, why: 'an extra key with an empty name', input: { ...valid, '': 1 } },
    { channel, why: 'many extra keys', input: { ...valid, ...Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`k${i}`, i])) } },
    { channel, why: 'a huge extra key', input: { ...valid, [HUGE]: 1 } },
    ...['__proto__', 'constructor', 'prototype'].map((key) => ({ channel, why: `an own ${key} key`, input: withOwnKey(valid, key, { polluted: 1 }) })),
    { channel, why: 'an own __proto__ key naming a valid field', input: withOwnKey(valid, '__proto__', { name: 'home', target: 'home:1', pairing: PAIRING }) },
  ];
  const entries = (invoke[channel].input as unknown as { entries: Record<string, { type: string }> }).entries;
  for (const [key, value] of Object.entries(valid)) {
    if (entries[key]?.type !== 'optional') {
      const missing = { ...valid };
      delete missing[key];
      cases.push({ channel, why: `missing required key ${key}`, input: missing });
    }
    for (const wrong of wrongTypes(value)) cases.push({ channel, why: `${key} as ${JSON.stringify(wrong)}`, input: { ...valid, [key]: wrong } });
    if (typeof value === 'string') cases.push({ channel, why: `${key} of 10 MB`, input: { ...valid, [key]: value + HUGE } });
    if (typeof value === 'number') {
      for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -1, 1.5]) cases.push({ channel, why: `${key} = ${bad}`, input: { ...valid, [key]: bad } });
    }
    if (Array.isArray(value)) {
      cases.push({ channel, why: `${key} with ${MANY} items`, input: { ...valid, [key]: new Array<unknown>(MANY).fill(value[0]) } });
      cases.push({ channel, why: `${key} holding a number`, input: { ...valid, [key]: [...(value as unknown[]), 7] } });
      cases.push({ channel, why: `${key} holding null`, input: { ...valid, [key]: [...(value as unknown[]), null] } });
    }
    if (value && typeof value === 'object' && !Array.isArray(value)) {
      cases.push({ channel, why: `${key} with an extra key`, input: { ...valid, [key]: { ...value, evil: true } } });
      for (const proto of ['__proto__', 'constructor', 'prototype']) {
        cases.push({ channel, why: `${key} with an own ${proto} key`, input: { ...valid, [key]: withOwnKey(value as Row, proto, { polluted: 1 }) } });
      }
    }
  }
  for (const field of NAME_FIELDS.filter((candidate) => candidate.channel === channel)) {
    for (const attack of field.attacks) {
      const shown = typeof attack === 'string' && attack.length > 80 ? `${attack.length} characters` : JSON.stringify(attack);
      const value = field.item ? [...(valid[field.key] as unknown[]), attack] : attack;
      cases.push({ channel, why: `${field.key}${field.item ? ' item' : ''} ${shown}`, input: { ...valid, [field.key]: value } });
    }
  }
  return cases;
}

/** Cases that reach inside a channel's input: the profile a profile channel carries, the settings patch. */
const NESTED_CASES: Hostile[] = [
  { channel: 'profiles:save', why: 'profile as an array', input: { ...validRow('profiles:save'), profile: [] } },
  { channel: 'profiles:save', why: 'profile as an array holding the profile', input: { ...validRow('profiles:save'), profile: [PROFILE] } },
  profileCase('version 2', (p) => { p.version = 2; }),
  profileCase('enabled as "yes"', (p) => { p.enabled = 'yes'; }),
  profileCase('no syncs', (p) => { p.syncs = []; }),
  profileCase('257 syncs', (p) => { p.syncs = new Array<Row>(257).fill(p.syncs[0] as Row); }),
  profileCase(`${MANY} syncs`, (p) => { p.syncs = new Array<Row>(MANY).fill(p.syncs[0] as Row); }),
  profileCase('a sync as null', (p) => { p.syncs.push(null as unknown as Row); }),
  profileCase('an extra key on a sync', (p) => { (p.syncs[0] as Row).evil = 1; }),
  { channel: 'profiles:save', why: 'profile: an own __proto__ key on the profile', input: { ...validRow('profiles:save'), profile: withOwnKey(PROFILE as unknown as Row, '__proto__', { polluted: 1 }) } },
  profileCase('an own __proto__ key on a sync', (p) => { p.syncs[0] = withOwnKey(p.syncs[0] as Row, '__proto__', { polluted: 1 }); }),
  profileCase('an own constructor key on a target', (p) => { (p.syncs[0] as Row).target = withOwnKey((p.syncs[0] as Row).target as Row, 'constructor', { prototype: { polluted: 1 } }); }),
  profileCase('an own __proto__ key on rsync', (p) => { (p.syncs[1] as Row).rsync = withOwnKey((p.syncs[1] as Row).rsync as Row, '__proto__', { polluted: 1 }); }),
  ...['', 'srv/data', '../etc', '/srv\0/x', HUGE.slice(0, 4097).replace(/^a/, '/'), `/${HUGE}`].map((source) => profileCase(`source ${source.length > 80 ? `of ${source.length} characters` : JSON.stringify(source)}`, (p) => { (p.syncs[0] as Row).source = source; })),
  profileCase('target kind ftp', (p) => { (p.syncs[0] as Row).target = { kind: 'ftp', dir: '/x' }; }),
  profileCase('a local target with a relative dir', (p) => { (p.syncs[0] as Row).target = { kind: 'local', dir: 'backup' }; }),
  profileCase('a local target with a NUL byte', (p) => { (p.syncs[0] as Row).target = { kind: 'local', dir: '/backup\0/x' }; }),
  profileCase('a local target with an ssh host', (p) => { (p.syncs[0] as Row).target = { kind: 'local', dir: '/backup', host: 'x' }; }),
  ...['', 'a b', 'a/b', 'alice@host', HUGE].map((host) => profileCase(`ssh host ${host.length > 80 ? 'of 10 MB' : JSON.stringify(host)}`, (p) => { ((p.syncs[1] as Row).target as Row).host = host; })),
  ...['', 'a:b', 'a b', 'a@b', HUGE].map((user) => profileCase(`ssh user ${user.length > 80 ? 'of 10 MB' : JSON.stringify(user)}`, (p) => { ((p.syncs[1] as Row).target as Row).user = user; })),
  ...[0, 65536, 22.5, Number.NaN, Number.POSITIVE_INFINITY, -22].map((port) => profileCase(`ssh port ${port}`, (p) => { ((p.syncs[1] as Row).target as Row).port = port; })),
  ...['', 'dir\0', HUGE].map((dir) => profileCase(`ssh dir ${dir.length > 80 ? 'of 10 MB' : JSON.stringify(dir)}`, (p) => { ((p.syncs[1] as Row).target as Row).dir = dir; })),
  ...['..', '../x', '/etc/passwd', 'a/../../b', 'a\0b', '-rf', '.hidden', '', HUGE].map((keyName) => profileCase(`ssh keyName ${keyName.length > 80 ? 'of 10 MB' : JSON.stringify(keyName)}`, (p) => { ((p.syncs[1] as Row).target as Row).keyName = keyName; })),
  ...['known_hosts', '/a\0b', HUGE].map((knownHosts) => profileCase(`ssh knownHosts ${knownHosts.length > 80 ? 'of 10 MB' : JSON.stringify(knownHosts)}`, (p) => { ((p.syncs[1] as Row).target as Row).knownHosts = knownHosts; })),
  profileCase('an rsyncd address of 10 MB', (p) => { (p.syncs[0] as Row).target = { kind: 'rsyncd', address: `rsync://${HUGE}` }; }),
  ...[-1, Number.NaN, Number.POSITIVE_INFINITY, '1'].map((delay) => profileCase(`delay ${String(delay)}`, (p) => { (p.syncs[0] as Row).delay = delay; })),
  ...[0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true].map((maxDeletes) => profileCase(`maxDeletes ${String(maxDeletes)}`, (p) => { (p.syncs[0] as Row).maxDeletes = maxDeletes; })),
  ...[0, -5, 101, Number.NaN, Number.POSITIVE_INFINITY].map((percent) => profileCase(`maxDeletePercent ${percent}`, (p) => { (p.syncs[0] as Row).maxDeletePercent = percent; })),
  ...[0, 1.5, -1, Number.NaN].map((maxProcesses) => profileCase(`maxProcesses ${maxProcesses}`, (p) => { (p.syncs[0] as Row).maxProcesses = maxProcesses; })),
  profileCase('a filter that is not a rule', (p) => { (p.syncs[0] as Row).filters = ['*.tmp']; }),
  profileCase('a filter of 10 MB', (p) => { (p.syncs[0] as Row).filters = [`- ${HUGE}`]; }),
  profileCase(`${MANY} filters`, (p) => { (p.syncs[0] as Row).filters = new Array<string>(MANY).fill('- *.tmp'); }),
  profileCase('an unknown rsync option', (p) => { (p.syncs[1] as Row).rsync = { evil: 'x' }; }),
  profileCase('an rsync flag as a string', (p) => { (p.syncs[1] as Row).rsync = { compress: 'yes' }; }),
  profileCase('an rsync _extra of 10 MB', (p) => { (p.syncs[1] as Row).rsync = { _extra: [HUGE] }; }),
  profileCase(`an rsync _extra of ${MANY} items`, (p) => { (p.syncs[1] as Row).rsync = { _extra: new Array<string>(MANY).fill('-v') }; }),
  profileCase('an rsync binary of 10 MB', (p) => { (p.syncs[1] as Row).rsync = { binary: HUGE }; }),
  profileCase('an ssh option name that is not one', (p) => { (p.syncs[1] as Row).ssh = { options: { 'Proxy Command': 'x' } }; }),
  profileCase('an ssh option name of 10 MB', (p) => { (p.syncs[1] as Row).ssh = { options: { [`A${HUGE}`]: 'x' } }; }),
  profileCase('an ssh option value of 10 MB', (p) => { (p.syncs[1] as Row).ssh = { options: { ServerAliveInterval: HUGE } }; }),
  profileCase('257 ssh options', (p) => { (p.syncs[1] as Row).ssh = { options: Object.fromEntries(Array.from({ length: 257 }, (_, i) => [`Option${i}`, 'x'])) }; }),
  profileCase(`${MANY} ssh options`, (p) => { (p.syncs[1] as Row).ssh = { options: Object.fromEntries(Array.from({ length: MANY }, (_, i) => [`Option${i}`, 'x'])) }; }),
  profileCase('an ssh identityFile that is relative', (p) => { (p.syncs[1] as Row).ssh = { identityFile: '.ssh/id_ed25519' }; }),
  profileCase('settings with an unknown key', (p) => { p.settings = { evil: true }; }),
  profileCase('settings.logfile relative', (p) => { p.settings = { logfile: 'log.txt' }; }),
  profileCase('settings.logfile of 10 MB', (p) => { p.settings = { logfile: `/${HUGE}` }; }),
  ...['', '../x', '-rf', '.hidden', 'a/b', 'a\0b', 'a'.repeat(65)].map((keyName) => ({ channel: 'profiles:unlock' as const, why: `passphrases for the key ${JSON.stringify(keyName)}`, input: { name: 'home', passphrases: { [keyName]: 'x' } } })),
  { channel: 'profiles:unlock', why: 'no passphrases', input: { name: 'home', passphrases: {} } },
  { channel: 'profiles:unlock', why: '17 passphrases', input: { name: 'home', passphrases: Object.fromEntries(Array.from({ length: 17 }, (_, i) => [`key${i}`, 'x'])) } },
  ...['', 7, null, ['x'], 'a'.repeat(1025), HUGE].map((passphrase) => ({ channel: 'profiles:unlock' as const, why: `a passphrase ${typeof passphrase === 'string' && passphrase.length > 80 ? `of ${passphrase.length} characters` : JSON.stringify(passphrase)}`, input: { name: 'home', passphrases: { web1: passphrase } } })),
  settingsCase('notifications with an unknown kind', { notifications: { evil: true } }),
  settingsCase('notifications as a string', { notifications: 'all' }),
  settingsCase('a notification as "yes"', { notifications: { halt: 'yes' } }),
  settingsCase('notifications with an own __proto__ key', { notifications: JSON.parse('{"__proto__": {"polluted": 1}}') }),
  settingsCase('defaults with an unknown key', { defaults: { evil: 1 } }),
  settingsCase('defaults with an own constructor key', { defaults: JSON.parse('{"constructor": {"prototype": {"polluted": 1}}}') }),
  ...[-1, 86_401, Number.NaN, Number.POSITIVE_INFINITY].map((delay) => settingsCase(`defaults.delay ${delay}`, { defaults: { delay } })),
  ...[0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, true].map((maxDeletes) => settingsCase(`defaults.maxDeletes ${String(maxDeletes)}`, { defaults: { maxDeletes } })),
  ...[0, 101, Number.NaN, Number.POSITIVE_INFINITY, true].map((percent) => settingsCase(`defaults.maxDeletePercent ${String(percent)}`, { defaults: { maxDeletePercent: percent } })),
  settingsCase('defaults.excludes with an empty pattern', { defaults: { excludes: [''] } }),
  settingsCase('defaults.excludes with a pattern of 10 MB', { defaults: { excludes: [HUGE] } }),
  settingsCase('defaults.excludes with 1001 patterns', { defaults: { excludes: new Array<string>(1001).fill('*.tmp') } }),
  settingsCase(`defaults.excludes with ${MANY} patterns`, { defaults: { excludes: new Array<string>(MANY).fill('*.tmp') } }),
  ...['', 'lsyncd.conf.lua', '../lsyncd.conf.lua', '/etc/../etc/passwd', '/etc/lsyncd\0.lua', `/${HUGE}`].map((path) => settingsCase(`lsyncdConfigs holding ${path.length > 80 ? 'a path of 10 MB' : JSON.stringify(path)}`, { lsyncdConfigs: [path] })),
  settingsCase('65 lsyncdConfigs', { lsyncdConfigs: new Array<string>(65).fill('/etc/lsyncd.lua') }),
  settingsCase('a whole settings object with an extra key', { ...DEFAULT_APP_SETTINGS, evil: 1 }),
];

const HOSTILE: Hostile[] = [...CHANNELS.flatMap(genericCases), ...NESTED_CASES];

const UNKNOWN_CHANNELS: unknown[] = [
  'nope', '', '__proto__', 'constructor', 'toString', 'hasOwnProperty', 'valueOf', 'isPrototypeOf', 'prototype',
  'app:info ', ' app:info', 'APP:INFO', 'app:info\0', 'app:*', 'fs:readFile', HUGE,
  undefined, null, 7, Number.NaN, 7n, true, {}, [], ['app:info'], { toString: () => 'app:info' }, Symbol('app:info'), () => 'app:info',
];

function expectNoPollution(): void {
  const probe: Record<string, unknown> = {};
  expect(probe.polluted).toBeUndefined();
  expect(Object.hasOwn(Object.prototype, 'polluted')).toBe(false);
  expect(Object.getOwnPropertyNames(Object.prototype)).toEqual(PROTOTYPE_NAMES);
  expect(Object.getPrototypeOf(probe)).toBe(Object.prototype);
}
const PROTOTYPE_NAMES = Object.getOwnPropertyNames(Object.prototype);

/** The ContractError a call throws; fails the test when it returns or throws anything else. */
function refusal(call: () => unknown): ContractError {
  try {
    call();
  } catch (error) {
    expect(error).toBeInstanceOf(ContractError);
    return error as ContractError;
  }
  expect.fail('the message was accepted');
}

/** A handler for every channel that records what reaches it and answers validly. */
function recordingHandlers(answer: (channel: InvokeChannel) => unknown = (channel) => VALID_OUTPUT[channel]) {
  const calls: { channel: InvokeChannel; input: unknown }[] = [];
  const handlers = Object.fromEntries(CHANNELS.map((channel) => [channel, (input: unknown) => {
    calls.push({ channel, input });
    return answer(channel);
  }])) as InvokeHandlers;
  return { calls, handlers };
}

afterEach(expectNoPollution);
afterAll(expectNoPollution);

// ---------------------------------------------------------------------------------------------

describe('every invoke channel has a valid input and a valid output here', () => {
  it.each(CHANNELS)('%s has a row in VALID_INPUT and VALID_OUTPUT', (channel) => {
    expect(Object.hasOwn(VALID_INPUT, channel), `add a valid input for '${channel}' to VALID_INPUT`).toBe(true);
    expect(Object.hasOwn(VALID_OUTPUT, channel), `add a valid output for '${channel}' to VALID_OUTPUT`).toBe(true);
  });
  it('has no rows for channels the contract does not declare', () => {
    expect(Object.keys(VALID_INPUT).sort()).toEqual([...CHANNELS].sort());
    expect(Object.keys(VALID_OUTPUT).sort()).toEqual([...CHANNELS].sort());
  });
  it('every channel has hostile cases of its own beyond the generic ones', () => {
    const counts = new Map(CHANNELS.map((channel) => [channel, HOSTILE.filter((hostile) => hostile.channel === channel).length]));
    for (const [channel, count] of counts) expect(count, channel).toBeGreaterThan(10);
  });
});

describe('valid messages are accepted', () => {
  it.each(CHANNELS)('%s accepts its valid input', (channel) => {
    const parsed = parseInvoke(channel, VALID_INPUT[channel]);
    expect(parsed.channel).toBe(channel);
    expect(parsed.input).toEqual(VALID_INPUT[channel]);
  });

  it.each(CHANNELS)('%s reaches its handler once through routeInvoke, and its answer comes back', async (channel) => {
    const { calls, handlers } = recordingHandlers();
    await expect(routeInvoke(handlers, channel, VALID_INPUT[channel])).resolves.toEqual(VALID_OUTPUT[channel]);
    expect(calls).toEqual([{ channel, input: VALID_INPUT[channel] }]);
  });

  const moreValid: { readonly why: string; readonly channel: InvokeChannel; readonly input: unknown }[] = [
    { why: 'control on all targets', channel: 'control:pause', input: {} },
    { why: 'a target id of the daemon', channel: 'control:resume', input: { target: 'Sync12' } },
    { why: 'a target id starting with _', channel: 'safety:resume', input: { target: '_home:3' } },
    { why: 'release all', channel: 'safety:release', input: { target: 'home:1', paths: 'all' } },
    { why: 'release no paths', channel: 'safety:release', input: { target: 'home:1', paths: [] } },
    { why: 'decide on every entry', channel: 'safety:decide', input: { target: 'home:1', action: 'pull' } },
    { why: 'paths at their bounds', channel: 'safety:decide', input: { target: 'home:1', action: 'trash', paths: new Array<string>(100_000).fill('a'.repeat(4096)) } },
    { why: 'a file named ...', channel: 'safety:decide', input: { target: 'home:1', action: 'delete', paths: ['...', 'a/..b', '..c'] } },
    { why: 'a profile name of 64 characters', channel: 'profiles:delete', input: { name: 'a'.repeat(64) } },
    { why: 'a profile name with dots inside', channel: 'profiles:export', input: { name: 'home.v2' } },
    { why: 'an IPv6 host', channel: 'pairing:connect', input: { pairing: PAIRING, host: '[::1]' } },
    { why: 'port 65535', channel: 'pairing:connect', input: { pairing: PAIRING, host: 'h', port: 65535 } },
    { why: 'a secret of 1024 characters', channel: 'pairing:install-key', input: { pairing: PAIRING, keyName: 'k', password: 's'.repeat(1024) } },
    { why: 'an import of 1 MiB', channel: 'profiles:import', input: { name: 'home', config: 'a'.repeat(1 << 20) } },
    { why: 'an empty settings patch', channel: 'settings:set', input: {} },
    { why: 'the whole settings', channel: 'settings:set', input: DEFAULT_APP_SETTINGS },
    { why: 'no log filter', channel: 'logs:tail', input: {} },
    { why: 'an lsyncd config as a log profile', channel: 'logs:tail', input: { profile: 'lsyncd.conf.lua' } },
    { why: 'a profile with an rsyncd target', channel: 'profiles:save', input: { name: 'd', profile: { enabled: false, syncs: [{ source: '/a', target: { kind: 'rsyncd', address: 'rsync://host/module/dir' } }] } } },
  ];
  it.each(moreValid)('accepts $why ($channel)', ({ channel, input }) => {
    expect(parseInvoke(channel, input).channel).toBe(channel);
  });
});

describe('hostile messages are refused, naming the channel', () => {
  it.each(HOSTILE.map((hostile) => [hostile.channel, hostile.why, hostile] as const))('%s refuses %s', (channel, _why, { input }) => {
    const error = refusal(() => parseInvoke(channel, input));
    expect(error.message).toContain(`'${channel}'`);
    expect(error.message.length).toBeLessThan(MESSAGE_BOUND);
  });

  it.each(UNKNOWN_CHANNELS.map((channel) => [typeof channel === 'string' && channel.length > 80 ? `a name of ${channel.length} characters` : String(channel).replace(/\0/g, '\\0'), channel] as const))('refuses the unknown channel %s', (_shown, channel) => {
    const error = refusal(() => parseInvoke(channel, {}));
    expect(error.message).toMatch(/^unknown IPC channel/);
    expect(error.message.length).toBeLessThan(MESSAGE_BOUND);
  });

  it('names a few of many issues, and how many more there are', () => {
    const row = validRow('profiles:save');
    (row.profile as Row).syncs = new Array<Row>(300).fill({ source: 'relative', target: { kind: 'local', dir: 'relative' } });
    const error = refusal(() => parseInvoke('profiles:save', row));
    expect(error.message).toMatch(/^invalid input for 'profiles:save': profile\.syncs\.0\.source: must be an absolute path .*; and \d+ more$/);
    expect(error.message.length).toBeLessThan(MESSAGE_BOUND);
  });

  it('does not echo a secret in the message of a refusal', () => {
    const secret = 'Tr0ub4dor&3-very-secret';
    const cases: [InvokeChannel, unknown][] = [
      ['pairing:install-key', { pairing: PAIRING, keyName: 'k', password: secret.repeat(100) }],
      ['pairing:install-key', { pairing: PAIRING, keyName: 'k', passwrod: secret }],
      ['pairing:install-key', { pairing: 'bad', keyName: 'k', password: secret }],
      ['pairing:verify', { pairing: PAIRING, passphrase: secret.repeat(100) }],
      ['keys:generate', { name: '../k', passphrase: secret }],
    ];
    for (const [channel, input] of cases) expect(refusal(() => parseInvoke(channel, input)).message).not.toContain(secret);
  });

  it('reads an array nested where an optional-only object belongs as that empty object, never as an array', () => {
    // valibot takes an empty array for an object whose keys are all optional; it then means the
    // same as {} and what reaches a handler is a plain object (see the report of this test).
    const parsed = parseInvoke('settings:set', { notifications: [] }).input as Row;
    expect(Array.isArray(parsed.notifications)).toBe(false);
    expect(Object.getPrototypeOf(parsed.notifications)).toBe(Object.prototype);
  });

  it('drops an ssh option named __proto__, constructor or prototype instead of carrying it', () => {
    const row = validRow('profiles:save');
    const options = JSON.parse('{"ServerAliveInterval": "30", "__proto__": {"polluted": 1}, "constructor": "x", "prototype": "y"}') as unknown;
    ((row.profile as { syncs: Row[] }).syncs[1] as Row).ssh = { options };
    const parsed = parseInvoke('profiles:save', row).input as { profile: Profile };
    const parsedOptions = parsed.profile.syncs[1]?.ssh?.options ?? {};
    expect(Object.keys(parsedOptions)).toEqual(['ServerAliveInterval']);
    expect(Object.getPrototypeOf(parsedOptions)).toBe(Object.prototype);
  });
});

describe('routeInvoke: a refused message changes nothing', () => {
  it.each(HOSTILE.map((hostile) => [hostile.channel, hostile.why, hostile] as const))('%s: %s never reaches a handler', async (channel, _why, { input }) => {
    const { calls, handlers } = recordingHandlers();
    const error = await routeInvoke(handlers, channel, input).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toContain(`'${channel}'`);
    expect(calls).toEqual([]);
  });

  it.each(UNKNOWN_CHANNELS.map((channel, index) => [index, channel] as const))('unknown channel #%i never reaches a handler', async (_index, channel) => {
    const { calls, handlers } = recordingHandlers();
    // A handler map that has a key of the channel's name still does not serve it.
    if (typeof channel === 'string') (handlers as Record<string, unknown>)[channel] = () => calls.push({ channel: channel as InvokeChannel, input: null });
    await expect(routeInvoke(handlers, channel, {})).rejects.toBeInstanceOf(ContractError);
    expect(calls).toEqual([]);
  });

  it('refuses a channel that has no handler here, without calling another', async () => {
    const { calls, handlers } = recordingHandlers();
    delete handlers['control:pause'];
    await expect(routeInvoke(handlers, 'control:pause', {})).rejects.toThrow(new ContractError("'control:pause' is not served here"));
    expect(calls).toEqual([]);
  });
});

describe('routeInvoke checks answers too', () => {
  const badAnswers: { readonly channel: InvokeChannel; readonly why: string; readonly output: unknown }[] = [
    { channel: 'app:info', why: 'a missing key', output: { name: 'Tidemark', version: '1' } },
    { channel: 'app:info', why: 'an unknown face', output: { name: 'Tidemark', version: '1', face: 'mobile' } },
    { channel: 'app:info', why: 'undefined', output: undefined },
    { channel: 'control:pause', why: 'a count as a string', output: { targets: '1' } },
    { channel: 'control:pause', why: 'an extra key on a strict answer', output: { targets: 1, secret: 'x' } },
    { channel: 'safety:decide', why: 'an unknown outcome', output: { kind: 'maybe' } },
    { channel: 'safety:decide', why: 'a halt without a reason', output: { kind: 'halt' } },
    { channel: 'pairing:begin', why: 'a pairing id that is not one', output: { pairing: '../x' } },
    { channel: 'pairing:verify', why: 'a failure without a cause', output: { kind: 'failed', step: 'verify', reason: 'r', fix: 'f' } },
    { channel: 'keys:list', why: 'a key named ../x', output: [{ ...KEY_INFO, name: '../x' }] },
    { channel: 'keys:generate', why: 'a key with its private part', output: { ...KEY_INFO, privateKey: '-----BEGIN OPENSSH PRIVATE KEY-----' } },
    { channel: 'status:targets', why: 'a target with an id that is a path', output: [{ ...TARGET_STATUS, id: '../../etc' }] },
    { channel: 'profiles:get', why: 'an invalid profile', output: { name: 'home', profile: { enabled: true, syncs: [] } } },
    { channel: 'settings:get', why: 'settings with an extra key', output: { ...DEFAULT_APP_SETTINGS, evil: true } },
    { channel: 'logs:tail', why: 'a line with a NaN sequence number', output: [{ ...LOG_LINE, seq: Number.NaN }] },
  ];
  it.each(badAnswers)('$channel: an answer with $why is a ContractError', async ({ channel, output }) => {
    const { calls, handlers } = recordingHandlers((called) => (called === channel ? output : VALID_OUTPUT[called]));
    const error = await routeInvoke(handlers, channel, VALID_INPUT[channel]).then(() => undefined, (caught: unknown) => caught);
    expect(error).toBeInstanceOf(ContractError);
    expect((error as Error).message).toContain(`'${channel}' answered outside the contract`);
    expect(calls).toHaveLength(1);
  });

  it('awaits an answer and checks it', async () => {
    const { handlers } = recordingHandlers((channel) => Promise.resolve(channel === 'app:info' ? { name: 1 } : VALID_OUTPUT[channel]));
    await expect(routeInvoke(handlers, 'app:info', {})).rejects.toBeInstanceOf(ContractError);
  });
});

describe('event payloads', () => {
  it('every event channel has a valid payload here', () => {
    expect(Object.keys(VALID_EVENT).sort()).toEqual([...EVENT_CHANNELS].sort());
  });

  it.each(EVENT_CHANNELS)('%s accepts its valid payload', (channel) => {
    expect(v.safeParse(events[channel], VALID_EVENT[channel]).success).toBe(true);
  });

  const malformed: Record<EventChannel, readonly unknown[]> = {
    'app:notice': [{}, { text: 7 }, { text: null }],
    'status:target': [{ ...TARGET_STATUS, id: '../x' }, { ...TARGET_STATUS, state: { kind: 'exploded' } }, { ...TARGET_STATUS, pending: -1 }, { ...TARGET_STATUS, pending: 1.5 }, { ...TARGET_STATUS, lastSyncAt: Number.POSITIVE_INFINITY }, { ...TARGET_STATUS, kind: 'ftp' }, { ...TARGET_STATUS, throughput: [{ at: 1, bytesPerSecond: -1 }] }],
    'status:removed': [{}, { id: '' }, { id: '/etc/passwd' }, { id: 7 }],
    'logs:line': [{ ...LOG_LINE, seq: -1 }, { ...LOG_LINE, at: Number.NaN }, { ...LOG_LINE, level: 'Loud' }, { ...LOG_LINE, profile: undefined }],
    'profiles:changed': [],
    'settings:changed': [{}, { ...DEFAULT_APP_SETTINGS, startAtLogin: 'yes' }],
    'app:open': [{}, { view: 'nowhere' }, { view: 'safety', subject: 7 }],
  };
  const cases = EVENT_CHANNELS.flatMap((channel) => [undefined, null, 'x', 7, true, ...malformed[channel]].map((payload, index) => [channel, index, payload] as const));
  it.each(cases)('%s refuses malformed payload #%i', (channel, _index, payload) => {
    expect(v.safeParse(events[channel], payload).success).toBe(false);
  });
});
