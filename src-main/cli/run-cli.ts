import { applyCliOverrides, configFromInline, parseLsyncdArgs, type ParsedArgs } from '../core/config/cli-args';
import { ConfigError, type TidemarkConfig } from '../core/config/model';
import { parseLogOptions } from '../core/report/log-filter';
import { appVersion } from '../services/app-info';
import { appPaths } from '../services/app-paths';
import { acquireProfileLock, lockFileFor, realPathOf, type ProfileLock } from '../services/engine/profile-lock';
import { detach, isDetachedChild } from './daemonize';
import { loadConfigSource, resolveConfigSource, type ConfigSource } from './config-source';
import { childEvaluator } from './lua-child';
import { PROFILE_COMMANDS, profilesUsage, runProfileCommand } from './run-profiles';
import { runDaemon } from './run-daemon';
import { runSafetyCommand, SAFETY_COMMANDS, safetyUsage } from './run-safety';
import { keysUsage, runKeysCommand } from './run-keys';
import { pairUsage, runPairCommand } from './run-pair';
import { runUiCommand, uiUsage } from './run-ui';
import { agentPairingHooks, cliKeyService, lockedKeyNames, passphraseRefusal, profileKeyNames, readStdinLines, startProfileAgent } from '../services/profiles/profile-agent';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

export const usage = `Usage: tidemark [OPTIONS] CONFIG        run an lsyncd config file, unchanged, or a profile
       tidemark run CONFIG [OPTIONS]          CONFIG: a config file, or else a profile's NAME
       tidemark [OPTIONS] -rsync SOURCE TARGET
       tidemark [OPTIONS] -rsyncssh SOURCE HOST TARGETDIR
       tidemark [OPTIONS] -direct SOURCE TARGETDIR
       tidemark -version
${safetyUsage}${profilesUsage}${keysUsage}${pairUsage}${uiUsage}Options (as lsyncd's): -nodaemon  -log all|scarce|CATEGORY  -logfile FILE  -pidfile FILE
                       -delay SECONDS  -insist
                       -reconcile ask|pull|keep|trash|delete  what a startup does with files only on the target or newer there; default ask
Without -nodaemon (or settings{ nodaemon = true }) tidemark detaches, as lsyncd does.
`;

/** Exit codes: 0 ok, 1 runtime failure, 2 bad config or usage, 143 stopped by TERM/INT. */
export interface CliOptions {
  /** The CLI's own entry file: `run` then evaluates Lua configs in a child process of it. */
  readonly luaChildEntry?: string;
}

export async function runCli(argv: readonly string[], io: CliIo, options: CliOptions = {}): Promise<number> {
  if (argv.length === 0) {
    io.stderr(usage);
    return 2;
  }
  const command = SAFETY_COMMANDS.find((name) => name === argv[0]);
  if (command) return runSafetyCommand(command, argv.slice(1), io);
  if (argv[0] === 'keys') return runKeysCommand(argv.slice(1), io);
  if (argv[0] === 'pair') return runPairCommand(argv.slice(1), io);
  if (argv[0] === 'ui') return runUiCommand(argv.slice(1), io);
  const profileCommand = PROFILE_COMMANDS.find((name) => name === argv[0]);
  if (profileCommand) return runProfileCommand(profileCommand, argv.slice(1), io);
  const parsed = parseLsyncdArgs(argv);
  switch (parsed.kind) {
    case 'version':
      io.stdout(`Version: ${appVersion}\n`);
      return 0;
    case 'help':
      io.stdout(usage);
      return 0;
    case 'error':
      io.stderr(`tidemark: ${parsed.message}\n${usage}`);
      return 2;
    case 'inline':
      return runSyncs(parsed, undefined, argv, io, options);
    default: {
      const source = await resolveConfigSource(parsed.file, process.cwd());
      if (source.kind === 'neither') {
        io.stderr(looksLikeCommand(parsed.file) && argv[0] !== 'run' ? `tidemark: unknown command "${parsed.file}", and no config file or profile by that name\n${usage}` : `tidemark: ${source.message}\n`);
        return 2;
      }
      return runSyncs(parsed, source, argv, io, options);
    }
  }
}

/** A bare word (no slash, no dot) is more likely a mistyped command than a config file. */
function looksLikeCommand(arg: string): boolean {
  return /^[a-z][a-z-]*$/i.test(arg);
}

/** `source` is what a config argument named (a file or a profile); undefined for command-line syncs. */
async function runSyncs(parsed: Extract<ParsedArgs, { kind: 'config' | 'inline' }>, source: ConfigSource | undefined, argv: readonly string[], io: CliIo, options: CliOptions): Promise<number> {
  const evaluate = options.luaChildEntry ? childEvaluator(options.luaChildEntry) : undefined;
  // A paired profile's ssh targets log in with the app's keys, served by its agent.
  const keyNames = source?.kind === 'profile' ? await source.store.get(source.name).then(profileKeyNames, () => []) : [];
  const agentKeys = keyNames.length > 0 ? cliKeyService() : undefined;
  const pairing = agentKeys ? agentPairingHooks(agentKeys.keys) : undefined;
  const load = async (): Promise<TidemarkConfig> => {
    if (parsed.kind === 'inline') return configFromInline(parsed.syncs, parsed.overrides);
    if (source === undefined) throw new Error('a config argument without its source');
    return applyCliOverrides(await loadConfigSource(source, { cwd: process.cwd(), evaluate, pairing }), parsed.overrides);
  };
  let config: TidemarkConfig;
  try {
    config = await load();
  } catch (error) {
    if (error instanceof ConfigError) {
      io.stderr(`${error.message}\n`);
      return 2;
    }
    throw error;
  }
  const logFilter = parseLogOptions(parsed.overrides.log);
  if (!logFilter.ok) {
    io.stderr(`tidemark: ${logFilter.error}\n`);
    return 2;
  }
  if (config.syncs.length === 0) {
    io.stderr('tidemark: nothing to watch: the config defines no sync{}\n');
    return 2;
  }
  const foreground = config.settings.nodaemon;
  if (!config.settings.nodaemon && !isDetachedChild()) {
    // A detached daemon has no stdin for a key's passphrase: refuse here, where someone reads it.
    const locked = agentKeys ? await lockedKeyNames(agentKeys.keys, keyNames) : [];
    if (locked.length > 0) {
      io.stderr(`tidemark: ${passphraseRefusal(locked)}\n`);
      return 1;
    }
    // The daemon logs them too (run-daemon.ts); this is for the terminal the detach leaves.
    for (const warning of config.warnings ?? []) io.stderr(`tidemark: warning: ${warning.message}\n`);
    if (!config.settings.logfile) {
      io.stderr('tidemark: warning: no logfile is set, so the detached daemon logs nowhere; set settings{ logfile = ... } or use -nodaemon\n');
    }
    detach(argv);
    return 0;
  }
  // One engine per profile (or config file) on the machine: the app's engine host takes the same lock.
  let lock: ProfileLock | undefined;
  if (source !== undefined) {
    const what = source.kind === 'profile' ? { profile: source.name } : { configFile: realPathOf(source.path) };
    try {
      lock = await acquireProfileLock(lockFileFor(appPaths().locksDir, what), source.kind === 'profile' ? `profile ${source.name}` : `config ${source.path}`);
    } catch (error) {
      io.stderr(`tidemark: ${(error as Error).message}\n`);
      return 1;
    }
  }
  let sshEnv: Record<string, string> | undefined;
  let stopAgent = async () => {};
  if (agentKeys) {
    const readPassphrases = async (locked: readonly string[]) => (foreground && !process.stdin.isTTY ? readStdinLines(locked.length) : null);
    const started = await startProfileAgent(agentKeys.keys, agentKeys.runtimeDir, keyNames, readPassphrases);
    if (started.kind === 'refused') {
      io.stderr(`tidemark: ${started.message}\n`);
      await lock?.release();
      return 1;
    }
    sshEnv = started.env;
    stopAgent = () => started.agent.stop();
  }
  try {
    return await runDaemon({ config, logFilter: logFilter.filter, foreground, reload: parsed.kind === 'config' ? load : undefined, configFile: parsed.kind === 'config' ? parsed.file : undefined, sshEnv }, io);
  } finally {
    await lock?.release();
    await stopAgent();
  }
}
