// The wizard's password step with an existing key that has a passphrase, in the real App with a
// scripted api: the step asks for the key's passphrase only for such a key, refuses to go on
// without it, and hands it to the first key login (pairing:verify), never to another channel.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, waitFor } from '@testing-library/svelte';
import App from '../../src-renderer/App.svelte';
import type { Api } from '../../src-shared/ipc/contract';
import { DEFAULT_APP_SETTINGS } from '../../src-shared/model/app-settings';

const KEY = { version: 1, comment: 'me@desk', created: '2026-12-07T00:00:00.000Z', store: 'keychain', fingerprint: '256 SHA256:abc me@desk (ED25519)' };

function scripted(): { api: Api; calls: { channel: string; input: Record<string, unknown> }[] } {
  const calls: { channel: string; input: Record<string, unknown> }[] = [];
  const answers: Record<string, unknown> = {
    'app:info': { name: 'Tidemark', version: '1.0.0', face: 'browser' },
    'status:targets': [],
    'settings:get': DEFAULT_APP_SETTINGS,
    'pairing:ssh-aliases': [],
    'pairing:begin': { pairing: 'a'.repeat(32) },
    'pairing:connect': { kind: 'ok', alias: 'web1', hostname: 'web1', port: 22, user: 'deploy', keyType: 'ssh-ed25519', fingerprint: 'SHA256:host', description: 'ED25519 key fingerprint is SHA256:host.', pinned: null },
    'pairing:confirm-host-key': { kind: 'ok', change: 'added' },
    'keys:list': [{ ...KEY, name: 'locked', encrypted: true }, { ...KEY, name: 'plain', encrypted: false }],
    'pairing:install-key': { kind: 'ok', added: true },
    'pairing:verify': { kind: 'ok' },
  };
  return {
    calls,
    api: {
      invoke: (async (channel: string, input: Record<string, unknown>) => {
        calls.push({ channel, input });
        if (!(channel in answers)) throw new Error(`unexpected channel ${channel}`);
        return answers[channel];
      }) as Api['invoke'],
      on: () => () => undefined,
    },
  };
}

async function toPasswordStep(): Promise<ReturnType<typeof scripted>> {
  const script = scripted();
  location.hash = '#/pair';
  render(App, { props: { api: script.api } });
  await fireEvent.input(await screen.findByLabelText('Host'), { target: { value: 'web1' } });
  await fireEvent.click(screen.getByRole('button', { name: 'Connect' }));
  await fireEvent.click(await screen.findByLabelText('I compared it, and it is the same'));
  await fireEvent.click(screen.getByRole('button', { name: 'Confirm' }));
  await screen.findByRole('heading', { name: 'Step 3 of 8: One-time password' });
  return script;
}

describe('the wizard’s password step and a key with a passphrase', () => {
  it('asks for the passphrase of a locked key only, refuses to go on without it, and gives it to the key login alone', async () => {
    const { calls } = await toPasswordStep();
    await fireEvent.input(screen.getByLabelText(/^Password for/), { target: { value: 'one-time' } });
    await fireEvent.input(screen.getByLabelText('Key name'), { target: { value: 'plain' } });
    expect(screen.queryByLabelText(/^Passphrase of the key/)).toBeNull();
    await fireEvent.input(screen.getByLabelText('Key name'), { target: { value: 'locked' } });
    const field = await screen.findByLabelText('Passphrase of the key locked');

    await fireEvent.click(screen.getByRole('button', { name: 'Install the key' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Type the passphrase of the key locked.');
    expect(calls.some((call) => call.channel === 'pairing:install-key')).toBe(false);

    await fireEvent.input(field, { target: { value: 'correct horse' } });
    await fireEvent.click(screen.getByRole('button', { name: 'Install the key' }));
    await waitFor(() => expect(calls.some((call) => call.channel === 'pairing:verify')).toBe(true));
    expect(calls.find((call) => call.channel === 'pairing:install-key')!.input).toEqual({ pairing: 'a'.repeat(32), keyName: 'locked', password: 'one-time' });
    expect(calls.find((call) => call.channel === 'pairing:verify')!.input).toEqual({ pairing: 'a'.repeat(32), passphrase: 'correct horse' });
  });
});
