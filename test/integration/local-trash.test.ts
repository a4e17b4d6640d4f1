// trash = true on a local target (support/trash-suite.ts).
import { describeTrash } from './support/trash-suite';
import { startLocalMirror } from './support/local-mirror';

describeTrash('local mirror', startLocalMirror);
