// The UI host against real clients: Node's http, the `ws` package and Debian's Chromium. Every
// refusal is checked to answer with its status, to leave the handlers uncalled and to add no
// event subscriber; hostile WebSocket frames get typed answers on a connection that survives.
import { networkInterfaces } from 'node:os';
import { connect as netConnect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AppEvents } from '../../src-main/services/app-events';
import { startUiHost, PortInUseError, type UiHost } from '../../src-main/services/ui-host/ui-host';
import { cookieName } from '../../src-main/services/ui-host/request-guard';
import { launchBrowser, type BrowserFixture } from '../fixtures/browser';
import { connectWs, countingHandlers, fixtureSite, raw, type CountingHandlers } from './support/ui-host-kit';

let host: UiHost;
let kit: CountingHandlers;
let events: AppEvents;
let site: { dir: string; outside: string };
const logs: string[] = [];

beforeAll(async () => {
  site = fixtureSite();
  kit = countingHandlers();
  events = new AppEvents();
  host = await startUiHost({ handlers: kit.handlers, events, staticDir: site.dir, log: (line) => logs.push(line) });
});

afterAll(async () => {
  await host?.close();
});

const auth = () => ({ cookie: `${cookieName(host.port)}=${host.token}` });
const totalCalls = () => [...kit.calls.values()].reduce((sum, n) => sum + n, 0);

describe('the UI host over HTTP', () => {
  it('prints a URL with the token as a query, on 127.0.0.1, and a token of 32 random bytes', () => {
    expect(host.url).toBe(`http://127.0.0.1:${host.port}/?token=${host.token}`);
    expect(host.token).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('the first navigation with ?token= redirects to the bare path and sets an HttpOnly, SameSite=Strict cookie', async () => {
    const response = await raw(host.port, `/?token=${host.token}`);
    expect(response.status).toBe(303);
    expect(response.headers.location).toBe('/');
    expect(response.headers['set-cookie']).toEqual([`${cookieName(host.port)}=${host.token}; HttpOnly; SameSite=Strict; Path=/`]);
  });

  it('serves index.html at / with the CSP and the other headers', async () => {
    const response = await raw(host.port, '/', auth());
    expect(response.status).toBe(200);
    expect(response.body).toContain('<p id="out">');
    expect(response.headers['content-type']).toBe('text/html; charset=utf-8');
    const csp = response.headers['content-security-policy'];
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${host.port} ws://localhost:${host.port}`);
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
    expect(response.headers['referrer-policy']).toBe('no-referrer');
    expect(response.headers['cache-control']).toBe('no-store');
  });

  it('serves scripts, styles and nested files with their content types; a bearer token works too', async () => {
    expect((await raw(host.port, '/app.js', auth())).headers['content-type']).toBe('text/javascript; charset=utf-8');
    expect((await raw(host.port, '/style.css', auth())).headers['content-type']).toBe('text/css; charset=utf-8');
    const svg = await raw(host.port, '/assets/logo.svg', { authorization: `Bearer ${host.token}` });
    expect([svg.status, svg.headers['content-type']]).toEqual([200, 'image/svg+xml']);
  });

  it('HEAD answers the headers without a body', async () => {
    const response = await raw(host.port, '/app.js', auth(), 'HEAD');
    expect([response.status, response.body]).toEqual([200, '']);
  });

  const unauthenticated: { description: string; path: string; headers: Record<string, string>; method?: string }[] = [
    { description: 'no token', path: '/', headers: {} },
    { description: 'no token for a script', path: '/app.js', headers: {} },
    { description: 'a wrong cookie', path: '/', headers: { cookie: 'tidemark_token_1=x' } },
    { description: 'a wrong query token', path: '/?token=wrong', headers: {} },
    { description: 'a wrong bearer token', path: '/', headers: { authorization: 'Bearer wrong' } },
    { description: 'a POST without a token', path: '/', headers: {}, method: 'POST' },
    { description: 'a traversal without a token', path: '/../package.json', headers: {} },
  ];
  for (const testCase of unauthenticated) {
    it(`401 for ${testCase.description}, and nothing served`, async () => {
      const before = totalCalls();
      const response = await raw(host.port, testCase.path, testCase.headers, testCase.method);
      expect(response.status).toBe(401);
      expect(response.body).toBe('Unauthorized\n');
      expect(response.headers['set-cookie']).toBeUndefined();
      expect(totalCalls()).toBe(before);
    });
  }

  const refusedHosts = ['evil.example:PORT', '127.0.0.1.nip.io:PORT', '127.0.0.1:1', 'localhost'];
  for (const name of refusedHosts) {
    it(`403 for Host ${name}, even with the token`, async () => {
      const response = await raw(host.port, '/', { ...auth(), host: name.replace('PORT', String(host.port)) });
      expect(response.status).toBe(403);
    });
  }

  it('403 for a foreign Origin, even with the token', async () => {
    expect((await raw(host.port, '/', { ...auth(), origin: 'http://evil.example' })).status).toBe(403);
  });

  it('405 for POST, PUT and DELETE with the token', async () => {
    for (const method of ['POST', 'PUT', 'DELETE']) {
      const response = await raw(host.port, '/', auth(), method);
      expect([method, response.status, response.headers.allow]).toEqual([method, 405, 'GET, HEAD']);
    }
  });

  const notServed = [
    '/../package.json', '/%2e%2e/package.json', '/%2E%2E/%2E%2E/etc/passwd', '/..%2fsecret.txt', '/assets%2flogo.svg',
    '/%00', '/index.html%00.js', '/..%5csecret.txt', '/leak.txt', '/up/secret.txt', '/assets', '/assets/', '/.hidden',
    '/nothing-here.js', '//etc/passwd', '/%zz',
  ];
  for (const path of notServed) {
    it(`${path} is not served, and never shows what is outside`, async () => {
      const response = await raw(host.port, path, auth());
      expect([400, 404]).toContain(response.status);
      expect(response.body).not.toContain('OUTSIDE-SECRET');
      expect(response.body).not.toContain('logo.svg');
    });
  }

  it('binds 127.0.0.1 only: not [::1], not the machine\'s other addresses', async () => {
    const others = Object.values(networkInterfaces()).flat().filter((info) => info && !info.internal).map((info) => info!.address);
    for (const address of ['::1', ...others]) {
      const outcome = await new Promise<string>((resolve) => {
        const socket = netConnect({ host: address, port: host.port });
        socket.once('connect', () => (socket.destroy(), resolve('connected')));
        socket.once('error', (error: NodeJS.ErrnoException) => resolve(error.code ?? 'error'));
      });
      expect([address, outcome]).not.toEqual([address, 'connected']);
    }
  });

  it('names a port in use and leaves nothing listening', async () => {
    const error = await startUiHost({ handlers: kit.handlers, events, staticDir: site.dir, port: host.port }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PortInUseError);
    expect((error as Error).message).toBe(`port ${host.port} on 127.0.0.1 is already in use`);
    expect(events.size).toBe(0);
  });
});

describe('the WebSocket upgrade', () => {
  const token = () => host.token;
  const refusals: { description: string; status: number; options: () => Parameters<typeof connectWs>[1] }[] = [
    { description: 'no token', status: 401, options: () => ({ protocols: ['tidemark.v1'] }) },
    { description: 'a wrong subprotocol token', status: 401, options: () => ({ protocols: ['tidemark.v1', 'token.wrong'] }) },
    { description: 'a wrong cookie', status: 401, options: () => ({ headers: { cookie: `${cookieName(host.port)}=wrong` } }) },
    { description: 'a foreign Origin', status: 403, options: () => ({ protocols: ['tidemark.v1', `token.${token()}`], origin: 'http://evil.example' }) },
    { description: 'no Origin', status: 403, options: () => ({ protocols: ['tidemark.v1', `token.${token()}`], origin: null }) },
    { description: 'a rebinding Host', status: 403, options: () => ({ protocols: ['tidemark.v1', `token.${token()}`], headers: { host: `evil.example:${host.port}` } }) },
    { description: 'a path other than /api', status: 404, options: () => ({ protocols: ['tidemark.v1', `token.${token()}`], path: '/other' }) },
  ];
  for (const refusal of refusals) {
    it(`${refusal.status} for ${refusal.description}: no session, no handler called`, async () => {
      const before = totalCalls();
      await expect(connectWs(host.port, refusal.options())).rejects.toThrow(`status ${refusal.status}`);
      expect(events.size).toBe(0);
      expect(totalCalls()).toBe(before);
    });
  }

  it('accepts the cookie, ?token= or the token subprotocol, and selects only tidemark.v1', async () => {
    const viaProtocol = await connectWs(host.port, { protocols: ['tidemark.v1', `token.${token()}`] });
    expect(viaProtocol.socket.protocol).toBe('tidemark.v1');
    const viaCookie = await connectWs(host.port, { headers: auth() });
    const viaQuery = await connectWs(host.port, { path: `/api?token=${token()}` });
    for (const peer of [viaProtocol, viaCookie, viaQuery]) {
      expect(await peer.call(7, 'app:info', {})).toEqual({ id: 7, ok: true, output: { name: 'Tidemark', version: expect.any(String), face: 'browser' } });
      await peer.close();
    }
  });
});

describe('a WebSocket session', () => {
  const open = () => connectWs(host.port, { protocols: ['tidemark.v1', `token.${host.token}`] });
  const contractError = (id: number | null) => ({ id, ok: false, error: { name: 'ContractError', message: expect.any(String) } });

  const hostile: { description: string; frame: string | Buffer; id: number | null }[] = [
    { description: 'not JSON', frame: '{"id": 1, "channel": ', id: null },
    { description: 'an array', frame: '[1, "app:info", {}]', id: null },
    { description: 'a number', frame: '42', id: null },
    { description: 'null', frame: 'null', id: null },
    { description: 'a string id', frame: '{"id": "1", "channel": "app:info", "input": {}}', id: null },
    { description: 'a fractional id', frame: '{"id": 1.5, "channel": "app:info", "input": {}}', id: null },
    { description: 'a negative id', frame: '{"id": -1, "channel": "app:info", "input": {}}', id: null },
    { description: 'a binary frame', frame: Buffer.from('{"id": 1, "channel": "app:info", "input": {}}'), id: null },
    { description: 'an unknown channel', frame: '{"id": 11, "channel": "fs:readFile", "input": {"path": "/etc/passwd"}}', id: 11 },
    { description: 'a channel not served here', frame: '{"id": 12, "channel": "keys:list", "input": {}}', id: 12 },
    { description: 'a prototype name as channel', frame: '{"id": 13, "channel": "__proto__", "input": {}}', id: 13 },
    { description: 'wrong input types', frame: '{"id": 14, "channel": "settings:set", "input": {"startAtLogin": "yes"}}', id: 14 },
    { description: 'a __proto__ key in the input', frame: '{"id": 15, "channel": "settings:set", "input": {"__proto__": {"startAtLogin": true}}}', id: 15 },
    { description: 'a constructor key in the input', frame: '{"id": 16, "channel": "app:info", "input": {"constructor": {"prototype": {"x": 1}}}}', id: 16 },
    { description: 'a huge string', frame: JSON.stringify({ id: 17, channel: 'settings:set', input: { lsyncdConfigs: ['/'.padEnd(4 * 1024 * 1024, 'a')] } }), id: 17 },
    { description: 'an answer outside the contract', frame: '{"id": 18, "channel": "control:resume", "input": {}}', id: 18 },
  ];
  for (const testCase of hostile) {
    it(`${testCase.description}: a ContractError answer, and the connection still serves`, async () => {
      const peer = await open();
      const settingsBefore = kit.settings();
      expect(await peer.exchange(testCase.frame, testCase.id)).toEqual(contractError(testCase.id));
      expect(kit.settings()).toBe(settingsBefore);
      expect(({} as Record<string, unknown>).startAtLogin).toBeUndefined();
      expect(await peer.call(99, 'app:info', {})).toMatchObject({ id: 99, ok: true });
      await peer.close();
    });
  }

  it('a handler that throws answers a plain Error with its message', async () => {
    const peer = await open();
    expect(await peer.call(3, 'control:sync-now', {})).toEqual({ id: 3, ok: false, error: { name: 'Error', message: 'the engine is not running' } });
    await peer.close();
  });

  it('a valid settings:set reaches the handler and answers the new settings', async () => {
    const peer = await open();
    const answer = await peer.call(4, 'settings:set', { startAtLogin: true });
    expect(answer).toMatchObject({ id: 4, ok: true, output: { startAtLogin: true } });
    expect(kit.settings().startAtLogin).toBe(true);
    await peer.close();
  });

  it('answers concurrent requests by id, a slow one after a quick one sent later', async () => {
    const peer = await open();
    const slow = peer.call(21, 'control:pause', {});
    const quick = await Promise.all([peer.call(22, 'app:info', {}), peer.call(23, 'settings:get', {})]);
    expect(quick.map((answer) => answer.id)).toEqual([22, 23]);
    kit.releasePause();
    expect(await slow).toEqual({ id: 21, ok: true, output: { targets: 2 } });
    const order = peer.received.filter((message) => 'ok' in message).map((message) => message.id);
    expect(order.indexOf(21)).toBeGreaterThan(order.indexOf(22));
    await peer.close();
  });

  it('forwards every event to every session, and unsubscribes each on close', async () => {
    const before = events.size;
    const [first, second] = await Promise.all([open(), open()]);
    expect(events.size).toBe(before + 2);
    const heard = Promise.all([first, second].map((peer) => peer.waitFor((message) => message.event === 'app:notice')));
    events.emit('app:notice', { text: 'hello' });
    expect(await heard).toEqual([{ event: 'app:notice', payload: { text: 'hello' } }, { event: 'app:notice', payload: { text: 'hello' } }]);
    await first.close();
    second.socket.terminate();
    await expect.poll(() => events.size).toBe(before);
  });

  it('a message over 8 MiB closes that connection (1009) and the host serves others', async () => {
    const peer = await open();
    const closed = new Promise<number>((resolve) => peer.socket.once('close', (code) => resolve(code)));
    peer.socket.send('x'.repeat(9 * 1024 * 1024));
    expect(await closed).toBe(1009);
    const next = await open();
    expect(await next.call(1, 'app:info', {})).toMatchObject({ ok: true });
    await next.close();
  });
});

describe('in Chromium', () => {
  let browser: BrowserFixture;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('the printed URL opens the page, whose script reaches the contract over the WebSocket with the cookie', async () => {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    // Any refused request or CSP violation of the page itself (Chromium asks for a favicon on its own).
    const refused: string[] = [];
    page.on('response', (response) => response.status() >= 400 && !response.url().endsWith('/favicon.ico') && refused.push(response.url()));
    page.on('console', (message) => message.type() === 'error' && !message.text().includes('404') && refused.push(message.text()));
    await page.goto(host.url);
    expect(page.url()).toBe(`http://127.0.0.1:${host.port}/`);
    await expect.poll(() => page.textContent('#out')).toBe('Tidemark browser');
    expect(await page.$eval('#out', (element) => getComputedStyle(element).color)).toBe('rgb(0, 128, 0)');
    expect(await page.evaluate(() => document.cookie)).toBe('');
    expect(refused).toEqual([]);
    await context.close();
  });

  it('a browser without the token gets 401 and no page', async () => {
    const context = await browser.browser.newContext();
    const page = await context.newPage();
    const response = await page.goto(`http://127.0.0.1:${host.port}/`);
    expect(response?.status()).toBe(401);
    expect(await page.textContent('body')).toBe('Unauthorized\n');
    await context.close();
  });

  it('no log line holds the token', () => {
    expect(logs.length).toBeGreaterThan(0);
    for (const line of logs) expect(line).not.toContain(host.token);
  });
});
