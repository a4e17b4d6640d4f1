import type { Api } from '../../src-shared/ipc/contract';
import { createWsApi } from './ws-api';

declare global {
  interface Window {
    api?: Api;
  }
}

/**
 * The only place the renderer picks its transport; components receive the Api as a prop or
 * context. Electron's preload provides window.api; without it the page was served over http by
 * the UI host (`tidemark ui`), which speaks the same contract on the WebSocket at /api.
 */
export function resolveApi(): Api | null {
  if (window.api) return window.api;
  const { protocol, host } = window.location;
  if (protocol !== 'http:' && protocol !== 'https:') return null;
  return createWsApi({ url: `${protocol === 'https:' ? 'wss' : 'ws'}://${host}/api` });
}
