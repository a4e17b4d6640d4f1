// Profile files that must be refused, each with the file and the JSON path of the problem: wrong
// types, unknown keys, huge strings, prototype keys, and values the Lua loader refuses too.
import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../../src-main/core/config/model';
import { checkProfileName } from '../../../../src-main/services/profiles/profile-name';
import { parseProfileText, ProfileError } from '../../../../src-main/services/profiles/profile-parse';
import { profileToConfig } from '../../../../src-main/services/profiles/profile-to-config';

const HOMES = ['/home', '/root', '/home/u'];

/** A valid profile with one local sync, with `sync` merged into that sync. */
function profile(sync: Record<string, unknown> = {}, top: Record<string, unknown> = {}): string {
  return JSON.stringify({ enabled: true, syncs: [{ source: '/srv/src', target: { kind: 'local', dir: '/backup/src' }, ...sync }], ...top });
}

/** The message a profile text is refused with: by the schema, or by the mapping's checks. */
function refusal(text: string): string {
  try {
    profileToConfig(parseProfileText(text, 'site.json'), 'site.json', { homes: HOMES });
  } catch (error) {
    expect(error).toBeInstanceOf(ProfileError);
    expect(error).toBeInstanceOf(ConfigError);
    return (error as Error).message;
  }
  throw new Error('the profile was accepted');
}

const cases: { description: string; text: string; expected: RegExp }[] = [
  { description: 'not JSON', text: '{"enabled": true,', expected: /^site\.json: \$: is not JSON/ },
  { description: 'not an object', text: '[]', expected: /^site\.json: \$: must be a JSON object/ },
  { description: 'enabled missing', text: '{"syncs": []}', expected: /site\.json: \$\.enabled: is required/ },
  { description: 'no syncs', text: '{"enabled": true, "syncs": []}', expected: /site\.json: \$\.syncs: must list at least one sync/ },
  { description: 'a wrong type', text: profile({ delay: '5' }), expected: /^site\.json: \$\.syncs\[0\]\.delay: must be number \(got "5"\)$/ },
  { description: 'a negative delay', text: profile({ delay: -1 }), expected: /\$\.syncs\[0\]\.delay: must be at least 0/ },
  { description: 'an unknown key in a sync', text: profile({ Delay: 5 }), expected: /^site\.json: \$\.syncs\[0\]\.Delay: is not a known key here$/ },
  { description: 'an unknown top-level key', text: profile({}, { extra: 1 }), expected: /^site\.json: \$\.extra: is not a known key here$/ },
  { description: 'an unknown rsync option', text: profile({ rsync: { compres: true } }), expected: /\$\.syncs\[0\]\.rsync\.compres: is not a known key here/ },
  { description: 'an rsync flag that is no boolean', text: profile({ rsync: { compress: 'yes' } }), expected: /\$\.syncs\[0\]\.rsync\.compress: must be true or false/ },
  { description: 'an unknown target kind', text: profile({ target: { kind: 'ftp', dir: '/x' } }), expected: /\$\.syncs\[0\]\.target\.kind: must be a target with kind 'local', 'ssh' or 'rsyncd'/ },
  { description: 'a relative source', text: profile({ source: 'src' }), expected: /\$\.syncs\[0\]\.source: must be an absolute path/ },
  { description: 'a huge string', text: profile({ source: `/${'a'.repeat(5000)}` }), expected: /\$\.syncs\[0\]\.source: must be at most 4096 characters/ },
  { description: 'a huge file', text: profile({ filters: Array.from({ length: 60_000 }, () => '- some/pattern/that/is/long') }), expected: /^site\.json: \$: the file is larger than 1048576 bytes/ },
  { description: 'too many rules', text: profile({ filters: Array.from({ length: 10_001 }, () => '- x') }), expected: /\$\.syncs\[0\]\.filters: must have at most 10000 rules/ },
  { description: 'a __proto__ key at the top', text: '{"enabled": true, "__proto__": {"polluted": 1}, "syncs": []}', expected: /^site\.json: \$\.__proto__: '__proto__' is not allowed as a key$/ },
  { description: 'a __proto__ key in ssh options', text: profile({ ssh: { options: { __proto__: 'x' } } }).replace('"options":{}', '"options":{"__proto__":"x"}'), expected: /\$\.syncs\[0\]\.ssh\.options\.__proto__: '__proto__' is not allowed/ },
  { description: 'a constructor key', text: profile({ rsync: { constructor: true } }), expected: /\$\.syncs\[0\]\.rsync\.constructor: 'constructor' is not allowed/ },
  { description: 'nesting too deep', text: profile({}, { settings: JSON.parse(`${'{"a":'.repeat(20)}1${'}'.repeat(20)}`) }), expected: /is nested more than 16 levels deep/ },
  { description: 'a bad filter rule', text: profile({ filters: ['*.tmp'] }), expected: /\$\.syncs\[0\]\.filters\[0\]: must be a rule: '- PATTERN'/ },
  { description: 'a user inside the host', text: profile({ kind: 'rsyncssh', target: { kind: 'ssh', host: 'u@h', dir: '/d' } }), expected: /\$\.syncs\[0\]\.target\.host: must be a host name.*the user goes in user/ },
  { description: 'a port out of range', text: profile({ target: { kind: 'ssh', host: 'h', port: 70000, dir: '/d' } }), expected: /\$\.syncs\[0\]\.target\.port: must be a port from 1 to 65535/ },
  { description: 'a relative knownHosts', text: profile({ target: { kind: 'ssh', host: 'h', dir: '/d', knownHosts: 'known_hosts' } }), expected: /\$\.syncs\[0\]\.target\.knownHosts: must be an absolute path/ },
  { description: 'a key name that is a path', text: profile({ target: { kind: 'ssh', host: 'h', dir: '/d', keyName: '../id' } }), expected: /\$\.syncs\[0\]\.target\.keyName: must be a key name/ },
  { description: 'an unknown reconcile policy', text: profile({ reconcile: 'nuke' }), expected: /\$\.syncs\[0\]\.reconcile: must be one of 'ask', 'pull', 'keep', 'trash', 'delete'/ },
  // The Lua loader's checks, at JSON paths.
  { description: 'the target is /', text: profile({ target: { kind: 'local', dir: '/' } }), expected: /^site\.json: \$\.syncs\[0\]\.target: refused target: the target is \/ \(the whole filesystem\)/ },
  { description: 'the target is a home', text: profile({ target: { kind: 'local', dir: '/home/u/' } }), expected: /\$\.syncs\[0\]\.target: refused target: the target \/home\/u is the root of a home directory/ },
  { description: 'the target is inside the source', text: profile({ target: { kind: 'local', dir: '/srv/src/mirror' } }), expected: /refused target: the target \/srv\/src\/mirror lies inside the source/ },
  { description: "a remote target that is the user's home", text: profile({ target: { kind: 'ssh', host: 'h', dir: '~' } }), expected: /\$\.syncs\[0\]\.target: refused target: the remote target '~' is the remote user's home itself/ },
  { description: 'rsyncssh to a local directory', text: profile({ kind: 'rsyncssh' }), expected: /\$\.syncs\[0\]\.target\.kind: default\.rsyncssh syncs to a remote host/ },
  { description: 'direct to an ssh target', text: profile({ kind: 'direct', target: { kind: 'ssh', host: 'h', dir: '/d' } }), expected: /\$\.syncs\[0\]\.target\.kind: default\.direct syncs to a local directory/ },
  { description: 'rsyncssh with several processes', text: profile({ kind: 'rsyncssh', maxProcesses: 2, target: { kind: 'ssh', host: 'h', dir: '/d' } }), expected: /\$\.syncs\[0\]\.maxProcesses: default\.rsyncssh must have maxProcesses set to 1/ },
  { description: 'a daemon address without a module', text: profile({ target: { kind: 'rsyncd', address: 'rsync://nas/' } }), expected: /\$\.syncs\[0\]\.target\.address: target 'rsync:\/\/nas\/' is an rsync daemon address, but it names no module/ },
  { description: 'knownHosts beside the options it sets', text: profile({ target: { kind: 'ssh', host: 'h', dir: '/d', knownHosts: '/k' }, ssh: { options: { StrictHostKeyChecking: 'no' } } }), expected: /\$\.syncs\[0\]\.ssh\.options\.StrictHostKeyChecking: is set by the target's knownHosts/ },
  { description: "rsh that would bypass pairing", text: profile({ target: { kind: 'ssh', host: 'h', dir: '/d', keyName: 'k' }, rsync: { rsh: 'ssh -i /id' } }), expected: /\$\.syncs\[0\]\.rsync\.rsh: rsync\.rsh replaces the ssh command/ },
];

describe('profile validation names the file and the JSON path', () => {
  for (const c of cases) {
    it(c.description, () => {
      expect(refusal(c.text)).toMatch(c.expected);
    });
  }

  it('lists every problem at once, one a line', () => {
    const lines = refusal(profile({ delay: 'x', init: 3, Delay: 1 })).split('\n');
    expect(lines).toHaveLength(3);
    expect(lines.every((line) => line.startsWith('site.json: $.syncs[0].'))).toBe(true);
  });

  it('a key name without an agent is a warning, not an error', () => {
    const config = profileToConfig(parseProfileText(profile({ target: { kind: 'ssh', host: 'h', dir: '/d', keyName: 'site' } }), 'site.json'), 'site.json', { homes: HOMES });
    expect(config.warnings?.map((warning) => warning.message)).toEqual([expect.stringMatching(/^site\.json: \$\.syncs\[0\]\.target\.keyName: the key 'site' is served by the app's key agent/)]);
    const paired = profileToConfig(parseProfileText(profile({ target: { kind: 'ssh', host: 'h', dir: '/d', keyName: 'site' } }), 'site.json'), 'site.json', { homes: HOMES, pairing: { sshOptionsForKey: () => ({ IdentityAgent: '/run/agent.sock' }) } });
    expect(paired.syncs[0]?.ssh.options).toEqual({ IdentityAgent: '/run/agent.sock' });
    expect(paired.warnings).toBeUndefined();
  });
});

describe('profile names', () => {
  const names: { name: string; expected: RegExp | 'ok' }[] = [
    { name: 'site', expected: 'ok' },
    { name: 'www.example.org', expected: 'ok' },
    { name: 'backup_2-nas', expected: 'ok' },
    { name: '../etc/passwd', expected: /is a path/ },
    { name: 'a/b', expected: /is a path/ },
    { name: '..', expected: /is a path/ },
    { name: 'a\\b', expected: /is a path/ },
    { name: '.hidden', expected: /starts with a dot/ },
    { name: 'x'.repeat(65), expected: /longer than 64 characters/ },
    { name: 'site.json', expected: /ends in \.json/ },
    { name: '', expected: /is not allowed/ },
    { name: 'white space', expected: /is not allowed/ },
    { name: '-rf', expected: /is not allowed/ },
  ];
  for (const c of names) {
    it(`${JSON.stringify(c.name.slice(0, 20))}: ${String(c.expected)}`, () => {
      const check = checkProfileName(c.name);
      if (c.expected === 'ok') expect(check).toEqual({ kind: 'ok', name: c.name });
      else expect(check.kind === 'error' ? check.message : '').toMatch(c.expected);
    });
  }
});
