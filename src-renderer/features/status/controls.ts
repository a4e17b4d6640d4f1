// Pause, resume and sync now, for one target or for all of them, and the sentence the screen
// announces afterwards: what was done, or what went wrong and what to do about it.
import type { Api } from '../../../src-shared/ipc/contract';

export type ControlAction = 'pause' | 'resume' | 'sync-now';

export interface Announcement {
  readonly text: string;
  readonly tone: 'ok' | 'error';
}

export type Announce = (announcement: Announcement) => void;

const DONE: Record<ControlAction, string> = { pause: 'Paused', resume: 'Resumed', 'sync-now': 'Sync started for' };
const VERB: Record<ControlAction, string> = { pause: 'pause', resume: 'resume', 'sync-now': 'start a sync for' };

/** What a control did, in words: for one target by its id, for all by their number. */
export function controlResult(action: ControlAction, target: string | null, targets: number): string {
  if (target !== null) return targets === 0 ? `${target} is not running any more: nothing to ${VERB[action]}.` : `${DONE[action]} ${target}.`;
  if (targets === 0) return `No target is running: nothing to ${VERB[action]}.`;
  return `${DONE[action]} ${targets === 1 ? 'the one target' : `all ${targets} targets`}.`;
}

/** Why a control failed, with the core's message whole (it says what to do). */
export function controlFailure(action: ControlAction, target: string | null, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return `Could not ${VERB[action]} ${target ?? 'the targets'}: ${message}`;
}

/** Runs the control and announces its outcome; never throws. */
export async function runControl(api: Api, action: ControlAction, target: string | null, announce: Announce): Promise<void> {
  const input = target === null ? {} : { target };
  try {
    const { targets } = await api.invoke(`control:${action}`, input);
    announce({ text: controlResult(action, target, targets), tone: 'ok' });
  } catch (error) {
    announce({ text: controlFailure(action, target, error), tone: 'error' });
  }
}
