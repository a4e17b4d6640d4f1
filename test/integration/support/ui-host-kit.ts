// Real clients for the UI host tests: raw HTTP requests (the path goes out exactly as written,
// which fetch would normalise), WebSocket peers from the `ws` package, a small static directory
// with a symlink leading out of it, and a handler map that counts its calls.
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { request as httpRequest, type IncomingHttpHeaders, type OutgoingHttpHeaders } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import WebSocket from 'ws';
import type { InvokeHandlers } from '../../../src-main/services/contract-router';
import { appInfo } from '../../../src-main/services/app-info';
import { DEFAULT_APP_SETTINGS, type AppSettings } from '../../../src-shared/model/app-settings';

export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** One HTTP request to 127.0.0.1:port with `path` sent verbatim. */
export function raw(port: number, path: string, headers: OutgoingHttpHeaders = {}, method = 'GET', host = '127.0.0.1'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = httpRequest({ host, port, path, method, headers: { host: `127.0.0.1:${port}`, ...headers }, agent: false }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, headers: response.headers, body: Buffer.concat(chunks).toString('utf8') }));
    });
    request.on('error', reject);
    request.end();
  });
}

/**
 * A fixture site: index.html, app.js, style.css and assets/logo.svg, a file beside the site
 * (outside it), and two symlinks inside that lead out to it.
 */
export function fixtureSite(): { dir: string; outside: string } {
  const base = mkdtempSync(join(tmpdir(), 'tidemark-uihost-'));
  const dir = join(base, 'site');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><html><head><link rel="stylesheet" href="./style.css"><script type="module" src="./app.js"></script></head><body><p id="out">waiting</p></body></html>\n');
  writeFileSync(join(dir, 'app.js'), BROWSER_APP);
  writeFileSync(join(dir, 'style.css'), '#out { color: rgb(0, 128, 0); }\n');
  writeFileSync(join(dir, 'assets', 'logo.svg'), '<svg xmlns="http://www.w3.org/2000/svg"/>\n');
  writeFileSync(join(dir, '.hidden'), 'hidden\n');
  const outside = join(base, 'secret.txt');
  writeFileSync(outside, 'OUTSIDE-SECRET\n');
  symlinkSync(outside, join(dir, 'leak.txt'));
  symlinkSync(base, join(dir, 'up'));
  return { dir, outside };
}

/** The fixture page's script: one app:info over the WebSocket, its answer written into #out. */
const BROWSER_APP = `
const socket = new WebSocket(\`ws://\${location.host}/api\`, 'tidemark.v1');
const out = document.getElementById('out');
socket.onopen = () => socket.send(JSON.stringify({ id: 1, channel: 'app:info', input: {} }));
socket.onmessage = (event) => {
  const message = JSON.parse(event.data);
  if (message.id === 1) out.textContent = message.ok ? \`\${message.output.name} \${message.output.face}\` : \`error \${message.error.message}\`;
};
socket.onclose = (event) => { if (out.textContent === 'waiting') out.textContent = \`closed \${event.code}\`; };
`;

export interface CountingHandlers {
  readonly handlers: InvokeHandlers;
  /** Calls per channel so far. */
  readonly calls: Map<string, number>;
  /** Settings as settings:set left them. */
  settings(): AppSettings;
  /** Lets the one waiting control:pause answer. */
  releasePause(): void;
}

/** Real handlers, small: app:info, settings get/set, a pause that waits, a sync-now that fails. */
export function countingHandlers(): CountingHandlers {
  const calls = new Map<string, number>();
  const count = (channel: string) => calls.set(channel, (calls.get(channel) ?? 0) + 1);
  let settings: AppSettings = structuredClone(DEFAULT_APP_SETTINGS);
  let release: () => void = () => {};
  const handlers: InvokeHandlers = {
    'app:info': () => (count('app:info'), appInfo('browser')),
    'settings:get': () => (count('settings:get'), settings),
    'settings:set': (patch) => {
      count('settings:set');
      settings = { ...settings, ...(patch.startAtLogin === undefined ? {} : { startAtLogin: patch.startAtLogin }) };
      return settings;
    },
    'control:pause': async () => {
      count('control:pause');
      await new Promise<void>((resolve) => (release = resolve));
      return { targets: 2 };
    },
    'control:sync-now': () => {
      count('control:sync-now');
      throw new Error('the engine is not running');
    },
    // Answers outside the contract: the router must refuse to pass it on.
    'control:resume': () => (count('control:resume'), { targets: 'many' } as unknown as { targets: number }),
  };
  return { handlers, calls, settings: () => settings, releasePause: () => release() };
}

export interface WsPeer {
  readonly socket: WebSocket;
  /** Every message received so far, parsed. */
  readonly received: Record<string, unknown>[];
  /** Sends `data` as it is and waits for the next answer that has `id` (null for framing errors). */
  exchange(data: string | Buffer, id: number | null): Promise<Record<string, unknown>>;
  /** Sends a request object and waits for the answer with its id. */
  call(id: number, channel: string, input: unknown): Promise<Record<string, unknown>>;
  waitFor(predicate: (message: Record<string, unknown>) => boolean): Promise<Record<string, unknown>>;
  close(): Promise<void>;
}

export interface WsOptions {
  readonly path?: string;
  readonly protocols?: string[];
  readonly headers?: Record<string, string>;
  readonly origin?: string | null;
}

/** Opens a WebSocket to the host; rejects with `status N` when the upgrade is refused. */
export function connectWs(port: number, options: WsOptions = {}): Promise<WsPeer> {
  const origin = options.origin === undefined ? `http://127.0.0.1:${port}` : options.origin;
  const socket = new WebSocket(`ws://127.0.0.1:${port}${options.path ?? '/api'}`, options.protocols ?? [], {
    headers: { ...(origin === null ? {} : { origin }), ...options.headers },
  });
  const received: Record<string, unknown>[] = [];
  const waiters: { predicate: (message: Record<string, unknown>) => boolean; resolve: (message: Record<string, unknown>) => void }[] = [];
  socket.on('message', (data: Buffer) => {
    const message = JSON.parse(data.toString('utf8')) as Record<string, unknown>;
    received.push(message);
    for (const waiter of [...waiters]) {
      if (waiter.predicate(message)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve(message);
      }
    }
  });
  const waitFor = (predicate: (message: Record<string, unknown>) => boolean) => new Promise<Record<string, unknown>>((resolve) => waiters.push({ predicate, resolve }));
  const exchange = (data: string | Buffer, id: number | null) => {
    const answer = waitFor((message) => 'ok' in message && message.id === id);
    socket.send(data);
    return answer;
  };
  const peer: WsPeer = {
    socket,
    received,
    exchange,
    call: (id, channel, input) => exchange(JSON.stringify({ id, channel, input }), id),
    waitFor,
    close: () => new Promise((resolve) => {
      if (socket.readyState === WebSocket.CLOSED) return resolve();
      socket.once('close', () => resolve());
      socket.close();
    }),
  };
  return new Promise((resolve, reject) => {
    socket.once('open', () => resolve(peer));
    socket.once('unexpected-response', (_request, response) => {
      reject(new Error(`status ${response.statusCode}`));
      socket.terminate();
    });
    socket.once('error', reject);
  });
}
