// lsyncd 2.2.3's log line layout and the messages monitoring scripts parse, captured from a real
// `lsyncd -nodaemon -log all` run (see test/unit/report/log-format.test.ts for the samples).
// Pure: no node:* imports.
//
// Layout (lsyncd.c logstring0):
//   logfile: ctime() local time, day space-padded: `Tue Aug  2 04:57:54 2016 Normal: message`
//   console: strftime("%T"):                      `04:57:54 Normal: message`
// A message may span lines (`... excluding\n*.tmp`); lsyncd writes it as is, and so do we.
//
// Wording depends on the sync kind, because lsyncd's default.rsync uses default.collect while
// default.rsyncssh and default.direct have their own collect functions:
//   rsync:    `Startup of /src/ -> /dst/ finished.`   `Retrying a list after exitcode = 11`
//   rsyncssh: `Startup of "/src/" finished: 0`        `Retrying (list): 255`
// Tidemark ships direct syncs through rsync lists, so direct lists use the rsync wording; its
// startup lines use default.direct's (quoted) wording.

import type { FilterRule, SyncConfig, SyncKind, TargetSpec } from '../config/model';
import type { RelPath } from '../../../src-shared/model/sync';
import type { ExitClass } from '../transport/exit-codes';
import { printablePath, printableText } from './printable';

/**
 * lsyncd's categories that Tidemark writes. Normal, Warn and Error are shown by default; the
 * rest only with `-log all` or `-log NAME` (see log-filter.ts).
 */
export type LogCategory = 'Normal' | 'Warn' | 'Error' | 'Debug' | 'Exec' | 'Delay' | 'Inotify' | 'Statusfile';

/** One log record before it gets a timestamp: the level decision travels with the text. */
export interface LogEntry {
  readonly category: LogCategory;
  readonly message: string;
}

/** What the builders need to know about a sync to word its lines as lsyncd does. */
export type SyncRef = Pick<SyncConfig, 'kind' | 'source' | 'target'>;

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'] as const;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'] as const;

function two(n: number): string {
  return String(n).padStart(2, '0');
}

/** `HH:MM:SS` in local time (strftime "%T"). */
export function clockTime(at: Date): string {
  return `${two(at.getHours())}:${two(at.getMinutes())}:${two(at.getSeconds())}`;
}

/**
 * ctime(3) without its newline, in local time: `Wed Nov  5 13:22:49 2026`. The day of the month
 * is space-padded to two columns. Lua's os.date() (the status file's date) prints the same in
 * the C locale, which is lsyncd's.
 */
export function ctime(at: Date): string {
  const day = DAYS[at.getDay()] ?? '???';
  const month = MONTHS[at.getMonth()] ?? '???';
  return `${day} ${month} ${String(at.getDate()).padStart(2, ' ')} ${clockTime(at)} ${at.getFullYear()}`;
}

/** A logfile line, without the trailing newline: `Tue Aug 30 04:57:54 2016 Normal: message`. */
export function formatLogLine(at: Date, category: LogCategory, message: string): string {
  return `${ctime(at)} ${category}: ${message}`;
}

/** A console line (nodaemon), without the trailing newline: `04:57:54 Normal: message`. */
export function formatConsoleLine(at: Date, category: LogCategory, message: string): string {
  return `${clockTime(at)} ${category}: ${message}`;
}

/** lsyncd appends '/' to a path unless it already ends in '/' or ':' (a remote home dir). */
function withSlash(path: string): string {
  return path.endsWith('/') || path.endsWith(':') ? path : `${path}/`;
}

/** The source as lsyncd prints it: absolute, with a trailing slash. */
export function lsyncdSource(source: string): string {
  return printableText(withSlash(source));
}

/** The target as lsyncd prints it: `/dir/` or `host:dir/` (`host:` alone for the home dir), or the daemon address as written. */
export function lsyncdTarget(target: TargetSpec): string {
  if (target.kind === 'rsyncd') return printableText(withSlash(target.address));
  return printableText(target.kind === 'local' ? withSlash(target.dir) : withSlash(`${target.host}:${target.dir}`));
}

/** A path in a list line; directories get lsyncd's trailing slash when the caller knows them. */
export type ListedPath = RelPath | { readonly path: RelPath; readonly dir: boolean };

/** A RelPath as lsyncd lists event paths: relative to the source, with a leading slash. */
function eventPath(path: RelPath, dir = false): string {
  return path === '' ? '/' : `/${printablePath(path)}${dir ? '/' : ''}`;
}

const normal = (message: string): LogEntry => ({ category: 'Normal', message });
const error = (message: string): LogEntry => ({ category: 'Error', message });

/** lsyncd prints the number; a child killed by a signal has none, so the signal stands in. */
function codeText(exit: ExitClass | number): string {
  if (typeof exit === 'number') return String(exit);
  return exit.code !== null ? String(exit.code) : (exit.signal ?? 'none');
}

// --- Daemon lifecycle -------------------------------------------------------------------------

/** `--- Startup ---` (lsyncd adds `, daemonizing` when it forks; Tidemark never forks). */
export function startupBanner(): LogEntry {
  return normal('--- Startup ---');
}

/** `--- TERM signal, fading ---` on TERM or INT: running transfers finish, then exit. */
export function signalFading(signal: 'TERM' | 'INT'): LogEntry {
  return normal(`--- ${signal} signal, fading ---`);
}

/** `--- HUP signal, resetting ---`: reload and resync. */
export function hupResetting(): LogEntry {
  return normal('--- HUP signal, resetting ---');
}

/** `--- OVERFLOW in event queue ---`: events were lost, a full resync follows. */
export function queueOverflow(): LogEntry {
  return normal('--- OVERFLOW in event queue ---');
}

// --- Startup sync -----------------------------------------------------------------------------

/**
 * `recursive startup rsync: SRC -> TARGET`, followed by ` excluding\n` and one pattern per line
 * when every rule is an exclude, or by ` filtering\n` and one `+ pattern` / `- pattern` per line
 * otherwise (lsyncd's getExcludes / getFilters). Tidemark keeps the configured order.
 */
export function startupSync(sync: SyncRef, rules: readonly FilterRule[] = []): LogEntry {
  const head = `recursive startup rsync: ${lsyncdSource(sync.source)} -> ${lsyncdTarget(sync.target)}`;
  if (rules.length === 0) return normal(head);
  if (rules.every((rule) => rule.action === '-')) {
    return normal(`${head} excluding\n${rules.map((rule) => printableText(rule.pattern)).join('\n')}`);
  }
  return normal(`${head} filtering\n${rules.map((rule) => `${rule.action} ${printableText(rule.pattern)}`).join('\n')}`);
}

/** Tidemark only: a full-tree rsync while running (overflow, a batch too large to list). */
export function fullResync(sync: SyncRef, reason: string): LogEntry {
  return normal(`recursive full rsync: ${lsyncdSource(sync.source)} -> ${lsyncdTarget(sync.target)} (${printableText(reason)})`);
}

/** The startup sync succeeded: `Startup of /src/ -> /dst/ finished.` or `Startup of "/src/" finished: 0`. */
export function startupFinished(sync: SyncRef, exit: ExitClass | number): LogEntry {
  const source = lsyncdSource(sync.source);
  return sync.kind === 'rsync'
    ? normal(`Startup of ${source} -> ${lsyncdTarget(sync.target)} finished.`)
    : normal(`Startup of "${source}" finished: ${codeText(exit)}`);
}

/** The startup sync failed temporarily and `insist` is set: `Retrying startup of ...: 11`. */
export function startupRetrying(sync: SyncRef, exit: ExitClass | number): LogEntry {
  const source = lsyncdSource(sync.source);
  return sync.kind === 'rsync'
    ? normal(`Retrying startup of ${source} -> ${lsyncdTarget(sync.target)}: ${codeText(exit)}`)
    : normal(`Retrying startup of "${source}": ${codeText(exit)}`);
}

/** The startup sync failed temporarily and `insist` is not set: the sync stops. */
export function startupTerminating(sync: SyncRef): LogEntry {
  const source = lsyncdSource(sync.source);
  const what = sync.kind === 'rsync' ? `${source} -> ${lsyncdTarget(sync.target)}` : `"${source}"`;
  return error(`Temporary or permanent failure on startup of ${what}. Terminating since "insist" is not set.`);
}

/** The startup sync failed for good (halt, config): `Failure on startup of ...`. */
export function startupFailed(sync: SyncRef, exit: ExitClass | number): LogEntry {
  const source = lsyncdSource(sync.source);
  return sync.kind === 'rsync'
    ? error(`Failure on startup of ${source} -> ${lsyncdTarget(sync.target)}.`)
    : error(`Failure on startup of "${source}": ${codeText(exit)}`);
}

/** The startup line for a classified exit, as lsyncd's collect functions choose it. */
export function startupOutcome(sync: SyncRef, exit: ExitClass, insist: boolean): LogEntry {
  switch (exit.verdict) {
    case 'ok':
      return startupFinished(sync, exit);
    case 'retry':
    case 'retry-files':
      return insist ? startupRetrying(sync, exit) : startupTerminating(sync);
    case 'halt':
    case 'config':
      return startupFailed(sync, exit);
  }
}

// --- Lists (one rsync run for a batch) ------------------------------------------------------

/**
 * `Calling rsync with filter-list of new/modified files/dirs` and one path per line, each
 * relative to the source with a leading slash (`/sub/c.txt`, `/sub/` for a directory, `/` for
 * the root).
 */
export function listCalling(paths: readonly ListedPath[]): LogEntry {
  const head = 'Calling rsync with filter-list of new/modified files/dirs';
  const lines = paths.map((p) => (typeof p === 'string' ? eventPath(p) : eventPath(p.path, p.dir)));
  return normal(lines.length === 0 ? head : `${head}\n${lines.join('\n')}`);
}

/** `Finished a list after exitcode: 0` (rsync, direct) or `Finished (list): 0` (rsyncssh). */
export function listFinished(kind: SyncKind, exit: ExitClass | number): LogEntry {
  const code = codeText(exit);
  return normal(kind === 'rsyncssh' ? `Finished (list): ${code}` : `Finished a list after exitcode: ${code}`);
}

/**
 * `Retrying a list after exitcode = 11` (rsync, direct) or `Retrying (list): 255` (rsyncssh).
 * Tidemark also prints it for 23 and 24, which it retries and lsyncd calls finished.
 */
export function listRetrying(kind: SyncKind, exit: ExitClass | number): LogEntry {
  const code = codeText(exit);
  return normal(kind === 'rsyncssh' ? `Retrying (list): ${code}` : `Retrying a list after exitcode = ${code}`);
}

/** `Failure with a list with exitcode = 1` (rsync, direct) or `Failure (list): 1` (rsyncssh). */
export function listFailed(kind: SyncKind, exit: ExitClass | number): LogEntry {
  const code = codeText(exit);
  return error(kind === 'rsyncssh' ? `Failure (list): ${code}` : `Failure with a list with exitcode = ${code}`);
}

/** The list line for a classified exit. */
export function listOutcome(kind: SyncKind, exit: ExitClass): LogEntry {
  switch (exit.verdict) {
    case 'ok':
      return listFinished(kind, exit);
    case 'retry':
    case 'retry-files':
      return listRetrying(kind, exit);
    case 'halt':
    case 'config':
      return listFailed(kind, exit);
  }
}

/** rsyncssh's remote rename: `Moving /a -> /b`. */
export function moving(from: RelPath, to: RelPath): LogEntry {
  return normal(`Moving ${eventPath(from)} -> ${eventPath(to)}`);
}
