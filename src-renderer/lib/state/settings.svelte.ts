// The settings screen's state: created once in App.svelte from the api, read through appContext().
// The settings as the core has them (settings:get, then every settings:changed from any face), or
// why they cannot be read: a settings file that does not validate is the user's to fix, and the
// core's message names the file and the key.
import type { Api } from '../../../src-shared/ipc/contract';
import type { AppSettings, AppSettingsPatch } from '../../../src-shared/model/app-settings';

export class SettingsState {
  /** The saved settings; null until loaded, or while the file does not validate. */
  settings = $state<AppSettings | null>(null);
  /** Why settings:get refused (the file and key), or null. */
  problem = $state<string | null>(null);
  loaded = $state(false);
  readonly #stop: () => void;

  constructor(private readonly api: Api) {
    this.#stop = api.on('settings:changed', (settings) => {
      this.settings = settings;
      this.problem = null;
    });
    void this.load();
  }

  async load(): Promise<void> {
    try {
      this.settings = await this.api.invoke('settings:get', {});
      this.problem = null;
    } catch (error) {
      this.settings = null;
      this.problem = messageOf(error);
    }
    this.loaded = true;
  }

  /** Applies `patch` (only what changed); the saved settings on success, else throws the core's reason. */
  async save(patch: AppSettingsPatch): Promise<AppSettings> {
    const saved = await this.api.invoke('settings:set', patch);
    this.settings = saved;
    this.problem = null;
    return saved;
  }

  dispose(): void {
    this.#stop();
  }
}

export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
