// Profile names: a file name in the profiles directory, so never a path. Pure.

/** Letters, digits, '.', '_' and '-', starting with a letter or digit, at most 64 characters. */
const NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export type NameCheck = { readonly kind: 'ok'; readonly name: string } | { readonly kind: 'error'; readonly message: string };

/** Whether `name` may name a profile, and why not. */
export function checkProfileName(name: string): NameCheck {
  if (NAME.test(name) && !name.endsWith('.json')) return { kind: 'ok', name };
  const shown = JSON.stringify(name.length > 80 ? `${name.slice(0, 80)}…` : name);
  if (name.includes('/') || name.includes('\\') || name === '.' || name === '..') {
    return { kind: 'error', message: `profile name ${shown} is a path: a profile is named by a plain word (letters, digits, '.', '_', '-'), and lives in the profiles directory` };
  }
  if (name.startsWith('.')) return { kind: 'error', message: `profile name ${shown} starts with a dot: that would be a hidden file` };
  if (name.length > 64) return { kind: 'error', message: `profile name ${shown} is longer than 64 characters` };
  if (name.endsWith('.json')) return { kind: 'error', message: `profile name ${shown} ends in .json: give the name without it` };
  return { kind: 'error', message: `profile name ${shown} is not allowed: use letters, digits, '.', '_' and '-', starting with a letter or a digit` };
}

/** Whether `name` is a valid profile name. */
export function isProfileName(name: string): boolean {
  return checkProfileName(name).kind === 'ok';
}
