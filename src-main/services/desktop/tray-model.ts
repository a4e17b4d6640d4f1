// What the tray shows: one icon for the worst state across targets, a one-line tooltip and the
// menu, as plain data. Pure: the Electron adapter (src-main/app/tray.ts) only renders it. The
// icon is debounced so that a sync of a few hundred milliseconds never makes it blink.
import type { TargetStatus } from '../../../src-shared/model/status';

/** The icons, mildest first: the order is the severity order. */
export const TRAY_ICONS = ['idle', 'paused', 'syncing', 'attention', 'error'] as const;
export type TrayIcon = (typeof TRAY_ICONS)[number];

/** How long a state must hold before the icon shows it (worse or better alike). */
export const TRAY_STEADY_MS = 1000;

/** What a menu item asks for; the adapter maps it to a service call or a window action. */
export type TrayCommand =
  | { readonly kind: 'open' }
  | { readonly kind: 'open-safety'; readonly target: string }
  | { readonly kind: 'pause' | 'resume' | 'sync-now'; readonly target?: string }
  | { readonly kind: 'quit' };

export type TrayMenuItem =
  | { readonly kind: 'action'; readonly label: string; readonly command: TrayCommand; readonly enabled: boolean }
  /** A line of text the user reads but cannot click. */
  | { readonly kind: 'label'; readonly label: string }
  | { readonly kind: 'submenu'; readonly label: string; readonly items: readonly TrayMenuItem[] }
  | { readonly kind: 'separator' };

export interface TrayView {
  readonly icon: TrayIcon;
  readonly tooltip: string;
  readonly menu: readonly TrayMenuItem[];
  /** When the icon may change with no new status (a state becoming steady); null when it cannot. */
  readonly nextCheckAt: number | null;
}

/** How bad one target's state is, as an icon. */
export function targetSeverity(target: TargetStatus): TrayIcon {
  switch (target.state.kind) {
    case 'error':
      return 'error';
    case 'awaiting-decision':
    case 'halted':
      return 'attention';
    default:
      // Held-back deletions wait for the user even while everything else flows.
      if (target.holding !== null) return 'attention';
      if (target.state.kind === 'paused') return 'paused';
      return target.state.kind === 'idle' ? 'idle' : 'syncing';
  }
}

/** The worst state across targets, undebounced; idle when there are none. */
export function worstSeverity(targets: readonly TargetStatus[]): TrayIcon {
  let worst = 0;
  for (const target of targets) worst = Math.max(worst, TRAY_ICONS.indexOf(targetSeverity(target)));
  return TRAY_ICONS[worst] ?? 'idle';
}

/**
 * The tray's state over time. `update` records each new status view; `display` says what to show
 * now. The icon follows a hysteresis on severity levels: it rises to level L once the raw state
 * has been at least L for TRAY_STEADY_MS, and falls to level L once it has been at most L for as
 * long. So a 200 ms sync never shows, a flapping sync/error shows at least "syncing", and a
 * steady error shows one second after it began. The tooltip and menu are always live.
 */
export class TrayModel {
  #targets: readonly TargetStatus[] = [];
  #shown: number | null = null;
  /** Per level: since when the raw severity has been >= that level (null: it is below now). */
  readonly #atLeastSince: (number | null)[] = TRAY_ICONS.map(() => null);
  /** Per level: since when the raw severity has been <= that level (null: it is above now). */
  readonly #atMostSince: (number | null)[] = TRAY_ICONS.map(() => null);

  update(targets: readonly TargetStatus[], now: number): void {
    this.#targets = targets;
    const raw = TRAY_ICONS.indexOf(worstSeverity(targets));
    // The first view is shown at once: there is nothing yet for it to flicker against.
    this.#shown ??= raw;
    for (let level = 0; level < TRAY_ICONS.length; level++) {
      this.#atLeastSince[level] = raw >= level ? (this.#atLeastSince[level] ?? now) : null;
      this.#atMostSince[level] = raw <= level ? (this.#atMostSince[level] ?? now) : null;
    }
  }

  display(now: number): TrayView {
    const shown = this.#settle(now);
    return { icon: TRAY_ICONS[shown] ?? 'idle', tooltip: trayTooltip(this.#targets), menu: trayMenu(this.#targets), nextCheckAt: this.#nextCheckAt(shown) };
  }

  #settle(now: number): number {
    let shown = this.#shown ?? 0;
    const steady = (since: number | null) => since !== null && now - since >= TRAY_STEADY_MS;
    let rise = -1;
    for (let level = shown + 1; level < TRAY_ICONS.length; level++) if (steady(this.#atLeastSince[level] ?? null)) rise = level;
    if (rise >= 0) {
      shown = rise;
    } else {
      for (let level = 0; level < shown; level++) {
        if (steady(this.#atMostSince[level] ?? null)) {
          shown = level;
          break;
        }
      }
    }
    this.#shown = shown;
    return shown;
  }

  #nextCheckAt(shown: number): number | null {
    const due: number[] = [];
    for (let level = 0; level < TRAY_ICONS.length; level++) {
      const since = level > shown ? this.#atLeastSince[level] : level < shown ? this.#atMostSince[level] : null;
      if (since !== null && since !== undefined) due.push(since + TRAY_STEADY_MS);
    }
    return due.length > 0 ? Math.min(...due) : null;
  }
}

/** A reason from rsync or ssh, made to fit on one short line. */
function oneLine(text: string, max = 80): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
}

/** Bytes per second in decimal units, as file managers show them. */
export function formatRate(bytesPerSecond: number): string {
  const units = ['B/s', 'kB/s', 'MB/s', 'GB/s'];
  let value = bytesPerSecond;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? Math.round(value) : value.toFixed(1)} ${units[unit]}`;
}

/** What a target is doing, in words, for its submenu. */
export function stateInWords(target: TargetStatus): string {
  const state = target.state;
  const words = (() => {
    switch (state.kind) {
      case 'starting': return 'starting';
      // No counts or rates here: they change every second, and a menu rebuilt that often closes
      // under the user's pointer on some panels. The tooltip carries the rate.
      case 'scanning': return 'scanning';
      case 'awaiting-decision': return 'waits for a decision';
      case 'syncing': return 'syncing';
      case 'idle': return 'up to date';
      case 'paused': return 'paused';
      case 'retrying': return `retrying (attempt ${state.attempt}): ${oneLine(state.reason, 50)}`;
      case 'halted': return `halted: ${oneLine(state.reason, 50)}`;
      case 'error': return `error: ${oneLine(state.reason, 50)}`;
    }
  })();
  const notes: string[] = [];
  if (target.holding !== null && state.kind !== 'awaiting-decision') notes.push('holds back deletions');
  if (target.paused && state.kind !== 'paused') notes.push('pauses after this transfer');
  return notes.length > 0 ? `${words} (${notes.join(', ')})` : words;
}

function attentionWords(target: TargetStatus): string {
  if (target.state.kind === 'halted') return `${target.id} halted: ${oneLine(target.state.reason)}`;
  if (target.state.kind === 'awaiting-decision') return `${target.id} waits for a decision`;
  return `${target.id} holds back deletions`;
}

/** One line for the tray's tooltip, about the worst state across targets. */
export function trayTooltip(targets: readonly TargetStatus[]): string {
  const line = (text: string) => `Tidemark: ${text}`;
  if (targets.length === 0) return line('no profile runs yet');
  const by = (icon: TrayIcon) => targets.filter((target) => targetSeverity(target) === icon);
  const names = (list: readonly TargetStatus[]) => list.map((target) => target.id).join(', ');
  const total = targets.length;
  switch (worstSeverity(targets)) {
    case 'error': {
      const failed = by('error');
      const [only] = failed;
      if (failed.length === 1 && only && only.state.kind === 'error') return line(`${only.id} failed: ${oneLine(only.state.reason)}`);
      return line(`${failed.length} targets failed (${names(failed)})`);
    }
    case 'attention': {
      const waiting = by('attention');
      const [only] = waiting;
      if (waiting.length === 1 && only) return line(attentionWords(only));
      return line(`${waiting.length} targets need attention (${names(waiting)})`);
    }
    case 'syncing': {
      const busy = by('syncing');
      const rate = busy.reduce((sum, target) => sum + (target.transfer?.bytesPerSecond ?? 0), 0);
      const retrying = busy.filter((target) => target.state.kind === 'retrying');
      const parts = [total === 1 ? `syncing ${busy[0]?.id ?? ''}` : `syncing ${busy.length} of ${total} targets`];
      if (rate > 0) parts.push(formatRate(rate));
      if (retrying.length > 0) parts.push(`${names(retrying)} retrying`);
      return line(parts.join(', '));
    }
    case 'paused': {
      const paused = by('paused');
      if (total === 1) return line(`1 target, paused`);
      return line(paused.length === total ? `all ${total} targets paused` : `${paused.length} of ${total} targets paused, the others up to date`);
    }
    case 'idle':
      return line(total === 1 ? '1 target, up to date' : `${total} targets, all up to date`);
  }
}

function targetSubmenu(target: TargetStatus): TrayMenuItem {
  const items: TrayMenuItem[] = [{ kind: 'label', label: `${target.source} → ${target.target}` }];
  if (targetSeverity(target) === 'attention') items.push({ kind: 'action', label: 'Review…', command: { kind: 'open-safety', target: target.id }, enabled: true });
  items.push(
    target.paused
      ? { kind: 'action', label: 'Resume', command: { kind: 'resume', target: target.id }, enabled: true }
      : { kind: 'action', label: 'Pause', command: { kind: 'pause', target: target.id }, enabled: true },
    { kind: 'action', label: 'Sync now', command: { kind: 'sync-now', target: target.id }, enabled: !target.paused },
  );
  return { kind: 'submenu', label: `${target.id}: ${stateInWords(target)}`, items };
}

/** The tray menu: open, the actions on all targets, one submenu per target, quit. */
export function trayMenu(targets: readonly TargetStatus[]): readonly TrayMenuItem[] {
  const running = targets.filter((target) => !target.paused);
  const paused = targets.filter((target) => target.paused);
  const menu: TrayMenuItem[] = [{ kind: 'action', label: 'Open Tidemark', command: { kind: 'open' }, enabled: true }, { kind: 'separator' }];
  // Both show when some targets run and others are paused: each then applies.
  if (paused.length > 0) menu.push({ kind: 'action', label: 'Resume all', command: { kind: 'resume' }, enabled: true });
  if (paused.length === 0 || running.length > 0) menu.push({ kind: 'action', label: 'Pause all', command: { kind: 'pause' }, enabled: running.length > 0 });
  menu.push({ kind: 'action', label: 'Sync now', command: { kind: 'sync-now' }, enabled: running.length > 0 });
  if (targets.length > 0) menu.push({ kind: 'separator' }, ...targets.map(targetSubmenu));
  menu.push({ kind: 'separator' }, { kind: 'action', label: 'Quit Tidemark', command: { kind: 'quit' }, enabled: true });
  return menu;
}
