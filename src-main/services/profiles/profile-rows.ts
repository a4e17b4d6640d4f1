// The rows `tidemark profiles` (and later the app's list) shows: one per sync of each profile,
// with its target as a person reads it and the pairing state of that target. Pure.
import { sshLogin, syncKindOf } from './profile-to-config';
import type { ProfileSync, ProfileTarget } from './profile-schema';
import type { ProfileListing } from './profile-store';

/**
 * What the PAIRING column says for one target. Pairing (src-main/services/pairing) plugs in here:
 * its key store and pinned host key state; until then every target shows "-".
 */
export interface PairingStatus {
  describe(profile: string, target: ProfileTarget): string;
}

export const noPairing: PairingStatus = { describe: () => '-' };

export interface ProfileRow {
  readonly name: string;
  /** 'yes', 'no', or 'invalid' for a file that does not validate. */
  readonly enabled: 'yes' | 'no' | 'invalid';
  readonly source: string;
  /** The target, or the profile's first problem. */
  readonly target: string;
  readonly pairing: string;
}

/** user@host:dir (port N), a local directory, or the daemon address. */
export function targetText(sync: ProfileSync): string {
  const target = sync.target;
  if (target.kind === 'local') return target.dir;
  if (target.kind === 'rsyncd') return target.address;
  return `${sshLogin(target, 'rsync')}:${target.dir}${target.port !== undefined ? ` (port ${target.port})` : ''}${syncKindOf(sync) === 'rsyncssh' ? '' : ' (rsync)'}`;
}

export function profileRows(listing: readonly ProfileListing[], pairing: PairingStatus): ProfileRow[] {
  return listing.flatMap((entry): ProfileRow[] => {
    if (entry.kind === 'invalid') return [{ name: entry.name, enabled: 'invalid', source: '-', target: entry.error.message.split('\n')[0] ?? '', pairing: '-' }];
    return entry.profile.syncs.map((sync) => ({
      name: entry.name,
      enabled: entry.profile.enabled ? 'yes' : 'no',
      source: sync.source,
      target: targetText(sync),
      pairing: pairing.describe(entry.name, sync.target),
    }));
  });
}
