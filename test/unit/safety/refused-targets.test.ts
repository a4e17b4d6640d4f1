import { describe, expect, it } from 'vitest';
import type { TargetSpec } from '../../../src-main/core/config/model';
import { refusedTarget } from '../../../src-main/core/safety/refused-targets';

const HOMES = ['/home', '/root', '/home/alice', '/srv/users/bob'];
/** A local target as written. */
const local = (dir: string): TargetSpec => ({ kind: 'local', dir });
/** A remote target dir on some host. */
const remote = (dir: string): TargetSpec => ({ kind: 'ssh', host: 'web1', dir });

const cases: { description: string; source: string; target: TargetSpec; refused: RegExp | null }[] = [
  { description: 'a plain backup directory is fine', source: '/var/www', target: local('/backup/www'), refused: null },
  { description: 'a directory inside a home is fine', source: '/var/www', target: local('/home/alice/mirror'), refused: null },
  { description: 'a sibling whose name starts like the source is fine', source: '/data/site', target: local('/data/site-mirror'), refused: null },
  { description: '/ is refused', source: '/var/www', target: local('/'), refused: /the whole filesystem/ },
  { description: '/ written with extra slashes is refused', source: '/var/www', target: local('//'), refused: /the whole filesystem/ },
  { description: 'a home root is refused', source: '/var/www', target: local('/home/alice/'), refused: /root of a home directory/ },
  { description: 'a home outside /home is refused', source: '/var/www', target: local('/srv/users/bob'), refused: /root of a home directory/ },
  { description: '/home itself is refused', source: '/var/www', target: local('/home'), refused: /root of a home directory/ },
  { description: 'the source itself is refused', source: '/var/www', target: local('/var/www/'), refused: /the source itself/ },
  { description: 'a child of the source is refused', source: '/var/www', target: local('/var/www/mirror'), refused: /inside the source/ },
  { description: 'a parent of the source is refused', source: '/var/www', target: local('/var'), refused: /contains the source/ },
  { description: 'a relative path is refused', source: '/var/www', target: local('backup'), refused: /relative path/ },
  { description: 'a dot-relative path is refused', source: '/var/www', target: local('./backup'), refused: /relative path/ },
  { description: 'a remote directory is fine', source: '/var/www', target: remote('/srv/www'), refused: null },
  { description: 'a remote directory relative to the home is fine', source: '/var/www', target: remote('www'), refused: null },
  { description: 'the remote root is refused', source: '/var/www', target: remote('/'), refused: /remote target is \// },
  { description: "the remote user's home itself is refused", source: '/var/www', target: remote('.'), refused: /home itself/ },
  { description: 'an empty remote dir (the home) is refused', source: '/var/www', target: remote(''), refused: /home itself/ },
  { description: 'a remote home root is refused', source: '/var/www', target: remote('/home/deploy/'), refused: /root of a home directory/ },
  { description: "an rsync daemon module's root is fine (its administrator set it aside)", source: '/var/www', target: { kind: 'rsyncd', address: 'nas::mirror', host: 'nas', module: 'mirror', dir: '' }, refused: null },
];

describe('refusedTarget', () => {
  for (const c of cases) {
    it(c.description, () => {
      const refused = refusedTarget({ source: c.source, written: c.target, homes: HOMES });
      if (c.refused === null) expect(refused).toBeNull();
      else expect(refused).toMatch(c.refused);
    });
  }
});
