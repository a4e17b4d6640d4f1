// The PAIRING column of `tidemark profiles`: for each ssh target with a key or a pin, whether
// the key is there (and which store holds it) and the fingerprint pinned for its host. Read
// once from the key records and the known_hosts files, then served synchronously.
import type { KeyService } from '../../keys/key-service';
import type { PairingStatus } from '../profiles/profile-rows';
import type { ProfileListing } from '../profiles/profile-store';
import type { ProfileSshTarget } from '../profiles/profile-schema';
import { pinnedFingerprint } from './host-key-pin';

const keyOf = (profile: string, target: ProfileSshTarget) => `${profile}\0${target.host}\0${target.port ?? 22}\0${target.keyName ?? ''}\0${target.knownHosts ?? ''}`;

export async function loadPairingStatus(listing: readonly ProfileListing[], keys: KeyService): Promise<PairingStatus> {
  const texts = new Map<string, string>();
  for (const entry of listing) {
    if (entry.kind === 'invalid') continue;
    for (const sync of entry.profile.syncs) {
      const target = sync.target;
      if (target.kind !== 'ssh' || (target.keyName === undefined && target.knownHosts === undefined)) continue;
      texts.set(keyOf(entry.name, target), await describeTarget(target, keys));
    }
  }
  return { describe: (profile, target) => (target.kind === 'ssh' ? texts.get(keyOf(profile, target)) ?? '-' : '-') };
}

async function describeTarget(target: ProfileSshTarget, keys: KeyService): Promise<string> {
  let key = 'no key';
  if (target.keyName !== undefined) {
    key = await keys.get(target.keyName).then((info) => `key ${info.name} (${info.store})`, () => `key ${target.keyName} MISSING`);
  }
  let pin = 'host key not pinned';
  if (target.knownHosts !== undefined) {
    pin = await pinnedFingerprint(target.knownHosts, target.host, target.port ?? 22).then((fingerprint) => fingerprint ?? 'host key not pinned', () => `cannot read ${target.knownHosts}`);
  }
  const paired = target.keyName !== undefined && !key.endsWith('MISSING') && pin.startsWith('SHA256:');
  return `${paired ? 'paired' : 'incomplete'}: ${key}, ${pin}`;
}
