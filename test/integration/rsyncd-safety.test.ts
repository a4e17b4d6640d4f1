// The safety layer and the trash against an rsync daemon target: the same cases as the local
// and rsyncssh suites (support/safety-suite.ts, support/trash-suite.ts), with every dry run,
// stat, pull, trash move and prune made over the daemon protocol (no shell on the other side).
import { afterAll, beforeAll } from 'vitest';
import { startRsyncd, type RsyncdFixture } from '../fixtures/rsyncd';
import { startRsyncdMirror } from './support/rsyncd-mirror';
import { describeSafety } from './support/safety-suite';
import { describeTrash } from './support/trash-suite';

let rsyncd: RsyncdFixture;
beforeAll(async () => {
  rsyncd = await startRsyncd();
}, 30_000);
afterAll(async () => rsyncd?.dispose());

describeSafety('rsyncd mirror', (options) => startRsyncdMirror({ rsyncd, ...options }), { convergeMs: 20_000, targetMtimeSlackMs: 999, renames: 'transfer' });
describeTrash('rsyncd mirror', (options) => startRsyncdMirror({ rsyncd, ...options }), 20_000);
