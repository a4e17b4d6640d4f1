// A profile's sync through the editor's draft and back: unedited, it comes back as it was
// (keys the editor does not show included); each edit changes only its key; what does not parse
// is named by field.
import { describe, expect, it } from 'vitest';
import type { ProfileSync } from '../../src-shared/model/profile';
import { draftOfSync, pairingOf, syncOfDraft, type SyncDraft } from '../../src-renderer/features/profiles/sync-draft';
import { profileNameProblem, suggestedName } from '../../src-renderer/features/profiles/profile-name';

/** A local sync with only what the wizard writes. */
const local: ProfileSync = { source: '/srv/www', target: { kind: 'local', dir: '/backup/www' } };
/** A paired ssh sync with keys the editor does not show (bwlimit, ssh options, init). */
const paired: ProfileSync = {
  kind: 'rsyncssh',
  source: '/srv/www',
  target: { kind: 'ssh', host: 'example.org', user: 'deploy', port: 2222, dir: '/var/www', keyName: 'site', knownHosts: '/home/me/.config/tidemark/known_hosts' },
  delay: 5,
  delete: 'startup',
  init: false,
  filters: ['+ keep.tmp', '- *.tmp'],
  rsync: { compress: true, bwlimit: 2000, perms: false },
  ssh: { options: { ServerAliveInterval: '10' } },
  reconcile: 'trash',
  maxDeletes: false,
  maxDeletePercent: 20,
  trash: true,
  trashDays: 7,
};

function edit(sync: ProfileSync, change: Partial<SyncDraft>): ReturnType<typeof syncOfDraft> {
  return syncOfDraft(sync, { ...draftOfSync(sync), ...change });
}

describe('syncOfDraft', () => {
  for (const [description, sync] of [['a local sync', local], ['a paired ssh sync with keys the editor does not show', paired]] as const) {
    it(`${description} comes back unchanged when nothing is edited`, () => expect(edit(sync, {})).toEqual({ ok: true, sync }));
  }

  const cases: { description: string; sync: ProfileSync; change: Partial<SyncDraft>; expected: Partial<ProfileSync> & Record<string, unknown> }[] = [
    { description: 'a delay', sync: local, change: { delay: '3' }, expected: { ...local, delay: 3 } },
    { description: 'an exclude added', sync: paired, change: { filters: '+ keep.tmp\n- *.tmp\n- /cache/' }, expected: { ...paired, filters: ['+ keep.tmp', '- *.tmp', '- /cache/'] } },
    { description: 'every filter removed', sync: paired, change: { filters: '\n' }, expected: { ...paired, filters: undefined } },
    { description: 'delete never', sync: local, change: { deleteMode: 'false' }, expected: { ...local, delete: false } },
    { description: 'permissions back on (the default: not stored)', sync: paired, change: { perms: true }, expected: { ...paired, rsync: { compress: true, bwlimit: 2000 } } },
    { description: 'compress on, owner on', sync: local, change: { compress: true, owner: true }, expected: { ...local, rsync: { compress: true, owner: true } } },
    { description: 'the breaker limits back to their defaults', sync: paired, change: { maxDeletes: { off: false, text: '' }, maxDeletePercent: { off: false, text: '' } }, expected: { ...paired, maxDeletes: undefined, maxDeletePercent: undefined } },
    { description: 'a share limit off', sync: local, change: { maxDeletePercent: { off: true, text: '' } }, expected: { ...local, maxDeletePercent: false } },
    { description: 'reconcile ask, explicit before', sync: paired, change: { reconcile: 'ask' }, expected: { ...paired, reconcile: 'ask' } },
    { description: 'trash on with its days', sync: local, change: { trash: true, trashDays: '14' }, expected: { ...local, trash: true, trashDays: 14 } },
    { description: 'the ssh port cleared, the key and pin kept', sync: paired, change: { sshPort: '' }, expected: { ...paired, target: { kind: 'ssh', host: 'example.org', user: 'deploy', dir: '/var/www', keyName: 'site', knownHosts: '/home/me/.config/tidemark/known_hosts' } } },
    { description: 'an ssh sync moved to a local folder loses rsyncssh', sync: paired, change: { targetKind: 'local', localDir: '/backup/www' }, expected: { ...paired, kind: undefined, target: { kind: 'local', dir: '/backup/www' } } },
  ];
  for (const { description, sync, change, expected } of cases) {
    it(description, () => {
      const result = edit(sync, change);
      const wanted = Object.fromEntries(Object.entries(expected).filter(([, value]) => value !== undefined));
      expect(result).toEqual({ ok: true, sync: wanted });
    });
  }

  const refusals: { description: string; sync: ProfileSync; change: Partial<SyncDraft>; problems: Record<string, string | RegExp> }[] = [
    { description: 'a relative source', sync: local, change: { source: 'www' }, problems: { source: 'must be an absolute path (starting with /)' } },
    { description: 'an empty target folder', sync: local, change: { localDir: ' ' }, problems: { localDir: 'enter the target directory' } },
    { description: 'a user in the host', sync: paired, change: { sshHost: 'me@example.org' }, problems: { sshHost: /no spaces, @ or \// } },
    { description: 'a port out of range', sync: paired, change: { sshPort: '70000' }, problems: { sshPort: 'must be at most 65535' } },
    { description: 'a filter that is no rule', sync: local, change: { filters: '*.tmp' }, problems: { filters: /^Line 1 \('\*\.tmp'\) is not a rule/ } },
    { description: 'a negative delay and a fractional count', sync: local, change: { delay: '-1', maxDeletes: { off: false, text: '2.5' } }, problems: { delay: 'must be at least 0', maxDeletes: 'enter a whole number' } },
  ];
  for (const { description, sync, change, problems } of refusals) {
    it(`refuses ${description}`, () => {
      const result = edit(sync, change);
      expect(result.ok).toBe(false);
      if (result.ok) return;
      expect(Object.keys(result.problems).sort()).toEqual(Object.keys(problems).sort());
      for (const [field, message] of Object.entries(problems)) expect(result.problems[field as keyof typeof result.problems]).toMatch(message);
    });
  }
});

describe('draftOfSync and pairingOf', () => {
  it('shows the defaults as the profile file means them', () => {
    expect(draftOfSync(local)).toMatchObject({ deleteMode: 'true', perms: true, owner: false, compress: false, reconcile: 'ask', trash: false, delay: '', maxDeletes: { off: false, text: '' } });
  });
  it('gives the key and pin of a paired target only', () => {
    expect(pairingOf(paired)).toEqual({ keyName: 'site', knownHosts: '/home/me/.config/tidemark/known_hosts' });
    expect(pairingOf(local)).toEqual({ keyName: null, knownHosts: null });
  });
});

describe('profile names', () => {
  const cases = [
    { name: 'site', problem: null },
    { name: '', problem: 'is empty: give the profile a name' },
    { name: 'site.json', problem: 'must not end in .json' },
    { name: '-site', problem: /must start with a letter or digit/ },
    { name: 'my site', problem: /only letters, digits/ },
    { name: 'x'.repeat(65), problem: 'is longer than 64 characters' },
  ];
  for (const { name, problem } of cases) it(JSON.stringify(name), () => (problem === null ? expect(profileNameProblem(name)).toBeNull() : expect(profileNameProblem(name)).toMatch(problem)));
  it('suggests a name from a file name', () => {
    expect(suggestedName('lsyncd.conf.lua')).toBe('lsyncd');
    expect(suggestedName('My Site.lua')).toBe('My-Site');
    expect(suggestedName('_backup.lua')).toBe('backup');
  });
});
