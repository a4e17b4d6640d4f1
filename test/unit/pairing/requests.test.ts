import { describe, expect, it } from 'vitest';
import { checkHostRequest } from '../../../src-main/services/pairing/resolve-host';
import { DEFAULT_STEP_TIMEOUT_MS, stepTimeout } from '../../../src-main/services/pairing/step-result';

describe('checkHostRequest', () => {
  const cases: { description: string; request: Parameters<typeof checkHostRequest>[0]; problem: RegExp | null }[] = [
    { description: 'a host name', request: { host: 'web-1.example.org' }, problem: null },
    { description: 'an IPv6 address with a port and user', request: { host: '::1', port: 2222, user: 'deploy' }, problem: null },
    { description: 'an alias with an underscore', request: { host: 'nas_backup' }, problem: null },
    { description: 'an option in disguise', request: { host: '-oProxyCommand=sh' }, problem: /is not a host name/ },
    { description: 'a name with a space', request: { host: 'web 1' }, problem: /is not a host name/ },
    { description: 'user@host in the host field', request: { host: 'u@web' }, problem: /is not a host name/ },
    { description: 'port 0', request: { host: 'web', port: 0 }, problem: /is not a port/ },
    { description: 'a port past 65535', request: { host: 'web', port: 70000 }, problem: /is not a port/ },
    { description: 'a user that is an option', request: { host: 'web', user: '-l' }, problem: /is not a user name/ },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const problem = checkHostRequest(c.request);
      if (c.problem) expect(problem).toMatch(c.problem);
      else expect(problem).toBeNull();
    });
  }
});

describe('stepTimeout', () => {
  it('gives the default when none is asked for', () => expect(stepTimeout(undefined)).toBe(DEFAULT_STEP_TIMEOUT_MS));
  it('keeps a positive whole number', () => expect(stepTimeout(1500)).toBe(1500));
  for (const bad of [0, -1, 1.5, Number.NaN]) it(`refuses ${bad}`, () => expect(() => stepTimeout(bad)).toThrow(RangeError));
});
