// The typed context every screen reads: the Api (the only way out to main) and the app's state
// classes, created once in App.svelte. Components never touch window.api.
import { getContext, setContext } from 'svelte';
import type { Api } from '../../src-shared/ipc/contract';
import type { Router } from './router.svelte';
import type { LogsState } from './state/logs.svelte';
import type { PairingState } from './state/pairing.svelte';
import type { ProfilesState } from './state/profiles.svelte';
import type { SafetyState } from './state/safety.svelte';
import type { SettingsState } from './state/settings.svelte';
import type { TargetsState } from './state/targets.svelte';

export interface AppContext {
  readonly api: Api;
  readonly router: Router;
  readonly targets: TargetsState;
  readonly pairing: PairingState;
  readonly safety: SafetyState;
  readonly logs: LogsState;
  readonly profiles: ProfilesState;
  readonly settings: SettingsState;
}

const KEY = Symbol('tidemark');

export function setAppContext(context: AppContext): void {
  setContext(KEY, context);
}

export function appContext(): AppContext {
  const context = getContext<AppContext | undefined>(KEY);
  if (!context) throw new Error('appContext() outside the app: App.svelte sets it');
  return context;
}
