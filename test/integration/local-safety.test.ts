// The safety layer (issue 6) against a local target (default.rsync): the cases themselves are
// in support/safety-suite.ts and support/safety-live-suite.ts, shared with remote-safety.test.ts.
import { describeSafety } from './support/safety-suite';
import { startLocalMirror } from './support/local-mirror';

describeSafety('local mirror', startLocalMirror);
