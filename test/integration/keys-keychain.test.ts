// KeytarStore against a real Secret Service (gnome-keyring under dbus-run-session).
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { withKeyringSession } from '../fixtures/keyring';
import { KeytarStore } from '../../src-main/keys/keytar-store';

const run = promisify(execFile);

describe('KeytarStore', () => {
  it('sets, gets, lists (names only), replaces and deletes under the service "tidemark"', async () => {
    await withKeyringSession(async (session) => {
      const store = new KeytarStore();
      expect(store.kind).toBe('keychain');
      expect(await store.get('key:a')).toBeNull();
      await store.set('key:a', 'first');
      await store.set('key:b', 'second');
      await store.set('key:a', 'third');
      expect(await store.get('key:a')).toBe('third');
      expect(await store.list()).toEqual(['key:a', 'key:b']);
      const { stdout } = await run('secret-tool', ['lookup', 'service', 'tidemark', 'account', 'key:b'], { env: { ...process.env, ...session.env } });
      expect(stdout).toBe('second');
      expect(await store.delete('key:a')).toBe(true);
      expect(await store.delete('key:a')).toBe(false);
      expect(await store.list()).toEqual(['key:b']);
    });
  });
});
