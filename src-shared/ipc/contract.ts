import * as v from 'valibot';

/** Facts about the running app that every face can show. */
export const AppInfo = v.object({
  name: v.string(),
  version: v.string(),
  face: v.picklist(['electron', 'browser']),
});
export type AppInfo = v.InferOutput<typeof AppInfo>;

/** Every invoke channel: what the renderer sends and what main answers. */
export const invoke = {
  'app:info': { input: v.strictObject({}), output: AppInfo },
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
