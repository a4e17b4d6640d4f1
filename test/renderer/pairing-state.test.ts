// The wizard's state against a scripted api: the calls it makes in order, what a failure does
// (the pairing aborted, the failure's reason and fix kept), what "Start again" re-runs, and
// that the password never outlives its call.
import { describe, expect, it } from 'vitest';
import type { Api } from '../../src-shared/ipc/contract';
import { PairingState } from '../../src-renderer/lib/state/pairing.svelte';

const FINGERPRINT = 'SHA256:abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQ';
const OK_HOST = { kind: 'ok', alias: 'web', hostname: '10.0.0.1', port: 22, user: 'me', keyType: 'ssh-ed25519', fingerprint: FINGERPRINT, description: `ED25519 key fingerprint is ${FINGERPRINT}.`, pinned: null };
const PREFLIGHT = { kind: 'ok', rsyncVersion: '3.2.7', rsyncProtocol: 31, directory: '/home/me/mirror', created: true, freeBytes: 1e9, mountPoint: '/' };
const failed = (step: string, cause: string) => ({ kind: 'failed', step, cause, reason: `the ${step} failed`, fix: `fix the ${step}` });

/** An api whose answers come from `answer` (per channel, in order of calls); every call is logged. */
function scripted(answer: Record<string, unknown[]>): { api: Api; calls: { channel: string; input: Record<string, unknown> }[] } {
  const calls: { channel: string; input: Record<string, unknown> }[] = [];
  let pairings = 0;
  const api = {
    invoke: (async (channel: string, input: Record<string, unknown>) => {
      calls.push({ channel, input });
      if (channel === 'pairing:begin') return { pairing: String(++pairings).padStart(32, '0') };
      const queue = answer[channel];
      if (!queue || queue.length === 0) throw new Error(`unexpected ${channel}`);
      return queue.length === 1 ? queue[0] : queue.shift();
    }) as Api['invoke'],
    on: () => () => undefined,
  } as Api;
  return { api, calls };
}

async function toPassword(state: PairingState): Promise<void> {
  state.form.host = 'web';
  state.form.name = 'site';
  await state.connect();
  expect(state.step).toBe('hostkey');
  await state.confirmHostKey();
  expect(state.step).toBe('password');
}

describe('PairingState', () => {
  it('a wrong password ends the pairing; Start again connects and confirms the same key again, then asks for the password', async () => {
    const { api, calls } = scripted({
      'pairing:connect': [OK_HOST],
      'pairing:confirm-host-key': [{ kind: 'ok', change: 'added' }],
      'pairing:install-key': [failed('authenticate', 'wrong-password')],
      'pairing:abort': [{ leftBehind: [] }],
    });
    const state = new PairingState(api);
    await toPassword(state);
    await state.installKey('hunter2', 'site');
    expect(state.failure).toMatchObject({ reason: 'the authenticate failed', fix: 'fix the authenticate', step: 'password' });
    expect(state.progress.install).toBe('failed');
    expect(calls.at(-1)).toEqual({ channel: 'pairing:abort', input: { pairing: '0'.repeat(31) + '1' } });
    expect(JSON.stringify({ form: state.form, options: state.options, host: state.host, failure: state.failure })).not.toContain('hunter2');

    calls.length = 0;
    await state.startAgain();
    expect(calls.map((call) => call.channel)).toEqual(['pairing:begin', 'pairing:connect', 'pairing:confirm-host-key']);
    expect(calls[2]!.input).toEqual({ pairing: '0'.repeat(31) + '2', fingerprint: FINGERPRINT });
    expect(state.step).toBe('password');
    expect(state.failure).toBeNull();
    expect(state.form.name).toBe('site');
  });

  it('a connect failure stays on the server step with its reason', async () => {
    const { api } = scripted({ 'pairing:connect': [failed('connect', 'refused')], 'pairing:abort': [{ leftBehind: [] }] });
    const state = new PairingState(api);
    state.form.host = 'nowhere';
    await state.connect();
    expect(state.step).toBe('server');
    expect(state.failure).toMatchObject({ reason: 'the connect failed', step: 'server' });
  });

  it('another host after connecting aborts that pairing and begins a new one', async () => {
    const { api, calls } = scripted({ 'pairing:connect': [OK_HOST], 'pairing:abort': [{ leftBehind: [] }] });
    const state = new PairingState(api);
    state.form.host = 'web';
    await state.connect();
    state.back();
    await state.connect(); // unchanged: no new pairing
    expect(calls.filter((call) => call.channel === 'pairing:begin')).toHaveLength(1);
    state.back();
    state.form.host = 'other';
    await state.connect();
    expect(calls.map((call) => call.channel)).toEqual(['pairing:begin', 'pairing:connect', 'pairing:abort', 'pairing:begin', 'pairing:connect']);
  });

  it('a new profile is saved disabled with its options, paired, then enabled: its first run has them', async () => {
    const { api, calls } = scripted({
      'pairing:connect': [OK_HOST],
      'pairing:confirm-host-key': [{ kind: 'ok', change: 'added' }],
      'pairing:install-key': [{ kind: 'ok', added: true }],
      'pairing:verify': [{ kind: 'ok' }],
      'pairing:preflight': [PREFLIGHT],
      'profiles:save': [{}],
      'pairing:save': [{ kind: 'ok', profile: 'site' }],
      'profiles:get': [{ name: 'site', profile: { enabled: false, syncs: [{ source: '/data', target: { kind: 'ssh', host: '10.0.0.1', user: 'me', dir: 'mirror', keyName: 'site' }, filters: ['- *.tmp'] }] } }],
      'profiles:set-enabled': [{}],
    });
    const state = new PairingState(api);
    await toPassword(state);
    await state.installKey('secret', 'site');
    expect(state.progress).toMatchObject({ install: 'done', verify: 'done' });
    state.continueAfterInstall();
    state.form.source = '/data';
    state.form.targetDir = 'mirror';
    await state.checkTarget();
    expect(state.preflight).toMatchObject({ directory: '/home/me/mirror' });
    state.options.excludes = '*.tmp';
    calls.length = 0;
    await state.save(false);
    expect(calls.map((call) => call.channel)).toEqual(['profiles:save', 'pairing:save', 'profiles:get', 'profiles:set-enabled']);
    expect(calls[0]!.input).toMatchObject({ name: 'site', profile: { enabled: false, syncs: [{ source: '/data', target: { kind: 'ssh', host: '10.0.0.1', user: 'me', dir: 'mirror' }, filters: ['- *.tmp'] }] } });
    expect(calls[1]!.input).toMatchObject({ name: 'site', source: '/data', targetDir: 'mirror', overwrite: true });
    expect(state.saved).toEqual({ profile: 'site', target: 'site:1' });
  });
});
