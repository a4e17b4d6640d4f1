import { describe, expect, it } from 'vitest';
import { runCli } from '../../src-main/cli/run-cli';
import pkg from '../../package.json' with { type: 'json' };

/** Collects what the CLI writes. */
function captureIo() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t) }, out, err };
}

describe('tidemark -version', () => {
  it('prints the version as lsyncd does', async () => {
    const { io, out } = captureIo();
    expect(await runCli(['-version'], io)).toBe(0);
    expect(out.join('')).toBe(`Version: ${pkg.version}\n`);
  });
  it('rejects an unknown command with usage and exit code 2', async () => {
    const { io, err } = captureIo();
    expect(await runCli(['frobnicate'], io)).toBe(2);
    expect(err.join('')).toMatch(/unknown command "frobnicate"/);
  });
});
