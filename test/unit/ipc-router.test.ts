import { describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';

// The shell is tested with electron mocked: no Electron binary exists on these machines, and
// a real require('electron') would try to download one.
vi.mock('electron', () => ({ ipcMain: { handle: vi.fn() } }));

const { registerInvokeHandlers } = await import('../../src-main/app/ipc-router');
const { isOwnRendererUrl } = await import('../../src-main/app/window-policy');

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;

/** Registers the router against a recording ipcMain and returns the handler for a channel. */
function routerFor(channel: string) {
  const registered = new Map<string, Handler>();
  const ipcMain = { handle: (name: string, handler: Handler) => void registered.set(name, handler) };
  const appInfo = vi.fn(() => ({ name: 'Tidemark', version: '1.2.3', face: 'electron' as const }));
  registerInvokeHandlers(ipcMain as never, { 'app:info': appInfo }, isOwnRendererUrl);
  const handler = registered.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return { handler, appInfo };
}

const ownFrame = { senderFrame: { url: 'file:///opt/tidemark/resources/app.asar/out/renderer/index.html' } } as IpcMainInvokeEvent;

describe('IPC router', () => {
  it('answers a valid message', async () => {
    const { handler, appInfo } = routerFor('app:info');
    await expect(handler(ownFrame, {})).resolves.toEqual({ name: 'Tidemark', version: '1.2.3', face: 'electron' });
    expect(appInfo).toHaveBeenCalledOnce();
  });

  const malformed: { description: string; event: IpcMainInvokeEvent; args: unknown[]; error: RegExp }[] = [
    { description: 'an extra key', event: ownFrame, args: [{ evil: true }], error: /invalid input for 'app:info'/ },
    { description: 'a non-object', event: ownFrame, args: ['x'], error: /invalid input for 'app:info'/ },
    { description: 'no argument', event: ownFrame, args: [], error: /exactly one argument/ },
    { description: 'a foreign frame', event: { senderFrame: { url: 'https://evil.example/' } } as IpcMainInvokeEvent, args: [{}], error: /sender frame/ },
    { description: 'a missing frame', event: { senderFrame: null } as unknown as IpcMainInvokeEvent, args: [{}], error: /sender frame/ },
  ];
  for (const testCase of malformed) {
    it(`refuses ${testCase.description} before the handler runs`, async () => {
      const { handler, appInfo } = routerFor('app:info');
      await expect(handler(testCase.event, ...testCase.args)).rejects.toThrow(testCase.error);
      expect(appInfo).not.toHaveBeenCalled();
    });
  }
});
