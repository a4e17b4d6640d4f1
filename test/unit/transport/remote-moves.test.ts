// The remote rename script, run by a real POSIX shell on real directories, exactly as the remote
// login shell runs it: `sh -c "<command line>"` with the records on stdin.
import { afterEach, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readlinkSync, rmSync, symlinkSync, writeFileSync, existsSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Move } from '../../../src-shared/model/sync';
import { fallbackPaths, parseMoveResults, remoteMovesCommand, remoteMovesInput, type MoveResult } from '../../../src-main/core/transport/remote-moves';

let dir: string;
afterEach(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the batch in a fresh target holding what `arrange` puts there; returns the results. */
function runMoves(moves: Move[], arrange: (target: string) => void): { target: string; results: MoveResult[] } {
  dir = mkdtempSync(join(tmpdir(), 'tidemark-moves-'));
  const target = join(dir, 'target dir $(x)');
  mkdirSync(target);
  arrange(target);
  const stdout = execFileSync('sh', ['-c', remoteMovesCommand(target)], { input: remoteMovesInput(moves), cwd: dir }).toString();
  return { target, results: parseMoveResults(stdout, moves.length) };
}

const mv = (from: string, to: string, entry: Move['entry'] = 'file'): Move => ({ from, to, entry });

describe('remote renames', () => {
  it('renames files and directories in order, into new parents too', () => {
    const { target, results } = runMoves([mv('a', 'b'), mv('b', 'c'), mv('d', 'x/y/d2', 'dir')], (t) => {
      writeFileSync(join(t, 'a'), 'A');
      mkdirSync(join(t, 'd'));
      writeFileSync(join(t, 'd/inner'), 'I');
    });
    expect(results).toEqual(['ok', 'ok', 'ok']);
    expect(readFileSync(join(target, 'c'), 'utf8')).toBe('A');
    expect(readFileSync(join(target, 'x/y/d2/inner'), 'utf8')).toBe('I');
  });

  it('carries hostile names intact and runs none of them', () => {
    const names = ['-rf', '$(touch PWNED)', '`touch PWNED2`', "it's", 'a"b', 'new\nline', 'tab\t', '[x]', '*', 'back\\slash', Buffer.from([0x66, 0xff, 0xfe]).toString('latin1')];
    const { target, results } = runMoves(names.map((name, i) => mv(`src${i}`, name)), (t) => names.forEach((_, i) => writeFileSync(join(t, `src${i}`), `file ${i}`)));
    expect(results).toEqual(names.map(() => 'ok'));
    for (const [i, name] of names.entries()) expect(readFileSync(Buffer.concat([Buffer.from(`${target}/`), Buffer.from(name, 'latin1')]), 'utf8')).toBe(`file ${i}`);
    expect(existsSync(join(dir, 'PWNED')) || existsSync(join(target, 'PWNED')) || existsSync(join(dir, 'PWNED2'))).toBe(false);
  });

  it('replaces an empty directory at the destination instead of nesting into it (LSYNCD.md bug 3)', () => {
    const { target, results } = runMoves([mv('A', 'B', 'dir')], (t) => {
      mkdirSync(join(t, 'A'));
      writeFileSync(join(t, 'A/f'), 'f');
      mkdirSync(join(t, 'B'));
    });
    expect(results).toEqual(['ok']);
    expect(readdirSync(join(target, 'B'))).toEqual(['f']);
  });

  it('makes no move with a symlink among the parents of either name, so nothing leaves or enters a directory elsewhere', () => {
    const { target, results } = runMoves([mv('link/f', 'g'), mv('d', 'link/moved', 'dir'), mv('real/x', 'link/deeper/x')], (t) => {
      mkdirSync(join(dir, 'outside/deeper'), { recursive: true });
      writeFileSync(join(dir, 'outside/f'), 'precious');
      symlinkSync(join(dir, 'outside'), join(t, 'link'));
      mkdirSync(join(t, 'd'));
      mkdirSync(join(t, 'real'));
      writeFileSync(join(t, 'real/x'), 'x');
    });
    expect(results).toEqual(['failed', 'failed', 'failed']);
    expect(readdirSync(join(dir, 'outside')).sort()).toEqual(['deeper', 'f']);
    expect(readdirSync(join(dir, 'outside/deeper'))).toEqual([]);
    expect(readdirSync(target).sort()).toEqual(['d', 'link', 'real']);
    expect(readdirSync(join(target, 'real'))).toEqual(['x']);
  });

  it('replaces a symlink at the destination and never writes through it', () => {
    const { target, results } = runMoves([mv('d', 'link', 'dir')], (t) => {
      mkdirSync(join(t, 'd'));
      mkdirSync(join(dir, 'outside'));
      symlinkSync(join(dir, 'outside'), join(t, 'link'));
    });
    expect(results).toEqual(['ok']);
    expect(lstatSync(join(target, 'link')).isDirectory()).toBe(true);
    expect(readdirSync(join(dir, 'outside'))).toEqual([]);
  });

  it('reports a missing origin or a different kind as missing, and touches nothing', () => {
    const { target, results } = runMoves([mv('gone', 'x'), mv('isdir', 'y'), mv('file', 'z', 'dir'), mv('link', 'w', 'file')], (t) => {
      mkdirSync(join(t, 'isdir'));
      writeFileSync(join(t, 'file'), 'f');
      symlinkSync('file', join(t, 'link'));
    });
    expect(results).toEqual(['missing', 'missing', 'missing', 'missing']);
    expect(readdirSync(target).sort()).toEqual(['file', 'isdir', 'link']);
    expect(readlinkSync(join(target, 'link'))).toBe('file');
  });

  it('reports a rename onto a non-empty directory as failed, leaving both in place', () => {
    const { target, results } = runMoves([mv('A', 'B', 'dir')], (t) => {
      mkdirSync(join(t, 'A'));
      mkdirSync(join(t, 'B'));
      writeFileSync(join(t, 'B/keep'), 'k');
    });
    expect(results).toEqual(['failed']);
    expect(readdirSync(join(target, 'B'))).toEqual(['keep']);
    expect(existsSync(join(target, 'A'))).toBe(true);
  });

  it('a missing target directory fails the whole call with exit 3', () => {
    dir = mkdtempSync(join(tmpdir(), 'tidemark-moves-'));
    let code = 0;
    try {
      execFileSync('sh', ['-c', remoteMovesCommand(join(dir, 'nope'))], { input: remoteMovesInput([mv('a', 'b')]), stdio: 'pipe' });
    } catch (error) {
      code = (error as { status: number }).status;
    }
    expect(code).toBe(3);
  });
});

describe('parseMoveResults and fallbackPaths', () => {
  it('reads status lines by index; unmentioned or garbled moves count as failed', () => {
    expect(parseMoveResults('ok 0\nmissing 2\nnonsense\nok 9\n', 3)).toEqual(['ok', 'failed', 'missing']);
    expect(parseMoveResults(undefined, 2)).toEqual(['failed', 'failed']);
  });
  it('transfers the destination of every move that did not happen', () => {
    expect(fallbackPaths([mv('a', 'b'), mv('c', 'd'), mv('e', 'f')], ['ok', 'missing', 'failed'])).toEqual(['d', 'f']);
  });
});
