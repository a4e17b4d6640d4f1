// The hard cases of LSYNCD.md against a local target (default.rsync): the cases themselves are
// in support/hard-cases.ts, shared with remote-hard-cases.test.ts.
import { describeHardCases } from './support/hard-cases';
import { startLocalMirror } from './support/local-mirror';

describeHardCases('local mirror', startLocalMirror);
