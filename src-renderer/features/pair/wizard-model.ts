// The wizard's pure parts: its steps in order, the options form and what it writes into a
// profile's sync, names derived from a host, and sizes in words. No Svelte, no api: tested alone.
import type { ProfileSync } from '../../../src-shared/model/profile';
import type { ProfileDefaults } from '../../../src-shared/model/app-settings';

export const STEPS = [
  { id: 'server', title: 'The server' },
  { id: 'hostkey', title: 'Check the host key' },
  { id: 'password', title: 'One-time password' },
  { id: 'install', title: 'Install and verify the key' },
  { id: 'folders', title: 'Folders' },
  { id: 'options', title: 'Options' },
  { id: 'save', title: 'Save and check' },
  { id: 'done', title: 'Done' },
] as const;
export type StepId = (typeof STEPS)[number]['id'];

export function stepIndex(step: StepId): number {
  return STEPS.findIndex((entry) => entry.id === step);
}

export type DeleteMode = 'true' | 'false' | 'startup' | 'running';

/** The options step's form, as the fields hold it (a blank limit is no limit). */
export interface WizardOptions {
  delay: number | null;
  /** One pattern a line; '+ ' or '- ' lines are rules as written, other lines are '- ' rules. */
  excludes: string;
  deleteMode: DeleteMode;
  perms: boolean;
  owner: boolean;
  group: boolean;
  maxDeletes: number | null;
  maxDeletePercent: number | null;
}

/** The options a new pairing starts with: the app's defaults, and rsync's as Tidemark runs it. */
export function defaultOptions(defaults: ProfileDefaults): WizardOptions {
  return {
    delay: defaults.delay,
    excludes: defaults.excludes.join('\n'),
    deleteMode: 'true',
    perms: true,
    owner: false,
    group: false,
    maxDeletes: defaults.maxDeletes === false ? null : defaults.maxDeletes,
    maxDeletePercent: defaults.maxDeletePercent === false ? null : defaults.maxDeletePercent,
  };
}

/** The filter rules the excludes text stands for, in its order (first match wins). */
export function rulesFromExcludes(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => (/^[+-] /.test(line) ? line : `- ${line}`));
}

const DELETE_VALUES: Record<DeleteMode, ProfileSync['delete']> = { true: true, false: false, startup: 'startup', running: 'running' };

/** What the options write into the sync (its source and target come from the pairing). */
export function syncOptions(options: WizardOptions): Omit<ProfileSync, 'source' | 'target'> {
  const filters = rulesFromExcludes(options.excludes);
  // Only what differs from Tidemark's rsync defaults (perms on, owner and group off) is written.
  const rsync = {
    ...(options.perms ? {} : { perms: false }),
    ...(options.owner ? { owner: true } : {}),
    ...(options.group ? { group: true } : {}),
  };
  return {
    ...(options.delay !== null ? { delay: options.delay } : {}),
    delete: DELETE_VALUES[options.deleteMode],
    ...(filters.length > 0 ? { filters } : {}),
    ...(Object.keys(rsync).length > 0 ? { rsync } : {}),
    maxDeletes: options.maxDeletes ?? false,
    maxDeletePercent: options.maxDeletePercent ?? false,
  };
}

/** A problem with the options a person can fix, or null. */
export function optionsProblem(options: WizardOptions): string | null {
  if (options.delay !== null && (!Number.isFinite(options.delay) || options.delay < 0 || options.delay > 86_400)) return 'The delay is a number of seconds from 0 to 86400.';
  if (options.maxDeletes !== null && (!Number.isInteger(options.maxDeletes) || options.maxDeletes < 1)) return 'The most deletions at once is a whole number of at least 1, or blank for no limit.';
  if (options.maxDeletePercent !== null && !(options.maxDeletePercent > 0 && options.maxDeletePercent <= 100)) return 'The most deleted share is a percentage above 0 and at most 100, or blank for no limit.';
  return null;
}

/** A profile or key name from what the person typed: its safe letters, else 'server'. */
export function nameFrom(text: string): string {
  const cleaned = text.replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').replace(/\.json$/i, '').slice(0, 64).replace(/[-.]+$/, '');
  return cleaned === '' ? 'server' : cleaned;
}

export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

/** Bytes as a person reads them: 1.5 GB, 820 MB, 12 kB (powers of 1000, as file managers show). */
export function humanBytes(bytes: number): string {
  const units = ['bytes', 'kB', 'MB', 'GB', 'TB', 'PB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  if (unit === 0) return `${bytes} ${bytes === 1 ? 'byte' : 'bytes'}`;
  return `${value >= 100 ? Math.round(value) : value.toFixed(1).replace(/\.0$/, '')} ${units[unit]}`;
}

/** Parses the port field: blank is none (ssh's own), else 1 to 65535. */
export function parsePort(text: string): { port: number | undefined } | { problem: string } {
  const trimmed = text.trim();
  if (trimmed === '') return { port: undefined };
  const port = Number(trimmed);
  if (!Number.isInteger(port) || port < 1 || port > 65535) return { problem: 'The port is a whole number from 1 to 65535, or blank for 22.' };
  return { port };
}
