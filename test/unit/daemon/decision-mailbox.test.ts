import { afterEach, describe, expect, it } from 'vitest';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DecisionMailbox } from '../../../src-main/core/daemon/decision-mailbox';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function mailbox(): { box: DecisionMailbox; dir: string } {
  const dir = mkdtempSync(join(tmpdir(), 'tidemark-mailbox-'));
  dirs.push(dir);
  return { box: new DecisionMailbox(dir), dir };
}

describe('DecisionMailbox', () => {
  it('carries a request to the daemon, which decides it once, and its answer back', async () => {
    const { box } = mailbox();
    box.post({ id: 'r1', action: 'pull', paths: ['a/\xff', 'b'] });
    const decided: unknown[] = [];
    box.serve(async (action, paths) => {
      decided.push([action, paths]);
      return { kind: 'ok', moved: 0, listed: 0 };
    }, () => {});
    box.serve(async () => ({ kind: 'ok', moved: 0, listed: 0 }), () => decided.push('twice'));
    expect(await box.awaitAnswer('r1', 2000, 10)).toEqual({ id: 'r1', ok: true, message: 'pull: done' });
    expect(decided).toEqual([['pull', ['a/\xff', 'b']]]);
  });

  it("answers a refusal with the daemon's words", async () => {
    const { box } = mailbox();
    box.post({ id: 'r2', action: 'delete' });
    box.serve(async () => {
      throw new Error('/dst/: no decision is awaited (the target is idle)');
    }, () => {});
    expect(await box.awaitAnswer('r2', 2000, 10)).toEqual({ id: 'r2', ok: false, message: '/dst/: no decision is awaited (the target is idle)' });
  });

  const hostile: { description: string; text: string }[] = [
    { description: 'not JSON', text: '{"id":' },
    { description: 'an unknown action', text: JSON.stringify({ id: 'x', action: 'rm -rf' }) },
    { description: 'paths that are not strings', text: JSON.stringify({ id: 'x', action: 'pull', paths: [1, {}] }) },
    { description: 'no id', text: JSON.stringify({ action: 'pull' }) },
    { description: '__proto__ in place of paths', text: '{"id":"x","action":"pull","paths":{"__proto__":{"polluted":true}}}' },
  ];
  for (const c of hostile) {
    it(`drops a malformed request (${c.description}) without deciding anything`, () => {
      const { box, dir } = mailbox();
      writeFileSync(join(dir, 'decision.request.json'), c.text);
      let decided = false;
      box.serve(async () => {
        decided = true;
        return { kind: 'ok', moved: 0, listed: 0 };
      }, () => {});
      expect(decided).toBe(false);
      expect(box.take()).toBeNull();
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    });
  }

  it('knows a live daemon by its PID, and forgets its own or a dead one', () => {
    const { box, dir } = mailbox();
    expect(box.holder()).toBeNull();
    box.claim(process.ppid);
    expect(box.holder()).toBe(process.ppid);
    writeFileSync(join(dir, 'daemon.pid'), '999999999\n');
    expect(box.holder()).toBeNull();
    box.claim();
    expect(box.holder()).toBeNull(); // this very process is no other daemon
    box.release();
  });

  it('gives up waiting after the timeout, and withdraws the request', async () => {
    const { box } = mailbox();
    box.post({ id: 'r3', action: 'keep' });
    expect(await box.awaitAnswer('r3', 50, 10)).toBeNull();
    expect(box.take()).toBeNull();
  });
});
