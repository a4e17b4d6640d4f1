// What each notification kind is, in words, for the settings screen's switches.
import type { NotificationKind } from '../../../src-shared/model/app-settings';

export const NOTIFICATION_TEXTS: Readonly<Record<NotificationKind, { readonly label: string; readonly sentence: string }>> = {
  halt: { label: 'A target halted', sentence: 'Syncing stopped to keep your files safe, for example because the source went away.' },
  error: { label: 'A sync keeps failing', sentence: 'An error outlasted its retries, so changes are not reaching the target.' },
  'host-key': { label: 'A host key changed', sentence: 'A server answered with a different key; nothing is sent until you pair it again.' },
  decision: { label: 'A decision is needed', sentence: 'Files exist only on a target, or a mass delete was held back, and Tidemark waits for you.' },
  'caught-up': { label: 'Caught up again', sentence: 'A target that was out of reach for 5 minutes or more is in sync again.' },
};
