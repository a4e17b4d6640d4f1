// The one router behind every face (ipcMain, the control socket, later the WebSocket): a message
// is checked against the contract, handed to its service, and the answer checked against the
// contract too, so that no face can send or receive what the contract does not describe.
import * as v from 'valibot';
import { ContractError, invoke, parseInvoke, type InvokeChannel, type InvokeOutput, type InvokeParsedInput } from '../../src-shared/ipc/contract';

/** The services' handlers, per channel; a face serves the channels it has handlers for. */
export type InvokeHandlers = {
  [C in InvokeChannel]?: (input: InvokeParsedInput<C>) => Promise<InvokeOutput<C>> | InvokeOutput<C>;
};

/** Routes one untrusted message; a ContractError for a malformed or unserved one. */
export async function routeInvoke(handlers: InvokeHandlers, channel: unknown, input: unknown): Promise<unknown> {
  const parsed = parseInvoke(channel, input);
  const handler = handlers[parsed.channel] as ((input: unknown) => unknown) | undefined;
  if (!handler) throw new ContractError(`'${parsed.channel}' is not served here`);
  const output = await handler(parsed.input);
  const checked = v.safeParse(invoke[parsed.channel].output, output);
  if (!checked.success) throw new ContractError(`'${parsed.channel}' answered outside the contract: ${checked.issues.map((i) => `${v.getDotPath(i) ?? '(output)'}: ${i.message}`).join('; ')}`);
  return checked.output;
}
