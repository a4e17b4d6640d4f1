// The one composition function: every face (the Electron main, `tidemark ui`, the tests) builds
// its services here, so the faces cannot drift apart. A face only adapts transport (ipcMain or a
// WebSocket) and desktop glue (tray, notifications, window).
import type { AppPaths } from './app-paths';
import type { AppEvents } from './app-events';
import type { InvokeHandlers } from './contract-router';
import type { TargetStatus } from '../../src-shared/model/status';
import type { AppSettings } from '../../src-shared/model/app-settings';

export interface AppServicesOptions {
  readonly face: 'electron' | 'browser';
  /** Where everything lives (default: appPaths(env)). */
  readonly paths?: AppPaths;
  readonly env?: NodeJS.ProcessEnv;
  /** The ssh program and options pairing resolves hosts with (tests pass ['ssh', '-F', CONFIG]). */
  readonly sshCommand?: readonly string[];
  /** The command an autostart entry runs (default: this program as it was started). */
  readonly launchCommand?: readonly string[];
}

export interface AppServices {
  readonly paths: AppPaths;
  /** A handler for every invoke channel of the contract. */
  readonly handlers: InvokeHandlers;
  /** Every event channel of the contract; faces forward them to their renderer. */
  readonly events: AppEvents;
  /** The status stream's current view of every target (the tray and notifications read it). */
  targets(): readonly TargetStatus[];
  settings(): Promise<AppSettings>;
  /** Starts the enabled profiles and the lsyncd configs of the settings. */
  start(): Promise<void>;
  /** Stops every engine; running transfers finish first. */
  stop(): Promise<void>;
}
