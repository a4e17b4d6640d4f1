// Seeded random churn against a local target (default.rsync), the mass-delete breaker at its
// defaults: 2 seeds of 1,000 operations with inotify, and the first seed with chokidar and poll too. The suite is support/churn-suite.ts,
// shared with remote-churn.test.ts.
//
// Scale it up:  TIDEMARK_CHURN_SEEDS=50 TIDEMARK_CHURN_OPS=2000 npx vitest run --project integration test/integration/local-churn.test.ts
// Replay one:   TIDEMARK_CHURN_SEED=7 TIDEMARK_CHURN_OPS=300 npx vitest run --project integration test/integration/local-churn.test.ts -t 'inotify watcher'
import { describeChurn } from './support/churn-suite';
import { startLocalMirror } from './support/local-mirror';

describeChurn('local mirror', startLocalMirror, {
  file: 'test/integration/local-churn.test.ts',
  seeds: 2,
  ops: 1000,
  otherWatchers: ['chokidar', 'poll'],
});
