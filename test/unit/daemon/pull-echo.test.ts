import { describe, expect, it } from 'vitest';
import type { FsEvent } from '../../../src-shared/model/sync';
import { withoutPullEcho } from '../../../src-main/core/daemon/pull-echo';

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

describe('withoutPullEcho', () => {
  for (const testCase of cases) it(testCase.description, () => expect(withoutPullEcho(testCase.events)).toEqual(testCase.expected));
});
