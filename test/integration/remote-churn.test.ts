// Seeded random churn against an rsyncssh target over the loopback sshd: renames made remotely
// in one call per batch, content and deletes by rsync through the master. Fewer seeds than
// local-churn.test.ts by default (2 seeds of 1,000 operations, inotify only, the breaker at its defaults), since each batch
// costs a round trip or two; the suite is the same (support/churn-suite.ts).
//
// Scale it up:  TIDEMARK_CHURN_SEEDS=20 TIDEMARK_CHURN_OPS=1000 npx vitest run --project integration test/integration/remote-churn.test.ts
// Replay one:   TIDEMARK_CHURN_SEED=7 TIDEMARK_CHURN_OPS=200 npx vitest run --project integration test/integration/remote-churn.test.ts -t 'inotify watcher'
import { afterAll, beforeAll } from 'vitest';
import { startSshd, type SshdFixture } from '../fixtures/sshd';
import { describeChurn } from './support/churn-suite';
import { startRemoteMirror } from './support/remote-mirror';

let sshd: SshdFixture;
beforeAll(async () => {
  sshd = await startSshd({ createUser: true });
}, 60_000);
afterAll(async () => sshd?.dispose());

describeChurn('rsyncssh mirror', (options) => startRemoteMirror({ sshd, ...options }), {
  file: 'test/integration/remote-churn.test.ts',
  seeds: 2,
  ops: 1000,
  otherWatchers: [],
  convergeMs: 40_000,
});
