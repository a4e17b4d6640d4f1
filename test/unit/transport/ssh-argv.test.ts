import { describe, expect, it } from 'vitest';
import type { RsyncTable, SshTable } from '../../../src-main/core/config/model';
import { checkArgv, clientCommand, masterArgv, remoteArgv, resolveArgv, sshCommand } from '../../../src-main/core/transport/ssh-argv';
import { hostKeyCheckingOff, parseSshG } from '../../../src-main/core/transport/ssh-resolve-parse';

/** An ssh table with these settings over the defaults. */
const ssh = (more: Partial<SshTable> = {}): SshTable => ({ binary: 'ssh', options: {}, extra: [], ...more });
/** An rsync table with these valued options. */
const rsync = (values: Record<string, string> = {}): RsyncTable => ({ binary: 'rsync', flags: {}, values, extra: [] });

describe('sshCommand', () => {
  const cases: { description: string; ssh: SshTable; rsync: RsyncTable; expected: string[] }[] = [
    { description: 'a bare table is just the binary', ssh: ssh(), rsync: rsync(), expected: ['ssh'] },
    {
      description: 'the ssh table: binary, port, identityFile, options as -o k=v, then _extra',
      ssh: ssh({ binary: '/usr/bin/ssh', port: 2222, identityFile: '/k/id', options: { User: 'web', Compression: 'yes' }, extra: ['-4'] }),
      rsync: rsync(),
      expected: ['/usr/bin/ssh', '-p', '2222', '-i', '/k/id', '-o', 'User=web', '-o', 'Compression=yes', '-4'],
    },
    {
      description: "rsync's rsh wins, split as rsync splits it (the lsyncd tutorial form)",
      ssh: ssh({ port: 22 }),
      rsync: rsync({ rsh: '/usr/bin/ssh -l webuser -i /home/u/.ssh/key -o StrictHostKeyChecking=no' }),
      expected: ['/usr/bin/ssh', '-l', 'webuser', '-i', '/home/u/.ssh/key', '-o', 'StrictHostKeyChecking=no'],
    },
  ];
  for (const c of cases) it(c.description, () => expect(sshCommand(c.ssh, c.rsync)).toEqual(c.expected));
});

describe('the connection-sharing command lines', () => {
  const endpoint = { command: ['ssh', '-p', '2222', '-o', 'ControlPath=/user/choice'], host: 'web' };
  const socket = '/run/tidemark/cm-1';
  it('puts Tidemark options before the user ones, since ssh keeps the first value', () => {
    expect(masterArgv(endpoint, socket).slice(0, 6)).toEqual(['ssh', '-M', '-N', '-o', 'ControlMaster=yes', '-o']);
    for (const argv of [masterArgv(endpoint, socket), checkArgv(endpoint, socket), clientCommand(endpoint, socket)]) {
      expect(argv.indexOf(`ControlPath=${socket}`)).toBeLessThan(argv.indexOf('ControlPath=/user/choice'));
    }
  });
  it('the master never prompts and notices a dead link', () => {
    const argv = masterArgv(endpoint, socket);
    expect(argv).toEqual(expect.arrayContaining(['BatchMode=yes', 'ServerAliveInterval=15', 'ControlPersist=no']));
    expect(argv.slice(-2)).toEqual(['--', 'web']);
  });
  it('clients never become masters, and end the options before the host', () => {
    expect(clientCommand(endpoint, socket)).toContain('ControlMaster=no');
    expect(remoteArgv(endpoint, socket, "sh -c 'x'").slice(-3)).toEqual(['--', 'web', "sh -c 'x'"]);
    expect(checkArgv(endpoint, socket)).toEqual(expect.arrayContaining(['-O', 'check']));
    expect(resolveArgv(endpoint)).toEqual(['ssh', '-G', '-p', '2222', '-o', 'ControlPath=/user/choice', '--', 'web']);
  });
});

describe('parseSshG', () => {
  const output = ['user web', 'hostname 10.0.0.5', 'port 2222', 'stricthostkeychecking false', 'userknownhostsfile /root/.ssh/known_hosts /root/.ssh/known_hosts2', 'identityfile ~/.ssh/id_rsa', 'identityfile ~/.ssh/id_ed25519', 'proxyjump bastion'].join('\n');
  it('reads hostname, user, port, host key policy, known hosts files, identities and ProxyJump', () => {
    expect(parseSshG(output)).toEqual({
      hostname: '10.0.0.5',
      user: 'web',
      port: 2222,
      strictHostKeyChecking: 'false',
      userKnownHostsFiles: ['/root/.ssh/known_hosts', '/root/.ssh/known_hosts2'],
      identityFiles: ['~/.ssh/id_rsa', '~/.ssh/id_ed25519'],
      proxyJump: 'bastion',
    });
  });
  it('tells when host key checking is off, by policy or by a /dev/null known_hosts', () => {
    expect(hostKeyCheckingOff(parseSshG(output))).toBe(true);
    expect(hostKeyCheckingOff(parseSshG('user u\nhostname h\nport 22\nstricthostkeychecking ask\nuserknownhostsfile /dev/null'))).toBe(true);
    expect(hostKeyCheckingOff(parseSshG('user u\nhostname h\nport 22\nstricthostkeychecking true'))).toBe(false);
  });
  it('refuses output without the essentials', () => {
    expect(() => parseSshG('user u\nport 22')).toThrow(/no hostname/);
    expect(() => parseSshG('user u\nhostname h\nport 0')).toThrow(/invalid port/);
    expect(() => parseSshG(42)).toThrow(TypeError);
  });
  it('reads what the real ssh -G prints', async () => {
    const { execFileSync } = await import('node:child_process');
    const real = execFileSync('ssh', ['-G', '-F', '/dev/null', '-p', '2200', '-l', 'deploy', '--', '127.0.0.1']).toString();
    expect(parseSshG(real)).toMatchObject({ hostname: '127.0.0.1', user: 'deploy', port: 2200 });
  });
});
