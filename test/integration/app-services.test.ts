// The app's services under plain Node, driven through the one router (as ipcMain and the
// WebSocket drive them) against a real core: a local profile created over the contract starts,
// mirrors, shows in the status stream and the log, pauses and resumes; a file only on the target
// waits for a decision that the safety channels take; `tidemark run` on the same profile is
// refused with the PID of the engine that runs it.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EventChannel } from '../../src-shared/ipc/contract';
import type { TargetStatus } from '../../src-shared/model/status';
import { appPaths } from '../../src-main/services/app-paths';
import type { AppServices } from '../../src-main/services/app-services';
import { routeInvoke } from '../../src-main/services/contract-router';
import { createAppServices } from '../../src-main/services/create-app-services';
import { waitForConvergence } from '../fixtures/tree-oracle';
import { until, useCli } from './support/cli-run';

const cli = useCli();
let base: string | undefined;
let services: AppServices | undefined;
afterEach(async () => {
  await services?.stop();
  services = undefined;
  if (base) await rm(base, { recursive: true, force: true });
  base = undefined;
});

async function start() {
  base = await mkdtemp(join(tmpdir(), 'tidemark-app-services-'));
  const env = { ...process.env, HOME: base, XDG_CONFIG_HOME: join(base, 'config'), XDG_STATE_HOME: join(base, 'state'), XDG_RUNTIME_DIR: join(base, 'run'), TIDEMARK_STATE_DIR: '' };
  await mkdir(env.XDG_RUNTIME_DIR, { recursive: true, mode: 0o700 });
  const source = join(base, 'src');
  const target = join(base, 'dst');
  await mkdir(source, { recursive: true });
  await mkdir(target, { recursive: true });
  services = createAppServices({ face: 'browser', env, paths: appPaths(env, base) });
  const seen: { channel: EventChannel; payload: unknown }[] = [];
  services.events.subscribe((channel, payload) => seen.push({ channel, payload }));
  await services.start();
  const call = (channel: string, input: unknown) => routeInvoke(services!.handlers, channel, input);
  return { base, env, source, target, call, seen, services };
}

const statusOf = (seen: { channel: EventChannel; payload: unknown }[], id: string) =>
  seen.filter((event) => event.channel === 'status:target' && (event.payload as TargetStatus).id === id).map((event) => event.payload as TargetStatus);

const localProfile = (source: string, target: string) => ({ enabled: true, syncs: [{ source, target: { kind: 'local', dir: target }, delay: 0 }] });

describe('app services over the contract, against a real core', () => {
  it('a profile saved over the contract starts, mirrors, streams its status and log, and pauses and resumes', { timeout: 60_000 }, async () => {
    const w = await start();
    await writeFile(join(w.source, 'a.txt'), 'first');
    await w.call('profiles:save', { name: 'web', profile: localProfile(w.source, w.target) });
    await waitForConvergence(w.source, w.target, 20_000);
    await until('web:1 idle in the stream', () => statusOf(w.seen, 'web:1').some((status) => status.state.kind === 'idle'), 10_000);
    const listed = (await w.call('profiles:list', {})) as { name: string; running: boolean }[];
    expect(listed).toEqual([expect.objectContaining({ name: 'web', running: true })]);
    expect(w.seen.some((event) => event.channel === 'profiles:changed')).toBe(true);

    await writeFile(join(w.source, 'b.txt'), 'second');
    await waitForConvergence(w.source, w.target, 20_000);
    await until('b.txt in the recent changes', () => (statusOf(w.seen, 'web:1').at(-1)?.recent ?? []).some((change) => change.path === 'b.txt'), 10_000);

    expect(await w.call('control:pause', { target: 'web:1' })).toEqual({ targets: 1 });
    await until('paused', () => statusOf(w.seen, 'web:1').at(-1)?.state.kind === 'paused', 10_000);
    await writeFile(join(w.source, 'c.txt'), 'while paused');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await expect(readFile(join(w.target, 'c.txt'), 'utf8')).rejects.toThrow();
    expect(await w.call('control:resume', {})).toEqual({ targets: 1 });
    await waitForConvergence(w.source, w.target, 20_000);

    const lines = (await w.call('logs:tail', { profile: 'web' })) as { text: string }[];
    expect(lines.length).toBeGreaterThan(0);
    await expect(w.call('control:pause', { target: 'nope:1' })).rejects.toThrow(/no running target 'nope:1'/);
  });

  it('tidemark run on a profile the app runs is refused with the PID that holds it', { timeout: 60_000 }, async () => {
    const w = await start();
    await w.call('profiles:save', { name: 'site', profile: localProfile(w.source, w.target) });
    const run = cli.tidemark(['run', 'site', '-nodaemon'], { cwd: w.base, stateDir: join(w.env.XDG_STATE_HOME, 'tidemark'), env: { XDG_CONFIG_HOME: w.env.XDG_CONFIG_HOME, XDG_STATE_HOME: w.env.XDG_STATE_HOME, XDG_RUNTIME_DIR: w.env.XDG_RUNTIME_DIR, HOME: w.base } });
    const { code } = await run.exited;
    expect(code).toBe(1);
    expect(run.stderr()).toContain(`profile site is already running in process ${process.pid}`);
    // Stopped (disabled), the profile is free for the CLI.
    await w.call('profiles:set-enabled', { name: 'site', enabled: false });
    expect((await w.call('profiles:list', {})) as unknown[]).toEqual([expect.objectContaining({ name: 'site', running: false, enabled: false })]);
  });

  it('a file only on the target waits for a decision; the safety channels resolve it', { timeout: 60_000 }, async () => {
    const w = await start();
    await writeFile(join(w.source, 'kept.txt'), 'source');
    await writeFile(join(w.target, 'only-here.txt'), 'made on the target');
    await w.call('profiles:save', { name: 'docs', profile: localProfile(w.source, w.target) });
    await until('awaiting a decision', () => statusOf(w.seen, 'docs:1').some((status) => status.state.kind === 'awaiting-decision'), 20_000);
    const safety = (await w.call('safety:targets', {})) as { target: string; report: { entries: { path: string }[] } | null }[];
    expect(safety[0]!.target).toBe('docs:1');
    expect(safety[0]!.report!.entries.map((entry) => entry.path)).toContain('only-here.txt');
    expect(await w.call('safety:decide', { target: 'docs:1', action: 'pull' })).toEqual({ kind: 'ok' });
    expect(await readFile(join(w.source, 'only-here.txt'), 'utf8')).toBe('made on the target');
    await waitForConvergence(w.source, w.target, 20_000);
    await until('idle after the decision', () => statusOf(w.seen, 'docs:1').at(-1)?.state.kind === 'idle', 10_000);
  });

  it('no face adds or changes a key that runs a program: save and import refuse it and write nothing; a hand-set one survives an edit', { timeout: 30_000 }, async () => {
    const w = await start();
    const profilesDir = join(w.env.XDG_CONFIG_HOME, 'tidemark/profiles');
    const withRsh = (rsh: string, delay = 0) => ({ enabled: false, syncs: [{ source: w.source, target: { kind: 'local', dir: w.target }, delay, rsync: { rsh } }] });
    const refusal = /the app does not set keys that run a program.*rsync\.rsh/;

    await expect(w.call('profiles:save', { name: 'evil', profile: withRsh('sh -c "touch /tmp/pwned"') })).rejects.toThrow(refusal);
    expect(existsSync(join(profilesDir, 'evil.json'))).toBe(false);

    const lua = `sync { default.rsync, source = "${w.source}", target = "${w.target}", rsync = { rsh = "sh -c x" } }`;
    await expect(w.call('profiles:import', { name: 'imported', config: lua })).rejects.toThrow(refusal);
    expect(existsSync(join(profilesDir, 'imported.json'))).toBe(false);
    const preview = (await w.call('profiles:import', { name: 'imported', config: lua, dryRun: true })) as { profile: { syncs: { rsync?: { rsh?: string } }[] } };
    expect(preview.profile.syncs[0]!.rsync?.rsh).toBe('sh -c x');

    // Written by hand, it stays through an edit of another field, and cannot be changed.
    await mkdir(profilesDir, { recursive: true });
    await writeFile(join(profilesDir, 'hand.json'), JSON.stringify(withRsh('/usr/bin/ssh -p 2222')));
    await w.call('profiles:save', { name: 'hand', profile: withRsh('/usr/bin/ssh -p 2222', 5), overwrite: true });
    expect(JSON.parse(await readFile(join(profilesDir, 'hand.json'), 'utf8')).syncs[0].delay).toBe(5);
    await expect(w.call('profiles:save', { name: 'hand', profile: withRsh('sh -c x', 5), overwrite: true })).rejects.toThrow(refusal);
    expect(JSON.parse(await readFile(join(profilesDir, 'hand.json'), 'utf8')).syncs[0].rsync.rsh).toBe('/usr/bin/ssh -p 2222');
  });
});
