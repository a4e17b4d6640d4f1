// The settings form's draft: the settings as fields hold them, the patch that saves only what
// changed, and how a draft follows a change made elsewhere (another window, the CLI) without
// losing what the person is typing. Pure: test/renderer/settings-draft.test.ts.
import { NOTIFICATION_KINDS, type AppSettings, type AppSettingsPatch, type NotificationKind } from '../../../src-shared/model/app-settings';
import { describeLineProblems, linesOf, numberOrOffOf, parseNumber, parseNumberOrOff, parsePatternLines, type NumberOrOff } from '../../lib/ui/form-values';

/** Everything the Save button saves (start at login applies at once, on its own). */
export interface SettingsDraft {
  notifications: Record<NotificationKind, boolean>;
  delay: string;
  excludes: string;
  maxDeletes: NumberOrOff;
  maxDeletePercent: NumberOrOff;
  lsyncdConfigs: string[];
}

export type DraftField = Exclude<keyof SettingsDraft, 'notifications'>;

export function draftOf(settings: AppSettings): SettingsDraft {
  return {
    notifications: { ...settings.notifications },
    delay: String(settings.defaults.delay),
    excludes: linesOf(settings.defaults.excludes),
    maxDeletes: numberOrOffOf(settings.defaults.maxDeletes),
    maxDeletePercent: numberOrOffOf(settings.defaults.maxDeletePercent),
    lsyncdConfigs: [...settings.lsyncdConfigs],
  };
}

function same(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

export type PatchResult =
  | { readonly ok: true; readonly patch: AppSettingsPatch; readonly changed: boolean }
  | { readonly ok: false; readonly problems: Partial<Record<DraftField, string>> };

/** The patch for settings:set: only the keys whose values differ from `saved`, or the fields' problems. */
export function patchOf(saved: AppSettings, draft: SettingsDraft): PatchResult {
  const problems: Partial<Record<DraftField, string>> = {};
  const delay = parseNumber(draft.delay, { min: 0, max: 86_400 });
  if (!delay.ok) problems.delay = delay.message;
  const excludes = parsePatternLines(draft.excludes);
  if (excludes.problems.length > 0) problems.excludes = describeLineProblems(excludes.problems);
  else if (excludes.values.length > 1000) problems.excludes = 'at most 1000 patterns';
  const maxDeletes = parseNumberOrOff(draft.maxDeletes, { integer: true, min: 1 });
  if (!maxDeletes.ok) problems.maxDeletes = maxDeletes.message;
  const maxDeletePercent = parseNumberOrOff(draft.maxDeletePercent, { above: 0, max: 100 });
  if (!maxDeletePercent.ok) problems.maxDeletePercent = maxDeletePercent.message;
  if (!delay.ok || !maxDeletes.ok || !maxDeletePercent.ok || Object.keys(problems).length > 0) return { ok: false, problems };

  const patch: { -readonly [K in keyof AppSettingsPatch]: AppSettingsPatch[K] } = {};
  const notifications = Object.fromEntries(NOTIFICATION_KINDS.filter((kind) => draft.notifications[kind] !== saved.notifications[kind]).map((kind) => [kind, draft.notifications[kind]]));
  if (Object.keys(notifications).length > 0) patch.notifications = notifications;
  // Not optional fields, so an empty one was reported above; these are numbers or false.
  const wanted = { delay: delay.value, excludes: excludes.values, maxDeletes: maxDeletes.value as number | false, maxDeletePercent: maxDeletePercent.value as number | false };
  const defaults = Object.fromEntries(Object.entries(wanted).filter(([key, value]) => !same(value, saved.defaults[key as keyof typeof wanted])));
  if (Object.keys(defaults).length > 0) patch.defaults = defaults;
  if (!same(draft.lsyncdConfigs, saved.lsyncdConfigs)) patch.lsyncdConfigs = [...draft.lsyncdConfigs];
  return { ok: true, patch, changed: Object.keys(patch).length > 0 };
}

/**
 * The draft after the saved settings went from `before` to `after` elsewhere: each field the
 * person has not touched (still as `before` had it) takes the new value; edited fields stay.
 */
export function rebaseDraft(draft: SettingsDraft, before: AppSettings, after: AppSettings): SettingsDraft {
  const old = draftOf(before);
  const fresh = draftOf(after);
  const notifications = Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, draft.notifications[kind] === old.notifications[kind] ? fresh.notifications[kind] : draft.notifications[kind]])) as Record<NotificationKind, boolean>;
  const pick = <K extends DraftField>(key: K): SettingsDraft[K] => (same(draft[key], old[key]) ? fresh[key] : draft[key]);
  return { notifications, delay: pick('delay'), excludes: pick('excludes'), maxDeletes: pick('maxDeletes'), maxDeletePercent: pick('maxDeletePercent'), lsyncdConfigs: pick('lsyncdConfigs') };
}

/** Whether the draft differs from what is saved (for the "unsaved changes" note). */
export function isDirty(saved: AppSettings, draft: SettingsDraft): boolean {
  return !same(draftOf(saved), draft);
}
