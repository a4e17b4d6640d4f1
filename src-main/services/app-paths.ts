// Where the app keeps what it keeps, by the XDG base directory rules (a relative XDG_* value is
// ignored): profiles, settings and pins in the config directory; logs, journals and locks in the
// state directory; sockets in the runtime directory.
import { homedir, tmpdir, userInfo } from 'node:os';
import { isAbsolute, join } from 'node:path';

export interface AppPaths {
  /** $XDG_CONFIG_HOME/tidemark */
  readonly configDir: string;
  /** $XDG_CONFIG_HOME/tidemark/profiles */
  readonly profilesDir: string;
  /** $XDG_CONFIG_HOME/tidemark/settings.json */
  readonly settingsFile: string;
  /** $XDG_CONFIG_HOME/tidemark/known_hosts: the pinned host keys. */
  readonly knownHostsFile: string;
  /** $XDG_CONFIG_HOME/autostart: where the start-at-login entry goes. */
  readonly autostartDir: string;
  /** $XDG_STATE_HOME/tidemark: journals and kept lists per target (TargetStore), locks. */
  readonly stateDir: string;
  /** $XDG_STATE_HOME/tidemark/logs: one log file per profile. */
  readonly logsDir: string;
  /** $XDG_STATE_HOME/tidemark/locks: one lock per running profile. */
  readonly locksDir: string;
  /** $XDG_RUNTIME_DIR/tidemark (0700): control sockets, agent sockets, ssh masters. */
  readonly runtimeDir: string;
}

function base(env: NodeJS.ProcessEnv, name: string, fallback: string): string {
  const value = env[name];
  return value && isAbsolute(value) ? value : fallback;
}

export function appPaths(env: NodeJS.ProcessEnv = process.env, home: string = env.HOME || homedir()): AppPaths {
  const config = base(env, 'XDG_CONFIG_HOME', join(home, '.config'));
  const configDir = join(config, 'tidemark');
  const stateDir = env.TIDEMARK_STATE_DIR && isAbsolute(env.TIDEMARK_STATE_DIR) ? env.TIDEMARK_STATE_DIR : join(base(env, 'XDG_STATE_HOME', join(home, '.local', 'state')), 'tidemark');
  const runtime = env.XDG_RUNTIME_DIR && isAbsolute(env.XDG_RUNTIME_DIR) ? join(env.XDG_RUNTIME_DIR, 'tidemark') : join(tmpdir(), `tidemark-${userInfo().uid}`);
  return {
    configDir,
    profilesDir: join(configDir, 'profiles'),
    settingsFile: join(configDir, 'settings.json'),
    knownHostsFile: join(configDir, 'known_hosts'),
    autostartDir: join(config, 'autostart'),
    stateDir,
    logsDir: join(stateDir, 'logs'),
    locksDir: join(stateDir, 'locks'),
    runtimeDir: runtime,
  };
}
