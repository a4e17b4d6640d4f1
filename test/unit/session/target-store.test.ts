import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { FsEvent, Plan } from '../../../src-shared/model/sync';
import { TargetStore } from '../../../src-main/core/daemon/target-store';
import { keepRulesFile } from '../../../src-main/core/safety/keep-rules';

const BASE = mkdtempSync(join(tmpdir(), 'tidemark-store-'));
afterAll(() => rmSync(BASE, { recursive: true, force: true }));
let dirs = 0;
/** A fresh state directory (not created yet: the store creates it). */
const freshDir = () => join(BASE, `t${++dirs}`, 'state');

const HOSTILE = 'hi\xff/nl\nname \\*[x]';
const plan = (over: Partial<Plan> = {}): Plan => ({ moves: [], sync: ['a'], deletes: [], allowDelete: true, full: false, ...over });

describe('TargetStore: keep and release', () => {
  const keepCases: { description: string; keeps: string[][]; kept: string[] }[] = [
    { description: 'one path', keeps: [['a']], kept: ['a'] },
    { description: 'sorted and deduplicated', keeps: [['b', 'a', 'b']], kept: ['a', 'b'] },
    { description: 'a child of a kept directory collapses into it', keeps: [['a'], ['a/b/c']], kept: ['a'] },
    { description: 'a parent kept later replaces its children', keeps: [['a/b', 'a/c', 'ab'], ['a']], kept: ['a', 'ab'] },
    { description: 'a sibling with a common prefix stays', keeps: [['a'], ['a-b', 'a.b']], kept: ['a', 'a-b', 'a.b'] },
    { description: 'hostile names stay byte for byte', keeps: [[HOSTILE, 'x']], kept: [HOSTILE, 'x'] },
  ];
  for (const c of keepCases) {
    it(`keep: ${c.description}`, () => {
      const store = new TargetStore(null);
      for (const paths of c.keeps) store.keep(paths);
      expect(store.kept).toEqual(c.kept);
    });
  }

  const releaseCases: { description: string; kept: string[]; release: string[] | 'all'; count: number; left: string[] }[] = [
    { description: 'one path', kept: ['a', 'b'], release: ['a'], count: 1, left: ['b'] },
    { description: 'a parent releases its children', kept: ['a/b', 'a/c/d', 'ab', 'b'], release: ['a'], count: 2, left: ['ab', 'b'] },
    { description: 'a child does not release its kept parent', kept: ['a'], release: ['a/b'], count: 0, left: ['a'] },
    { description: 'an unknown path releases nothing', kept: ['a'], release: ['z'], count: 0, left: ['a'] },
    { description: 'all', kept: ['a', 'b/c', HOSTILE], release: 'all', count: 3, left: [] },
    { description: 'all of nothing', kept: [], release: 'all', count: 0, left: [] },
    { description: 'a hostile name', kept: [HOSTILE, 'x'], release: [HOSTILE], count: 1, left: ['x'] },
  ];
  for (const c of releaseCases) {
    it(`release: ${c.description}`, () => {
      const store = new TargetStore(null);
      store.keep(c.kept);
      expect(store.release(c.release)).toBe(c.count);
      expect(store.kept).toEqual(c.left);
    });
  }

  it('has no rules file when nothing is kept; in memory, keeping needs a directory for one', () => {
    const store = new TargetStore(null);
    expect(store.rulesFile()).toBeNull();
    store.keep(['a']);
    expect(() => store.rulesFile()).toThrow(/state directory/);
    store.release('all');
    expect(store.rulesFile()).toBeNull();
  });

  it('writes the kept list and its rules file in its directory', () => {
    const dir = freshDir();
    const store = new TargetStore(dir);
    expect(store.rulesFile()).toBeNull();
    store.keep(['b*', HOSTILE]);
    const rules = store.rulesFile();
    expect(rules).toBe(join(dir, 'kept.rules'));
    expect(readFileSync(rules ?? '')).toEqual(keepRulesFile(['b*', HOSTILE]));
    expect(readFileSync(join(dir, 'kept'))).toEqual(Buffer.from(`b*\0${HOSTILE}\0`, 'latin1'));
    store.release('all');
    expect(store.rulesFile()).toBeNull();
    expect(readFileSync(join(dir, 'kept')).length).toBe(0);
    expect(readdirSync(dir).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps its directory and files private', () => {
    const dir = freshDir();
    const store = new TargetStore(dir);
    store.keep(['a']);
    store.writeAll([plan()], []);
    expect(statSync(dir).mode & 0o777).toBe(0o700);
    for (const name of ['kept', 'kept.rules', 'journal.json']) expect(statSync(join(dir, name)).mode & 0o777, name).toBe(0o600);
  });
});

describe('TargetStore: persistence', () => {
  const plans: Plan[] = [
    plan({ sync: ['a', HOSTILE], deletes: [HOSTILE], moves: [{ from: 'old\xfe', to: 'new\xfe', entry: 'file' }], landed: ['new\xfe'] }),
    plan({ sync: [], full: true, allowDelete: false }),
  ];
  const events: FsEvent[] = [
    { kind: 'create', path: HOSTILE, entry: 'file', at: 1 },
    { kind: 'move', from: 'x\x80', path: 'y\x81', entry: 'dir', at: 2 },
    { kind: 'overflow', path: '', reason: 'queue overflow', at: 3 },
  ];

  it('a new instance reads what the last one wrote, non-UTF-8 names exactly', () => {
    const dir = freshDir();
    const first = new TargetStore(dir);
    first.keep(['k\xff', 'nl\nk', 'k\xff/below']);
    first.writeAll(plans, events);

    const second = new TargetStore(dir);
    expect(second.kept).toEqual(['k\xff', 'nl\nk']);
    expect(second.journal).toEqual(plans);
    expect(second.journalEvents).toEqual(events);
    expect(second.rulesFile()).toBe(join(dir, 'kept.rules'));
    // Byte for byte: the latin1 chars are the raw bytes of the names.
    expect([...(second.journal[0]?.deletes[0] ?? '')].map((char) => char.charCodeAt(0))).toEqual([...Buffer.from(HOSTILE, 'latin1')]);
  });

  // The kept list and its rules file are two writes: a crash between them (or a lost
  // kept.rules) must not leave the newest kept entries unexcluded by rsync.
  it('a new instance has a rules file that matches the kept list, even when kept.rules is stale', () => {
    const dir = freshDir();
    const first = new TargetStore(dir);
    first.keep(['old']);
    const stale = readFileSync(join(dir, 'kept.rules'));
    first.keep(['new']);
    writeFileSync(join(dir, 'kept.rules'), stale); // as if killed between the two writes
    const second = new TargetStore(dir);
    expect(second.kept).toEqual(['new', 'old']);
    expect(readFileSync(second.rulesFile() ?? '')).toEqual(keepRulesFile(['new', 'old']));
  });

  it('an empty directory starts empty', () => {
    const store = new TargetStore(freshDir());
    expect(store.kept).toEqual([]);
    expect(store.journal).toEqual([]);
    expect(store.journalEvents).toEqual([]);
  });

  it('writeAll([], []) removes journal.json; plans or events alone keep it', () => {
    const dir = freshDir();
    const store = new TargetStore(dir);
    store.writeAll(plans, events);
    expect(existsSync(join(dir, 'journal.json'))).toBe(true);
    store.writeAll([], events);
    // The events still need it.
    expect(new TargetStore(dir).journalEvents).toEqual(events);
    expect(new TargetStore(dir).journal).toEqual([]);
    store.writeAll(plans, []);
    expect(new TargetStore(dir).journal).toEqual(plans);
    expect(new TargetStore(dir).journalEvents).toEqual([]);
    store.writeAll([], []);
    expect(existsSync(join(dir, 'journal.json'))).toBe(false);
    const again = new TargetStore(dir);
    expect(again.journal).toEqual([]);
    expect(again.journalEvents).toEqual([]);
  });

  it('copies the arrays it is given', () => {
    const store = new TargetStore(null);
    const list = [plan()];
    store.writeAll(list, []);
    list.push(plan({ sync: ['b'] }));
    expect(store.journal).toHaveLength(1);
  });

  const badJournals: { description: string; text: string; plans?: Plan[]; events?: FsEvent[] }[] = [
    { description: 'not JSON', text: '{"version":1,"plans":[' },
    { description: 'empty', text: '' },
    { description: 'null', text: 'null' },
    { description: 'a wrong version', text: JSON.stringify({ version: 2, plans: [plan()], events: [] }) },
    { description: 'no version', text: JSON.stringify({ plans: [plan()], events: [] }) },
    { description: 'plans not a list', text: JSON.stringify({ version: 1, plans: {}, events: [] }) },
    {
      description: 'invalid plans and events are dropped, valid ones kept',
      text: JSON.stringify({
        version: 1,
        plans: [plan(), { sync: ['x'] }, null, plan({ sync: [1] as unknown as string[] }), plan({ moves: [{ from: 'a' }] as unknown as Plan['moves'] })],
        events: [events[0], { kind: 'bogus', path: 'x' }, { kind: 'move', path: 'y' }, 7],
      }),
      plans: [plan()],
      events: [events[0] as FsEvent],
    },
    { description: 'events not a list', text: JSON.stringify({ version: 1, plans: [plan()], events: 'x' }), plans: [plan()] },
  ];
  for (const c of badJournals) {
    it(`a journal.json that is ${c.description} is ignored`, () => {
      const dir = freshDir();
      new TargetStore(dir).keep(['k']);
      writeFileSync(join(dir, 'journal.json'), c.text);
      const store = new TargetStore(dir);
      expect(store.journal).toEqual(c.plans ?? []);
      expect(store.journalEvents).toEqual(c.events ?? []);
      expect(store.kept).toEqual(['k']);
    });
  }
});

describe('TargetStore.dirFor and defaultBase', () => {
  it('names a target stably, by source and target', () => {
    const dir = TargetStore.dirFor('/base', '/src', 'web1:/srv/');
    expect(dir).toMatch(/^\/base\/targets\/[0-9a-f]{16}$/);
    expect(TargetStore.dirFor('/base', '/src', 'web1:/srv/')).toBe(dir);
    expect(TargetStore.dirFor('/other', '/src', 'web1:/srv/')).toBe(dir.replace('/base/', '/other/'));
    const others = [
      TargetStore.dirFor('/base', '/src2', 'web1:/srv/'),
      TargetStore.dirFor('/base', '/src', 'web2:/srv/'),
      TargetStore.dirFor('/base', '/src', 'web1:/srv'),
      TargetStore.dirFor('/base', 'web1:/srv/', '/src'),
      TargetStore.dirFor('/base', '/srcweb1:/srv/', ''),
    ];
    expect(new Set([dir, ...others]).size).toBe(others.length + 1);
  });

  const cases: { description: string; env: NodeJS.ProcessEnv; base: string }[] = [
    { description: 'TIDEMARK_STATE_DIR wins', env: { TIDEMARK_STATE_DIR: '/state', XDG_STATE_HOME: '/xdg' }, base: '/state' },
    { description: 'else XDG_STATE_HOME/tidemark', env: { XDG_STATE_HOME: '/xdg' }, base: '/xdg/tidemark' },
    { description: 'an empty TIDEMARK_STATE_DIR is unset', env: { TIDEMARK_STATE_DIR: '', XDG_STATE_HOME: '/xdg' }, base: '/xdg/tidemark' },
    { description: 'else ~/.local/state/tidemark', env: {}, base: join(homedir(), '.local', 'state', 'tidemark') },
    { description: 'an empty XDG_STATE_HOME is unset', env: { XDG_STATE_HOME: '' }, base: join(homedir(), '.local', 'state', 'tidemark') },
  ];
  for (const c of cases) {
    it(`defaultBase: ${c.description}`, () => expect(TargetStore.defaultBase(c.env)).toBe(c.base));
  }
});
