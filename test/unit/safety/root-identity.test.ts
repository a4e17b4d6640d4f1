import { describe, expect, it } from 'vitest';
import { judgeRoot, type RootIdentity, type RootVerdict } from '../../../src-main/core/safety/root-identity';

const ROOT = '/var/www';
const STARTED: RootIdentity = { dev: 2049, ino: 131_072, birthtimeMs: 1_700_000_000_123.456 };

describe('judgeRoot', () => {
  const cases: { description: string; started?: RootIdentity; now: RootIdentity | null | 'file'; kind: RootVerdict['kind']; reason?: string }[] = [
    { description: 'the same directory', now: { ...STARTED }, kind: 'same' },
    { description: 'missing', now: null, kind: 'missing', reason: 'the source root /var/www is missing (deleted, moved or unmounted)' },
    { description: 'a file in its place', now: 'file', kind: 'not-a-directory', reason: 'the source root /var/www is no longer a directory' },
    { description: 'on another device', now: { ...STARTED, dev: 2050 }, kind: 'device-changed', reason: 'the source root /var/www is on another filesystem than at start (unmounted?)' },
    { description: 'another device wins over another inode', now: { dev: 2050, ino: 2, birthtimeMs: 0 }, kind: 'device-changed' },
    { description: 'another inode', now: { ...STARTED, ino: 131_073 }, kind: 'replaced', reason: 'the source root /var/www was replaced by another directory' },
    { description: 'the same inode reused, born later', now: { ...STARTED, birthtimeMs: STARTED.birthtimeMs + 1 }, kind: 'replaced' },
    { description: 'the same inode, birth time now unknown (0)', now: { ...STARTED, birthtimeMs: 0 }, kind: 'replaced' },
    { description: 'no birth time at start: only the inode counts', started: { ...STARTED, birthtimeMs: 0 }, now: { ...STARTED, birthtimeMs: 1_800_000_000_000 }, kind: 'same' },
    { description: 'no birth time on either side', started: { ...STARTED, birthtimeMs: 0 }, now: { ...STARTED, birthtimeMs: 0 }, kind: 'same' },
    { description: 'no birth time, another inode', started: { ...STARTED, birthtimeMs: 0 }, now: { ...STARTED, ino: 7, birthtimeMs: 0 }, kind: 'replaced' },
  ];
  for (const c of cases) {
    it(c.description, () => {
      const verdict = judgeRoot(ROOT, c.started ?? STARTED, c.now);
      expect(verdict.kind).toBe(c.kind);
      if (c.kind === 'same') expect(verdict).toEqual({ kind: 'same' });
      else expect(verdict).toHaveProperty('reason', c.reason ?? expect.stringContaining(ROOT));
    });
  }
});
