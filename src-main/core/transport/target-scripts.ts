import type { Outcome, RelPath } from '../../../src-shared/model/sync';
import type { EntryStat } from '../safety/at-risk';
import { parseTargetStats, targetEmptyArgv, targetStatArgv, targetStatInput } from '../safety/target-stat';
import { listTrashArgv, parseTrashListing, pruneTrashArgv, removeStampArgv, type TrashEntry } from '../safety/trash-scripts';
import { parseTargetSpace, targetSpaceArgv, type TargetSpace } from '../safety/no-space';
import type { ProcessResult } from './process-runner';

/** Runs argv where the target is (here, or through the SSH master); an Outcome when it cannot. */
export type OnTarget = (argv: readonly string[], input?: Buffer) => Promise<ProcessResult | Outcome>;

/**
 * The small scripts the safety layer runs on a target, the same for a local and a remote one:
 * stat a list of entries, list the trash, prune it, read the free space. Their output is NUL-separated (latin1).
 */
export class TargetScripts {
  constructor(
    private readonly targetDir: string,
    private readonly label: string,
    private readonly onTarget: OnTarget,
  ) {}

  async stat(paths: readonly RelPath[]): Promise<Map<RelPath, EntryStat> | Outcome> {
    if (paths.length === 0) return new Map();
    const result = await this.onTarget(targetStatArgv(this.targetDir), targetStatInput(paths));
    if ('kind' in result) return result;
    return parseTargetStats(result.stdout);
  }

  /** Whether the target has no entry at all (or does not exist yet): nothing there is at risk. */
  async isEmpty(): Promise<boolean | Outcome> {
    const result = await this.onTarget(targetEmptyArgv(this.targetDir));
    if ('kind' in result) return result;
    if (result.exitCode === 3) return true;
    if (result.exitCode !== 0) return this.#failed('look into the target', result);
    return result.stdout === '';
  }

  async listTrash(): Promise<TrashEntry[] | Outcome> {
    const result = await this.onTarget(listTrashArgv(this.targetDir));
    if ('kind' in result) return result;
    if (result.exitCode !== 0 && result.exitCode !== 3) return this.#failed('list the trash', result);
    return parseTrashListing(result.stdout);
  }

  async pruneTrash(olderThanMs: number): Promise<Outcome> {
    const result = await this.onTarget(pruneTrashArgv(this.targetDir, olderThanMs));
    if ('kind' in result) return result;
    if (result.exitCode !== 0 && result.exitCode !== 3) return this.#failed('prune the trash', result);
    return { kind: 'ok', moved: 0, listed: 0 };
  }

  async removeStamp(stamp: string): Promise<Outcome> {
    const result = await this.onTarget(removeStampArgv(this.targetDir, stamp));
    if ('kind' in result) return result;
    if (result.exitCode !== 0 && result.exitCode !== 3) return this.#failed(`remove ${stamp} from the trash`, result);
    return { kind: 'ok', moved: 0, listed: 0 };
  }

  /** The target's physical directory and the bytes free there (`pwd -P`, `df -Pk`); null when unreadable. */
  async space(): Promise<TargetSpace | null> {
    const result = await this.onTarget(targetSpaceArgv(this.targetDir));
    if ('kind' in result || result.exitCode !== 0) return null;
    return parseTargetSpace(result.stdout);
  }

  #failed(what: string, result: ProcessResult): Outcome {
    return { kind: 'retry', reason: `${this.label}: could not ${what} (exit ${result.exitCode}): ${result.stderr.trim().split('\n').slice(-2).join(' | ')}` };
  }
}
