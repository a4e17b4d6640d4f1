// The dashboard in jsdom over a fake Api: the empty state, a card per target with its controls,
// the live region, and the link to the decisions screen.
import { describe, expect, it } from 'vitest';
import { fireEvent, render, screen, within } from '@testing-library/svelte';
import App from '../../../src-renderer/App.svelte';
import type { Api } from '../../../src-shared/ipc/contract';
import type { TargetStatus } from '../../../src-shared/model/status';

/** An idle local target `id`; `extra` overrides. */
const target = (id: string, extra: Partial<TargetStatus> = {}): TargetStatus => ({
  id, profile: id.split(':')[0]!, source: `/home/me/${id.split(':')[0]}`, target: `/backup/${id.split(':')[0]}`, kind: 'local',
  state: { kind: 'idle', lastSyncAt: Date.now() - 120_000 }, paused: false, holding: null, pending: 0, transfer: null, throughput: [],
  lastSyncAt: Date.now() - 120_000, recent: [{ path: 'docs/a.txt', kind: 'created', at: Date.now() - 5000 }], errors: [], watchedDirs: 3, watcher: 'inotify', ...extra,
});

/** A bridge answering status:targets with `targets` and recording every control call. */
function bridge(targets: TargetStatus[], calls: { channel: string; input: unknown }[] = []): Api {
  return {
    invoke: (async (channel: string, input: unknown) => {
      if (channel === 'app:info') return { name: 'Tidemark', version: '1.0.0', face: 'browser' };
      if (channel === 'status:targets') return targets;
      if (channel.startsWith('control:')) {
        calls.push({ channel, input });
        if ((input as { target?: string }).target === 'broken:1') throw new Error('the engine is stopping: try again in a moment');
        return { targets: (input as { target?: string }).target ? 1 : targets.length };
      }
      return [];
    }) as Api['invoke'],
    on: () => () => undefined,
  };
}

describe('the dashboard', () => {
  it('with no target, explains and links to pairing and profiles', async () => {
    render(App, { props: { api: bridge([]) } });
    expect(await screen.findByRole('heading', { name: 'No target is running' })).toBeInTheDocument();
    const main = screen.getByRole('main');
    expect(within(main).getByRole('link', { name: 'Pair a server' })).toHaveAttribute('href', '#/pair');
    expect(within(main).getByRole('link', { name: 'Profiles' })).toHaveAttribute('href', '#/profiles');
  });

  it('shows a card per target with its facts, and the summary counts them', async () => {
    render(App, { props: { api: bridge([target('web:1'), target('photos:1', { paused: true, state: { kind: 'paused' } })]) } });
    const web = await screen.findByRole('article', { name: 'web:1' });
    expect(within(web).getByText('Up to date')).toBeInTheDocument();
    expect(within(web).getByText('/home/me/web')).toBeInTheDocument();
    expect(within(web).getByText('3 directories with inotify')).toBeInTheDocument();
    expect(within(web).getByText('2 minutes ago')).toHaveAttribute('title');
    expect(within(web).getByText('Nothing sent in the last 10 minutes.')).toBeInTheDocument();
    expect(within(web).getByText('docs/a.txt')).toBeInTheDocument();
    const summary = screen.getByRole('region', { name: 'Summary' });
    expect(within(summary).getByText('2 targets')).toBeInTheDocument();
    expect(within(summary).getByText('1 paused')).toBeInTheDocument();
    expect(within(summary).getByText('1 up to date')).toBeInTheDocument();
    expect(within(screen.getByRole('article', { name: 'photos:1' })).getByRole('button', { name: 'Resume photos:1' })).toBeInTheDocument();
  });

  it('runs a control and announces the result, or the failure whole', async () => {
    const calls: { channel: string; input: unknown }[] = [];
    render(App, { props: { api: bridge([target('web:1'), target('broken:1')], calls) } });
    await fireEvent.click(await screen.findByRole('button', { name: 'Pause web:1' }));
    expect(await screen.findByText('Paused web:1.')).toHaveAttribute('role', 'status');
    await fireEvent.click(screen.getByRole('button', { name: 'Sync now broken:1' }));
    expect(await screen.findByText('Could not start a sync for broken:1: the engine is stopping: try again in a moment')).toBeInTheDocument();
    await fireEvent.click(screen.getByRole('button', { name: 'Pause all' }));
    expect(await screen.findByText('Paused all 2 targets.')).toBeInTheDocument();
    expect(calls).toEqual([
      { channel: 'control:pause', input: { target: 'web:1' } },
      { channel: 'control:sync-now', input: { target: 'broken:1' } },
      { channel: 'control:pause', input: {} },
    ]);
  });

  it('links a target held back or waiting to the decisions screen, and lists its errors whole', async () => {
    const errors = [{ at: Date.now() - 1000, message: 'rsync exited 23: some files could not be sent; see the Log screen', count: 3 }];
    render(App, { props: { api: bridge([target('web:1', { holding: '120 deletions (over maxDeletes 100)', errors }), target('box:1', { state: { kind: 'awaiting-decision', reason: 'the target has files the source lacks' } })]) } });
    const web = await screen.findByRole('article', { name: 'web:1' });
    expect(within(web).getByText(/120 deletions/)).toBeInTheDocument();
    expect(within(web).getByRole('link', { name: 'Review the deletions for web:1 in Decisions' })).toHaveAttribute('href', '#/safety/web%3A1');
    expect(within(web).getByText('rsync exited 23: some files could not be sent; see the Log screen')).toBeInTheDocument();
    expect(within(web).getByText(/repeated 3 times/)).toBeInTheDocument();
    const box = screen.getByRole('article', { name: 'box:1' });
    expect(within(box).getByRole('link', { name: 'Decide for box:1 in Decisions' })).toHaveAttribute('href', '#/safety/box%3A1');
  });
});
