// The keys of a profile that make Tidemark run a program, or write to a file, of the profile's
// choosing: rsync's and ssh's binaries, rsync's remote shell and remote path, ssh's options
// (ProxyCommand, LocalCommand, ...), both tools' extra arguments, and the log, status and pid
// files. They are lsyncd features and a hand-written profile may use them, but the app's faces
// (the window, `tidemark ui`) never add or change them: a page that was made to misbehave could
// otherwise turn "save this profile" into "run this command" (decision 27). Keys a profile
// already has pass unchanged, so editing its other fields still works. Pure.
import type { Profile } from '../../../src-shared/model/profile';

const RSYNC_COMMAND_KEYS = ['rsh', 'binary', 'rsync_path', '_extra'] as const;
const SSH_COMMAND_KEYS = ['binary', '_extra'] as const;
const SETTINGS_FILE_KEYS = ['logfile', 'statusFile', 'pidfile'] as const;

/** `key = value` for every command-bearing key a profile sets (the sync's index left out). */
export function commandSettings(profile: Profile): string[] {
  const found: string[] = [];
  const add = (key: string, value: unknown) => {
    if (value !== undefined) found.push(`${key} = ${JSON.stringify(value)}`);
  };
  for (const key of SETTINGS_FILE_KEYS) add(`settings.${key}`, profile.settings?.[key]);
  for (const sync of profile.syncs) {
    for (const key of RSYNC_COMMAND_KEYS) add(`rsync.${key}`, sync.rsync?.[key]);
    for (const key of SSH_COMMAND_KEYS) add(`ssh.${key}`, sync.ssh?.[key]);
    for (const [option, value] of Object.entries(sync.ssh?.options ?? {})) add(`ssh.options.${option}`, value);
  }
  return found;
}

export class CommandKeyError extends Error {
  override name = 'CommandKeyError';
}

/**
 * Throws when `next` sets a command-bearing key that `current` (the profile as it is on disk, or
 * null for a new one) does not set to the same value. `file` is where a person may set it by hand.
 */
export function refuseNewCommands(current: Profile | null, next: Profile, file: string): void {
  const allowed = new Set(current ? commandSettings(current) : []);
  const added = commandSettings(next).filter((setting) => !allowed.has(setting));
  if (added.length === 0) return;
  const shown = added.slice(0, 3).join('; ') + (added.length > 3 ? `; and ${added.length - 3} more` : '');
  throw new CommandKeyError(
    `the app does not set keys that run a program or write a file of the profile's choosing (${shown}). ` +
      `Set them by hand in ${file}, or import the config with: tidemark import FILE --name NAME`,
  );
}
