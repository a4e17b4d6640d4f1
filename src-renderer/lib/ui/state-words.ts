// A target's state as the screens show it: the tray's five severities (the same colours and
// icons as build/icons), and the state in words.
import type { TargetStatus } from '../../../src-shared/model/status';

export type Severity = 'error' | 'attention' | 'syncing' | 'paused' | 'idle';

export function severityOf(status: Pick<TargetStatus, 'state' | 'holding'>): Severity {
  switch (status.state.kind) {
    case 'error':
      return 'error';
    case 'awaiting-decision':
    case 'halted':
      return 'attention';
    case 'starting':
    case 'scanning':
    case 'syncing':
    case 'retrying':
      return status.holding !== null ? 'attention' : 'syncing';
    case 'paused':
      return 'paused';
    case 'idle':
      return status.holding !== null ? 'attention' : 'idle';
  }
}

export function stateWords(status: Pick<TargetStatus, 'state' | 'holding'>): string {
  const state = status.state;
  switch (state.kind) {
    case 'starting':
      return 'Starting';
    case 'scanning':
      return `Scanning (${state.scanned.toLocaleString()} entries)`;
    case 'awaiting-decision':
      return 'Waiting for your decision';
    case 'syncing':
      return state.paths < 0 ? 'Syncing the whole tree' : `Syncing ${state.paths.toLocaleString()} ${state.paths === 1 ? 'path' : 'paths'}`;
    case 'idle':
      return status.holding !== null ? 'Up to date, deletions held back' : 'Up to date';
    case 'paused':
      return 'Paused';
    case 'retrying':
      return `Retrying (attempt ${state.attempt})`;
    case 'halted':
      return 'Halted';
    case 'error':
      return 'Error';
  }
}
