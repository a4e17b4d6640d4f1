// Hostile names against a local target (default.rsync), across every watcher kind: the tests
// themselves are in support/hostile-names.ts, shared with remote-hostile-names.test.ts.
import { describeHostileNames } from './support/hostile-names';
import { startLocalMirror } from './support/local-mirror';

describeHostileNames('local mirror', startLocalMirror);
