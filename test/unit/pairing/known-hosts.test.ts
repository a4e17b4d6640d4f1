import { describe, expect, it } from 'vitest';
import { entryNames, formatEntry, hashKnownHostsName, knownHostsName, parseKnownHosts } from '../../../src-main/services/pairing/known-hosts';

const KEY = 'AAAAC3NzaC1lZDI1NTE5AAAAIC0hTiiPqAvv130asG/dZte8sDrME3elsjt52T/RIuyA';
/** The line `[127.0.0.1]:2222 ssh-ed25519 KEY` as `ssh-keygen -H` hashed it. */
const HASHED_BY_SSH_KEYGEN = `|1|ta//NTIkaSochrPBOiRifK+qhGo=|7zoCQjkXZQ5V2/GMW2vR8wPSkQU= ssh-ed25519 ${KEY}`;

describe('knownHostsName', () => {
  const cases = [
    { description: 'port 22 is the bare name', host: 'example.org', port: 22, expected: 'example.org' },
    { description: 'another port is bracketed', host: '127.0.0.1', port: 2222, expected: '[127.0.0.1]:2222' },
    { description: 'an IPv6 address on another port', host: '::1', port: 2200, expected: '[::1]:2200' },
    { description: 'names are lower-cased as ssh does', host: 'Web.Example.ORG', port: 22, expected: 'web.example.org' },
  ];
  for (const c of cases) it(c.description, () => expect(knownHostsName(c.host, c.port)).toBe(c.expected));
});

describe('entryNames', () => {
  const entryOf = (line: string) => {
    const [parsed] = parseKnownHosts(line);
    if (parsed?.kind !== 'entry') throw new Error(`not an entry: ${line}`);
    return parsed.entry;
  };
  const cases = [
    { description: 'a plain name', line: `[127.0.0.1]:2222 ssh-ed25519 ${KEY}`, name: '[127.0.0.1]:2222', expected: true },
    { description: 'one of several names', line: `web,[127.0.0.1]:2222 ssh-ed25519 ${KEY}`, name: '[127.0.0.1]:2222', expected: true },
    { description: 'the same host on another port', line: `[127.0.0.1]:2222 ssh-ed25519 ${KEY}`, name: '[127.0.0.1]:2223', expected: false },
    { description: 'a name hashed by ssh-keygen -H', line: HASHED_BY_SSH_KEYGEN, name: '[127.0.0.1]:2222', expected: true },
    { description: 'a hashed name of another host', line: HASHED_BY_SSH_KEYGEN, name: '[127.0.0.1]:2223', expected: false },
    { description: 'our own hashed name', line: `${hashKnownHostsName('example.org')} ssh-ed25519 ${KEY}`, name: 'example.org', expected: true },
    { description: 'a wildcard pattern is not a pin of ours', line: `*.example.org ssh-ed25519 ${KEY}`, name: 'web.example.org', expected: false },
  ];
  for (const c of cases) it(c.description, () => expect(entryNames(entryOf(c.line), c.name)).toBe(c.expected));
});

describe('parseKnownHosts', () => {
  it('keeps comments, markers and broken lines as they are, and reads entries', () => {
    const text = ['# pinned by Tidemark', `@revoked * ssh-ed25519 ${KEY}`, 'web ssh-ed25519 not/a/key!', `web ssh-ed25519 ${KEY}`, ''].join('\n');
    const lines = parseKnownHosts(text);
    expect(lines.map((line) => line.kind)).toEqual(['other', 'other', 'other', 'entry']);
    expect(lines.map((line) => line.text).join('\n')).toBe(text.trimEnd());
  });

  it('refuses what is not text', () => {
    expect(() => parseKnownHosts(Buffer.from('x'))).toThrow(TypeError);
  });

  it('formats an entry the way it reads one', () => {
    const line = formatEntry('[h]:2', 'ssh-ed25519', Buffer.from(KEY, 'base64'), false);
    expect(line).toBe(`[h]:2 ssh-ed25519 ${KEY}`);
  });
});
