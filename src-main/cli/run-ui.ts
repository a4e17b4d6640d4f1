// `tidemark ui`: the app's screens in a browser, for machines where Electron cannot start. It
// builds the same services as the desktop app, serves the built renderer and the IPC contract on
// 127.0.0.1 behind a fresh token (services/ui-host), and prints the one URL that gets in.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AppServices, AppServicesOptions } from '../services/app-services';
import { PortInUseError, startUiHost, type UiHost } from '../services/ui-host/ui-host';
import type { CliIo } from './run-cli';

export const uiUsage = `       tidemark ui [--port N] [--open]
                 the app's screens in a browser, served on 127.0.0.1 behind a token; prints
                 URL: http://127.0.0.1:N/?token=... (open it as it is; the token changes each run).
                 --port N: listen on N (default: any free port; over ssh -L, use the same port on both ends)
                 --open: open the URL with xdg-open
`;

export interface UiDeps {
  /** Default: createAppServices from services/create-app-services. */
  readonly createServices?: (options: AppServicesOptions) => AppServices | Promise<AppServices>;
  /** The built renderer; default: out/renderer beside the CLI bundle. */
  readonly staticDir?: string;
  /** The program and leading arguments that open a URL (default ['xdg-open']). */
  readonly opener?: readonly string[];
}

interface Parsed {
  readonly port: number;
  readonly open: boolean;
  readonly help: boolean;
}

function parse(args: readonly string[]): Parsed | string {
  let port = 0;
  let open = false;
  let help = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    const [flag = '', inline] = arg.startsWith('--') ? arg.split(/=(.*)/s, 2) : [arg];
    if (flag === '--open' && inline === undefined) open = true;
    else if ((flag === '--help' || flag === '-h') && inline === undefined) help = true;
    else if (flag === '--port') {
      const value = inline ?? args[++i];
      if (value === undefined) return '--port needs a value';
      if (!/^\d{1,5}$/.test(value) || Number(value) > 65_535) return `--port takes a number from 0 to 65535, not ${JSON.stringify(value)}`;
      port = Number(value);
    } else return arg.startsWith('-') ? `unknown option ${arg}` : `ui takes no operands (got ${JSON.stringify(arg)})`;
  }
  return { port, open, help };
}

/** Exit codes: 0 stopped by TERM/INT or --help, 1 the host could not start, 2 bad usage. */
export async function runUiCommand(args: readonly string[], io: CliIo, deps: UiDeps = {}): Promise<number> {
  const parsed = parse(args);
  if (typeof parsed === 'string') {
    io.stderr(`tidemark: ${parsed}\nUsage:\n${uiUsage}`);
    return 2;
  }
  if (parsed.help) {
    io.stdout(`Usage:\n${uiUsage}`);
    return 0;
  }
  const staticDir = deps.staticDir ?? builtRendererDir();
  if (staticDir === null || !existsSync(join(staticDir, 'index.html'))) {
    io.stderr(`tidemark: the app's screens are not built (no out/renderer/index.html); run \`npm run build\` first\n`);
    return 1;
  }

  const services = await (deps.createServices ?? defaultCreateServices)({ face: 'browser' });
  await services.start();
  let host: UiHost;
  try {
    host = await startUiHost({ handlers: services.handlers, events: services.events, staticDir, port: parsed.port, log: (line) => io.stderr(`tidemark: ${line}\n`) });
  } catch (error) {
    await services.stop();
    if (error instanceof PortInUseError) {
      io.stderr(`tidemark: port ${error.port} on 127.0.0.1 is already in use (another program, or another tidemark ui); choose another with --port N, or leave --port out to take any free port\n`);
      return 1;
    }
    throw error;
  }

  const stopped = waitForSignal();
  // The one line that carries the token: the user needs it to get in.
  io.stdout(`URL: ${host.url}\n`);
  if (parsed.open) openUrl(deps.opener ?? ['xdg-open'], host.url, io);
  await stopped;
  await host.close();
  await services.stop();
  return 0;
}

/** Loaded only when `ui` runs: the whole app layer, which no other command needs at startup. */
async function defaultCreateServices(options: AppServicesOptions): Promise<AppServices> {
  const { createAppServices } = await import('../services/create-app-services');
  return createAppServices(options);
}

/**
 * out/renderer (electron-vite's renderer output) from the bundle at out/cli/tidemark.js, or from
 * this source file when run unbundled; null when neither has been built.
 */
function builtRendererDir(): string | null {
  const candidates = ['../renderer', '../../out/renderer'].map((relative) => fileURLToPath(new URL(relative, import.meta.url)));
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? null;
}

/** Resolves at the first TERM or INT, and stops listening for both. */
function waitForSignal(): Promise<NodeJS.Signals> {
  return new Promise((resolve) => {
    const onSignal = (signal: NodeJS.Signals) => {
      process.off('SIGTERM', onSignal);
      process.off('SIGINT', onSignal);
      resolve(signal);
    };
    process.on('SIGTERM', onSignal);
    process.on('SIGINT', onSignal);
  });
}

/** Runs the opener with the URL as one argument (never through a shell); a failure only warns. */
function openUrl(opener: readonly string[], url: string, io: CliIo): void {
  const [program = 'xdg-open', ...leading] = opener;
  const warn = (why: string) => io.stderr(`tidemark: could not open a browser (${program} ${why}); open the URL above yourself\n`);
  const child = spawn(program, [...leading, url], { stdio: 'ignore', detached: true });
  child.on('error', (error: NodeJS.ErrnoException) => warn(error.code === 'ENOENT' ? 'is not installed' : `failed: ${error.code ?? error.message}`));
  child.on('exit', (code, signal) => {
    if (code !== 0 && code !== null) warn(`exited with status ${code}`);
    else if (signal) warn(`was killed by ${signal}`);
  });
  child.unref();
}
