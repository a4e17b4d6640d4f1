// Who may talk to the UI host: a pure decision over one request's method, target and headers,
// so every refusal is table-tested without a socket. No I/O, no Node imports.
//
// Token design (why the printed URL is `http://127.0.0.1:PORT/?token=TOKEN`, not `#token=`):
// every request without a valid token must get 401 and nothing else, and a browser never sends a
// URL fragment to the server, so a `#token=` URL could only work through a page served without
// the token that reads the fragment. We serve no such page. Instead:
//   1. The first navigation is `GET /?token=TOKEN`. A valid query token answers 303 to the same
//      path without `token`, and sets the cookie below; the token leaves the address bar, and
//      `Referrer-Policy: no-referrer` keeps it out of any Referer.
//   2. Every later request (the page's scripts and styles, the WebSocket upgrade) carries the
//      cookie `tidemark_token_PORT` (HttpOnly, SameSite=Strict, Path=/). Cookies ignore ports, so
//      the port in the name keeps two hosts on different ports from overwriting each other's.
//   3. Programs may send `Authorization: Bearer TOKEN` instead, and a WebSocket client may offer
//      the subprotocols `tidemark.v1, token.TOKEN` (the host selects only `tidemark.v1`).
// A request carrying any valid form is accepted, so a stale cookie from an earlier run does not
// spoil a fresh `?token=`. Tokens are compared in constant time.
//
// Before the token, the Host header must name this host exactly (127.0.0.1:PORT or
// localhost:PORT): a DNS-rebinding page reaches us under its own name and is refused. An Origin
// header, when present, must be one of the same two origins; a WebSocket upgrade must carry one,
// since WebSockets are not bound by the same-origin policy.

/** The subprotocol a WebSocket client offers and the host selects. */
export const WS_PROTOCOL = 'tidemark.v1';
const TOKEN_PROTOCOL_PREFIX = 'token.';

export interface GuardRequest {
  readonly method: string;
  /** The request target as sent: path and query, percent-encoding untouched. */
  readonly target: string;
  /** Lower-case header names, as Node gives them. */
  readonly headers: Readonly<Record<string, string | readonly string[] | undefined>>;
  readonly upgrade: boolean;
}

export interface GuardContext {
  readonly port: number;
  readonly token: string;
}

export type GuardVerdict =
  /** Serve `path` (still percent-encoded; the static server decodes it). */
  | { readonly kind: 'allow'; readonly path: string }
  /** A first navigation with a valid `?token=`: set the cookie and go to `location`. */
  | { readonly kind: 'redirect'; readonly location: string; readonly setCookie: string }
  | { readonly kind: 'refuse'; readonly status: 400 | 401 | 403 | 405; readonly reason: string };

/** The name of the cookie that carries the token for the host on `port`. */
export function cookieName(port: number): string {
  return `tidemark_token_${port}`;
}

/** Decides one request; the reason never contains the token or anything the client sent as one. */
export function guardRequest(request: GuardRequest, context: GuardContext): GuardVerdict {
  const host = single(request.headers.host);
  if (host === undefined || !allowedHosts(context.port).includes(host.toLowerCase())) {
    return { kind: 'refuse', status: 403, reason: 'the Host header does not name this loopback host' };
  }
  const origin = single(request.headers.origin);
  if (origin === undefined && request.upgrade) {
    return { kind: 'refuse', status: 403, reason: 'a WebSocket upgrade without an Origin header' };
  }
  if (origin !== undefined && !allowedOrigins(context.port).includes(origin.toLowerCase())) {
    return { kind: 'refuse', status: 403, reason: 'the Origin is not this host' };
  }
  const { path, query } = splitTarget(request.target);
  if (path === null) return { kind: 'refuse', status: 400, reason: 'the request target is not a path' };
  const fromQuery = query.get('token');
  const queryValid = fromQuery !== null && tokensEqual(fromQuery, context.token);
  const valid = queryValid
    || presentedTokens(request, context.port).some((candidate) => tokensEqual(candidate, context.token));
  if (!valid) return { kind: 'refuse', status: 401, reason: 'no valid token' };
  if (request.upgrade) {
    if (request.method !== 'GET') return { kind: 'refuse', status: 405, reason: 'a WebSocket upgrade is a GET' };
    return { kind: 'allow', path };
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    return { kind: 'refuse', status: 405, reason: `method ${request.method.slice(0, 16)} is not served` };
  }
  if (queryValid) {
    query.delete('token');
    const rest = query.toString();
    return { kind: 'redirect', location: rest === '' ? path : `${path}?${rest}`, setCookie: tokenCookie(context) };
  }
  return { kind: 'allow', path };
}

/** The Set-Cookie value that lets the page's later requests through. */
function tokenCookie(context: GuardContext): string {
  return `${cookieName(context.port)}=${context.token}; HttpOnly; SameSite=Strict; Path=/`;
}

function allowedHosts(port: number): string[] {
  return [`127.0.0.1:${port}`, `localhost:${port}`];
}

function allowedOrigins(port: number): string[] {
  return allowedHosts(port).map((host) => `http://${host}`);
}

/** Tokens from the cookie, the Authorization header and the WebSocket subprotocols. */
function presentedTokens(request: GuardRequest, port: number): string[] {
  const found: string[] = [];
  const name = cookieName(port);
  for (const header of all(request.headers.cookie)) {
    for (const pair of header.split(';')) {
      const at = pair.indexOf('=');
      if (at > 0 && pair.slice(0, at).trim() === name) found.push(pair.slice(at + 1).trim());
    }
  }
  const authorization = single(request.headers.authorization);
  const bearer = authorization === undefined ? null : /^Bearer +(\S+)$/i.exec(authorization.trim());
  if (bearer?.[1] !== undefined) found.push(bearer[1]);
  if (request.upgrade) {
    for (const header of all(request.headers['sec-websocket-protocol'])) {
      for (const offered of header.split(',')) {
        const trimmed = offered.trim();
        if (trimmed.startsWith(TOKEN_PROTOCOL_PREFIX)) found.push(trimmed.slice(TOKEN_PROTOCOL_PREFIX.length));
      }
    }
  }
  return found;
}

/**
 * Path and query of an origin-form target; a null path for anything else (`*`, absolute URLs).
 * `//x` and any backslash are refused too: a browser reads `//x` or `/\x` in the redirect's
 * Location as another host.
 */
function splitTarget(target: string): { path: string | null; query: URLSearchParams } {
  const at = target.indexOf('?');
  const path = at < 0 ? target : target.slice(0, at);
  const query = new URLSearchParams(at < 0 ? '' : target.slice(at + 1));
  return { path: path.startsWith('/') && !path.startsWith('//') && !path.includes('\\') ? path : null, query };
}

/**
 * Compares in time that depends on the expected token's length only, never on where the two
 * first differ (the length of a token is no secret: 43 characters by default).
 */
export function tokensEqual(presented: string, expected: string): boolean {
  let diff = presented.length ^ expected.length;
  for (let i = 0; i < expected.length; i++) {
    diff |= expected.charCodeAt(i) ^ (i < presented.length ? presented.charCodeAt(i) : 0);
  }
  return diff === 0 && expected.length > 0;
}

/** A header that must appear once; a repeated one counts as absent. */
function single(value: string | readonly string[] | undefined): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'string') return value;
  return value.length === 1 ? value[0] : undefined;
}

function all(value: string | readonly string[] | undefined): readonly string[] {
  if (value === undefined) return [];
  return typeof value === 'string' ? [value] : value;
}
