import { describe, expect, it } from 'vitest';
import { agentSshEnv, agentSshOptions } from '../../../src-main/keys/agent-ssh-options';

/** The value of one `-o NAME=value` in an argv. */
function option(argv: readonly string[], name: string): string | undefined {
  const index = argv.findIndex((word, i) => argv[i - 1] === '-o' && word.startsWith(`${name}=`));
  return index < 0 ? undefined : argv[index]!.slice(name.length + 1);
}

const cases: { description: string; knownHostsFile: string; publicKeyFile: string; expected: { identity: string; knownHosts: string } | RegExp }[] = [
  { description: 'plain paths pass as they are', knownHostsFile: '/c/known_hosts', publicKeyFile: '/c/keys/work.pub', expected: { identity: '/c/keys/work.pub', knownHosts: '/c/known_hosts' } },
  { description: 'a space is quoted for ssh\'s config parser', knownHostsFile: '/my home/kh', publicKeyFile: '/my home/k.pub', expected: { identity: '"/my home/k.pub"', knownHosts: '"/my home/kh"' } },
  { description: '% is doubled so no %-token expands', knownHostsFile: '/c/100%/kh', publicKeyFile: '/c/%h.pub', expected: { identity: '/c/%%h.pub', knownHosts: '/c/100%%/kh' } },
  { description: 'a relative path is refused (ssh would resolve ~ and the cwd)', knownHostsFile: 'kh', publicKeyFile: '/k.pub', expected: /absolute path/ },
  { description: 'a double quote is refused', knownHostsFile: '/a"b/kh', publicKeyFile: '/k.pub', expected: /cannot carry/ },
  { description: 'an environment expansion is refused', knownHostsFile: '/kh', publicKeyFile: '/${HOME}/k.pub', expected: /cannot carry/ },
];

describe('agentSshOptions', () => {
  for (const testCase of cases) {
    it(testCase.description, () => {
      const build = () => agentSshOptions({ knownHostsFile: testCase.knownHostsFile, publicKeyFile: testCase.publicKeyFile });
      if (testCase.expected instanceof RegExp) {
        expect(build).toThrow(testCase.expected);
        return;
      }
      const argv = build();
      expect(option(argv, 'IdentityFile')).toBe(testCase.expected.identity);
      expect(option(argv, 'UserKnownHostsFile')).toBe(testCase.expected.knownHosts);
    });
  }

  it('pins the host, offers only that key and never prompts', () => {
    const argv = agentSshOptions({ knownHostsFile: '/kh', publicKeyFile: '/k.pub' });
    for (const [name, value] of [['IdentitiesOnly', 'yes'], ['StrictHostKeyChecking', 'yes'], ['BatchMode', 'yes'], ['GlobalKnownHostsFile', '/dev/null'], ['PasswordAuthentication', 'no']]) {
      expect(option(argv, name!), name).toBe(value);
    }
    expect(argv.filter((_, i) => i % 2 === 0).every((word) => word === '-o')).toBe(true);
    expect(agentSshEnv('/run/a.sock')).toEqual({ SSH_AUTH_SOCK: '/run/a.sock' });
  });
});
