import { describe, expect, it } from 'vitest';
import type { RsyncdTarget } from '../../../src-main/core/config/model';
import { isRsyncdAddress, moduleAddress, parseRsyncdAddress } from '../../../src-main/core/config/rsyncd-address';
import { parseTarget } from '../../../src-main/core/config/sync-target';

/** The target a daemon address should parse to, address as written minus trailing slashes. */
const daemon = (address: string, parts: Omit<RsyncdTarget, 'kind' | 'address'>): RsyncdTarget => ({ kind: 'rsyncd', address, ...parts });

// Both of rsync's daemon forms, and what rsync itself would make of each (rsync(1), "CONNECTING TO AN RSYNC DAEMON").
const cases: { description: string; text: string; expected: RsyncdTarget | RegExp }[] = [
  { description: 'rsync://host/module/dir', text: 'rsync://nas/mirror/www', expected: daemon('rsync://nas/mirror/www', { host: 'nas', module: 'mirror', dir: 'www' }) },
  { description: 'a port in the URL', text: 'rsync://nas:8730/mirror/www', expected: daemon('rsync://nas:8730/mirror/www', { host: 'nas', port: 8730, module: 'mirror', dir: 'www' }) },
  { description: 'a user and a port', text: 'rsync://backup@127.0.0.1:8730/m/a/b/', expected: daemon('rsync://backup@127.0.0.1:8730/m/a/b', { host: '127.0.0.1', user: 'backup', port: 8730, module: 'm', dir: 'a/b' }) },
  { description: 'the scheme in capitals (rsync compares it without case)', text: 'RSYNC://nas/mirror', expected: daemon('RSYNC://nas/mirror', { host: 'nas', module: 'mirror', dir: '' }) },
  { description: 'an IPv6 literal with a port', text: 'rsync://[::1]:873/mirror/x', expected: daemon('rsync://[::1]:873/mirror/x', { host: '::1', port: 873, module: 'mirror', dir: 'x' }) },
  { description: 'the module root, trailing slash dropped', text: 'rsync://nas/mirror/', expected: daemon('rsync://nas/mirror', { host: 'nas', module: 'mirror', dir: '' }) },
  { description: 'host::module/dir', text: 'nas::mirror/www', expected: daemon('nas::mirror/www', { host: 'nas', module: 'mirror', dir: 'www' }) },
  { description: 'user@host::module', text: 'backup@nas::mirror', expected: daemon('backup@nas::mirror', { host: 'nas', user: 'backup', module: 'mirror', dir: '' }) },
  { description: 'host::module//dir// (repeated slashes)', text: 'nas::mirror//www//', expected: daemon('nas::mirror//www', { host: 'nas', module: 'mirror', dir: 'www' }) },
  { description: 'a dir with spaces', text: 'nas::mirror/my files', expected: daemon('nas::mirror/my files', { host: 'nas', module: 'mirror', dir: 'my files' }) },
  { description: 'no module (rsync would list the modules)', text: 'nas::', expected: /names no module/ },
  { description: 'no module in the URL', text: 'rsync://nas/', expected: /names no module/ },
  { description: 'no host', text: 'rsync:///mirror', expected: /'' is not a host name/ },
  { description: 'no host before ::', text: '::mirror', expected: /'' is not a host name/ },
  { description: 'an empty user', text: '@nas::mirror', expected: /user before '@' is empty/ },
  { description: 'a port that is not a number', text: 'rsync://nas:http/mirror', expected: /'nas:http' is not a host name/ },
  { description: 'port 0', text: 'rsync://nas:0/mirror', expected: /port '0' is not a port number/ },
  { description: 'a port too large', text: 'rsync://nas:70000/mirror', expected: /port '70000' is not a port number/ },
  { description: 'an empty port', text: 'rsync://nas:/mirror', expected: /port '' is not a port number/ },
];

describe('parseRsyncdAddress', () => {
  for (const c of cases) {
    it(c.description, () => {
      expect(isRsyncdAddress(c.text)).toBe(true);
      const parsed = parseRsyncdAddress(c.text);
      if (c.expected instanceof RegExp) {
        expect(parsed.kind).toBe('error');
        if (parsed.kind === 'error') expect(parsed.message).toMatch(c.expected);
      } else {
        expect(parsed).toEqual({ kind: 'ok', target: c.expected });
      }
    });
  }
});

describe('parseTarget tells the three kinds apart as rsync does', () => {
  const kinds: { description: string; text: string; kind: string }[] = [
    { description: 'a local path', text: '/srv/backup', kind: 'local' },
    { description: 'a local path with :: after a slash', text: '/srv/a::b', kind: 'local' },
    { description: 'host:dir', text: 'web1:/srv', kind: 'ssh' },
    { description: 'host::module', text: 'web1::srv', kind: 'rsyncd' },
    { description: 'rsync://', text: 'rsync://web1/srv', kind: 'rsyncd' },
  ];
  for (const c of kinds) {
    it(c.description, () => {
      const parsed = parseTarget('rsync', c.text, '/');
      expect(parsed.kind === 'ok' ? parsed.target.kind : parsed.message).toBe(c.kind);
    });
  }
});

describe("moduleAddress: the module's root, in the form the target was written in", () => {
  const roots: { text: string; root: string }[] = [
    { text: 'rsync://backup@127.0.0.1:8730/m/a/b', root: 'rsync://backup@127.0.0.1:8730/m' },
    { text: 'rsync://[::1]/m/a', root: 'rsync://[::1]/m' },
    { text: 'backup@nas::mirror/www/site', root: 'backup@nas::mirror' },
    { text: 'nas::mirror', root: 'nas::mirror' },
  ];
  for (const c of roots) {
    it(c.text, () => {
      const parsed = parseRsyncdAddress(c.text);
      expect(parsed.kind === 'ok' ? moduleAddress(parsed.target) : parsed.message).toBe(c.root);
    });
  }
});
