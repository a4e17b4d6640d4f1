// The wizard's first step in the real App with a scripted api: the ~/.ssh/config aliases are
// offered, picking one fills in the form, and the step heading holds the focus.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../src-renderer/App.svelte';
import type { Api } from '../../src-shared/ipc/contract';
import { DEFAULT_APP_SETTINGS } from '../../src-shared/model/app-settings';

/** Answers what the app asks on start, and the aliases of a config with one server. */
function bridge(): Api {
  const answers: Record<string, unknown> = {
    'app:info': { name: 'Tidemark', version: '1.0.0', face: 'browser' },
    'status:targets': [],
    'settings:get': DEFAULT_APP_SETTINGS,
    'pairing:ssh-aliases': [
      { alias: 'web', hostname: 'web.example.org', user: 'deploy', port: 2222 },
      { alias: 'plain', hostname: null, user: null, port: null },
    ],
  };
  return {
    invoke: (async (channel: string) => {
      if (!(channel in answers)) throw new Error(`unexpected channel ${channel}`);
      return answers[channel];
    }) as Api['invoke'],
    on: () => () => undefined,
  };
}

describe('the pairing wizard’s server step', () => {
  it('offers the ssh_config aliases; picking one fills in host, user and port', async () => {
    location.hash = '#/pair';
    render(App, { props: { api: bridge() } });
    const heading = await screen.findByRole('heading', { name: 'Step 1 of 8: The server' });
    await waitFor(() => expect(heading).toHaveFocus());
    const select = await screen.findByLabelText('A server from ~/.ssh/config');
    expect([...(select as HTMLSelectElement).options].map((option) => option.textContent)).toEqual(['Choose one, or type it below', 'web (deploy@web.example.org:2222)', 'plain']);
    await fireEvent.change(select, { target: { value: 'web' } });
    expect(screen.getByLabelText('Host')).toHaveValue('web');
    expect(screen.getByLabelText('User')).toHaveValue('deploy');
    expect(screen.getByLabelText('Port')).toHaveValue('2222');
    expect(screen.getByText(/The profile and its SSH key are called this \(blank: web\)/)).toBeInTheDocument();
  });

  it('refuses a name that cannot name a profile, before calling the server', async () => {
    location.hash = '#/pair';
    render(App, { props: { api: bridge() } });
    await fireEvent.input(await screen.findByLabelText('Host'), { target: { value: 'web' } });
    await fireEvent.input(screen.getByLabelText('Name'), { target: { value: '../escape' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The name is 1 to 64 letters');
  });
});
