// The ssh command lines of a remote target, as argv. One OpenSSH master connection per target
// carries everything: rsync's transfers (through `-e`) and the batch's renames. ssh keeps the
// first value it is given for an option, so Tidemark's connection-sharing options come before
// the user's own and cannot be overridden by them by accident. Pure: no node:* imports.
import type { RsyncTable, SshTable } from '../config/model';
import { splitRsh } from './ssh-quote';

/** What every ssh of a target shares: the program with the user's options, and the host. */
export interface SshEndpoint {
  /** The ssh program and the user's options (from `rsync.rsh`, or else the `ssh` table). */
  readonly command: readonly string[];
  /** As the config wrote it: an ssh_config alias, a hostname, or user@host. */
  readonly host: string;
}

/**
 * The user's ssh command: lsyncd's `rsync = { rsh = "..." }` when given (rsync would have run
 * exactly that), or else the `ssh = {}` table (binary, port, identityFile, options, _extra).
 */
export function sshCommand(ssh: SshTable, rsync: RsyncTable): string[] {
  const rsh = rsync.values.rsh;
  if (typeof rsh === 'string' && rsh.trim() !== '') return splitRsh(rsh);
  return [
    ssh.binary,
    ...(ssh.port !== undefined ? ['-p', String(ssh.port)] : []),
    ...(ssh.identityFile !== undefined ? ['-i', ssh.identityFile] : []),
    ...Object.entries(ssh.options).flatMap(([key, value]) => ['-o', `${key}=${value}`]),
    ...ssh.extra,
  ];
}

/** Options every connection of a daemon needs: never prompt, and notice a dead link. */
const DAEMON_OPTIONS = ['-o', 'BatchMode=yes', '-o', 'ServerAliveInterval=15', '-o', 'ServerAliveCountMax=3', '-o', 'ConnectTimeout=15'];

/** Inserts `options` right after the program name, ahead of the user's own options. */
function withFirst(command: readonly string[], options: readonly string[]): string[] {
  return [command[0]!, ...options, ...command.slice(1)];
}

/** The master: it holds the connection open and serves the socket until it is killed. */
export function masterArgv(endpoint: SshEndpoint, controlPath: string): string[] {
  return [...withFirst(endpoint.command, ['-M', '-N', '-o', 'ControlMaster=yes', '-o', 'ControlPersist=no', '-o', `ControlPath=${controlPath}`, ...DAEMON_OPTIONS]), '--', endpoint.host];
}

/** Asks the master whether it is alive (`-O check`); exit 0 means yes. */
export function checkArgv(endpoint: SshEndpoint, controlPath: string): string[] {
  return [...withFirst(endpoint.command, ['-o', `ControlPath=${controlPath}`, '-O', 'check']), '--', endpoint.host];
}

/**
 * A client of the master, without the host: rsync's `-e` command, and the prefix of a remote
 * call. ControlMaster=no: it uses the master's socket and never becomes a master itself.
 */
export function clientCommand(endpoint: SshEndpoint, controlPath: string): string[] {
  return withFirst(endpoint.command, ['-o', 'ControlMaster=no', '-o', `ControlPath=${controlPath}`, ...DAEMON_OPTIONS]);
}

/** A remote command over the master; `remote` is one shell command line (see ssh-quote). */
export function remoteArgv(endpoint: SshEndpoint, controlPath: string, remote: string): string[] {
  return [...clientCommand(endpoint, controlPath), '--', endpoint.host, remote];
}

/** `ssh -G`: how OpenSSH itself resolves the host with these options (aliases, ports, users). */
export function resolveArgv(endpoint: SshEndpoint): string[] {
  return [...withFirst(endpoint.command, ['-G']), '--', endpoint.host];
}
