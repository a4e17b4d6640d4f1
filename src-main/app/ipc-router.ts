import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { ContractError, invoke, type InvokeChannel } from '../../src-shared/ipc/contract';
import { routeInvoke, type InvokeHandlers } from '../services/contract-router';

export type { InvokeHandlers };

/**
 * Registers one ipcMain handler per contract channel. Every message is checked against the
 * contract (routeInvoke) and its sender frame before a handler sees it, because the renderer is
 * untrusted.
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
      return routeInvoke(handlers, channel, args[0]);
    });
  }
}
