// The UI host (DESIGN.md, "One core, three faces"): the built renderer over HTTP and the IPC
// contract over a WebSocket at /api, on 127.0.0.1 only, behind a random token, as Syncthing's
// GUI does. Who may come in is request-guard.ts; what is served, static-files.ts; one
// connection's messages, ws-session.ts. This file wires them to a server and owns its lifetime.
//
// The URL to open is `http://127.0.0.1:PORT/?token=TOKEN` (request-guard.ts says why it is not a
// `#token=` fragment). Nothing here logs the token or a request's query.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { AppEvents } from '../app-events';
import type { InvokeHandlers } from '../contract-router';
import { guardRequest, WS_PROTOCOL, type GuardVerdict } from './request-guard';
import { staticFiles, type StaticFiles } from './static-files';
import { serveSession } from './ws-session';

/** The largest WebSocket message accepted; a bigger one closes that connection (1009). */
export const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
export const WS_PATH = '/api';

export interface UiHostOptions {
  readonly handlers: InvokeHandlers;
  readonly events: AppEvents;
  /** The built renderer (out/renderer), served at /. */
  readonly staticDir: string;
  /** 0 (the default) lets the system choose a free port. */
  readonly port?: number;
  /** Default: 32 random bytes, base64url. */
  readonly token?: string;
  /** Refusals and failures, one line each, never the token. */
  readonly log?: (line: string) => void;
}

export interface UiHost {
  /** What a browser opens: `http://127.0.0.1:PORT/?token=TOKEN`. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  /** Ends every connection and stops listening. */
  close(): Promise<void>;
}

/** The port was taken by another program; a face tells the user which one and what to do. */
export class PortInUseError extends Error {
  override name = 'PortInUseError';
  constructor(readonly port: number) {
    super(`port ${port} on 127.0.0.1 is already in use`);
  }
}

export async function startUiHost(options: UiHostOptions): Promise<UiHost> {
  const token = options.token ?? randomBytes(32).toString('base64url');
  if (!/^[A-Za-z0-9_-]{16,}$/.test(token)) throw new Error('a UI host token is at least 16 characters of A-Z, a-z, 0-9, _ and -');
  const log = options.log ?? (() => {});
  const files = await staticFiles(options.staticDir);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_MESSAGE_BYTES,
    // Never echo the token subprotocol: select ours, or none when the client did not offer it.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  wss.on('connection', (socket) => serveSession(socket, { handlers: options.handlers, events: options.events, log }));

  let port = 0;
  const server = createServer((request, response) => {
    serveHttp(request, response, guardRequest(describe(request, false), { port, token }), files, port, log).catch((error: unknown) => {
      log(`ui host: failed to answer a request: ${error instanceof Error ? error.message : String(error)}`);
      response.destroy();
    });
  });
  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    const verdict = guardRequest(describe(request, true), { port, token });
    if (verdict.kind !== 'allow' || verdict.path !== WS_PATH) {
      const status = verdict.kind === 'refuse' ? verdict.status : 404;
      log(`ui host: refused a WebSocket upgrade (${status}${verdict.kind === 'refuse' ? `: ${verdict.reason}` : ''})`);
      // Answer, then destroy: nothing of this connection reaches the WebSocket server.
      socket.on('error', () => socket.destroy());
      socket.once('finish', () => socket.destroy());
      socket.end(`HTTP/1.1 ${status} ${STATUS_TEXT[status] ?? 'Refused'}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => wss.emit('connection', ws, request));
  });
  server.on('clientError', (_error, socket) => socket.destroy());

  port = await listen(server, options.port ?? 0);
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: () => close(server, wss),
  };
}

const STATUS_TEXT: Readonly<Record<number, string>> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
};

function describe(request: IncomingMessage, upgrade: boolean) {
  return { method: request.method ?? '', target: request.url ?? '', headers: request.headers, upgrade };
}

async function serveHttp(request: IncomingMessage, response: ServerResponse, verdict: GuardVerdict, files: StaticFiles, port: number, log: (line: string) => void): Promise<void> {
  const common = { 'X-Content-Type-Options': 'nosniff', 'Referrer-Policy': 'no-referrer' };
  if (verdict.kind === 'refuse') {
    log(`ui host: refused ${request.method?.slice(0, 16)} (${verdict.status}: ${verdict.reason})`);
    const headers = { ...common, 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store', ...(verdict.status === 405 ? { Allow: 'GET, HEAD' } : {}) };
    response.writeHead(verdict.status, headers).end(`${STATUS_TEXT[verdict.status]}\n`);
    return;
  }
  if (verdict.kind === 'redirect') {
    response.writeHead(303, { ...common, Location: verdict.location, 'Set-Cookie': verdict.setCookie, 'Cache-Control': 'no-store' }).end();
    return;
  }
  const found = await files.lookup(verdict.path);
  if (found.kind === 'missing') {
    response.writeHead(404, { ...common, 'Content-Type': 'text/plain; charset=utf-8' }).end('Not Found\n');
    return;
  }
  response.writeHead(200, {
    ...common,
    'Content-Type': found.contentType,
    'Content-Length': found.body.length,
    'Cache-Control': found.html ? 'no-store' : 'no-cache',
    'Content-Security-Policy': contentSecurityPolicy(port),
    'Cross-Origin-Opener-Policy': 'same-origin',
    'Cross-Origin-Resource-Policy': 'same-origin',
    'X-Frame-Options': 'DENY',
  });
  response.end(request.method === 'HEAD' ? undefined : found.body);
}

/** No inline scripts or styles, nothing from elsewhere; the only connection is our WebSocket. */
export function contentSecurityPolicy(port: number): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self'",
    `connect-src 'self' ws://127.0.0.1:${port} ws://localhost:${port}`,
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Binds 127.0.0.1 only: the host must never be reachable from another machine. */
function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: NodeJS.ErrnoException) => {
      reject(error.code === 'EADDRINUSE' ? new PortInUseError(port) : error);
    };
    server.once('error', onError);
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => {
      server.off('error', onError);
      const address = server.address();
      if (address === null || typeof address === 'string') {
        reject(new Error('the UI host has no TCP address'));
        return;
      }
      resolve(address.port);
    });
  });
}

async function close(server: Server, wss: WebSocketServer): Promise<void> {
  for (const client of wss.clients) client.terminate();
  await new Promise<void>((resolve) => wss.close(() => resolve()));
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
}
