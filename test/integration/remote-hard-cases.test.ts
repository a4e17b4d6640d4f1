// The hard cases of LSYNCD.md against an rsyncssh target over the loopback sshd: the same cases
// as local-hard-cases.test.ts (support/hard-cases.ts), with renames made remotely by `mv -T`
// through the master connection and content and deletes by rsync over it.
import { afterAll, beforeAll } from 'vitest';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { describeHardCases } from './support/hard-cases';
import { startRemoteMirror } from './support/remote-mirror';

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());

describeHardCases('rsyncssh mirror', (options) => startRemoteMirror({ sshd, ...options }), { convergeMs: 20_000 });
