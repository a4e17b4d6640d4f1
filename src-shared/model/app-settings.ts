// The app's own settings (not a profile's): start at login, which notifications to show, and
// the defaults a new profile gets. Pure valibot, shared by main and the renderer.
import * as v from 'valibot';

export const NOTIFICATION_KINDS = ['halt', 'error', 'host-key', 'decision', 'caught-up'] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

const absolutePath = v.pipe(
  v.string(),
  v.maxLength(4096),
  v.startsWith('/', 'must be an absolute path (starting with /)'),
  v.check((path) => !path.includes('\0') && !path.split('/').includes('..'), 'must not contain a NUL byte or ..'),
);

export const ProfileDefaultsSchema = v.strictObject({
  /** Seconds a change waits to be batched with others (lsyncd's delay). */
  delay: v.pipe(v.number(), v.finite(), v.minValue(0), v.maxValue(86_400)),
  /** Exclude patterns ('- ' rules) every new profile starts with. */
  excludes: v.pipe(v.array(v.pipe(v.string(), v.minLength(1), v.maxLength(1024))), v.maxLength(1000)),
  maxDeletes: v.union([v.pipe(v.number(), v.integer(), v.minValue(1)), v.literal(false)]),
  maxDeletePercent: v.union([v.pipe(v.number(), v.gtValue(0), v.maxValue(100)), v.literal(false)]),
});
export type ProfileDefaults = v.InferOutput<typeof ProfileDefaultsSchema>;

export const AppSettingsSchema = v.strictObject({
  startAtLogin: v.boolean(),
  notifications: v.strictObject(Object.fromEntries(NOTIFICATION_KINDS.map((kind) => [kind, v.boolean()])) as Record<NotificationKind, v.BooleanSchema<undefined>>),
  defaults: ProfileDefaultsSchema,
  /** lsyncd configs the app runs as they are, beside its profiles. */
  lsyncdConfigs: v.pipe(v.array(absolutePath), v.maxLength(64)),
});
export type AppSettings = v.InferOutput<typeof AppSettingsSchema>;

/** A change to the settings: any top-level key, each whole. */
export const AppSettingsPatchSchema = v.strictObject({
  startAtLogin: v.optional(AppSettingsSchema.entries.startAtLogin),
  notifications: v.optional(v.partial(AppSettingsSchema.entries.notifications)),
  defaults: v.optional(v.partial(ProfileDefaultsSchema)),
  lsyncdConfigs: v.optional(AppSettingsSchema.entries.lsyncdConfigs),
});
export type AppSettingsPatch = v.InferOutput<typeof AppSettingsPatchSchema>;

export const DEFAULT_APP_SETTINGS: AppSettings = {
  startAtLogin: false,
  notifications: { halt: true, error: true, 'host-key': true, decision: true, 'caught-up': true },
  defaults: { delay: 1, excludes: [], maxDeletes: 1000, maxDeletePercent: 50 },
  lsyncdConfigs: [],
};

/** Log levels as lsyncd's log writes them, most severe first. */
export const LOG_LEVELS = ['Error', 'Warn', 'Normal', 'Verbose', 'Debug'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export const LogLineSchema = v.object({
  /** A sequence number: a follower asks for lines after the last one it has. */
  seq: v.pipe(v.number(), v.integer(), v.minValue(0)),
  at: v.pipe(v.number(), v.finite()),
  level: v.picklist(LOG_LEVELS),
  /** The profile (or lsyncd config) the line belongs to; null for the app's own lines. */
  profile: v.nullable(v.string()),
  text: v.string(),
});
export type LogLine = v.InferOutput<typeof LogLineSchema>;
