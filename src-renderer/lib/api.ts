import type { Api } from '../../src-shared/ipc/contract';

declare global {
  interface Window {
    api?: Api;
  }
}

/** The only reader of window.api; components receive the Api as a prop or context. */
export function resolveApi(): Api | null {
  return window.api ?? null;
}
