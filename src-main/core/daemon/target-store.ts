import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { FsEvent, Plan, RelPath } from '../../../src-shared/model/sync';
import { withoutNested } from '../plan/merge';
import type { DeleteWindowState } from '../safety/delete-window';
import { keepRulesFile } from '../safety/keep-rules';

/** Deletions the breaker holds back while everything else flows (`breaker.json`). */
export interface HoldRecord {
  /** The held batches' paths (as planned, deletes on): what a decision to delete mirrors. */
  readonly sync: readonly RelPath[];
  /** Why it tripped, for the log and the status. */
  readonly reason: string;
}

/** The breaker's state across restarts: its open window and what it holds. */
export interface BreakerRecord {
  readonly window: DeleteWindowState | null;
  readonly hold: HoldRecord | null;
}

/**
 * What one target remembers across restarts, in its own directory: the entries the user chose
 * to keep (and their rsync exclude rules), and the journal of plans not shipped yet. Without a
 * directory (tests, a one-off check) it remembers in memory only.
 */
export class TargetStore {
  #kept: RelPath[];
  #journal: Plan[];
  #events: FsEvent[];
  #breaker: BreakerRecord;

  constructor(readonly dir: string | null) {
    if (dir) mkdirSync(dir, { recursive: true, mode: 0o700 });
    this.#kept = this.#read('kept', (bytes) => bytes.toString('latin1').split('\0').filter((path) => path !== ''), []);
    // The rules are derived from the list: rebuilt at every start, so a crash between the two
    // writes (or a lost rules file) never leaves a kept entry unprotected.
    if (this.#kept.length > 0) this.#saveKept();
    const journal = this.#read('journal.json', (bytes) => parseJournal(bytes.toString('utf8')), { plans: [], events: [] });
    this.#journal = journal.plans;
    this.#events = journal.events;
    this.#breaker = this.#read('breaker.json', (bytes) => parseBreaker(bytes.toString('utf8')), { window: null, hold: null });
  }

  get breaker(): BreakerRecord {
    return this.#breaker;
  }

  /** Records the breaker's window and hold (at once: a hold must survive a crash). */
  saveBreaker(record: BreakerRecord): void {
    this.#breaker = record;
    if (!this.dir) return;
    if (!record.window && !record.hold) rmSync(join(this.dir, 'breaker.json'), { force: true });
    else this.#write('breaker.json', Buffer.from(JSON.stringify({ version: 1, ...record })));
  }

  /** The directory of a target below `base`, named by what it mirrors. */
  static dirFor(base: string, source: string, target: string): string {
    const digest = createHash('sha256').update(`${source}\0${target}`).digest('hex').slice(0, 16);
    return join(base, 'targets', digest);
  }

  /** $TIDEMARK_STATE_DIR, else $XDG_STATE_HOME/tidemark, else ~/.local/state/tidemark. */
  static defaultBase(env: NodeJS.ProcessEnv = process.env): string {
    if (env.TIDEMARK_STATE_DIR) return env.TIDEMARK_STATE_DIR;
    return join(env.XDG_STATE_HOME || join(homedir(), '.local', 'state'), 'tidemark');
  }

  get kept(): readonly RelPath[] {
    return this.#kept;
  }

  keep(paths: readonly RelPath[]): void {
    this.#kept = withoutNested([...this.#kept, ...paths]);
    this.#saveKept();
  }

  /** Lets kept entries sync again ('all', or the listed ones and what lies below them). */
  release(paths: readonly RelPath[] | 'all'): number {
    const before = this.#kept.length;
    this.#kept = paths === 'all' ? [] : this.#kept.filter((kept) => !paths.some((path) => kept === path || kept.startsWith(`${path}/`)));
    this.#saveKept();
    return before - this.#kept.length;
  }

  /** The merge file of exclude rules for the kept entries, or null when none are kept. */
  rulesFile(): string | null {
    if (this.#kept.length === 0) return null;
    if (!this.dir) throw new Error('kept entries need a state directory');
    return join(this.dir, 'kept.rules');
  }

  get journal(): readonly Plan[] {
    return this.#journal;
  }

  /** Events seen but not batched yet (in the `delay` window) when the journal was last written. */
  get journalEvents(): readonly FsEvent[] {
    return this.#events;
  }

  /**
   * What the journal says the user removed before the process ended: its deletes and the old
   * names of its renames (plans and unbatched events). Found only on the target, they are the
   * user's own changes not shipped yet, not target-only files.
   */
  journaledDeletes(): RelPath[] {
    return [
      ...this.#journal.flatMap((plan) => [...(plan.allowDelete ? plan.deletes : []), ...plan.moves.map((move) => move.from)]),
      ...this.#events.flatMap((event) => (event.kind === 'delete' ? [event.path] : event.kind === 'move' ? [event.from] : [])),
    ];
  }

  /**
   * The files the journal says the user changed in the source, exactly (never what lies below a
   * listed directory): a differing copy of one on the target is the interrupted transfer's.
   */
  journaledChanges(): RelPath[] {
    return [
      ...this.#journal.flatMap((plan) => (plan.full ? [] : [...plan.sync, ...plan.moves.map((move) => move.to)])),
      ...this.#events.flatMap((event) => (event.kind === 'overflow' || event.kind === 'delete' ? [] : [event.path])),
    ];
  }

  /** Records the plans not shipped yet and the events not batched yet, in one write (Journal). */
  writeAll(plans: readonly Plan[], events: readonly FsEvent[]): void {
    this.#journal = [...plans];
    this.#events = [...events];
    this.#saveJournal();
  }

  #saveJournal(): void {
    if (!this.dir) return;
    if (this.#journal.length === 0 && this.#events.length === 0) rmSync(join(this.dir, 'journal.json'), { force: true });
    else this.#write('journal.json', Buffer.from(JSON.stringify({ version: 1, plans: this.#journal, events: this.#events })));
  }

  #saveKept(): void {
    if (!this.dir) return;
    this.#write('kept', Buffer.from(this.#kept.map((path) => `${path}\0`).join(''), 'latin1'));
    this.#write('kept.rules', keepRulesFile(this.#kept));
  }

  /** Whole or not at all: a crash mid-write leaves the previous file. */
  #write(name: string, bytes: Buffer): void {
    const path = join(this.dir!, name);
    writeFileSync(`${path}.tmp`, bytes, { mode: 0o600 });
    renameSync(`${path}.tmp`, path);
  }

  #read<T>(name: string, parse: (bytes: Buffer) => T, fallback: T): T {
    if (!this.dir) return fallback;
    try {
      return parse(readFileSync(join(this.dir, name)));
    } catch {
      return fallback;
    }
  }
}

function parseJournal(text: string): { plans: Plan[]; events: FsEvent[] } {
  const data = JSON.parse(text) as { version?: number; plans?: unknown; events?: unknown };
  if (data.version !== 1 || !Array.isArray(data.plans)) return { plans: [], events: [] };
  return { plans: data.plans.filter(isPlan), events: Array.isArray(data.events) ? data.events.filter(isEvent) : [] };
}

function parseBreaker(text: string): BreakerRecord {
  const data = JSON.parse(text) as { version?: number; window?: Partial<DeleteWindowState> | null; hold?: Partial<HoldRecord> | null };
  if (data.version !== 1) return { window: null, hold: null };
  const strings = (list: unknown): list is string[] => Array.isArray(list) && list.every((item) => typeof item === 'string');
  const w = data.window;
  const window = w && typeof w.stamp === 'string' && !w.stamp.includes('/') && strings(w.deleted) && typeof w.purge === 'boolean' && [w.openedAt, w.lastDeleteAt, w.baseline, w.counted].every((n) => typeof n === 'number')
    ? (w as DeleteWindowState)
    : null;
  const h = data.hold;
  const hold = h && strings(h.sync) && typeof h.reason === 'string' ? { sync: h.sync, reason: h.reason } : null;
  return { window, hold };
}

const EVENT_KINDS = new Set(['create', 'modify', 'attrib', 'delete', 'move', 'overflow']);

function isEvent(value: unknown): value is FsEvent {
  const event = value as Partial<Record<string, unknown>> | null;
  if (typeof event !== 'object' || event === null || !EVENT_KINDS.has(event.kind as string) || typeof event.path !== 'string') return false;
  return event.kind !== 'move' || typeof event.from === 'string';
}

function isPlan(value: unknown): value is Plan {
  const plan = value as Partial<Plan> | null;
  const strings = (list: unknown) => Array.isArray(list) && list.every((item) => typeof item === 'string');
  return (
    typeof plan === 'object' && plan !== null && typeof plan.full === 'boolean' && typeof plan.allowDelete === 'boolean' &&
    strings(plan.sync) && strings(plan.deletes) && Array.isArray(plan.moves) &&
    plan.moves.every((move) => typeof move?.from === 'string' && typeof move.to === 'string' && typeof move.entry === 'string')
  );
}
