// The mass-delete breaker at its defaults on an rsyncssh target over the loopback sshd
// (support/breaker-suite.ts): the window's directory of the trash, the dry runs and the pull all
// go through the one master connection.
import { afterAll, beforeAll } from 'vitest';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { describeBreaker } from './support/breaker-suite';
import { startRemoteMirror } from './support/remote-mirror';
import { safetyKit } from './support/safety-kit';

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());

describeBreaker('rsyncssh mirror', safetyKit((options) => startRemoteMirror({ sshd, ...options }), 30_000));
