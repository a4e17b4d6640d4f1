// trash = true on an rsyncssh target over the loopback sshd (support/trash-suite.ts).
import { afterAll, beforeAll } from 'vitest';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { startRemoteMirror } from './support/remote-mirror';
import { describeTrash } from './support/trash-suite';

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());

describeTrash('rsyncssh mirror', (options) => startRemoteMirror({ sshd, ...options }), 20_000);
