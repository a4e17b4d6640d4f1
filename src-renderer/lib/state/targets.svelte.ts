// Every target's status, as the status stream says it: the list from status:targets, then each
// status:target and status:removed event. State takes every event at once; what the screens
// render is published at most once per animation frame (throttle rendering, not state), so 20
// targets and 10,000 events a minute stay smooth. The list is raw state of plain objects: a
// target no event touched keeps the very same object from frame to frame, so its card (keyed by
// id) does not render again; and a snapshot shares its unchanged lists with the one before.
import type { Api } from '../../../src-shared/ipc/contract';
import type { TargetStatus } from '../../../src-shared/model/status';
import { shareStatus } from './stable-status';

export class TargetsState {
  /** What the screens render: published at most once a frame; replaced whole, never mutated. */
  list = $state.raw<TargetStatus[]>([]);
  loaded = $state(false);
  problem = $state<string | null>(null);
  // Deliberately not reactive: events land here, and `list` publishes them once a frame.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  readonly #latest = new Map<string, TargetStatus>();
  #scheduled = false;
  readonly #stops: (() => void)[] = [];

  constructor(private readonly api: Api, private readonly schedule: (publish: () => void) => void = frame) {
    this.#stops.push(
      api.on('status:target', (status) => this.#take(status)),
      api.on('status:removed', ({ id }) => {
        this.#latest.delete(id);
        this.#publish();
      }),
    );
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      for (const status of await this.api.invoke('status:targets', {})) if (!this.#latest.has(status.id)) this.#latest.set(status.id, status);
      this.problem = null;
    } catch (error) {
      this.problem = (error as Error).message;
    }
    this.loaded = true;
    this.#publish();
  }

  get(id: string): TargetStatus | undefined {
    return this.list.find((status) => status.id === id);
  }

  dispose(): void {
    for (const stop of this.#stops.splice(0)) stop();
  }

  #take(status: TargetStatus): void {
    this.#latest.set(status.id, shareStatus(this.#latest.get(status.id), status));
    this.#publish();
  }

  #publish(): void {
    if (this.#scheduled) return;
    this.#scheduled = true;
    this.schedule(() => {
      this.#scheduled = false;
      this.list = [...this.#latest.values()].sort((a, b) => a.id.localeCompare(b.id));
    });
  }
}

function frame(publish: () => void): void {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => publish());
  else setTimeout(publish, 16);
}
