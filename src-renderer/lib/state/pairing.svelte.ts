// The pairing screen's state: created once in App.svelte from the api, read through appContext().
import type { Api } from '../../../src-shared/ipc/contract';

export class PairingState {
  constructor(readonly api: Api) {}

  dispose(): void {}
}
