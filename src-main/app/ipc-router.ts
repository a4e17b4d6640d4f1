import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ContractError, invoke, parseInvoke, type InvokeChannel, type InvokeOutput, type InvokeParsedInput } from '../../src-shared/ipc/contract';

export type InvokeHandlers = {
  [C in InvokeChannel]: (input: InvokeParsedInput<C>) => Promise<InvokeOutput<C>> | InvokeOutput<C>;
};

/**
 * Registers one ipcMain handler per contract channel. Every message is checked against the
 * contract and its sender frame before a handler sees it, because the renderer is untrusted.
 */
export function registerInvokeHandlers(
  ipcMain: Pick<IpcMain, 'handle'>,
  handlers: InvokeHandlers,
  isTrustedFrameUrl: (url: string | undefined) => boolean,
): void {
  for (const channel of Object.keys(invoke) as InvokeChannel[]) {
    ipcMain.handle(channel, async (event: IpcMainInvokeEvent, ...args: unknown[]) => {
      if (!isTrustedFrameUrl(event.senderFrame?.url)) {
        throw new ContractError(`'${channel}' refused: sender frame is not the app's own page`);
      }
      if (args.length !== 1) throw new ContractError(`'${channel}' takes exactly one argument, got ${args.length}`);
      const parsed = parseInvoke(channel, args[0]);
      const handler = handlers[channel] as (input: unknown) => unknown;
      return await handler(parsed.input);
    });
  }
}
