// Hostile names against an rsyncssh target over the loopback sshd, across every watcher kind:
// the tests of local-hostile-names.test.ts (support/hostile-names.ts) but one mirror per name. Over ssh a name
// crosses two more parsers, the remote shell (never: names travel NUL-separated on stdin, to
// xargs) and the remote rsync (never: --from0 lists, protected args), so a payload that ran
// would leave its file in the remote user's home, which is checked as well.
import { afterAll, beforeAll } from 'vitest';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { describeHostileNames } from './support/hostile-names';
import { startRemoteMirror } from './support/remote-mirror';

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());

describeHostileNames('rsyncssh mirror', (options) => startRemoteMirror({ sshd, ...options }), {
  convergeMs: 20_000,
  payloadPlaces: () => [sshd.home],
  // Every name still crosses ssh in the directory-full test (each watcher) and the comment-name test.
  onePerName: false,
});
