import * as v from 'valibot';

/** Facts about the running app that every face can show. */
export const AppInfo = v.object({
  name: v.string(),
  version: v.string(),
  face: v.picklist(['electron', 'browser']),
});
export type AppInfo = v.InferOutput<typeof AppInfo>;

/** A target's id in the status stream (Sync1, ...): short and plain, never a path. */
export const TargetId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9_-]{1,64}$/, 'a target id is 1 to 64 letters, digits, - or _'));

/** Paths relative to the source, as byte strings (see RelPath): bounded, never absolute, never `..`. */
const RelPathSchema = v.pipe(
  v.string(),
  v.maxLength(4096),
  v.check((path) => path !== '' && !path.startsWith('/') && !path.split('/').includes('..'), 'a path relative to the source, without ..'),
);
const RelPaths = v.pipe(v.array(RelPathSchema), v.maxLength(100_000));

const ReconcileActionSchema = v.picklist(['pull', 'keep', 'trash', 'delete']);

/** A target's state as the core reports it (TargetState): its kind, with what that kind carries. */
const TargetStateSchema = v.looseObject({ kind: v.string() });

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

/** Every invoke channel: what the renderer sends and what main answers. */
export const invoke = {
  'app:info': { input: v.strictObject({}), output: AppInfo },
  'safety:targets': { input: v.strictObject({}), output: v.array(TargetSafetySchema) },
  'safety:decide': { input: v.strictObject({ target: TargetId, action: ReconcileActionSchema, paths: v.optional(RelPaths) }), output: DecisionOutcome },
  'safety:release': { input: v.strictObject({ target: TargetId, paths: v.union([v.literal('all'), RelPaths]) }), output: v.strictObject({ released: v.number() }) },
  'safety:resume': { input: v.strictObject({ target: TargetId }), output: v.strictObject({}) },
} as const satisfies Record<string, { input: v.GenericSchema; output: v.GenericSchema }>;

/** Every main-to-renderer event channel and its payload. */
export const events = {
  'app:notice': v.object({ text: v.string() }),
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

/** Checks an untrusted invoke message; returns typed input or throws ContractError. */
export type InvokeParsedInput<C extends InvokeChannel> = v.InferOutput<(typeof invoke)[C]['input']>;

export function parseInvoke(channel: unknown, input: unknown): { channel: InvokeChannel; input: InvokeParsedInput<InvokeChannel> } {
  if (!isInvokeChannel(channel)) {
    throw new ContractError(`unknown IPC channel ${JSON.stringify(channel)}`);
  }
  const result = v.safeParse(invoke[channel].input, input);
  if (!result.success) {
    const detail = result.issues.map((i) => `${v.getDotPath(i) ?? '(input)'}: ${i.message}`).join('; ');
    throw new ContractError(`invalid input for '${channel}': ${detail}`);
  }
  return { channel, input: result.output };
}
