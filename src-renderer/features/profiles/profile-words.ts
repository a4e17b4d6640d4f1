// A profile's state in words and a severity for its colour, from what profiles:list says.
import type { ProfileSummary } from '../../lib/state/profiles.svelte';

export type ProfileSeverity = 'error' | 'attention' | 'paused' | 'idle';

export function profileStateOf(profile: ProfileSummary): { readonly severity: ProfileSeverity; readonly words: string } {
  if (!profile.valid) return { severity: 'error', words: 'Cannot be read' };
  if (!profile.enabled) return { severity: 'paused', words: 'Disabled' };
  if (profile.locked.length > 0) return { severity: 'attention', words: 'Locked: needs a passphrase' };
  if (profile.error !== null) return { severity: 'error', words: 'Not running' };
  if (profile.running) return { severity: 'idle', words: 'Running' };
  return { severity: 'attention', words: 'Enabled, not running' };
}
