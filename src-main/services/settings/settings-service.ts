// The app's own settings, in $XDG_CONFIG_HOME/tidemark/settings.json.
//
// A settings file that does not validate is the user's, typed by hand or by a newer version: it
// is never overwritten behind their back. `get()` and `set()` refuse with an error naming the
// file and the key, which the settings screen shows; `read()` gives the defaults with that
// problem beside them, so that syncing still starts (the composition root logs the problem).
// Keys the file lacks (a file from an older version) take their defaults; keys it has and the
// schema does not know are an error, since a typo such as "startAtlogin" would otherwise be
// silently ignored.
//
// startAtLogin is the autostart entry itself: set() writes or removes it before saving, and
// get() reads it back, so a user who switched it off in the desktop's own settings sees it off.
import { writeJsonAtomically } from '../atomic-json';
import { chmod, mkdir, readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import * as v from 'valibot';
import { AppSettingsSchema, DEFAULT_APP_SETTINGS, type AppSettings, type AppSettingsPatch } from '../../../src-shared/model/app-settings';
import { autostartEnabled, disableAutostart, enableAutostart } from '../desktop/autostart';

export interface SettingsServiceOptions {
  readonly file: string;
  readonly autostartDir: string;
  /** The command the autostart entry runs. */
  readonly launchCommand: readonly string[];
}

/** The settings file cannot be read as settings; `message` names the file and what is wrong. */
export class SettingsFileError extends Error {
  override name = 'SettingsFileError';
  constructor(readonly file: string, detail: string) {
    super(`${file}: ${detail}; fix or remove the file (Tidemark does not overwrite it)`);
  }
}

export type SettingsListener = (settings: AppSettings) => void;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The file's text as settings: missing keys take their defaults, anything else must validate. */
function parseSettingsText(file: string, text: string): AppSettings {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new SettingsFileError(file, `not valid JSON (${(error as Error).message})`);
  }
  if (!isObject(value)) throw new SettingsFileError(file, 'the settings must be a JSON object');
  const merged = {
    ...DEFAULT_APP_SETTINGS,
    ...value,
    notifications: isObject(value.notifications) ? { ...DEFAULT_APP_SETTINGS.notifications, ...value.notifications } : (value.notifications ?? DEFAULT_APP_SETTINGS.notifications),
    defaults: isObject(value.defaults) ? { ...DEFAULT_APP_SETTINGS.defaults, ...value.defaults } : (value.defaults ?? DEFAULT_APP_SETTINGS.defaults),
  };
  const result = v.safeParse(AppSettingsSchema, merged);
  if (!result.success) {
    const detail = result.issues.map((issue) => `${v.getDotPath(issue) ?? '(settings)'}: ${issue.message}`).join('; ');
    throw new SettingsFileError(file, detail);
  }
  return result.output;
}

export class SettingsService {
  readonly #options: SettingsServiceOptions;
  readonly #listeners = new Set<SettingsListener>();
  /** set() calls run one after another, so two quick changes cannot lose one another. */
  #queue: Promise<unknown> = Promise.resolve();

  constructor(options: SettingsServiceOptions) {
    this.#options = options;
  }

  /** The settings; a SettingsFileError when the file does not validate. */
  async get(): Promise<AppSettings> {
    const stored = await this.#readFile();
    return { ...stored, startAtLogin: await autostartEnabled(this.#options.autostartDir) };
  }

  /** The settings, or the defaults and the problem with the file: what the app starts with. */
  async read(): Promise<{ readonly settings: AppSettings; readonly problem: string | null }> {
    try {
      return { settings: await this.get(), problem: null };
    } catch (error) {
      if (!(error instanceof SettingsFileError)) throw error;
      return { settings: { ...DEFAULT_APP_SETTINGS, startAtLogin: await autostartEnabled(this.#options.autostartDir) }, problem: error.message };
    }
  }

  /**
   * Merges `patch` (notifications and defaults key by key), validates, applies startAtLogin, and
   * saves. All or nothing: an autostart entry that cannot be written leaves the file as it was,
   * and a file that cannot be written puts the entry back.
   */
  set(patch: AppSettingsPatch): Promise<AppSettings> {
    const run = this.#queue.then(() => this.#set(patch));
    this.#queue = run.catch(() => undefined);
    return run;
  }

  /** Calls `listener` with the new settings after every successful set(); returns the unsubscribe. */
  onChange(listener: SettingsListener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  async #set(patch: AppSettingsPatch): Promise<AppSettings> {
    const current = await this.get();
    // A key present as undefined means "unchanged", as an absent one does.
    const given = Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
    const result = v.safeParse(AppSettingsSchema, {
      ...current,
      ...given,
      notifications: { ...current.notifications, ...patch.notifications },
      defaults: { ...current.defaults, ...patch.defaults },
    });
    if (!result.success) throw new Error(`settings not saved: ${result.issues.map((issue) => `${v.getDotPath(issue) ?? '(settings)'}: ${issue.message}`).join('; ')}`);
    const next = result.output;
    const autostartChanges = patch.startAtLogin !== undefined;
    if (autostartChanges) await this.#applyAutostart(next.startAtLogin);
    try {
      await this.#writeFile(next);
    } catch (error) {
      if (autostartChanges) await this.#applyAutostart(current.startAtLogin).catch(() => undefined);
      throw error;
    }
    for (const listener of this.#listeners) {
      try {
        listener(next);
      } catch {
        // A listener's failure is its own; the settings are saved.
      }
    }
    return next;
  }

  async #applyAutostart(enabled: boolean): Promise<void> {
    // Enabling again rewrites the entry, so it follows the program if it moved.
    if (enabled) await enableAutostart(this.#options.autostartDir, this.#options.launchCommand);
    else await disableAutostart(this.#options.autostartDir);
  }

  async #readFile(): Promise<AppSettings> {
    const file = this.#options.file;
    let text: string;
    try {
      text = await readFile(file, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code === 'ENOENT') return DEFAULT_APP_SETTINGS;
      throw new SettingsFileError(file, `cannot be read (${code ?? (error as Error).message})`);
    }
    return parseSettingsText(file, text);
  }

  async #writeFile(settings: AppSettings): Promise<void> {
    const file = this.#options.file;
    const dir = dirname(file);
    const made = await mkdir(dir, { recursive: true, mode: 0o700 });
    // mkdir's mode passes through the umask; a directory this made must be 0700 exactly.
    if (made !== undefined) await chmod(dir, 0o700);
    await writeJsonAtomically(file, settings);
  }
}
