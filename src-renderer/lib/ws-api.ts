// The contract's Api over the UI host's WebSocket (src-main/services/ui-host/ws-session.ts has
// the protocol): what the renderer uses when a browser, not Electron, shows it. The page's token
// cookie authenticates the upgrade, so nothing here knows the token; other clients may pass it
// as the `token.TOKEN` subprotocol.
//
// Invokes made before the socket is open wait for it; every invoke still unanswered when the
// socket closes is rejected, since the host forgets a request with its connection. The socket
// then reconnects with a doubling delay, and event listeners carry over to the new connection.
import { ContractError, isInvokeChannel, type Api, type EventChannel, type EventPayload, type InvokeChannel, type InvokeInput, type InvokeOutput } from '../../src-shared/ipc/contract';

/** The part of the WHATWG WebSocket this file uses (the `ws` package's client has it too). */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(code?: number, reason?: string): void;
  onopen: ((event: unknown) => void) | null;
  onclose: ((event: unknown) => void) | null;
  onerror: ((event: unknown) => void) | null;
  onmessage: ((event: { data: unknown }) => void) | null;
}

export interface WsApiOptions {
  /** ws://HOST:PORT/api */
  readonly url: string;
  /** Default ['tidemark.v1']. */
  readonly protocols?: readonly string[];
  /** Default: the browser's WebSocket. */
  readonly connect?: (url: string, protocols: string[]) => WebSocketLike;
  /** Reconnect delays: the first, doubled up to the last. Default 250 ms to 10 s. */
  readonly backoff?: { readonly initialMs: number; readonly maxMs: number };
}

export interface WsApi extends Api {
  /** Closes the socket for good: pending invokes are rejected and no reconnect follows. */
  close(): void;
}

interface Pending {
  readonly channel: string;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: Error) => void;
}

const OPEN = 1;

export function createWsApi(options: WsApiOptions): WsApi {
  const connect = options.connect ?? ((url, protocols) => new WebSocket(url, protocols) as unknown as WebSocketLike);
  const backoff = options.backoff ?? { initialMs: 250, maxMs: 10_000 };
  const protocols = [...(options.protocols ?? ['tidemark.v1'])];
  const pending = new Map<number, Pending>();
  /** Requests made while no socket was open, in order. */
  let waiting: string[] = [];
  const listeners = new Map<string, Set<(payload: never) => void>>();
  let socket: WebSocketLike | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let delay = backoff.initialMs;
  let nextId = 1;
  let closed = false;

  const open = (): void => {
    if (socket || closed) return;
    if (retry) clearTimeout(retry);
    retry = null;
    const current = connect(options.url, protocols);
    socket = current;
    current.onopen = () => {
      delay = backoff.initialMs;
      for (const text of waiting) current.send(text);
      waiting = [];
    };
    current.onmessage = (event) => receive(event.data);
    current.onerror = () => {};
    current.onclose = () => {
      if (socket !== current) return;
      socket = null;
      waiting = [];
      for (const [id, request] of pending) {
        pending.delete(id);
        request.reject(new Error(`the connection to Tidemark closed before '${request.channel}' was answered`));
      }
      if (closed) return;
      retry = setTimeout(open, delay);
      delay = Math.min(delay * 2, backoff.maxMs);
    };
  };

  const receive = (data: unknown): void => {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null) return;
    const fields = message as Record<string, unknown>;
    if (typeof fields.event === 'string') {
      for (const listener of listeners.get(fields.event) ?? []) listener(fields.payload as never);
      return;
    }
    const request = typeof fields.id === 'number' ? pending.get(fields.id) : undefined;
    if (!request || typeof fields.id !== 'number') return;
    pending.delete(fields.id);
    if (fields.ok === true) request.resolve(fields.output);
    else request.reject(answerError(fields.error));
  };

  open();
  return {
    invoke<C extends InvokeChannel>(channel: C, input: InvokeInput<C>): Promise<InvokeOutput<C>> {
      if (closed) return Promise.reject(new Error('the connection to Tidemark was closed'));
      if (!isInvokeChannel(channel)) return Promise.reject(new ContractError(`unknown IPC channel ${JSON.stringify(channel)}`));
      const id = nextId++;
      const text = JSON.stringify({ id, channel, input });
      return new Promise<InvokeOutput<C>>((resolve, reject) => {
        pending.set(id, { channel, resolve: resolve as (output: unknown) => void, reject });
        if (socket?.readyState === OPEN) socket.send(text);
        else {
          waiting.push(text);
          // Do not let a request sit out a long backoff: try now.
          open();
        }
      });
    },
    on<C extends EventChannel>(channel: C, listener: (payload: EventPayload<C>) => void): () => void {
      const set = listeners.get(channel) ?? new Set();
      listeners.set(channel, set);
      set.add(listener as (payload: never) => void);
      return () => void set.delete(listener as (payload: never) => void);
    },
    close(): void {
      closed = true;
      if (retry) clearTimeout(retry);
      retry = null;
      socket?.close(1000, 'closed by the page');
      // The close event comes later; reject now so no caller waits on a socket we gave up.
      socket?.onclose?.({});
    },
  };
}

/** The host's error answer as the Error a caller catches (a ContractError keeps its class). */
function answerError(error: unknown): Error {
  const fields = typeof error === 'object' && error !== null ? (error as Record<string, unknown>) : {};
  const message = typeof fields.message === 'string' ? fields.message : 'Tidemark refused the request';
  if (fields.name === 'ContractError') return new ContractError(message);
  return new Error(message);
}
