// Where keys live on disk, from the XDG variables: public keys and their records in the config
// directory, the opt-in file store in the state directory. The runtime directory (the agent's
// socket) is the one the SSH masters and the control sockets share.
import { homedir } from 'node:os';
import { join } from 'node:path';
import { defaultRuntimeDir } from '../core/transport/ssh-master';

export interface KeyPaths {
  /** NAME.pub and NAME.json: $XDG_CONFIG_HOME/tidemark/keys. */
  readonly configDir: string;
  /** The opt-in file store's secrets: $XDG_STATE_HOME/tidemark/keys. */
  readonly fileStoreDir: string;
  /** The agent's socket: $XDG_RUNTIME_DIR/tidemark (else /tmp/tidemark-UID). */
  readonly runtimeDir: string;
}

type Env = Readonly<Record<string, string | undefined>>;

export function defaultKeyPaths(env: Env = process.env): KeyPaths {
  const home = env.HOME || homedir();
  const config = env.XDG_CONFIG_HOME || join(home, '.config');
  const state = env.TIDEMARK_STATE_DIR || join(env.XDG_STATE_HOME || join(home, '.local', 'state'), 'tidemark');
  return {
    configDir: join(config, 'tidemark', 'keys'),
    fileStoreDir: join(state, 'keys'),
    runtimeDir: env.XDG_RUNTIME_DIR ? join(env.XDG_RUNTIME_DIR, 'tidemark') : defaultRuntimeDir(),
  };
}
