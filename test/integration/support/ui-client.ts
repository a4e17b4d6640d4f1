// A WebSocket client of `tidemark ui` for tests: the token from the printed URL, the contract's
// wire form ({id, channel, input} out; {id, ok, output|error} and {event, payload} in), and every
// event kept in order so that tests can wait for one.
import WebSocket from 'ws';

export interface UiEvent {
  readonly event: string;
  readonly payload: unknown;
}

export class UiCallError extends Error {
  constructor(readonly errorName: string, message: string) {
    super(message);
  }
}

/** The parts of the URL `tidemark ui` prints: where it listens, and its token (fragment or query). */
export function parseUiUrl(url: string): { origin: string; host: string; token: string } {
  const page = new URL(url);
  const token = new URLSearchParams(page.hash.slice(1)).get('token') ?? page.searchParams.get('token');
  if (!token) throw new Error(`no token in ${url}`);
  return { origin: page.origin, host: page.host, token };
}

export class UiClient {
  readonly events: UiEvent[] = [];
  readonly #pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  #next = 1;

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { id?: number; ok?: boolean; output?: unknown; error?: { name: string; message: string }; event?: string; payload?: unknown };
      if (message.event !== undefined) {
        this.events.push({ event: message.event, payload: message.payload });
        return;
      }
      const waiting = typeof message.id === 'number' ? this.#pending.get(message.id) : undefined;
      if (!waiting) return;
      this.#pending.delete(message.id!);
      if (message.ok) waiting.resolve(message.output);
      else waiting.reject(new UiCallError(message.error?.name ?? 'Error', message.error?.message ?? 'no message'));
    });
    socket.on('close', () => {
      for (const waiting of this.#pending.values()) waiting.reject(new Error('the socket closed'));
      this.#pending.clear();
    });
  }

  static async connect(url: string): Promise<UiClient> {
    const { origin, host, token } = parseUiUrl(url);
    const socket = new WebSocket(`ws://${host}/api`, ['tidemark.v1', `token.${token}`], { origin });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
      socket.once('unexpected-response', (_request, response) => reject(new Error(`upgrade refused: ${response.statusCode}`)));
    });
    return new UiClient(socket);
  }

  call<T = unknown>(channel: string, input: unknown = {}): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      this.socket.send(JSON.stringify({ id, channel, input }));
    });
  }

  /** Sends a raw frame (hostile-message tests). */
  sendRaw(data: string | Buffer): void {
    this.socket.send(data);
  }

  close(): void {
    this.socket.close();
  }
}
