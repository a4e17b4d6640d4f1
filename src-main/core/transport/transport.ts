import type { Outcome, Plan } from '../../../src-shared/model/sync';

/**
 * How a session reaches its target. The local and SSH transports differ only here: a session
 * hands over a plan and gets an Outcome back, and never learns how the bytes travelled.
 */
export interface Transport {
  /** How logs name the target: "/srv/mirror/" or "host:/srv/mirror/". */
  readonly description: string;
  /** The recursive startup sync; `deleteExtraneous` removes what only the target has. */
  startupSync(options: { deleteExtraneous: boolean }): Promise<Outcome>;
  apply(plan: Plan): Promise<Outcome>;
  close(): Promise<void>;
}
