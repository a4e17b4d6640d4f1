// Keys on real files: the opt-in file store's modes, KeyService's create/list/rename/delete, and
// fingerprints proven against the real ssh-keygen.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { chmod, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { FileStore } from '../../src-main/keys/file-store';
import { KeyError, KeyService } from '../../src-main/keys/key-service';
import { SecretStoreError } from '../../src-main/keys/secret-store';

const run = promisify(execFile);
let base: string;

/** A KeyService whose every store is a FileStore in `storeDir`. */
function service(storeDir = join(base, 'state', 'keys')): { keys: KeyService; store: FileStore; configDir: string } {
  const store = new FileStore(storeDir);
  const configDir = join(base, 'config', 'keys');
  return { keys: new KeyService({ configDir, storeFor: () => store, now: () => new Date('2026-01-02T03:04:05Z') }), store, configDir };
}

const mode = async (path: string) => (await stat(path)).mode & 0o777;

beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'tidemark-keys-'));
});
afterEach(() => rm(base, { recursive: true, force: true }));

describe('FileStore', () => {
  it('keeps each secret in a 0600 file of a 0700 directory, and lists, replaces and deletes them', async () => {
    const dir = join(base, 'state', 'keys');
    const store = new FileStore(dir);
    expect(await store.get('key:a')).toBeNull();
    await store.set('key:a', 'secret-one');
    await store.set('key:b', 'secret-two');
    await store.set('key:a', 'secret-three');
    expect(await mode(dir)).toBe(0o700);
    expect(await mode(join(dir, 'key:a'))).toBe(0o600);
    expect(await store.get('key:a')).toBe('secret-three');
    expect(await store.list()).toEqual(['key:a', 'key:b']);
    expect(await store.delete('key:a')).toBe(true);
    expect(await store.delete('key:a')).toBe(false);
    expect(await readdir(dir)).toEqual(['key:b']);
  });

  it('narrows a directory made too wide, and refuses traversal in an account', async () => {
    const dir = join(base, 'wide');
    await mkdir(dir, { mode: 0o755 });
    await chmod(dir, 0o755);
    const store = new FileStore(dir);
    await store.set('key:x', 's');
    expect(await mode(dir)).toBe(0o700);
    for (const account of ['../escape', 'a/b', '.hidden', '']) {
      await expect(store.set(account, 's')).rejects.toBeInstanceOf(SecretStoreError);
    }
    expect(await readdir(base)).toEqual(['wide']);
  });
});

describe('KeyService', () => {
  it('makes a key whose fingerprint is what ssh-keygen -l prints, and whose secret is only in the store', async () => {
    const { keys, store, configDir } = service();
    const info = await keys.create('work', { store: 'file', comment: 'me@laptop' });
    const { stdout } = await run('ssh-keygen', ['-lf', join(configDir, 'work.pub')]);
    expect(info.fingerprint).toBe(stdout.trim());
    expect(await keys.fingerprint('work')).toBe(stdout.trim());
    expect(info).toMatchObject({ name: 'work', comment: 'me@laptop', store: 'file', encrypted: false, created: '2026-01-02T03:04:05.000Z' });
    expect(await readdir(configDir)).toEqual(['work.json', 'work.pub']);
    expect(await keys.exportPublic('work')).toMatch(/^ssh-ed25519 AAAA\S+ me@laptop$/);
    expect(await readFile(join(configDir, 'work.json'), 'utf8')).not.toContain('PRIVATE');
    expect(await store.get('key:work')).toContain('BEGIN OPENSSH PRIVATE KEY');
    // ssh-keygen reads the stored private key and derives the same public key.
    const priv = join(base, 'check');
    await writeFile(priv, (await store.get('key:work'))!, { mode: 0o600 });
    expect((await run('ssh-keygen', ['-y', '-f', priv])).stdout.split(' ').slice(0, 2)).toEqual((await keys.exportPublic('work')).split(' ').slice(0, 2));
  });

  it('prints "no comment" as ssh-keygen does for an empty comment', async () => {
    const { keys, configDir } = service();
    const info = await keys.create('bare', { store: 'file', comment: '' });
    expect(info.fingerprint).toBe((await run('ssh-keygen', ['-lf', join(configDir, 'bare.pub')])).stdout.trim());
    expect(info.fingerprint).toMatch(/^256 SHA256:\S{43} no comment \(ED25519\)$/);
  });

  it('encrypts with a passphrase: unlock needs it, ssh-keygen agrees, a wrong one is refused', async () => {
    const { keys, store } = service();
    await keys.create('locked', { store: 'file', passphrase: 'correct horse' });
    expect((await keys.get('locked')).encrypted).toBe(true);
    await expect(keys.unlock('locked')).rejects.toMatchObject({ kind: 'passphrase-needed' });
    await expect(keys.unlock('locked', 'wrong')).rejects.toMatchObject({ kind: 'bad-passphrase' });
    const unlocked = await keys.unlock('locked', 'correct horse');
    expect(unlocked.key.type).toBe('ssh-ed25519');
    const priv = join(base, 'locked');
    await writeFile(priv, (await store.get('key:locked'))!, { mode: 0o600 });
    expect((await run('ssh-keygen', ['-y', '-P', 'correct horse', '-f', priv])).stdout).toContain('ssh-ed25519 ');
    await expect(run('ssh-keygen', ['-y', '-P', '', '-f', priv])).rejects.toThrow();
  });

  it('lists, renames and deletes, moving the secret with the name', async () => {
    const { keys, store, configDir } = service();
    await keys.create('b-key', { store: 'file' });
    await keys.create('a-key', { store: 'file' });
    expect((await keys.list()).map((key) => key.name)).toEqual(['a-key', 'b-key']);
    const line = await keys.exportPublic('a-key');
    const secret = await store.get('key:a-key');
    const renamed = await keys.rename('a-key', 'c-key');
    expect(renamed.name).toBe('c-key');
    expect(await keys.exportPublic('c-key')).toBe(line);
    expect(await store.get('key:c-key')).toBe(secret);
    expect(await store.list()).toEqual(['key:b-key', 'key:c-key']);
    await expect(keys.rename('c-key', 'b-key')).rejects.toMatchObject({ kind: 'exists' });
    await keys.delete('b-key');
    expect((await keys.list()).map((key) => key.name)).toEqual(['c-key']);
    expect(await store.list()).toEqual(['key:c-key']);
    expect(await readdir(configDir)).toEqual(['c-key.json', 'c-key.pub']);
    await expect(keys.delete('b-key')).rejects.toMatchObject({ kind: 'not-found' });
  });

  it('refuses unsafe names and an existing name, writing nothing', async () => {
    const { keys, store } = service();
    await keys.create('taken', { store: 'file' });
    for (const name of ['../evil', 'a/b', '.hidden', '-rf', '', 'x'.repeat(65), 'a b']) {
      await expect(keys.create(name, { store: 'file' })).rejects.toMatchObject({ kind: 'bad-name' });
    }
    await expect(keys.create('taken', { store: 'file' })).rejects.toBeInstanceOf(KeyError);
    await expect(keys.rename('taken', '../out')).rejects.toMatchObject({ kind: 'bad-name' });
    expect(await store.list()).toEqual(['key:taken']);
    expect(await readdir(base)).toEqual(['config', 'state']);
  });

  it('leaves no .pub or .json behind when the store cannot keep the secret', async () => {
    // A real failure: the store's directory would have to live below a regular file.
    await writeFile(join(base, 'not-a-dir'), '');
    const { keys, configDir } = service(join(base, 'not-a-dir', 'keys'));
    await expect(keys.create('orphan', { store: 'file' })).rejects.toBeInstanceOf(SecretStoreError);
    await expect(readdir(configDir)).rejects.toMatchObject({ code: 'ENOENT' });
    expect(await keys.list()).toEqual([]);
  });

  it('takes the secret back out when the public files cannot be written', async () => {
    const { keys, store, configDir } = service();
    await mkdir(join(base, 'config'), { recursive: true });
    await writeFile(configDir, 'a file where the directory should be');
    await expect(keys.create('half', { store: 'file' })).rejects.toThrow();
    expect(await store.list()).toEqual([]);
  });
});
