// Which desktop notifications to show, and when: pure. It compares successive status views of
// each target, turns the transitions that need the user into notifications, and batches them so
// that a target speaks at most once a minute. The Electron adapter (src-main/app/notifications.ts)
// only shows what it returns.
//
// The rules, per target:
// - halt: the state becomes halted.
// - error: an error that outlasts its retries. The state becomes error (the engine gave up), or
//   a retry reaches attempt RETRIES_BEFORE_ERROR (the first retries are the blips every network
//   has; by the third the outage is real). Once per outage for the retries: the later attempts
//   stay quiet until the target is idle again. Giving up (error) is always said.
// - decision: the state becomes awaiting-decision, or deletions start being held back.
// - host-key: reported by pairing or the engine through hostKeyChanged().
// - caught-up: the target is idle again after an outage of OUTAGE_MS or more (error, retrying,
//   halted, or paused by the engine rather than by the user); the catch-up sync is part of it.
// A target seen for the first time counts as coming from nowhere: if it starts halted, it says so.
import type { NotificationKind } from '../../../src-shared/model/app-settings';
import type { TargetStatus } from '../../../src-shared/model/status';

export const BATCH_MS = 60_000;
export const OUTAGE_MS = 5 * 60_000;
export const RETRIES_BEFORE_ERROR = 3;

export type NotificationSwitches = Readonly<Record<NotificationKind, boolean>>;

/** What clicking a notification opens; the adapter maps it to a window and a screen. */
export type NotificationCommand =
  | { readonly open: 'safety'; readonly target: string }
  | { readonly open: 'logs'; readonly target: string }
  | { readonly open: 'pairing'; readonly profile: string }
  | { readonly open: 'status'; readonly target: string };

export interface AppNotification {
  readonly kind: NotificationKind;
  /** The target (or, for a host key with no target, the profile) it is about. */
  readonly about: string;
  readonly title: string;
  readonly body: string;
  readonly action: { readonly label: string; readonly command: NotificationCommand };
}

export interface HostKeyChange {
  readonly profile: string;
  readonly host: string;
  /** The target that stopped on it, when there is one. */
  readonly target?: string;
}

/** Most severe first: a summary takes the kind and action of its most severe event. */
const SEVERITY: readonly NotificationKind[] = ['halt', 'error', 'host-key', 'decision', 'caught-up'];

interface Tracked {
  state: TargetStatus['state']['kind'];
  holding: boolean;
  /** When the current outage began; null when there is none. */
  outageSince: number | null;
  errorReported: boolean;
}

interface Channel {
  lastShownAt: number;
  pending: AppNotification[];
}

function oneLine(text: string, max = 200): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

function isOutage(status: TargetStatus): boolean {
  const kind = status.state.kind;
  return kind === 'error' || kind === 'retrying' || kind === 'halted' || (kind === 'paused' && !status.paused);
}

function minutes(ms: number): string {
  const total = Math.round(ms / 60_000);
  return total < 60 ? `${total} minutes` : `${Math.floor(total / 60)} h ${total % 60} min`;
}

/** The notifications one transition of one target calls for (before switches and batching). */
/** How the core's halt reason names a changed host key (core/transport/ssh-failure.ts). */
const HOST_KEY_CHANGED = /host key has CHANGED/;

function transitionNotices(status: TargetStatus, before: Tracked | undefined, tracked: Tracked, now: number): AppNotification[] {
  const id = status.id;
  const state = status.state;
  const notices: AppNotification[] = [];
  const notice = (kind: NotificationKind, title: string, body: string, label: string, command: NotificationCommand) =>
    notices.push({ kind, about: id, title, body, action: { label, command } });

  if (state.kind === 'halted' && before?.state !== 'halted' && HOST_KEY_CHANGED.test(state.reason)) {
    // The core halts a target whose pinned host key changed (ssh-failure.ts says so in words).
    const profile = id.includes(':') ? id.slice(0, id.lastIndexOf(':')) : id;
    notice('host-key', `Host key of ${status.target} changed`, `${id} stopped: ${oneLine(state.reason)}`, 'Pair again', { open: 'pairing', profile });
  } else if (state.kind === 'halted' && before?.state !== 'halted') {
    notice('halt', `${id} halted`, `Syncing to ${status.target} stopped: ${oneLine(state.reason)}`, 'Review', { open: 'safety', target: id });
  }
  const gaveUp = state.kind === 'error' && before?.state !== 'error';
  const retriesOutlasted = state.kind === 'retrying' && state.attempt >= RETRIES_BEFORE_ERROR && !tracked.errorReported;
  if (gaveUp || retriesOutlasted) {
    const reason = state.kind === 'error' || state.kind === 'retrying' ? oneLine(state.reason) : '';
    const detail = state.kind === 'retrying' ? `Still failing after ${state.attempt} attempts: ${reason}` : `Syncing to ${status.target} failed: ${reason}`;
    notice('error', `${id} cannot sync`, detail, 'Show log', { open: 'logs', target: id });
    tracked.errorReported = true;
  }
  const decisionNow = state.kind === 'awaiting-decision' && before?.state !== 'awaiting-decision';
  const holdingNow = status.holding !== null && !(before?.holding ?? false);
  if (decisionNow || holdingNow) {
    const body = state.kind === 'awaiting-decision' ? oneLine(state.reason) : `Deletions are held back: ${oneLine(status.holding ?? '')}`;
    notice('decision', `${id} needs a decision`, body, 'Decide', { open: 'safety', target: id });
  }
  if (state.kind === 'idle' && tracked.outageSince !== null) {
    const lasted = now - tracked.outageSince;
    if (lasted >= OUTAGE_MS) notice('caught-up', `${id} caught up`, `Up to date again with ${status.target} after ${minutes(lasted)}.`, 'Show', { open: 'status', target: id });
  }
  return notices;
}

/** Several notifications about one target, said as one. */
function summarise(about: string, notices: readonly AppNotification[]): AppNotification {
  const [worst] = [...notices].sort((a, b) => SEVERITY.indexOf(a.kind) - SEVERITY.indexOf(b.kind));
  if (!worst) throw new Error('summarise needs at least one notification');
  if (notices.length === 1) return worst;
  const allProblems = notices.every((notice) => notice.kind !== 'caught-up');
  const title = `${about}: ${notices.length} ${allProblems ? 'problems' : 'updates'}`;
  const body = notices.map((notice) => `${notice.title.startsWith(`${about} `) ? notice.title.slice(about.length + 1) : notice.title}: ${notice.body}`).join('\n');
  return { kind: worst.kind, about, title, body, action: worst.action };
}

/**
 * The notification model. Feed it every status view (`observe`) and host key change
 * (`hostKeyChanged`); each returns what to show now. Batched per target: the first notification
 * shows at once, what follows within BATCH_MS waits and shows as one summary when the minute is
 * up; call `flush(now)` at `nextFlushAt`. Switched-off kinds are dropped, also from a waiting
 * batch when the switch goes off before it shows.
 */
export class NotificationModel {
  #switches: NotificationSwitches;
  readonly #tracked = new Map<string, Tracked>();
  readonly #channels = new Map<string, Channel>();

  constructor(switches: NotificationSwitches) {
    this.#switches = switches;
  }

  setSwitches(switches: NotificationSwitches): void {
    this.#switches = switches;
  }

  observe(targets: readonly TargetStatus[], now: number): AppNotification[] {
    const shown = this.flush(now);
    const seen = new Set<string>();
    for (const status of targets) {
      seen.add(status.id);
      const before = this.#tracked.get(status.id);
      const tracked: Tracked = before ? { ...before } : { state: status.state.kind, holding: false, outageSince: null, errorReported: false };
      const notices = transitionNotices(status, before, tracked, now);
      // The outage bookkeeping, after the notices that read it.
      if (isOutage(status)) tracked.outageSince ??= now;
      if (status.state.kind === 'idle') tracked.outageSince = null;
      // Only idle ends an outage: a retry runs as a sync, and must not re-arm the error notice.
      if (status.state.kind === 'idle') tracked.errorReported = false;
      tracked.state = status.state.kind;
      tracked.holding = status.holding !== null;
      this.#tracked.set(status.id, tracked);
      shown.push(...this.#offer(notices, now));
    }
    // A target gone from the view is forgotten; what it still has waiting shows when due.
    for (const id of this.#tracked.keys()) if (!seen.has(id)) this.#tracked.delete(id);
    return shown;
  }

  hostKeyChanged(change: HostKeyChange, now: number): AppNotification[] {
    const about = change.target ?? change.profile;
    const notice: AppNotification = {
      kind: 'host-key',
      about,
      title: `Host key of ${change.host} changed`,
      body: `${about} stopped: the host no longer proves it is the one you paired with. Check with its admin before you pair again.`,
      action: { label: 'Pair again', command: { open: 'pairing', profile: change.profile } },
    };
    return [...this.flush(now), ...this.#offer([notice], now)];
  }

  /** The batches whose minute is up, one summary per target. */
  flush(now: number): AppNotification[] {
    const shown: AppNotification[] = [];
    for (const [about, channel] of this.#channels) {
      if (channel.pending.length === 0 || now - channel.lastShownAt < BATCH_MS) continue;
      const pending = channel.pending.filter((notice) => this.#switches[notice.kind]);
      channel.pending = [];
      if (pending.length === 0) continue;
      shown.push(summarise(about, pending));
      channel.lastShownAt = now;
    }
    return shown;
  }

  /** When the next waiting batch is due; null when nothing waits. */
  get nextFlushAt(): number | null {
    let next: number | null = null;
    for (const channel of this.#channels.values()) {
      if (channel.pending.length === 0) continue;
      const due = channel.lastShownAt + BATCH_MS;
      next = next === null ? due : Math.min(next, due);
    }
    return next;
  }

  #offer(notices: readonly AppNotification[], now: number): AppNotification[] {
    const wanted = notices.filter((notice) => this.#switches[notice.kind]);
    const [first] = wanted;
    if (!first) return [];
    const channel = this.#channels.get(first.about);
    if (!channel || (channel.pending.length === 0 && now - channel.lastShownAt >= BATCH_MS)) {
      // Several notices from the same view show as one: they happened together.
      this.#channels.set(first.about, { lastShownAt: now, pending: [] });
      return [summarise(first.about, wanted)];
    }
    channel.pending.push(...wanted);
    return [];
  }
}
