// The profile store on a real temporary XDG_CONFIG_HOME: round trips, modes, atomic writes,
// listing broken files, renames that never clobber, and names that are paths.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultProfilesDir, ProfileStore, ProfileStoreError } from '../../../../src-main/services/profiles/profile-store';
import { ProfileError } from '../../../../src-main/services/profiles/profile-parse';

let base: string | undefined;
afterEach(async () => {
  if (base) await rm(base, { recursive: true, force: true });
  base = undefined;
});

/** A store in a fresh temporary XDG_CONFIG_HOME. */
async function freshStore(): Promise<ProfileStore> {
  base = await mkdtemp(join(tmpdir(), 'tidemark-profiles-'));
  return new ProfileStore(defaultProfilesDir({ XDG_CONFIG_HOME: join(base, 'config') }, join(base, 'home')));
}

const site = { enabled: true, syncs: [{ source: '/srv/www', target: { kind: 'ssh', host: 'example.org', user: 'deploy', port: 2222, dir: '/var/www', keyName: 'site', knownHosts: '/home/u/.config/tidemark/known_hosts' }, reconcile: 'trash' }] };

/** The error a promise rejects with. */
async function rejection(promise: Promise<unknown>): Promise<Error> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: Error) => error,
  );
}

describe('where profiles live', () => {
  it('is $XDG_CONFIG_HOME/tidemark/profiles, else ~/.config/tidemark/profiles (a relative XDG_CONFIG_HOME is ignored)', () => {
    expect(defaultProfilesDir({ XDG_CONFIG_HOME: '/x/config' }, '/home/u')).toBe('/x/config/tidemark/profiles');
    expect(defaultProfilesDir({}, '/home/u')).toBe('/home/u/.config/tidemark/profiles');
    expect(defaultProfilesDir({ XDG_CONFIG_HOME: 'config' }, '/home/u')).toBe('/home/u/.config/tidemark/profiles');
  });
});

describe('ProfileStore', () => {
  it('saves and reads back the same profile, 0600 in a 0700 directory, leaving no temporary file', async () => {
    const store = await freshStore();
    expect(await store.list()).toEqual([]);
    await store.save('site', site);
    expect(await store.get('site')).toEqual(site);
    expect((await stat(store.fileOf('site'))).mode & 0o777).toBe(0o600);
    expect((await stat(store.dir)).mode & 0o777).toBe(0o700);
    expect(await readdir(store.dir)).toEqual(['site.json']);
    expect(await store.list()).toEqual([{ name: 'site', kind: 'ok', profile: site }]);
  });

  it('refuses to overwrite unless asked, and then replaces the file whole', async () => {
    const store = await freshStore();
    await store.save('site', site);
    const error = await rejection(store.save('site', { ...site, enabled: false }));
    expect(error).toBeInstanceOf(ProfileStoreError);
    expect(error.message).toMatch(/a profile named 'site' exists already/);
    await store.save('site', { ...site, enabled: false }, { overwrite: true });
    expect((await store.get('site')).enabled).toBe(false);
  });

  it('never writes an invalid profile', async () => {
    const store = await freshStore();
    const error = await rejection(store.save('site', { ...site, syncs: [{ source: 'relative', target: { kind: 'local', dir: '/d' } }] }));
    expect(error).toBeInstanceOf(ProfileError);
    expect(error.message).toBe('site.json: $.syncs[0].source: must be an absolute path (starting with /)');
    expect(await store.exists('site')).toBe(false);
  });

  it('lists a broken file with its error instead of failing, and ignores other files', async () => {
    const store = await freshStore();
    await store.save('good', site);
    await writeFile(join(store.dir, 'broken.json'), '{"enabled": "yes", "syncs": []}');
    await writeFile(join(store.dir, 'notes.txt'), 'not a profile');
    await writeFile(join(store.dir, '.hidden.json'), '{}');
    const listing = await store.list();
    expect(listing.map((entry) => [entry.name, entry.kind])).toEqual([['broken', 'invalid'], ['good', 'ok']]);
    const broken = listing[0];
    expect(broken?.kind === 'invalid' ? broken.error.message : '').toMatch(/^broken\.json: \$\.enabled: must be true or false/);
  });

  it('renames without ever replacing another profile, and deletes', async () => {
    const store = await freshStore();
    await store.save('a', site);
    await store.save('b', { ...site, enabled: false });
    expect((await rejection(store.rename('a', 'b'))).message).toMatch(/a profile named 'b' exists already/);
    expect((await store.get('b')).enabled).toBe(false);
    await store.rename('a', 'c');
    expect((await store.list()).map((entry) => entry.name)).toEqual(['b', 'c']);
    expect((await rejection(store.rename('a', 'd'))).message).toMatch(/no profile named 'a' to rename/);
    await store.delete('c');
    expect((await rejection(store.delete('c'))).message).toMatch(/no profile named 'c' to delete/);
    expect((await rejection(store.get('c'))).message).toMatch(/^no profile named 'c' \(profiles live in .*tidemark\/profiles; tidemark profiles lists them\)$/);
  });

  it('refuses names that are paths in every operation, touching nothing outside the directory', async () => {
    const store = await freshStore();
    await mkdir(store.dir, { recursive: true });
    for (const name of ['../escape', '/etc/passwd', '..', '.hidden', 'a/b']) {
      for (const attempt of [store.save(name, site), store.get(name), store.delete(name), store.rename(name, 'x'), store.rename('x', name)]) {
        const error = await rejection(attempt);
        expect(error).toBeInstanceOf(ProfileStoreError);
        expect((error as ProfileStoreError).code).toBe('bad-name');
      }
      expect(await store.exists(name)).toBe(false);
    }
    expect(await readdir(base!)).toEqual(['config']);
  });
});
