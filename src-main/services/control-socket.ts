// The one control path into a running engine (DESIGN.md, "The app layer"): a 0600 unix socket in
// the 0700 runtime directory, one per target, speaking the IPC contract as JSON lines. A request
// is `{"id", "channel", "input"}` and its answer `{"id", "ok": true, "output"}` or
// `{"id", "ok": false, "error"}`. `tidemark check --reconcile` reaches a running daemon here.
import { createHash } from 'node:crypto';
import { chmodSync, lstatSync, mkdirSync, rmSync } from 'node:fs';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import * as v from 'valibot';
import type { InvokeChannel, InvokeInput, InvokeOutput } from '../../src-shared/ipc/contract';
import { routeInvoke, type InvokeHandlers } from './contract-router';

/** A request line longer than this is refused and the connection closed (a hostile peer). */
export const MAX_REQUEST_BYTES = 8 * 1024 * 1024;

const Request = v.strictObject({ id: v.pipe(v.number(), v.integer()), channel: v.string(), input: v.unknown() });

/** The socket of the target that mirrors `source` to `target` (as its state directory is named). */
export function controlSocketPath(runtimeDir: string, source: string, target: string): string {
  const digest = createHash('sha256').update(`${source}\0${target}`).digest('hex').slice(0, 16);
  return join(runtimeDir, `control-${digest}.sock`);
}

/**
 * Serves `handlers` on `path`. A socket left by a process that died is replaced; one that
 * answers belongs to an engine that runs the same target, and is left alone (null).
 */
export async function serveControl(path: string, handlers: InvokeHandlers): Promise<Server | null> {
  const dir = join(path, '..');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const owner = lstatSync(dir);
  if (!owner.isDirectory() || owner.uid !== process.getuid?.() || (owner.mode & 0o077) !== 0) {
    throw new Error(`${dir} must be a directory of this user's with mode 0700 (it holds the control sockets)`);
  }
  if (await answers(path)) return null;
  rmSync(path, { force: true });
  const server = createServer((socket) => serveConnection(socket, handlers));
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(path, () => resolve());
  });
  chmodSync(path, 0o600);
  return server;
}

/** Stops serving and removes the socket. */
export async function closeControl(server: Server | null, path: string): Promise<void> {
  if (!server) return;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(path, { force: true });
}

function serveConnection(socket: Socket, handlers: InvokeHandlers): void {
  let buffered = '';
  socket.setEncoding('utf8');
  socket.on('error', () => socket.destroy());
  socket.on('data', (chunk: string) => {
    buffered += chunk;
    if (buffered.length > MAX_REQUEST_BYTES) {
      socket.end(`${JSON.stringify({ id: null, ok: false, error: `a request is at most ${MAX_REQUEST_BYTES} bytes` })}\n`);
      buffered = '';
      return;
    }
    for (let end = buffered.indexOf('\n'); end >= 0; end = buffered.indexOf('\n')) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      void answer(line, handlers).then((reply) => socket.writable && socket.write(`${JSON.stringify(reply)}\n`));
    }
  });
}

async function answer(line: string, handlers: InvokeHandlers): Promise<object> {
  let request: v.InferOutput<typeof Request>;
  try {
    request = v.parse(Request, JSON.parse(line));
  } catch {
    return { id: null, ok: false, error: 'not a request: {"id": N, "channel": "...", "input": {...}} on one line' };
  }
  try {
    return { id: request.id, ok: true, output: await routeInvoke(handlers, request.channel, request.input) };
  } catch (error) {
    return { id: request.id, ok: false, error: (error as Error).message };
  }
}

/** A refusal from the engine at the other end (its own words). */
export class ControlError extends Error {
  override name = 'ControlError';
}

/**
 * Calls one channel of the engine serving `path`; null when nothing serves it (no engine runs
 * the target). The answer waits as long as the decision takes, up to `timeoutMs`.
 */
export async function callControl<C extends InvokeChannel>(path: string, channel: C, input: InvokeInput<C>, timeoutMs = 120_000): Promise<InvokeOutput<C> | null> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path);
    let buffered = '';
    const timer = setTimeout(() => {
      socket.destroy();
      reject(new ControlError(`the engine at ${path} did not answer within ${timeoutMs / 1000} s`));
    }, timeoutMs);
    socket.setEncoding('utf8');
    socket.on('error', (error: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      if (error.code === 'ENOENT' || error.code === 'ECONNREFUSED') resolve(null);
      else reject(error);
    });
    socket.on('connect', () => socket.write(`${JSON.stringify({ id: 1, channel, input })}\n`));
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end < 0) return;
      clearTimeout(timer);
      socket.end();
      const reply = JSON.parse(buffered.slice(0, end)) as { ok: boolean; output?: InvokeOutput<C>; error?: string };
      if (reply.ok) resolve(reply.output as InvokeOutput<C>);
      else reject(new ControlError(reply.error ?? 'the engine refused'));
    });
  });
}

/** Whether an engine answers on `path` now. */
async function answers(path: string): Promise<boolean> {
  try {
    return (await callControl(path, 'safety:targets', {}, 2000)) !== null;
  } catch (error) {
    // A refusal is an answer too: an engine is there.
    return error instanceof ControlError && !/did not answer/.test(error.message);
  }
}
