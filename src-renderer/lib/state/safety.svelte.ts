// The safety screen's state: created once in App.svelte from the api, read through appContext().
import type { Api } from '../../../src-shared/ipc/contract';

export class SafetyState {
  constructor(readonly api: Api) {}

  dispose(): void {}
}
