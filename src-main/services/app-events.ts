// The events every face forwards to its renderer (ipc webContents.send, WebSocket messages): one
// typed emitter, checked against the contract's event schemas before anything leaves main.
import * as v from 'valibot';
import { events, type EventChannel, type EventPayload } from '../../src-shared/ipc/contract';

export type AppEventListener = <C extends EventChannel>(channel: C, payload: EventPayload<C>) => void;

export class AppEvents {
  readonly #listeners = new Set<AppEventListener>();

  /** Calls `listener` for every event from now on; returns the unsubscribe. */
  subscribe(listener: AppEventListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Sends an event to every subscriber; a payload that breaks the contract is a bug in main and throws. */
  emit<C extends EventChannel>(channel: C, payload: EventPayload<C>): void {
    const checked = v.safeParse(events[channel], payload);
    if (!checked.success) throw new Error(`event '${channel}' breaks the contract: ${checked.issues.map((issue) => `${v.getDotPath(issue) ?? '(payload)'}: ${issue.message}`).join('; ')}`);
    for (const listener of this.#listeners) {
      try {
        listener(channel, payload);
      } catch {
        // One face's broken socket must not stop the others hearing the event.
      }
    }
  }

  get size(): number {
    return this.#listeners.size;
  }
}
