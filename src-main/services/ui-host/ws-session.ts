// One WebSocket connection of the UI host: the IPC contract over JSON text frames.
//
//   client -> host   {"id": <integer>, "channel": "<invoke channel>", "input": <any>}
//   host -> client   {"id": <same id>, "ok": true, "output": <output>}
//                    {"id": <same id or null>, "ok": false, "error": {"name": "ContractError" | "Error", "message": "..."}}
//   host -> client   {"event": "<event channel>", "payload": <payload>}   for every AppEvents emission
//
// Requests are answered as their handlers finish, not in order: a client matches answers by id.
// A frame that is not such a request (binary, not JSON, not an object, no integer id) gets a
// ContractError answer with id null, and the connection stays open. Input and output checks are
// the router's (routeInvoke); this file adds only the framing.
import * as v from 'valibot';
import type { RawData, WebSocket } from 'ws';
import { ContractError } from '../../../src-shared/ipc/contract';
import type { AppEvents } from '../app-events';
import { routeInvoke, type InvokeHandlers } from '../contract-router';

/** A client that lets this much pile up unread is dropped rather than held in memory. */
const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;

const Request = v.object({
  id: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER)),
  channel: v.string(),
  input: v.unknown(),
});

const NOT_A_REQUEST = 'not a request: send {"id": <integer>, "channel": "<channel>", "input": {...}} as one JSON text frame';

export interface SessionDeps {
  readonly handlers: InvokeHandlers;
  readonly events: AppEvents;
  readonly log: (line: string) => void;
}

/** Serves `socket` until it closes; the events subscription ends with it. */
export function serveSession(socket: WebSocket, deps: SessionDeps): void {
  const send = (message: object): void => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      deps.log('ui host: dropped a client that stopped reading');
      socket.terminate();
      return;
    }
    socket.send(JSON.stringify(message));
  };
  const unsubscribe = deps.events.subscribe((event, payload) => send({ event, payload }));
  socket.on('close', unsubscribe);
  socket.on('error', () => socket.terminate());
  socket.on('message', (data: RawData, isBinary: boolean) => {
    void answer(data, isBinary, deps.handlers).then(send);
  });
}

async function answer(data: RawData, isBinary: boolean, handlers: InvokeHandlers): Promise<object> {
  if (isBinary) return failure(null, new ContractError('binary frames are not accepted; send JSON text'));
  let request: v.InferOutput<typeof Request>;
  try {
    request = v.parse(Request, JSON.parse(textOf(data)));
  } catch {
    return failure(null, new ContractError(NOT_A_REQUEST));
  }
  try {
    return { id: request.id, ok: true, output: await routeInvoke(handlers, request.channel, request.input) };
  } catch (error) {
    return failure(request.id, error);
  }
}

function failure(id: number | null, error: unknown): object {
  const name = error instanceof ContractError ? 'ContractError' : 'Error';
  const message = error instanceof Error ? error.message : String(error);
  return { id, ok: false, error: { name, message } };
}

function textOf(data: RawData): string {
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  return data.toString('utf8');
}
