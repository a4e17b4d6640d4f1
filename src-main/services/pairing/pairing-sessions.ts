// The pairings the faces have begun, each named by a random id: a wizard in one window and a
// browser tab can pair two servers at once without meeting. A pairing left alone for half an
// hour is aborted (what it changed is undone) and forgotten.
import { randomBytes } from 'node:crypto';
import type { PairingService } from './pairing-service';

export const PAIRING_IDLE_MS = 30 * 60_000;

export class PairingSessionError extends Error {
  override name = 'PairingSessionError';
}

interface Session {
  readonly service: PairingService;
  lastUsed: number;
}

export class PairingSessions {
  readonly #sessions = new Map<string, Session>();

  constructor(
    private readonly make: () => PairingService,
    private readonly now: () => number = Date.now,
    private readonly idleMs = PAIRING_IDLE_MS,
  ) {}

  /** Begins a pairing; at most 8 at once (each may hold an agent and a pin to undo). */
  async begin(): Promise<string> {
    await this.#expire();
    if (this.#sessions.size >= 8) throw new PairingSessionError('8 pairings are in progress already: finish or cancel one first');
    const id = randomBytes(16).toString('hex');
    this.#sessions.set(id, { service: this.make(), lastUsed: this.now() });
    return id;
  }

  /** The pairing `id`, or why there is none. */
  async get(id: string): Promise<PairingService> {
    await this.#expire();
    const session = this.#sessions.get(id);
    if (!session) throw new PairingSessionError('this pairing is over (it finished, was cancelled, or was left alone for 30 minutes): begin again');
    session.lastUsed = this.now();
    return session.service;
  }

  /** Forgets a pairing that finished (saved) or failed for good. */
  end(id: string): void {
    this.#sessions.delete(id);
  }

  /** Aborts one pairing, undoing what it changed. */
  async abort(id: string): Promise<readonly string[]> {
    const session = this.#sessions.get(id);
    if (!session) return [];
    this.#sessions.delete(id);
    return (await session.service.abort()).leftBehind;
  }

  /** Aborts every pairing (the app is quitting). */
  async abortAll(): Promise<void> {
    for (const id of [...this.#sessions.keys()]) await this.abort(id);
  }

  async #expire(): Promise<void> {
    const now = this.now();
    for (const [id, session] of this.#sessions) if (now - session.lastUsed > this.idleMs) await this.abort(id);
  }
}
