// The renderer's WebSocket transport (src-renderer/lib/ws-api.ts) against a real UI host, with
// the `ws` package's client standing in for the browser's WebSocket (Node 20 has none).
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { AppEvents } from '../../src-main/services/app-events';
import { startUiHost, type UiHost } from '../../src-main/services/ui-host/ui-host';
import { createWsApi, type WebSocketLike, type WsApi } from '../../src-renderer/lib/ws-api';
import { ContractError } from '../../src-shared/ipc/contract';
import { countingHandlers, fixtureSite, type CountingHandlers } from './support/ui-host-kit';

const token = 'test-token-0123456789abcdefghijklmnop';
let host: UiHost | null;
let kit: CountingHandlers;
let events: AppEvents;
let api: WsApi | null;
const site = fixtureSite();

/** What the browser does with the page's cookie, done here with the token subprotocol. */
function apiFor(port: number): WsApi {
  return createWsApi({
    url: `ws://127.0.0.1:${port}/api`,
    protocols: ['tidemark.v1', `token.${token}`],
    connect: (url, protocols) => new WebSocket(url, protocols, { origin: `http://127.0.0.1:${port}` }) as unknown as WebSocketLike,
    backoff: { initialMs: 20, maxMs: 100 },
  });
}

async function start(port = 0): Promise<UiHost> {
  return startUiHost({ handlers: kit.handlers, events, staticDir: site.dir, token, port });
}

beforeEach(async () => {
  kit = countingHandlers();
  events = new AppEvents();
  host = await start();
});

afterEach(async () => {
  api?.close();
  api = null;
  await host?.close();
  host = null;
});

describe('createWsApi', () => {
  it('invokes a channel, even one sent before the socket opened', async () => {
    api = apiFor(host!.port);
    await expect(api.invoke('app:info', {})).resolves.toEqual({ name: 'Tidemark', version: expect.any(String), face: 'browser' });
    await expect(api.invoke('settings:set', { startAtLogin: true })).resolves.toMatchObject({ startAtLogin: true });
  });

  it('rejects a contract refusal as a ContractError, and a handler failure as an Error with its message', async () => {
    api = apiFor(host!.port);
    const refused = await api.invoke('settings:set', { startAtLogin: 'yes' as unknown as boolean }).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ContractError);
    expect((refused as Error).message).toMatch(/invalid input for 'settings:set'/);
    const failed = await api.invoke('control:sync-now', {}).catch((error: unknown) => error);
    expect(failed).not.toBeInstanceOf(ContractError);
    expect((failed as Error).message).toBe('the engine is not running');
  });

  it('answers concurrent invokes each with its own output', async () => {
    api = apiFor(host!.port);
    const slow = api.invoke('control:pause', {});
    const [info, settings] = await Promise.all([api.invoke('app:info', {}), api.invoke('settings:get', {})]);
    expect([info.face, settings.startAtLogin]).toEqual(['browser', false]);
    kit.releasePause();
    await expect(slow).resolves.toEqual({ targets: 2 });
  });

  it('delivers events to the listeners of their channel until unsubscribed', async () => {
    api = apiFor(host!.port);
    await api.invoke('app:info', {});
    const notices: string[] = [];
    const unsubscribe = api.on('app:notice', (payload) => notices.push(payload.text));
    let profiles = 0;
    api.on('profiles:changed', () => profiles++);
    events.emit('app:notice', { text: 'one' });
    events.emit('profiles:changed', {});
    await expect.poll(() => [notices, profiles]).toEqual([['one'], 1]);
    unsubscribe();
    events.emit('app:notice', { text: 'two' });
    events.emit('profiles:changed', {});
    await expect.poll(() => profiles).toBe(2);
    expect(notices).toEqual(['one']);
  });

  it('rejects pending invokes with a clear error when the host goes, then reconnects with backoff and keeps its listeners', async () => {
    api = apiFor(host!.port);
    const port = host!.port;
    const notices: string[] = [];
    api.on('app:notice', (payload) => notices.push(payload.text));
    const pending = api.invoke('control:pause', {});
    await expect.poll(() => kit.calls.get('control:pause')).toBe(1);
    const rejected = expect(pending).rejects.toThrow("the connection to Tidemark closed before 'control:pause' was answered");
    await host!.close();
    await rejected;
    // Give the backoff a few failed attempts, then bring the host back on the same port.
    await new Promise((resolve) => setTimeout(resolve, 150));
    host = await start(port);
    await expect.poll(() => events.size, { timeout: 5000 }).toBe(1);
    events.emit('app:notice', { text: 'back' });
    await expect.poll(() => notices).toEqual(['back']);
    await expect(api.invoke('app:info', {})).resolves.toMatchObject({ face: 'browser' });
  });

  it('close() rejects what is pending, refuses new invokes and leaves no subscriber on the host', async () => {
    api = apiFor(host!.port);
    await api.invoke('app:info', {});
    expect(events.size).toBe(1);
    const pending = api.invoke('control:pause', {});
    api.close();
    await expect(pending).rejects.toThrow(/closed before 'control:pause' was answered/);
    await expect(api.invoke('app:info', {})).rejects.toThrow('the connection to Tidemark was closed');
    await expect.poll(() => events.size).toBe(0);
  });

  it('an unknown channel is refused without a round trip', async () => {
    api = apiFor(host!.port);
    await expect(api.invoke('nope:nope' as 'app:info', {})).rejects.toBeInstanceOf(ContractError);
  });
});
