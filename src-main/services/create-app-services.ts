// createAppServices: builds every service once, for whichever face asks (the Electron main,
// `tidemark ui`, the tests), and one handler per contract channel over them.
import { appInfo } from './app-info';
import { AppEvents } from './app-events';
import { appPaths } from './app-paths';
import type { AppServices, AppServicesOptions } from './app-services';
import type { InvokeHandlers } from './contract-router';
import { EngineHost } from './engine/engine-host';
import { pairingHandlers } from './handlers/pairing-handlers';
import { profileHandlers } from './handlers/profile-handlers';
import { wizardHandlers } from './handlers/wizard-handlers';
import { LogService } from './logs/log-service';
import { PairingService } from './pairing/pairing-service';
import { PairingSessions } from './pairing/pairing-sessions';
import { cliKeyService } from './profiles/profile-agent';
import { ProfileStore } from './profiles/profile-store';
import { safetyHandlers } from './safety-handlers';
import { SafetyService } from './safety-service';
import { SettingsService } from './settings/settings-service';
import { StatusService } from './status/status-service';
import { systemClock } from '../core/session/system-clock';

export function createAppServices(options: AppServicesOptions): AppServices {
  const env = options.env ?? process.env;
  const paths = options.paths ?? appPaths(env);
  const events = new AppEvents();
  const logs = new LogService();
  logs.subscribe((line) => events.emit('logs:line', line));
  const status = new StatusService({ clock: systemClock });
  status.subscribe((update) => {
    if (update.kind === 'target') events.emit('status:target', update.status);
    else events.emit('status:removed', { id: update.id });
  });
  const settings = new SettingsService({
    file: paths.settingsFile,
    autostartDir: paths.autostartDir,
    launchCommand: options.launchCommand ?? [process.execPath, ...process.argv.slice(1, 2)],
  });
  settings.onChange((changed) => events.emit('settings:changed', changed));
  const profiles = new ProfileStore(paths.profilesDir);
  const { keys } = cliKeyService(env);
  const engine = new EngineHost({
    paths,
    profiles,
    keys,
    status,
    logs,
    // An invalid settings file is reported by settings:get; the engines start with the defaults meanwhile.
    lsyncdConfigs: async () => (await settings.read()).settings.lsyncdConfigs,
  });
  const sessions = new PairingSessions(
    () => new PairingService({ keys, profiles, knownHostsFile: paths.knownHostsFile, runtimeDir: paths.runtimeDir, ...(options.sshCommand ? { sshCommand: options.sshCommand } : {}) }),
  );
  const safety = new SafetyService(() => engine.runners());
  const control = (action: 'pause' | 'resume' | 'sync-now') => ({ target }: { target?: string }) => ({ targets: engine.control(action, target) });

  const handlers: InvokeHandlers = {
    'app:info': () => appInfo(options.face),
    'status:targets': () => status.list(),
    'control:pause': control('pause'),
    'control:resume': control('resume'),
    'control:sync-now': control('sync-now'),
    ...safetyHandlers(safety),
    ...pairingHandlers({
      sessions,
      keys,
      keyStore: env.TIDEMARK_KEY_STORE === 'file' ? 'file' : 'keychain',
      saved: async (name, enabled) => {
        events.emit('profiles:changed', {});
        if (enabled) await engine.start({ kind: 'profile', name }).catch(() => undefined);
      },
      unlock: (passphrases) => engine.unlock(passphrases),
    }),
    ...profileHandlers({ profiles, engine, keys, events }),
    ...wizardHandlers({ env, ...(options.sshCommand ? { sshCommand: options.sshCommand } : {}) }),
    'logs:tail': (query) => logs.tail(query),
    'settings:get': () => settings.get(),
    'settings:set': async (patch) => {
      const before = await settings.get();
      const after = await settings.set(patch);
      // lsyncd configs added or removed start or stop with the change.
      for (const path of before.lsyncdConfigs) if (!after.lsyncdConfigs.includes(path)) await engine.stop({ kind: 'config', path });
      for (const path of after.lsyncdConfigs) if (!before.lsyncdConfigs.includes(path)) await engine.start({ kind: 'config', path }).catch(() => undefined);
      return after;
    },
  };

  return {
    paths,
    handlers,
    events,
    targets: () => status.list(),
    settings: () => settings.get(),
    start: () => engine.startAll(),
    stop: async () => {
      await sessions.abortAll();
      await engine.stopAll();
    },
  };
}
