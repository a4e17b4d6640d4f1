import { describe, expect, it } from 'vitest';
import { cookieName, guardRequest, tokensEqual, type GuardRequest, type GuardVerdict } from '../../../src-main/services/ui-host/request-guard';

const port = 4567;
const token = 'A'.repeat(20) + 'b_-9'.repeat(5) + 'xyz';
const context = { port, token };
const cookie = `${cookieName(port)}=${token}`;

/** A browser's page request: right Host, the token cookie, no Origin (a plain navigation). */
function get(target: string, headers: GuardRequest['headers'] = {}): GuardRequest {
  return { method: 'GET', target, headers: { host: `127.0.0.1:${port}`, cookie, ...headers }, upgrade: false };
}

/** A browser's WebSocket upgrade from the served page. */
function upgrade(headers: GuardRequest['headers'] = {}, target = '/api'): GuardRequest {
  return { method: 'GET', target, headers: { host: `127.0.0.1:${port}`, origin: `http://127.0.0.1:${port}`, cookie, ...headers }, upgrade: true };
}

const allow = (path: string): GuardVerdict => ({ kind: 'allow', path });
const refuse = (status: number) => expect.objectContaining({ kind: 'refuse', status });

const cases: { description: string; request: GuardRequest; expected: unknown }[] = [
  { description: 'a page request with the cookie', request: get('/'), expected: allow('/') },
  { description: 'localhost as the host name', request: get('/app.js', { host: `localhost:${port}` }), expected: allow('/app.js') },
  { description: 'a bearer token instead of the cookie', request: get('/x', { cookie: undefined, authorization: `Bearer ${token}` }), expected: allow('/x') },
  { description: 'the cookie among others', request: get('/', { cookie: `a=b; ${cookieName(port)}=${token}; c=d` }), expected: allow('/') },
  { description: 'a stale cookie and a fresh query token', request: get(`/?token=${token}`, { cookie: `${cookieName(port)}=old` }), expected: expect.objectContaining({ kind: 'redirect', location: '/' }) },
  {
    description: 'the first navigation: ?token= redirects without it and sets the cookie',
    request: get(`/?token=${token}`, { cookie: undefined }),
    expected: { kind: 'redirect', location: '/', setCookie: `${cookieName(port)}=${token}; HttpOnly; SameSite=Strict; Path=/` },
  },
  { description: 'other query parameters survive the redirect', request: get(`/index.html?a=1&token=${token}`, { cookie: undefined }), expected: expect.objectContaining({ kind: 'redirect', location: '/index.html?a=1' }) },
  { description: 'no token at all', request: get('/', { cookie: undefined }), expected: refuse(401) },
  { description: 'a wrong cookie', request: get('/', { cookie: `${cookieName(port)}=${token}x` }), expected: refuse(401) },
  { description: 'the cookie of a host on another port', request: get('/', { cookie: `${cookieName(port + 1)}=${token}` }), expected: refuse(401) },
  { description: 'a wrong query token', request: get('/?token=nope', { cookie: undefined }), expected: refuse(401) },
  { description: 'an empty query token', request: get('/?token=', { cookie: undefined }), expected: refuse(401) },
  { description: 'a wrong bearer token', request: get('/', { cookie: undefined, authorization: 'Bearer nope' }), expected: refuse(401) },
  { description: 'the token as a subprotocol on a plain request', request: get('/', { cookie: undefined, 'sec-websocket-protocol': `tidemark.v1, token.${token}` }), expected: refuse(401) },
  { description: 'a POST with the token', request: { ...get('/'), method: 'POST' }, expected: refuse(405) },
  { description: 'a POST without the token is 401 first', request: { ...get('/', { cookie: undefined }), method: 'POST' }, expected: refuse(401) },
  { description: 'HEAD is served', request: { ...get('/'), method: 'HEAD' }, expected: allow('/') },
  { description: 'a foreign Host (DNS rebinding)', request: get('/', { host: `evil.example:${port}` }), expected: refuse(403) },
  { description: 'a rebinding name for loopback', request: get('/', { host: `127.0.0.1.nip.io:${port}` }), expected: refuse(403) },
  { description: 'the right host on another port', request: get('/', { host: `127.0.0.1:${port + 1}` }), expected: refuse(403) },
  { description: 'a Host without the port', request: get('/', { host: '127.0.0.1' }), expected: refuse(403) },
  { description: 'no Host', request: get('/', { host: undefined }), expected: refuse(403) },
  { description: 'a foreign Origin on a page request', request: get('/', { origin: 'http://evil.example' }), expected: refuse(403) },
  { description: 'Origin null', request: get('/', { origin: 'null' }), expected: refuse(403) },
  { description: 'an absolute-form target', request: get(`http://127.0.0.1:${port}/`), expected: refuse(400) },
  { description: 'a path a redirect would send to another host', request: get(`//evil.example/?token=${token}`), expected: refuse(400) },
  { description: 'a backslash path a redirect would send to another host', request: get(`/\\evil.example/?token=${token}`), expected: refuse(400) },
  { description: 'a WebSocket upgrade with the cookie', request: upgrade(), expected: allow('/api') },
  { description: 'a WebSocket upgrade from localhost', request: upgrade({ host: `localhost:${port}`, origin: `http://localhost:${port}` }), expected: allow('/api') },
  { description: 'a WebSocket upgrade with the token subprotocol', request: upgrade({ cookie: undefined, 'sec-websocket-protocol': `tidemark.v1, token.${token}` }), expected: allow('/api') },
  { description: 'a WebSocket upgrade with ?token=', request: upgrade({ cookie: undefined }, `/api?token=${token}`), expected: allow('/api') },
  { description: 'a WebSocket upgrade without a token', request: upgrade({ cookie: undefined }), expected: refuse(401) },
  { description: 'a WebSocket upgrade with a wrong subprotocol token', request: upgrade({ cookie: undefined, 'sec-websocket-protocol': 'tidemark.v1, token.nope' }), expected: refuse(401) },
  { description: 'a WebSocket upgrade without Origin', request: upgrade({ origin: undefined }), expected: refuse(403) },
  { description: 'a WebSocket upgrade from a foreign page', request: upgrade({ origin: 'http://evil.example' }), expected: refuse(403) },
  { description: 'a WebSocket upgrade from https on the same host', request: upgrade({ origin: `https://127.0.0.1:${port}` }), expected: refuse(403) },
  { description: 'a WebSocket upgrade under a rebinding Host', request: upgrade({ host: `evil.example:${port}` }), expected: refuse(403) },
];

describe('guardRequest', () => {
  for (const testCase of cases) {
    it(testCase.description, () => {
      expect(guardRequest(testCase.request, context)).toEqual(testCase.expected);
    });
  }

  it('never puts the token or what was sent as one into a refusal', () => {
    for (const testCase of cases) {
      const verdict = guardRequest(testCase.request, context);
      if (verdict.kind === 'refuse') {
        expect(verdict.reason).not.toContain(token);
        expect(verdict.reason).not.toContain('nope');
      }
    }
  });
});

describe('tokensEqual', () => {
  const table: { description: string; presented: string; expected: string; equal: boolean }[] = [
    { description: 'the same token', presented: token, expected: token, equal: true },
    { description: 'one character different', presented: `${token.slice(0, -1)}Z`, expected: token, equal: false },
    { description: 'a prefix', presented: token.slice(0, 10), expected: token, equal: false },
    { description: 'longer', presented: `${token}A`, expected: token, equal: false },
    { description: 'empty against empty is never a match', presented: '', expected: '', equal: false },
  ];
  for (const row of table) {
    it(row.description, () => expect(tokensEqual(row.presented, row.expected)).toBe(row.equal));
  }
});
