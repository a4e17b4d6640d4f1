import { describe, expect, it } from 'vitest';
import type { FsEvent } from '../../../src-shared/model/sync';
import { PULL_ECHO_MS, PullEcho, withoutPullEcho } from '../../../src-main/core/daemon/pull-echo';

const at = 1000;
const cases: { description: string; events: FsEvent[]; expected: FsEvent[] }[] = [
  {
    description: "a pulled file: its temporary file's create and writes are dropped, its rename is the file's creation",
    events: [
      { kind: 'create', path: 'd21', entry: 'dir', at },
      { kind: 'create', path: 'd21/.f14.AavSeW', entry: 'file', at },
      { kind: 'modify', path: 'd21/.f14.AavSeW', entry: 'file', at },
      { kind: 'move', from: 'd21/.f14.AavSeW', path: 'd21/f14', entry: 'file', at },
    ],
    expected: [
      { kind: 'create', path: 'd21', entry: 'dir', at },
      { kind: 'create', path: 'd21/f14', entry: 'file', at },
    ],
  },
  {
    description: "the user's own changes and moves pass unchanged, names that only look alike too",
    events: [
      { kind: 'modify', path: 'notes.txt', entry: 'file', at },
      { kind: 'move', from: 'a/old', path: 'a/new', entry: 'dir', at },
      { kind: 'create', path: '.bashrc', entry: 'file', at },
      { kind: 'create', path: '.f.tmp', entry: 'file', at },
      { kind: 'delete', path: 'gone', entry: 'file', at },
      { kind: 'overflow', path: 'big', reason: 'queue overflow', at },
    ],
    expected: [
      { kind: 'modify', path: 'notes.txt', entry: 'file', at },
      { kind: 'move', from: 'a/old', path: 'a/new', entry: 'dir', at },
      { kind: 'create', path: '.bashrc', entry: 'file', at },
      { kind: 'create', path: '.f.tmp', entry: 'file', at },
      { kind: 'delete', path: 'gone', entry: 'file', at },
      { kind: 'overflow', path: 'big', reason: 'queue overflow', at },
    ],
  },
  {
    description: "a move of the user's onto a name like a temporary file stays a move (nothing is lost)",
    events: [{ kind: 'move', from: 'f', path: '.f.Q1w2E3', entry: 'file', at }],
    expected: [{ kind: 'move', from: 'f', path: '.f.Q1w2E3', entry: 'file', at }],
  },
];

describe('withoutPullEcho (every entry pulled)', () => {
  for (const testCase of cases) it(testCase.description, () => expect(withoutPullEcho(testCase.events, () => true)).toEqual(testCase.expected));
});

describe('PullEcho: the echo of a pull is known by the names it pulled', () => {
  const temp = (path: string): FsEvent => ({ kind: 'create', path, entry: 'file', at });

  it('drops temporary files of pulled entries and of entries below a pulled directory, and no others', () => {
    const echo = new PullEcho();
    echo.begin(['d21/f14', 'restored']);
    const events = [temp('d21/.f14.AavSeW'), temp('restored/deep/.f.Q1w2E3'), temp('d21/.f15.Q1w2E3'), temp('restoredx/.f.Q1w2E3')];
    expect(echo.filter(events, 5_000)).toEqual([temp('d21/.f15.Q1w2E3'), temp('restoredx/.f.Q1w2E3')]);
  });

  it('still drops them long after the pull ended (a loaded machine delivers events late), and lets them pass once the window is over', () => {
    const echo = new PullEcho();
    echo.begin(['d21/f24']);
    echo.end(10_000);
    expect(echo.filter([temp('d21/.f24.bv4hfR')], 10_000 + 5_000)).toEqual([]);
    expect(echo.filter([temp('d21/.f24.bv4hfR')], 10_000 + PULL_ECHO_MS)).toEqual([temp('d21/.f24.bv4hfR')]);
  });

  it('passes everything untouched when no pull ran', () => {
    const events = [temp('d21/.f24.bv4hfR')];
    expect(new PullEcho().filter(events, 0)).toBe(events);
  });
});
