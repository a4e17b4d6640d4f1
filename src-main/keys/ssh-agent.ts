// The built-in SSH agent (DESIGN.md decision 4): serves Tidemark's keys, decrypted in memory
// only, to the ssh and rsync children through SSH_AUTH_SOCK, on a 0600 unix socket in the 0700
// runtime directory. It answers two requests, list the keys and sign with one; it never adds,
// removes or exports a key, and nothing it holds is written anywhere.
import { chmod, lstat, mkdir, rm } from 'node:fs/promises';
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { join } from 'node:path';
import ssh2, { type ParsedKey } from 'ssh2';
import type { KeyService } from './key-service';

const { AgentProtocol } = ssh2;

/** The two requests served; every other type is answered SSH_AGENT_FAILURE. */
const SSH_AGENTC_REQUEST_IDENTITIES = 11;
const SSH_AGENTC_SIGN_REQUEST = 13;
/** OpenSSH's own limit on an agent message; a longer frame is a broken or hostile peer. */
const MAX_MESSAGE_BYTES = 256 * 1024;

export interface SshAgentOptions {
  /** Created 0700 if missing; an existing one must be this user's and private. */
  readonly runtimeDir: string;
  /** The keys to serve, already decrypted. */
  readonly keys: readonly ParsedKey[];
  /** The socket's file name in `runtimeDir`; one per process by default. */
  readonly socketName?: string;
}

export interface SshAgent {
  /** What SSH_AUTH_SOCK must say. */
  readonly socketPath: string;
  /** Stops serving, closes open connections and removes the socket. */
  stop(): Promise<void>;
}

/** Which keys to read from the store, with the passphrase of each one that has one. */
export interface AgentKeyRequest {
  readonly name: string;
  readonly passphrase?: string;
}

/** Reads `keys` from their stores (decrypting them in memory) and serves them. */
export async function startKeyAgent(service: KeyService, keys: readonly AgentKeyRequest[], options: Omit<SshAgentOptions, 'keys'>): Promise<SshAgent> {
  const unlocked = [];
  for (const request of keys) unlocked.push((await service.unlock(request.name, request.passphrase)).key);
  return startSshAgent({ ...options, keys: unlocked });
}

export async function startSshAgent(options: SshAgentOptions): Promise<SshAgent> {
  await privateDir(options.runtimeDir);
  const socketPath = join(options.runtimeDir, options.socketName ?? `agent-${process.pid}.sock`);
  if (await answers(socketPath)) throw new Error(`an agent already serves ${socketPath}`);
  await rm(socketPath, { force: true });
  const keys = [...options.keys];
  const connections = new Set<Socket>();
  const server = createServer((socket) => {
    connections.add(socket);
    socket.once('close', () => connections.delete(socket));
    serveConnection(socket, keys);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(socketPath, () => resolve());
  });
  // Between listen and chmod the socket is only as open as the 0700 directory around it allows.
  await chmod(socketPath, 0o600);
  return {
    socketPath,
    stop: () => stopServer(server, connections, socketPath),
  };
}

function serveConnection(socket: Socket, keys: readonly ParsedKey[]): void {
  const protocol = new AgentProtocol(false);
  // AgentProtocol answers in request order through one queue, so every answer, failures
  // included, goes through it.
  protocol.pipe(socket);
  protocol.on('error', () => socket.destroy());
  socket.on('error', () => socket.destroy());
  protocol.on('identities', (request) => protocol.getIdentitiesReply(request, [...keys]));
  protocol.on('sign', (request, publicKey, data, flags) => {
    const key = keys.find((candidate) => candidate.getPublicSSH().equals(publicKey.getPublicSSH()));
    if (!key) return protocol.failureReply(request);
    const signature = key.sign(data, flags.hash);
    return signature instanceof Error ? protocol.failureReply(request) : protocol.signReply(request, signature);
  });

  // The framing workaround (RECIPES.md 4): AgentProtocol answers a type it does not know but
  // leaves its body in the buffer and parses it as a second message, so OpenSSH 9's first
  // request (SSH_AGENTC_EXTENSION, 27) gets two failures and the next request the wrong answer.
  // Frames are cut here, and an unserved type reaches AgentProtocol without its body.
  let buffered = Buffer.alloc(0);
  socket.on('data', (chunk: Buffer) => {
    buffered = Buffer.concat([buffered, chunk]);
    while (buffered.length >= 4) {
      const length = buffered.readUInt32BE(0);
      if (length === 0 || length > MAX_MESSAGE_BYTES) {
        socket.destroy();
        return;
      }
      if (buffered.length < 4 + length) return;
      const frame = buffered.subarray(0, 4 + length);
      buffered = buffered.subarray(4 + length);
      const type = frame[4]!;
      const served = type === SSH_AGENTC_REQUEST_IDENTITIES || type === SSH_AGENTC_SIGN_REQUEST;
      protocol.write(served ? frame : Buffer.from([0, 0, 0, 1, type]));
    }
  });
}

async function privateDir(dir: string): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const stat = await lstat(dir);
  if (!stat.isDirectory() || stat.uid !== process.getuid?.()) throw new Error(`${dir} must be a directory of this user's (it holds the agent's socket)`);
  if ((stat.mode & 0o777) !== 0o700) await chmod(dir, 0o700);
}

/** True when something listens on `path` (another agent): its socket is left alone. */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createConnection(path);
    probe.once('connect', () => { probe.destroy(); resolve(true); });
    probe.once('error', () => resolve(false));
  });
}

async function stopServer(server: Server, connections: Set<Socket>, socketPath: string): Promise<void> {
  const closed = new Promise<void>((resolve) => server.close(() => resolve()));
  for (const socket of connections) socket.destroy();
  await closed;
  await rm(socketPath, { force: true });
}
