import { describe, expect, it } from 'vitest';
import { render, screen } from '@testing-library/svelte';
import App from '../../src-renderer/App.svelte';
import type { Api } from '../../src-shared/ipc/contract';

/** A bridge that answers app:info the way main does. */
function bridge(version: string): Api {
  return {
    invoke: (async (channel: string) => {
      if (channel !== 'app:info') throw new Error(`unexpected channel ${channel}`);
      return { name: 'Tidemark', version, face: 'electron' };
    }) as Api['invoke'],
    on: () => () => undefined,
  };
}

describe('App', () => {
  it('shows the version the core reports', async () => {
    render(App, { props: { api: bridge('9.8.7') } });
    expect(await screen.findByTestId('version')).toHaveTextContent('Version 9.8.7 (electron)');
  });

  it('says so when there is no bridge', async () => {
    render(App, { props: { api: null } });
    expect(await screen.findByRole('alert')).toHaveTextContent('No connection to the Tidemark core.');
  });

  it('shows the error when the core refuses', async () => {
    const failing: Api = { invoke: (async () => { throw new Error('core is down'); }) as Api['invoke'], on: () => () => undefined };
    render(App, { props: { api: failing } });
    expect(await screen.findByRole('alert')).toHaveTextContent('core is down');
  });
});
