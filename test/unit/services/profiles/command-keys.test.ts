import { describe, expect, it } from 'vitest';
import type { Profile } from '../../../../src-shared/model/profile';
import { commandSettings, refuseNewCommands } from '../../../../src-main/services/profiles/command-keys';

const sync = (extra: Partial<Profile['syncs'][number]> = {}): Profile['syncs'][number] => ({ source: '/src', target: { kind: 'ssh', host: 'web1', dir: 'site' }, ...extra });
const profile = (...syncs: Profile['syncs']): Profile => ({ enabled: true, syncs });

describe('commandSettings', () => {
  it('names every key that runs a program or writes a file of the profile’s choosing, and no other', () => {
    const withEverything: Profile = {
      enabled: true,
      settings: { logfile: '/tmp/l', statusFile: '/tmp/s', pidfile: '/tmp/p', statusInterval: 5 },
      syncs: [
        sync({ rsync: { rsh: '/usr/bin/ssh -p 2222', binary: '/opt/rsync', rsync_path: 'sudo rsync', _extra: ['--rsh=evil'], compress: true, bwlimit: 100 }, ssh: { binary: '/opt/ssh', options: { ProxyCommand: 'nc %h %p', Compression: 'yes' }, _extra: ['-oLocalCommand=x'], identityFile: '/k' }, delay: 3 }),
      ],
    };
    expect(commandSettings(withEverything)).toEqual([
      'settings.logfile = "/tmp/l"',
      'settings.statusFile = "/tmp/s"',
      'settings.pidfile = "/tmp/p"',
      'rsync.rsh = "/usr/bin/ssh -p 2222"',
      'rsync.binary = "/opt/rsync"',
      'rsync.rsync_path = "sudo rsync"',
      'rsync._extra = ["--rsh=evil"]',
      'ssh.binary = "/opt/ssh"',
      'ssh._extra = ["-oLocalCommand=x"]',
      'ssh.options.ProxyCommand = "nc %h %p"',
      'ssh.options.Compression = "yes"',
    ]);
    expect(commandSettings(profile(sync({ rsync: { compress: true }, delay: 1 })))).toEqual([]);
  });
});

describe('refuseNewCommands', () => {
  const rsh = (value: string) => profile(sync({ rsync: { rsh: value } }));
  const cases: { description: string; current: Profile | null; next: Profile; refused: RegExp | null }[] = [
    { description: 'a new profile without commands passes', current: null, next: profile(sync()), refused: null },
    { description: 'a new profile with an rsh is refused, naming the key and where to set it by hand', current: null, next: rsh('sh -c x'), refused: /rsync\.rsh = "sh -c x".*by hand in \/p\/x\.json.*tidemark import/ },
    { description: 'an edit that keeps the rsh a profile has passes', current: rsh('/usr/bin/ssh -p 2'), next: { ...rsh('/usr/bin/ssh -p 2'), enabled: false }, refused: null },
    { description: 'an edit that changes the rsh is refused', current: rsh('/usr/bin/ssh -p 2'), next: rsh('/usr/bin/ssh -p 3'), refused: /rsync\.rsh = "\/usr\/bin\/ssh -p 3"/ },
    { description: 'an edit that drops a command passes (nothing runs that did not)', current: rsh('/usr/bin/ssh'), next: profile(sync()), refused: null },
    { description: 'an added ProxyCommand is refused', current: profile(sync()), next: profile(sync({ ssh: { options: { ProxyCommand: 'nc %h %p' } } })), refused: /ssh\.options\.ProxyCommand/ },
    { description: 'a new log file is refused', current: profile(sync()), next: { ...profile(sync()), settings: { logfile: '/home/u/.bashrc' } }, refused: /settings\.logfile/ },
    { description: 'many at once are counted, not all printed', current: null, next: profile(sync({ rsync: { rsh: 'a', binary: 'b', rsync_path: 'c', _extra: ['d'] } })), refused: /; and 1 more/ },
  ];
  for (const { description, current, next, refused } of cases) {
    it(description, () => {
      const attempt = () => refuseNewCommands(current, next, '/p/x.json');
      if (refused) expect(attempt).toThrow(refused);
      else expect(attempt).not.toThrow();
    });
  }
});
