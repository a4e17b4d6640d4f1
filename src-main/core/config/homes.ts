import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';

/**
 * The home directories of this machine's accounts (from /etc/passwd), this user's own, and the
 * directories that hold homes: targets that a mirror must never be (safety/refused-targets.ts).
 */
export function machineHomes(): string[] {
  const homes = new Set<string>(['/home', '/root', homedir()]);
  try {
    for (const line of readFileSync('/etc/passwd', 'utf8').split('\n')) {
      const home = line.split(':')[5];
      if (home && home !== '/' && home.startsWith('/') && !home.startsWith('/nonexistent')) homes.add(home);
    }
  } catch {
    // no /etc/passwd (a container, another OS): the fixed entries still apply
  }
  return [...homes];
}
