// `tidemark ui` in process, with a small real AppServices (real events and handlers, no engine)
// in place of createAppServices: flags, the printed URL, TERM, a port in use, --open's failure.
import { createServer, type Server } from 'node:net';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run-cli';
import { runUiCommand, type UiDeps } from '../../src-main/cli/run-ui';
import { AppEvents } from '../../src-main/services/app-events';
import { appPaths } from '../../src-main/services/app-paths';
import type { AppServices } from '../../src-main/services/app-services';
import { DEFAULT_APP_SETTINGS } from '../../src-shared/model/app-settings';
import { countingHandlers, fixtureSite, raw } from './support/ui-host-kit';

const site = fixtureSite();

/** An AppServices with the counting handlers and a record of start and stop. */
function tinyServices() {
  const lifecycle: string[] = [];
  const services: AppServices = {
    paths: appPaths({ HOME: mkdtempSync(join(tmpdir(), 'tidemark-ui-home-')) }),
    handlers: countingHandlers().handlers,
    events: new AppEvents(),
    targets: () => [],
    settings: async () => DEFAULT_APP_SETTINGS,
    start: async () => void lifecycle.push('start'),
    stop: async () => void lifecycle.push('stop'),
  };
  return { services, lifecycle };
}

function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

/** Runs `tidemark ui ARGS` until it prints its URL; `stop()` sends TERM and gives the exit code. */
async function startUi(args: string[], deps: UiDeps = {}) {
  const { services, lifecycle } = tinyServices();
  const { io, out, err } = captureIo();
  const exit = runUiCommand(args, io, { staticDir: site.dir, createServices: () => services, ...deps });
  await expect.poll(() => out.join('')).toMatch(/^URL: /);
  const url = new URL(out.join('').slice('URL: '.length).trim());
  return {
    url, out, err, lifecycle, services,
    stop: async () => {
      process.emit('SIGTERM', 'SIGTERM');
      return exit;
    },
  };
}

describe('tidemark ui', () => {
  it('starts the services, prints one parseable URL line, serves it, and on TERM closes the host and stops the services (exit 0)', async () => {
    const ui = await startUi([]);
    expect(ui.out).toHaveLength(1);
    expect(ui.out[0]).toMatch(/^URL: http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{43}\n$/);
    expect(ui.lifecycle).toEqual(['start']);
    const port = Number(ui.url.port);
    const first = await raw(port, `${ui.url.pathname}${ui.url.search}`);
    expect(first.status).toBe(303);
    expect((await raw(port, '/', { cookie: first.headers['set-cookie']![0]!.split(';')[0]! })).status).toBe(200);
    expect(await ui.stop()).toBe(0);
    expect(ui.lifecycle).toEqual(['start', 'stop']);
    await expect(raw(port, '/')).rejects.toThrow(/ECONNREFUSED/);
    expect(ui.err.join('')).not.toContain(ui.url.searchParams.get('token'));
  });

  it('listens on the --port given', async () => {
    const free = await freePort();
    const ui = await startUi(['--port', String(free)]);
    expect(ui.url.port).toBe(String(free));
    expect(await ui.stop()).toBe(0);
  });

  it('a port in use: names it, says what to do, exits 1, and stops what it started', async () => {
    const blocker = await listenAnywhere();
    const port = (blocker.address() as { port: number }).port;
    const { services, lifecycle } = tinyServices();
    const { io, out, err } = captureIo();
    expect(await runUiCommand(['--port', String(port)], io, { staticDir: site.dir, createServices: () => services })).toBe(1);
    expect(err.join('')).toContain(`port ${port} on 127.0.0.1 is already in use`);
    expect(err.join('')).toContain('--port');
    expect(out).toEqual([]);
    expect(lifecycle).toEqual(['start', 'stop']);
    expect(services.events.size).toBe(0);
    await new Promise((resolve) => blocker.close(resolve));
  });

  it('--open with an opener that is missing says so and keeps serving', async () => {
    const ui = await startUi(['--open'], { opener: ['/nonexistent/xdg-open'] });
    await expect.poll(() => ui.err.join('')).toContain('could not open a browser (/nonexistent/xdg-open is not installed); open the URL above yourself');
    expect(ui.err.join('')).not.toContain(ui.url.searchParams.get('token'));
    expect((await raw(Number(ui.url.port), `/?token=${ui.url.searchParams.get('token')}`)).status).toBe(303);
    expect(await ui.stop()).toBe(0);
  });

  it('--open with an opener that fails says so and keeps serving', async () => {
    const ui = await startUi(['--open'], { opener: ['false'] });
    await expect.poll(() => ui.err.join('')).toContain('could not open a browser (false exited with status 1)');
    expect(await ui.stop()).toBe(0);
  });

  const badUsage: { description: string; args: string[]; message: string }[] = [
    { description: 'an unknown flag', args: ['--frobnicate'], message: 'unknown option --frobnicate' },
    { description: 'a port that is not a number', args: ['--port', 'http'], message: '--port takes a number from 0 to 65535' },
    { description: 'a port out of range', args: ['--port=70000'], message: '--port takes a number from 0 to 65535' },
    { description: '--port without a value', args: ['--port'], message: '--port needs a value' },
    { description: 'an operand', args: ['/srv'], message: 'ui takes no operands' },
    { description: '--open with a value', args: ['--open=yes'], message: 'unknown option --open=yes' },
  ];
  for (const testCase of badUsage) {
    it(`${testCase.description}: a usage error (exit 2), nothing started`, async () => {
      const { services, lifecycle } = tinyServices();
      const { io, err } = captureIo();
      expect(await runUiCommand(testCase.args, io, { staticDir: site.dir, createServices: () => services })).toBe(2);
      expect(err.join('')).toContain(testCase.message);
      expect(err.join('')).toContain('tidemark ui [--port N] [--open]');
      expect(lifecycle).toEqual([]);
    });
  }

  it('without a built renderer: says to run npm run build (exit 1), nothing started', async () => {
    const { services, lifecycle } = tinyServices();
    const { io, err } = captureIo();
    expect(await runUiCommand([], io, { staticDir: join(site.dir, 'missing'), createServices: () => services })).toBe(1);
    expect(err.join('')).toContain('run `npm run build` first');
    expect(lifecycle).toEqual([]);
  });

  it('is a command of tidemark, with its --help and a line in the usage', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['ui', '--help'], io)).toBe(0);
    expect(out.join('')).toContain('tidemark ui [--port N] [--open]');
    const all = captureIo();
    expect(await runCli(['--help'], all.io)).toBe(0);
    expect(all.out.join('')).toContain('tidemark ui [--port N] [--open]');
  });
});

function listenAnywhere(): Promise<Server> {
  return new Promise((resolve) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => resolve(server));
  });
}

async function freePort(): Promise<number> {
  const server = await listenAnywhere();
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
