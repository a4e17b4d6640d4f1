import type { SyncConfig } from '../../../src-main/core/config/model';
import type { LocalMirror } from './local-mirror';

/** A sync{} as the integration tests use it: delay 0, deletes on, nothing excluded, `fields` on top. */
export function testSync(fields: Pick<SyncConfig, 'source' | 'target'> & Partial<SyncConfig>): SyncConfig {
  return {
    kind: fields.target.kind === 'ssh' ? 'rsyncssh' : 'rsync',
    delay: 0,
    maxDelays: 1000,
    maxProcesses: 1,
    delete: true,
    init: true,
    filters: [],
    rsync: { binary: 'rsync', flags: {}, values: {}, extra: [] },
    ssh: { binary: 'ssh', options: {}, extra: [] },
    origin: { file: '<test>', line: 1 },
    ...fields,
  };
}

/** Polls a mirror's state until it is `kind` (20 s at most); returns the state's reason, if any. */
export async function stateBecomes(m: Pick<LocalMirror, 'runner'>, kind: string): Promise<string> {
  for (const started = Date.now(); Date.now() - started < 20_000; ) {
    const state = m.runner.state;
    if (state.kind === kind) return 'reason' in state ? state.reason : '';
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`the target never became ${kind} (it is ${JSON.stringify(m.runner.state)})`);
}
