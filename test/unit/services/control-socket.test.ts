// The control socket on a real unix socket: the contract's router behind JSON lines, with
// hostile requests refused before any service sees them.
import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { callControl, closeControl, ControlError, serveControl } from '../../../src-main/services/control-socket';
import type { InvokeHandlers } from '../../../src-main/services/contract-router';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A served socket whose safety:decide records what reached it. */
async function served(): Promise<{ path: string; decided: unknown[]; close: () => Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-control-'));
  dirs.push(dir);
  const path = join(dir, 'run', 'control-test.sock');
  const decided: unknown[] = [];
  const handlers: InvokeHandlers = {
    'app:info': () => ({ name: 'Tidemark', version: '0.1.0', face: 'browser' }),
    'safety:decide': (input) => {
      decided.push(input);
      return { kind: 'ok' };
    },
  };
  const server = await serveControl(path, handlers);
  return { path, decided, close: () => closeControl(server, path) };
}

/** Sends raw text and reads one answer line. */
function raw(path: string, text: string): Promise<{ ok: boolean; error?: string; output?: unknown }> {
  return new Promise((resolve, reject) => {
    const socket = createConnection(path, () => socket.write(text));
    let buffered = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      const end = buffered.indexOf('\n');
      if (end >= 0) {
        socket.end();
        resolve(JSON.parse(buffered.slice(0, end)) as { ok: boolean });
      }
    });
    socket.on('error', reject);
  });
}

describe('the control socket', () => {
  it('is 0600 in a 0700 directory, answers a channel it serves, and is gone once closed', async () => {
    const { path, close } = await served();
    expect(statSync(path).mode & 0o777).toBe(0o600);
    expect(statSync(join(path, '..')).mode & 0o777).toBe(0o700);
    expect(await callControl(path, 'app:info', {})).toEqual({ name: 'Tidemark', version: '0.1.0', face: 'browser' });
    await close();
    expect(await callControl(path, 'app:info', {})).toBeNull();
  });

  it('passes a valid decision through, byte-string paths intact', async () => {
    const { path, decided, close } = await served();
    expect(await callControl(path, 'safety:decide', { target: 'Sync1', action: 'pull', paths: ['d/caf\xe9', 'x y'] })).toEqual({ kind: 'ok' });
    expect(decided).toEqual([{ target: 'Sync1', action: 'pull', paths: ['d/caf\xe9', 'x y'] }]);
    await close();
  });

  const hostile: { description: string; line: string; error: RegExp }[] = [
    { description: 'not JSON', line: '{"id": 1, "chan', error: /not a request/ },
    { description: 'an unknown channel', line: JSON.stringify({ id: 1, channel: 'fs:delete', input: {} }), error: /unknown IPC channel "fs:delete"/ },
    { description: 'a channel this face does not serve', line: JSON.stringify({ id: 1, channel: 'safety:targets', input: {} }), error: /'safety:targets' is not served here/ },
    { description: 'an extra key', line: JSON.stringify({ id: 1, channel: 'safety:decide', input: { target: 'Sync1', action: 'pull', evil: true } }), error: /invalid input for 'safety:decide'/ },
    { description: 'a wrong type', line: JSON.stringify({ id: 1, channel: 'safety:decide', input: { target: 7, action: 'pull' } }), error: /invalid input/ },
    { description: 'an unknown action', line: JSON.stringify({ id: 1, channel: 'safety:decide', input: { target: 'Sync1', action: 'rm -rf' } }), error: /invalid input/ },
    { description: 'path traversal', line: JSON.stringify({ id: 1, channel: 'safety:decide', input: { target: 'Sync1', action: 'pull', paths: ['../../etc/passwd'] } }), error: /without \.\./ },
    { description: 'an absolute path', line: JSON.stringify({ id: 1, channel: 'safety:decide', input: { target: 'Sync1', action: 'pull', paths: ['/etc/passwd'] } }), error: /relative to the source/ },
    { description: 'a target id that is a path', line: JSON.stringify({ id: 1, channel: 'safety:decide', input: { target: '../Sync1', action: 'pull' } }), error: /target id/ },
    { description: 'a huge string', line: JSON.stringify({ id: 1, channel: 'safety:decide', input: { target: 'Sync1', action: 'pull', paths: ['a'.repeat(5000)] } }), error: /invalid input/ },
    { description: '__proto__ as input', line: '{"id":1,"channel":"safety:decide","input":{"__proto__":{"polluted":true},"target":"Sync1","action":"pull"}}', error: /invalid input/ },
    { description: 'constructor as channel', line: JSON.stringify({ id: 1, channel: 'constructor', input: {} }), error: /unknown IPC channel/ },
    { description: 'a request with extra keys', line: JSON.stringify({ id: 1, channel: 'app:info', input: {}, as: 'root' }), error: /not a request/ },
  ];
  for (const c of hostile) {
    it(`refuses ${c.description}, and no service sees it`, async () => {
      const { path, decided, close } = await served();
      const answer = await raw(path, `${c.line}\n`);
      expect(answer.ok).toBe(false);
      expect(answer.error).toMatch(c.error);
      expect(decided).toEqual([]);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
      await close();
    });
  }

  // 8 MiB through a unix socket: seconds on a busy machine.
  it('refuses a request past the size limit and closes the connection', { timeout: 60_000 }, async () => {
    const { path, close } = await served();
    const answer = await raw(path, 'x'.repeat(9 * 1024 * 1024));
    expect(answer).toMatchObject({ ok: false, error: expect.stringMatching(/at most/) });
    await close();
  });

  it("reports the engine's refusal as a ControlError", async () => {
    const { path, close } = await served();
    await expect(callControl(path, 'safety:targets', {})).rejects.toThrow(ControlError);
    await close();
  });

  it('replaces a socket left by a dead engine, and leaves one that answers alone', async () => {
    const first = await served();
    const second = await serveControl(first.path, {});
    expect(second).toBeNull();
    await first.close();
  });
});
