import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { exactExcludeRule, keepRulesFile, TRASH_DIR } from '../../../src-main/core/safety/keep-rules';

describe('exactExcludeRule', () => {
  const cases: { description: string; path: string; rule: string }[] = [
    { description: 'a plain name is anchored at the root', path: 'notes.txt', rule: '- /notes.txt' },
    { description: 'a nested path stays as it is', path: 'a/b/c', rule: '- /a/b/c' },
    { description: 'a backslash without wildcards is literal', path: 'back\\slash', rule: '- /back\\slash' },
    { description: 'spaces, # and a leading dash are literal', path: '-dash #hash sp ace ', rule: '- /-dash #hash sp ace ' },
    { description: 'a leading # or ; stays behind the rule (never a comment line)', path: '#x', rule: '- /#x' },
    { description: 'a leading ; too', path: '; rm -rf x', rule: '- /; rm -rf x' },
    { description: 'a newline is literal', path: 'nl\nname', rule: '- /nl\nname' },
    { description: 'a * is escaped', path: 'a*b', rule: '- /a\\*b' },
    { description: 'a ? is escaped', path: 'what?', rule: '- /what\\?' },
    { description: 'a [ is escaped, ] needs nothing', path: '[x]', rule: '- /\\[x]' },
    { description: 'with a wildcard, every backslash is escaped too', path: 'a\\*b', rule: '- /a\\\\\\*b' },
    { description: 'with a wildcard elsewhere, a lone backslash is escaped', path: 'dir\\x/f*', rule: '- /dir\\\\x/f\\*' },
    { description: 'high bytes stay latin1 chars', path: 'hi\xff', rule: '- /hi\xff' },
  ];
  for (const c of cases) {
    it(c.description, () => expect(exactExcludeRule(c.path)).toBe(c.rule));
  }
});

describe('keepRulesFile', () => {
  it('is one NUL-terminated rule per path, in latin1 bytes', () => {
    const bytes = keepRulesFile(['a', 'b*', 'hi\xff', 'nl\nx']);
    expect([...bytes]).toEqual([...Buffer.from('- /a\0- /b\\*\0- /hi\xff\0- /nl\nx\0', 'latin1')]);
    expect(bytes.includes(0xff)).toBe(true);
    expect(bytes.length).toBe(Buffer.from('- /a\0- /b\\*\0- /hi\xff\0- /nl\nx\0', 'latin1').length);
  });

  it('is empty for no paths', () => expect(keepRulesFile([]).length).toBe(0));

  it('names the trash directory', () => expect(TRASH_DIR).toBe('.tidemark-trash'));
});

describe('keepRulesFile with real rsync', () => {
  const DIR = mkdtempSync(join(tmpdir(), 'tidemark-keep-'));
  afterAll(() => rmSync(DIR, { recursive: true, force: true }));

  /** Lists a directory's names as latin1 byte strings, sorted. */
  const names = (dir: string) => readdirSync(dir, { encoding: 'buffer' }).map((name) => name.toString('latin1')).sort();

  const HOSTILE = ['a*b', 'a\\*b', '[x]', 'x', 'back\\slash', 'backXslash', 'sp ace ', 'sp ace', 'nl\nname', '#hash', ';semi', '; rm -rf x', '-dash', 'q?', 'qq', 'hi\xff', 'ab', 'dir*', 'cr\r', 'cr', ' lead', 'lead', '!', '***', 'a**'];

  const cases: { description: string; keep: string[] }[] = [
    { description: 'wildcard names match only themselves', keep: ['a*b', 'q?', '[x]'] },
    { description: 'a backslash with and without wildcards', keep: ['a\\*b', 'back\\slash'] },
    { description: 'trailing space, newline, #, dash, high byte', keep: ['sp ace ', 'nl\nname', '#hash', '-dash', 'hi\xff'] },
    { description: 'names that begin with ; (a comment in a merge file, were a rule to begin with it)', keep: [';semi', '; rm -rf x'] },
    { description: 'carriage return, leading space, ! and stars', keep: ['cr\r', ' lead', '!', '***'] },
    { description: 'a directory and something inside another one', keep: ['dir*', 'sub/[k]'] },
    { description: 'everything', keep: [...HOSTILE, 'sub'] },
    { description: 'nothing', keep: [] },
  ];

  cases.forEach((c, index) => {
    it(`protects exactly the kept entries: ${c.description}`, () => {
      const root = join(DIR, String(index));
      const src = join(root, 'src');
      const dst = join(root, 'dst');
      mkdirSync(join(src, 'sub'), { recursive: true });
      mkdirSync(join(dst, 'sub'), { recursive: true });
      writeFileSync(join(src, 'shared'), 's');
      writeFileSync(join(src, 'sub', 'shared'), 's');
      for (const name of HOSTILE) {
        if (name === 'dir*') {
          mkdirSync(join(dst, name));
          writeFileSync(join(dst, name, 'inner'), 'i');
        } else writeFileSync(Buffer.from(join(dst, name), 'latin1'), 'target only');
      }
      for (const name of ['[k]', 'k', 'other']) writeFileSync(join(dst, 'sub', name), 'target only');
      const rules = join(root, 'keep.rules');
      writeFileSync(rules, keepRulesFile(c.keep));

      execFileSync('rsync', ['-r', '--delete', '--from0', `--filter=merge ${rules}`, `${src}/`, `${dst}/`], { env: { ...process.env, LC_ALL: 'C' } });

      const keptTop = c.keep.filter((path) => !path.startsWith('sub/'));
      expect(names(dst)).toEqual([...new Set(['shared', 'sub', ...keptTop])].sort());
      // A kept directory is neither sent into nor deleted from: it stays as the target had it.
      const keptSub = c.keep.filter((path) => path.startsWith('sub/')).map((path) => path.slice(4));
      expect(names(join(dst, 'sub'))).toEqual(c.keep.includes('sub') ? ['[k]', 'k', 'other'] : ['shared', ...keptSub].sort());
      if (c.keep.includes('dir*')) expect(names(join(dst, 'dir*'))).toEqual(['inner']);
    });
  });
});
