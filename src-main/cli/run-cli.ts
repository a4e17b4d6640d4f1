import { appVersion } from '../services/app-info';

export interface CliIo {
  stdout(text: string): void;
  stderr(text: string): void;
}

const usage = `Usage: tidemark [OPTIONS] CONFIG
       tidemark run CONFIG
       tidemark -version
`;

/** Parses argv and runs one command; resolves to the process exit code. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  if (argv.includes('-version') || argv.includes('--version')) {
    io.stdout(`Version: ${appVersion}\n`);
    return 0;
  }
  if (argv.length === 0 || argv.includes('-help') || argv.includes('--help')) {
    io.stdout(usage);
    return argv.length === 0 ? 2 : 0;
  }
  io.stderr(`tidemark: unknown command ${JSON.stringify(argv[0])}\n${usage}`);
  return 2;
}
