#!/usr/bin/env node
// The published entry: the built CLI lives in out/cli (npm run build:cli).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const built = fileURLToPath(new URL('../out/cli/tidemark.js', import.meta.url));
if (!existsSync(built)) {
  process.stderr.write('tidemark: the CLI is not built yet; run `npm run build` first.\n');
  process.exit(2);
}
await import(built);
