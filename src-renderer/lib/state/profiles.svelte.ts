// The profiles screen's state: created once in App.svelte from the api, read through appContext().
// The list as profiles:list gives it, listed again on every profiles:changed (from any face) and
// after each action here, since a profile starts or reloads only after the change is announced.
import type { Api, InvokeInput, InvokeOutput } from '../../../src-shared/ipc/contract';
import type { Profile } from '../../../src-shared/model/profile';
import { messageOf } from './settings.svelte';

export type ProfileSummary = InvokeOutput<'profiles:list'>[number];
export type ImportResult = InvokeOutput<'profiles:import'>;

export class ProfilesState {
  list = $state<ProfileSummary[]>([]);
  loaded = $state(false);
  /** Why the list could not be read, or null. */
  problem = $state<string | null>(null);
  readonly #stop: () => void;
  /** Answers to older requests are dropped, so a slow one cannot undo a newer list. */
  #generation = 0;

  constructor(private readonly api: Api) {
    this.#stop = api.on('profiles:changed', () => void this.refresh());
    void this.refresh();
  }

  async refresh(): Promise<void> {
    const generation = ++this.#generation;
    try {
      const list = await this.api.invoke('profiles:list', {});
      if (generation !== this.#generation) return;
      this.list = list;
      this.problem = null;
    } catch (error) {
      if (generation !== this.#generation) return;
      this.problem = messageOf(error);
    }
    this.loaded = true;
  }

  get(name: string): Promise<Profile> {
    return this.api.invoke('profiles:get', { name }).then((answer) => answer.profile);
  }

  /** Saves an edited profile; a running one reloads. */
  async save(name: string, profile: Profile): Promise<Profile> {
    const saved = await this.api.invoke('profiles:save', { name, profile, overwrite: true });
    await this.refresh();
    return saved.profile;
  }

  async setEnabled(name: string, enabled: boolean): Promise<void> {
    await this.api.invoke('profiles:set-enabled', { name, enabled });
    await this.refresh();
  }

  /** Gives the passphrases of a profile's locked keys (held in main's memory), then it starts. */
  async unlock(name: string, passphrases: Record<string, string>): Promise<void> {
    try {
      await this.api.invoke('profiles:unlock', { name, passphrases });
    } finally {
      await this.refresh();
    }
  }

  async remove(name: string): Promise<void> {
    await this.api.invoke('profiles:delete', { name });
    await this.refresh();
  }

  /** An lsyncd config's mapping report (dryRun), or the import itself. */
  async importConfig(input: InvokeInput<'profiles:import'>): Promise<ImportResult> {
    const result = await this.api.invoke('profiles:import', input);
    if (!input.dryRun) await this.refresh();
    return result;
  }

  async exportLua(name: string): Promise<string> {
    return (await this.api.invoke('profiles:export', { name })).lua;
  }

  dispose(): void {
    this.#stop();
  }
}
