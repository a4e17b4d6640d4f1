import * as v from 'valibot';
import { AppSettingsPatchSchema, AppSettingsSchema, LOG_LEVELS, LogLineSchema } from '../model/app-settings';
import { KeyInfo, KeyName } from '../model/keys';
import {
  ConnectedHostSchema, HostInput, PairingId, PortInput, PreflightSchema, SecretInput, stepResult, UserInput,
} from '../model/pairing';
import { ProfileSchema } from '../model/profile';
import { TARGET_KINDS, TargetId, TargetStateSchema, TargetStatusSchema } from '../model/status';

export { TargetId };

/** Facts about the running app that every face can show. */
export const AppInfo = v.object({
  name: v.string(),
  version: v.string(),
  face: v.picklist(['electron', 'browser']),
});
export type AppInfo = v.InferOutput<typeof AppInfo>;

/**
 * Paths relative to the source, as byte strings (see RelPath): bounded, never absolute, never `..`,
 * never a NUL byte (rsync reads path lists NUL-separated, so `ok\0../x` would be two paths).
 */
const RelPathSchema = v.pipe(
  v.string(),
  v.maxLength(4096),
  v.check((path) => path !== '' && !path.startsWith('/') && !path.includes('\0') && !path.split('/').includes('..'), 'a path relative to the source, without .. or a NUL byte'),
);
const RelPaths = v.pipe(v.array(RelPathSchema), v.maxLength(100_000));

const ReconcileActionSchema = v.picklist(['pull', 'keep', 'trash', 'delete']);

const AtRiskEntrySchema = v.object({
  path: v.string(),
  risk: v.picklist(['target-only', 'newer-on-target', 'differs', 'deleted-in-source', 'interrupted-transfer']),
  entry: v.picklist(['file', 'dir', 'symlink', 'other']),
  size: v.number(),
  mtimeMs: v.number(),
  sourceSize: v.optional(v.number()),
  sourceMtimeMs: v.optional(v.number()),
  atRisk: v.boolean(),
  heldIn: v.optional(v.string()),
});

export const SafetyReportSchema = v.object({
  target: v.string(),
  reason: v.picklist(['startup', 'mass-delete']),
  summary: v.string(),
  entries: v.pipe(v.array(AtRiskEntrySchema), v.readonly()),
  groups: v.pipe(v.array(v.object({ dir: v.string(), count: v.number(), bytes: v.number() })), v.readonly()),
  updates: v.number(),
  atRisk: v.number(),
});

/** What the safety layer shows of one target (SafetyService.targets). */
export const TargetSafetySchema = v.object({
  target: v.string(),
  description: v.string(),
  state: TargetStateSchema,
  report: v.nullable(SafetyReportSchema),
  kept: v.pipe(v.array(v.string()), v.readonly()),
});

/** What a decision came to: done, or why not (the core's Outcome, without its counters). */
export const DecisionOutcome = v.variant('kind', [
  v.object({ kind: v.literal('ok') }),
  v.object({ kind: v.picklist(['retry', 'halt', 'decide']), reason: v.string() }),
]);

/** A profile name: a file name in the profiles directory, never a path (profile-name.ts). */
export const ProfileName = v.pipe(
  v.string(),
  v.regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "a profile name is 1 to 64 letters, digits, '.', '_' or '-', starting with a letter or digit"),
  v.check((name) => !name.endsWith('.json'), 'give the profile name without .json'),
);

/**
 * valibot's record drops the keys __proto__, constructor and prototype without a word; a message
 * that carries one is refused instead, as the strict objects refuse them.
 */
function withoutPrototypeKeys(input: unknown): boolean {
  return typeof input === 'object' && input !== null && !Array.isArray(input) && !['__proto__', 'constructor', 'prototype'].some((key) => Object.hasOwn(input, key));
}

/** One profile as the profiles screen lists it. */
export const ProfileSummarySchema = v.object({
  name: v.string(),
  /** A file that does not validate is listed with its error, never dropped. */
  valid: v.boolean(),
  error: v.nullable(v.string()),
  enabled: v.boolean(),
  /** Whether the engine host runs it now. */
  running: v.boolean(),
  /** Keys protected by a passphrase that the app does not hold yet: the profile waits for profiles:unlock. */
  locked: v.array(v.string()),
  syncs: v.array(v.object({ source: v.string(), target: v.string(), kind: v.picklist(TARGET_KINDS), pairing: v.string() })),
});

export const ImportNoteSchema = v.object({
  file: v.string(),
  line: v.number(),
  key: v.string(),
  kind: v.picklist(['mapped', 'not-mapped']),
  detail: v.string(),
});

/** An absolute local path: bounded, no NUL byte, no `..` segment. */
const AbsolutePathInput = v.pipe(
  v.string(),
  v.maxLength(4096),
  v.startsWith('/', 'an absolute path (starting with /)'),
  v.check((path) => !path.includes('\0') && !path.split('/').includes('..'), 'no NUL byte and no ..'),
);

/** Which targets a control acts on: one, or all of them when absent. */
const ControlInput = v.strictObject({ target: v.optional(TargetId) });
const ControlOutput = v.strictObject({ targets: v.number() });
const Empty = v.strictObject({});

/** Every invoke channel: what the renderer sends and what main answers. */
export const invoke = {
  'app:info': { input: Empty, output: AppInfo },

  // The status stream's current view (then follow the status:target event).
  'status:targets': { input: Empty, output: v.array(TargetStatusSchema) },
  'control:pause': { input: ControlInput, output: ControlOutput },
  'control:resume': { input: ControlInput, output: ControlOutput },
  'control:sync-now': { input: ControlInput, output: ControlOutput },

  'safety:targets': { input: Empty, output: v.array(TargetSafetySchema) },
  'safety:decide': { input: v.strictObject({ target: TargetId, action: ReconcileActionSchema, paths: v.optional(RelPaths) }), output: DecisionOutcome },
  'safety:release': { input: v.strictObject({ target: TargetId, paths: v.union([v.literal('all'), RelPaths]) }), output: v.strictObject({ released: v.number() }) },
  'safety:resume': { input: v.strictObject({ target: TargetId }), output: Empty },

  // Pairing, one step at a time (PairingService); a begun pairing is named by its id.
  'pairing:begin': { input: Empty, output: v.strictObject({ pairing: PairingId }) },
  'pairing:connect': { input: v.strictObject({ pairing: PairingId, host: HostInput, user: v.optional(UserInput), port: v.optional(PortInput) }), output: stepResult(ConnectedHostSchema) },
  'pairing:confirm-host-key': { input: v.strictObject({ pairing: PairingId, fingerprint: v.pipe(v.string(), v.maxLength(128)) }), output: stepResult({ change: v.picklist(['added', 'unchanged', 'replaced']) }) },
  'pairing:install-key': { input: v.strictObject({ pairing: PairingId, keyName: KeyName, password: SecretInput }), output: stepResult({ added: v.boolean() }) },
  'pairing:verify': { input: v.strictObject({ pairing: PairingId, passphrase: v.optional(SecretInput) }), output: stepResult({}) },
  'pairing:preflight': { input: v.strictObject({ pairing: PairingId, targetDir: v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.check((dir) => !dir.includes('\0'), 'no NUL byte')) }), output: stepResult(PreflightSchema) },
  'pairing:save': { input: v.strictObject({ pairing: PairingId, name: ProfileName, source: v.pipe(v.string(), v.maxLength(4096), v.startsWith('/'), v.check((dir) => !dir.includes('\0'), 'no NUL byte')), targetDir: v.pipe(v.string(), v.minLength(1), v.maxLength(4096), v.check((dir) => !dir.includes('\0'), 'no NUL byte')), overwrite: v.optional(v.boolean()) }), output: stepResult({ profile: ProfileName }) },
  'pairing:abort': { input: v.strictObject({ pairing: PairingId }), output: v.strictObject({ leftBehind: v.array(v.string()) }) },

  'keys:list': { input: Empty, output: v.array(KeyInfo) },
  'keys:generate': { input: v.strictObject({ name: KeyName, passphrase: v.optional(SecretInput), comment: v.optional(v.pipe(v.string(), v.maxLength(255), v.regex(/^[^\n\r\0]*$/))) }), output: KeyInfo },

  'profiles:list': { input: Empty, output: v.array(ProfileSummarySchema) },
  'profiles:get': { input: v.strictObject({ name: ProfileName }), output: v.strictObject({ name: v.string(), profile: ProfileSchema }) },
  // Create (overwrite false) or edit (overwrite true); a running profile reloads with its journal kept.
  'profiles:save': { input: v.strictObject({ name: ProfileName, profile: ProfileSchema, overwrite: v.optional(v.boolean()) }), output: v.strictObject({ name: v.string(), profile: ProfileSchema }) },
  'profiles:set-enabled': { input: v.strictObject({ name: ProfileName, enabled: v.boolean() }), output: Empty },
  'profiles:delete': { input: v.strictObject({ name: ProfileName }), output: Empty },
  // The passphrases of a profile's locked keys, by key name: checked, then held in memory (never
  // on disk) so the profile's agent can start, now and at every reload, until the app quits.
  'profiles:unlock': { input: v.strictObject({ name: ProfileName, passphrases: v.pipe(v.custom<object>(withoutPrototypeKeys, 'must not name __proto__, constructor or prototype'), v.record(KeyName, SecretInput), v.check((given) => Object.keys(given).length >= 1 && Object.keys(given).length <= 16, 'give 1 to 16 passphrases')) }), output: Empty },
  // An lsyncd config's text: the profile it maps to and a note per key; saved unless dryRun.
  'profiles:import': { input: v.strictObject({ name: ProfileName, config: v.pipe(v.string(), v.maxLength(1 << 20)), file: v.optional(v.pipe(v.string(), v.maxLength(255))), dryRun: v.optional(v.boolean()) }), output: v.strictObject({ profile: ProfileSchema, notes: v.array(ImportNoteSchema) }) },
  'profiles:export': { input: v.strictObject({ name: ProfileName }), output: v.strictObject({ lua: v.string() }) },

  'logs:tail': { input: v.strictObject({ lines: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000))), profile: v.optional(v.pipe(v.string(), v.regex(/^[A-Za-z0-9_][A-Za-z0-9._-]{0,63}$/, 'a profile or lsyncd config name, as a target id begins'))), level: v.optional(v.picklist(LOG_LEVELS)), after: v.optional(v.pipe(v.number(), v.integer(), v.minValue(0))) }), output: v.array(LogLineSchema) },

  'settings:get': { input: Empty, output: AppSettingsSchema },
  'settings:set': { input: AppSettingsPatchSchema, output: AppSettingsSchema },

  // What the wizard and the profile editor offer: ssh_config aliases, directories to choose a
  // source from, and which source paths a filter list excludes (the core's own matcher).
  'pairing:ssh-aliases': { input: Empty, output: v.array(v.object({ alias: v.string(), hostname: v.nullable(v.string()), user: v.nullable(v.string()), port: v.nullable(v.number()) })) },
  'fs:dirs': { input: v.strictObject({ path: AbsolutePathInput }), output: v.object({ path: v.string(), parent: v.nullable(v.string()), dirs: v.array(v.string()), truncated: v.boolean() }) },
  'filters:preview': {
    input: v.strictObject({ source: AbsolutePathInput, filters: v.pipe(v.array(v.pipe(v.string(), v.maxLength(1024), v.check((rule) => !rule.includes('\0'), 'no NUL byte'))), v.maxLength(1000)), limit: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(5000))) }),
    output: v.object({ scanned: v.number(), excluded: v.array(v.object({ path: v.string(), dir: v.boolean(), rule: v.string() })), included: v.number(), truncated: v.boolean() }),
  },
} as const satisfies Record<string, { input: v.GenericSchema; output: v.GenericSchema }>;

/** Every main-to-renderer event channel and its payload. */
export const events = {
  'app:notice': v.object({ text: v.string() }),
  /** A target's view changed (coalesced: a few per second at most; every state transition). */
  'status:target': TargetStatusSchema,
  /** A target went away (its profile was disabled, deleted or reloaded without it). */
  'status:removed': v.object({ id: TargetId }),
  'logs:line': LogLineSchema,
  /** Profiles were added, edited, enabled, disabled or deleted: list them again. */
  'profiles:changed': v.object({}),
  /** The settings changed (from any face). */
  'settings:changed': AppSettingsSchema,
  /** Main asks the window to show a screen (a notification or the tray was clicked). */
  'app:open': v.object({ view: v.picklist(['status', 'pair', 'safety', 'logs', 'profiles', 'settings']), subject: v.optional(v.string()) }),
} as const satisfies Record<string, v.GenericSchema>;

export type InvokeChannel = keyof typeof invoke;
export type EventChannel = keyof typeof events;
export type InvokeInput<C extends InvokeChannel> = v.InferInput<(typeof invoke)[C]['input']>;
export type InvokeOutput<C extends InvokeChannel> = v.InferOutput<(typeof invoke)[C]['output']>;
export type EventPayload<C extends EventChannel> = v.InferOutput<(typeof events)[C]>;

/** The bridge the preload exposes as `window.api`; the renderer's only way out. */
export interface Api {
  invoke<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<InvokeOutput<C>>;
  on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void;
}

export function isInvokeChannel(name: unknown): name is InvokeChannel {
  return typeof name === 'string' && Object.hasOwn(invoke, name);
}

/** A renderer message that failed the contract, with a message a developer can act on. */
export class ContractError extends Error {
  override name = 'ContractError';
}

/**
 * A refusal names a few issues, each cut short: valibot's messages quote what they received, so
 * a 10 MB key or 200,000 bad items would otherwise come back (and be logged) as a message of
 * tens of megabytes.
 */
const MESSAGE_ISSUES = 5;
const MESSAGE_PART = 200;
function bounded(text: string): string {
  return text.length <= MESSAGE_PART ? text : `${text.slice(0, MESSAGE_PART)}… (${text.length} characters)`;
}

/** Checks an untrusted invoke message; returns typed input or throws ContractError. */
export type InvokeParsedInput<C extends InvokeChannel> = v.InferOutput<(typeof invoke)[C]['input']>;

export function parseInvoke(channel: unknown, input: unknown): { channel: InvokeChannel; input: InvokeParsedInput<InvokeChannel> } {
  if (!isInvokeChannel(channel)) {
    throw new ContractError(`unknown IPC channel ${typeof channel === 'string' ? bounded(JSON.stringify(channel)) : `(a ${channel === null ? 'null' : typeof channel})`}`);
  }
  // valibot takes an array for an object whose keys are all optional (an empty one parses as
  // {}), so `[]` would pass as 'pause every target'; every channel's input is an object.
  if (Array.isArray(input)) throw new ContractError(`invalid input for '${channel}': (input): an object, not an array`);
  const result = v.safeParse(invoke[channel].input, input);
  if (!result.success) {
    const detail = result.issues.slice(0, MESSAGE_ISSUES).map((i) => bounded(`${v.getDotPath(i) ?? '(input)'}: ${i.message}`)).join('; ');
    const more = result.issues.length > MESSAGE_ISSUES ? `; and ${result.issues.length - MESSAGE_ISSUES} more` : '';
    throw new ContractError(`invalid input for '${channel}': ${detail}${more}`);
  }
  return { channel, input: result.output };
}
