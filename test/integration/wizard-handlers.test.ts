// The wizard's three helpers through the contract router, on temporary directories: the aliases
// of ~/.ssh/config (Include followed, patterns skipped, each resolved by ssh -G), the folders
// below a path, and the filter preview, whose verdicts are compared with rsync's own.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InvokeOutput } from '../../src-shared/ipc/contract';
import { routeInvoke } from '../../src-main/services/contract-router';
import { wizardHandlers } from '../../src-main/services/handlers/wizard-handlers';

let base: string;
beforeEach(async () => {
  base = await mkdtemp(join(tmpdir(), 'tidemark-wizard-'));
});
afterEach(async () => rm(base, { recursive: true, force: true }));

/** The handlers as a face serves them, for a HOME below the test's directory. */
const call = <C extends 'pairing:ssh-aliases' | 'fs:dirs' | 'filters:preview'>(channel: C, input: unknown, home = join(base, 'home')) =>
  routeInvoke(wizardHandlers({ env: { HOME: home } }), channel, input) as Promise<InvokeOutput<C>>;

/** Writes `files` (relative path → text; a path ending in / is a directory) below `root`. */
async function tree(root: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    if (path.endsWith('/')) await mkdir(join(root, path), { recursive: true });
    else {
      await mkdir(join(root, path, '..'), { recursive: true });
      await writeFile(join(root, path), text);
    }
  }
}

describe('pairing:ssh-aliases', () => {
  it('lists the concrete Host names of ~/.ssh/config and what it includes, each resolved by ssh -G', async () => {
    const ssh = join(base, 'home', '.ssh');
    const absolute = join(base, 'elsewhere.conf');
    await tree(ssh, {
      config: [
        '# my servers',
        `Include ${absolute}`,
        'Include conf.d/*.conf',
        'Include missing-file',
        'Host web web-alias',
        '  HostName web.example.org',
        '  User deploy',
        '  Port 2222',
        'Host *.internal !bastion db?',
        '  User nobody',
        'Host=backup',
        '  HostName 10.0.0.7',
        'Host web',
        '',
      ].join('\n'),
      'conf.d/a.conf': 'Host from-include\n  HostName inc.example.org\n',
      'conf.d/ignored.txt': 'Host never-listed\n',
    });
    await writeFile(absolute, 'Host "quoted"\n  Port 2200\n');
    const aliases = await call('pairing:ssh-aliases', {});
    expect(aliases.map((alias) => alias.alias)).toEqual(['quoted', 'from-include', 'web', 'web-alias', 'backup']);
    expect(aliases[0]).toMatchObject({ alias: 'quoted', hostname: 'quoted', port: 2200 });
    // ssh reads a relative Include below the account's own ~/.ssh, so only the name is sure here.
    expect(aliases[1]!.alias).toBe('from-include');
    expect(aliases[2]).toEqual({ alias: 'web', hostname: 'web.example.org', user: 'deploy', port: 2222 });
    expect(aliases[3]).toMatchObject({ hostname: 'web.example.org', port: 2222 });
    expect(aliases[4]).toMatchObject({ alias: 'backup', hostname: '10.0.0.7', port: 22 });
  });

  it('a HOME without ~/.ssh/config has no aliases', async () => {
    expect(await call('pairing:ssh-aliases', {})).toEqual([]);
  });

  it('an Include cycle ends', async () => {
    await tree(join(base, 'home', '.ssh'), { config: 'Host one\nInclude config\nInclude other\n', other: 'Host two\nInclude config\n' });
    expect((await call('pairing:ssh-aliases', {})).map((alias) => alias.alias)).toEqual(['one', 'two']);
  });
});

describe('fs:dirs', () => {
  it('lists the folders of a path (not its files), plain names first and hidden ones last, with its parent', async () => {
    await tree(base, { 'pick/zeta/': '', 'pick/Alpha/': '', 'pick/.cache/': '', 'pick/beta/': '', 'pick/file.txt': 'x', 'pick/.hidden-file': 'x' });
    await symlink(join(base, 'pick', 'beta'), join(base, 'pick', 'link-to-beta'));
    await symlink(join(base, 'pick', 'file.txt'), join(base, 'pick', 'link-to-file'));
    expect(await call('fs:dirs', { path: `${join(base, 'pick')}/` })).toEqual({
      path: join(base, 'pick'),
      parent: base,
      dirs: ['Alpha', 'beta', 'link-to-beta', 'zeta', '.cache'],
      truncated: false,
    });
    expect((await call('fs:dirs', { path: '/' })).parent).toBeNull();
  });

  it('says what to do about a missing path or a file', async () => {
    await writeFile(join(base, 'plain.txt'), 'x');
    await expect(call('fs:dirs', { path: join(base, 'nothing-here') })).rejects.toThrow(`there is no folder ${join(base, 'nothing-here')}: check the path`);
    await expect(call('fs:dirs', { path: join(base, 'plain.txt') })).rejects.toThrow('is a file, not a folder: choose the folder that holds it');
    await expect(call('fs:dirs', { path: 'relative/path' })).rejects.toThrow(/an absolute path/);
  });

  it('stops at 2,000 folders and says so', async () => {
    await mkdir(join(base, 'many'));
    await Promise.all(Array.from({ length: 2001 }, (_, i) => mkdir(join(base, 'many', `d${String(i).padStart(4, '0')}`))));
    const listed = await call('fs:dirs', { path: join(base, 'many') });
    expect(listed.dirs).toHaveLength(2000);
    expect(listed.dirs[0]).toBe('d0000');
    expect(listed.truncated).toBe(true);
  });
});

describe('filters:preview', () => {
  const files = {
    'README.md': 'r',
    'app.log': 'l',
    'keep.log': 'k',
    'src/main.ts': 'm',
    'src/debug.log': 'd',
    'src/node_modules/': '',
    'node_modules/a/index.js': 'a',
    'node_modules/b/index.js': 'b',
    'build/out.js': 'o',
    'docs/build/page.html': 'p',
    'notes/todo.txt': 't',
  };
  const rules = ['+ keep.log', '- *.log', '- node_modules/', '- /build', '- notes/***'];

  it('reports each excluded path with the rule that decided it; an excluded directory is listed once and its contents counted', async () => {
    const source = join(base, 'src');
    await tree(source, files);
    const preview = await call('filters:preview', { source, filters: rules });
    expect(preview.excluded).toEqual([
      { path: 'app.log', dir: false, rule: '- *.log' },
      { path: 'build', dir: true, rule: '- /build' },
      { path: 'node_modules', dir: true, rule: '- node_modules/' },
      { path: 'notes', dir: true, rule: '- notes/***' },
      { path: 'src/debug.log', dir: false, rule: '- *.log' },
      { path: 'src/node_modules', dir: true, rule: '- node_modules/' },
    ]);
    // 19 entries in all; included: README.md keep.log src src/main.ts docs docs/build docs/build/page.html.
    expect(preview).toMatchObject({ scanned: 19, included: 7, truncated: false });
  });

  it('agrees with rsync about every path', async () => {
    const source = join(base, 'src');
    await tree(source, { ...files, 'héllo wörld/x.log': 'x', 'héllo wörld/y.txt': 'y', 'deep/a/b/c/node_modules/z': 'z', 'deep/a/keep.log': 'k' });
    const preview = await call('filters:preview', { source, filters: rules, limit: 5000 });
    const excluded = preview.excluded.map((entry) => entry.path);
    const all = (execFileSync('find', ['.', '-mindepth', '1'], { cwd: source, encoding: 'utf8' })).split('\n').filter(Boolean).map((path) => path.slice(2));
    const ours = all.filter((path) => !excluded.some((dir) => path === dir || path.startsWith(`${dir}/`))).sort();
    const dry = execFileSync('rsync', ['-r', '-n', '--out-format=%n', ...rules.flatMap((rule) => ['--filter', rule]), `${source}/`, join(base, 'nowhere')], { encoding: 'utf8' });
    const theirs = dry.split('\n').filter((line) => line !== '' && line !== './').map((line) => line.replace(/\/$/, '')).sort();
    expect(ours).toEqual(theirs);
    expect(preview.included).toBe(theirs.length);
  });

  it('names a rule that is not one, and a source that is missing', async () => {
    const source = join(base, 'src');
    await tree(source, files);
    await expect(call('filters:preview', { source, filters: ['- ok', 'node_modules'] })).rejects.toThrow(/rule 2 \("node_modules"\): must be a rule: '- PATTERN' to exclude/);
    await expect(call('filters:preview', { source: join(base, 'gone'), filters: [] })).rejects.toThrow(`there is no folder ${join(base, 'gone')}`);
  });

  it('stops after 20,000 entries and lists at most `limit` of them', async () => {
    const source = join(base, 'src');
    for (let dir = 0; dir < 21; dir++) {
      await mkdir(join(source, `d${dir}`), { recursive: true });
      await Promise.all(Array.from({ length: 1000 }, (_, i) => writeFile(join(source, `d${dir}`, `f${i}.tmp`), '')));
    }
    const preview = await call('filters:preview', { source, filters: ['- *.tmp'], limit: 10 });
    expect(preview.truncated).toBe(true);
    expect(preview.scanned).toBe(20_000);
    expect(preview.excluded).toHaveLength(10);
    // The 21 folders at the top are read before the files below them.
    expect(preview.included).toBe(21);
  }, 60_000);
});
