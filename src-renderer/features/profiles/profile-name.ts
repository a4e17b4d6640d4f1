// Profile names as the contract takes them (ProfileName in src-shared/ipc/contract.ts), checked
// while typing so the person sees why before anything is sent.
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Why `name` cannot name a profile (to follow "The name"), or null. */
export function profileNameProblem(name: string): string | null {
  if (name === '') return 'is empty: give the profile a name';
  if (name.endsWith('.json')) return 'must not end in .json';
  if (name.length > 64) return 'is longer than 64 characters';
  if (!NAME.test(name)) return "may hold only letters, digits, '.', '_' and '-', and must start with a letter or digit";
  return null;
}

/** A profile name from a config's file name: lsyncd.conf.lua becomes lsyncd, spaces become '-'. */
export function suggestedName(fileName: string): string {
  const stem = fileName.replace(/\.lua$/i, '').replace(/\.conf$/i, '');
  const cleaned = stem.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 64);
  return cleaned.endsWith('.json') ? cleaned.slice(0, -5) : cleaned;
}
