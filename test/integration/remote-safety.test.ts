// The safety layer (issue 6) against an rsyncssh target over the loopback sshd: the same cases
// as local-safety.test.ts (support/safety-suite.ts), with the dry runs, stats, pulls and trash
// moves made through the master connection.
import { afterAll, beforeAll } from 'vitest';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { describeSafety } from './support/safety-suite';
import { startRemoteMirror } from './support/remote-mirror';

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());

describeSafety('rsyncssh mirror', (options) => startRemoteMirror({ sshd, ...options }), { convergeMs: 20_000 });
