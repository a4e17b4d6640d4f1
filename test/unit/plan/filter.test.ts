import { describe, expect, it } from 'vitest';
import type { RelPath } from '../../../src-shared/model/sync';
import type { FilterRule } from '../../../src-main/core/config/model';
import { compileFilters } from '../../../src-main/core/plan/filter';

/** Rules written as in an rsync filter file: '- PATTERN' or '+ PATTERN' (the pattern as UTF-8 text). */
const rules = (...lines: string[]): FilterRule[] =>
  lines.map((line) => ({ action: line.startsWith('+') ? '+' : '-', pattern: line.slice(2) }));
/** A non-directory at `path`. */
const file = (path: RelPath) => ({ path, isDir: false });
/** A directory at `path`. */
const dir = (path: RelPath) => ({ path, isDir: true });

type Verdict = 'excluded' | 'included';
const cases: { description: string; rules: FilterRule[]; entry: { path: RelPath; isDir: boolean }; expected: Verdict }[] = [
  { description: 'no rules: everything is included', rules: [], entry: file('a.tmp'), expected: 'included' },
  { description: 'the root is never excluded', rules: rules('- *'), entry: dir(''), expected: 'included' },
  { description: 'a .tmp suffix excludes a file at the top', rules: rules('- *.tmp'), entry: file('a.tmp'), expected: 'excluded' },
  { description: 'a .tmp suffix excludes a file deep down (last component)', rules: rules('- *.tmp'), entry: file('d/sub/a.tmp'), expected: 'excluded' },
  { description: 'a .tmp suffix keeps a longer suffix', rules: rules('- *.tmp'), entry: file('a.tmp.txt'), expected: 'included' },
  { description: 'a .tmp suffix keeps the renamed file (x.tmp -> x)', rules: rules('- *.tmp'), entry: file('x'), expected: 'included' },
  { description: 'a .tmp dir excludes everything below it', rules: rules('- *.tmp'), entry: file('cache.tmp/a/b.c'), expected: 'excluded' },
  { description: 'first match wins: include before exclude', rules: rules('+ keep.tmp', '- *.tmp'), entry: file('keep.tmp'), expected: 'included' },
  { description: 'first match wins: exclude before include', rules: rules('- *.tmp', '+ keep.tmp'), entry: file('keep.tmp'), expected: 'excluded' },
  { description: 'an anchored name matches at the root', rules: rules('- /build'), entry: dir('build'), expected: 'excluded' },
  { description: 'an anchored name does not match deeper', rules: rules('- /build'), entry: dir('src/build'), expected: 'included' },
  { description: 'an unanchored name matches at any depth', rules: rules('- build'), entry: dir('src/build'), expected: 'excluded' },
  { description: 'a trailing slash matches a directory', rules: rules('- build/'), entry: dir('build'), expected: 'excluded' },
  { description: 'a trailing slash does not match a file', rules: rules('- build/'), entry: file('build'), expected: 'included' },
  { description: 'a file below a dir-only match is excluded (its ancestor is a dir)', rules: rules('- build/'), entry: file('src/build/out.o'), expected: 'excluded' },
  { description: 'an anchored dir matches below the root', rules: rules('- /a/b/'), entry: file('a/b/c'), expected: 'excluded' },
  { description: 'an anchored path does not float', rules: rules('- /a/b'), entry: file('x/a/b'), expected: 'included' },
  { description: 'a path with a slash matches trailing whole components', rules: rules('- a/b'), entry: file('x/a/b'), expected: 'excluded' },
  { description: 'a path with a slash does not match inside a component', rules: rules('- a/b'), entry: file('xa/b'), expected: 'included' },
  { description: '* stops at a slash', rules: rules('- src/*.o'), entry: file('src/sub/x.o'), expected: 'included' },
  { description: '* matches within a component', rules: rules('- src/*.o'), entry: file('src/x.o'), expected: 'excluded' },
  { description: '** crosses slashes', rules: rules('- /src/**.o'), entry: file('src/sub/deep/x.o'), expected: 'excluded' },
  { description: '** without a slash still matches across components', rules: rules('- b**z'), entry: file('a/b/c/z'), expected: 'excluded' },
  { description: '? matches one char', rules: rules('- a?c'), entry: file('abc'), expected: 'excluded' },
  { description: '? never matches a slash', rules: rules('- /a?c'), entry: file('a/c'), expected: 'included' },
  { description: 'a class matches a member', rules: rules('- [ab].txt'), entry: file('b.txt'), expected: 'excluded' },
  { description: 'a class rejects a non-member', rules: rules('- [ab].txt'), entry: file('c.txt'), expected: 'included' },
  { description: '[!x] negates', rules: rules('- [!ab].txt'), entry: file('c.txt'), expected: 'excluded' },
  { description: '[^x] negates too', rules: rules('- [^ab].txt'), entry: file('a.txt'), expected: 'included' },
  { description: 'a range in a class', rules: rules('- [0-9]*.log'), entry: file('7days.log'), expected: 'excluded' },
  { description: 'a POSIX class', rules: rules('- [[:digit:]][[:upper:]]'), entry: file('1A'), expected: 'excluded' },
  { description: 'a negated class never matches a slash', rules: rules('- /a[!x]b'), entry: file('a/b'), expected: 'included' },
  { description: "']' first in a class is a member", rules: rules('- x[]]'), entry: file('x]'), expected: 'excluded' },
  { description: "a name with ']' and no wildcard is a literal (lsyncd bug 6)", rules: rules('- a]'), entry: file('a]'), expected: 'excluded' },
  { description: "'[x]' is a class: it matches 'x'", rules: rules('- [x]'), entry: file('x'), expected: 'excluded' },
  { description: "'[x]' is a class: it does not match the name '[x]'", rules: rules('- [x]'), entry: file('[x]'), expected: 'included' },
  { description: "an escaped '\\[x]' matches the name '[x]'", rules: rules('- \\[x]'), entry: file('[x]'), expected: 'excluded' },
  { description: "an escaped '\\*' matches a literal star", rules: rules('- a\\*'), entry: file('a*'), expected: 'excluded' },
  { description: "an escaped '\\*' does not act as a wildcard", rules: rules('- a\\*'), entry: file('ab'), expected: 'included' },
  { description: 'a backslash in a literal pattern is kept (no wildcard, no escaping)', rules: rules('- a\\b'), entry: file('a\\b'), expected: 'excluded' },
  { description: 'a doubled backslash in a wildcard pattern is one backslash', rules: rules('- a\\\\*'), entry: file('a\\xyz'), expected: 'excluded' },
  { description: 'an unterminated class matches nothing', rules: rules('- [ab'), entry: file('[ab'), expected: 'included' },
  { description: 'a newline in a name: * matches it', rules: rules('- *.tmp'), entry: file('a\nb.tmp'), expected: 'excluded' },
  { description: 'a newline in a name: ? matches it', rules: rules('- a?b'), entry: file('a\nb'), expected: 'excluded' },
  { description: 'non-UTF-8 bytes in a name are matched byte by byte', rules: rules('- *.tmp'), entry: file('\xff\xfe.tmp'), expected: 'excluded' },
  { description: 'a UTF-8 pattern matches the bytes of the name', rules: rules('- café'), entry: file('caf\xc3\xa9'), expected: 'excluded' },
  { description: '? is one byte, so a two-byte é needs two', rules: rules('- caf?'), entry: file('caf\xc3\xa9'), expected: 'included' },
  { description: '?? matches the two bytes of é', rules: rules('- caf??'), entry: file('caf\xc3\xa9'), expected: 'excluded' },
  { description: 'a name with a leading dash', rules: rules('- -*'), entry: file('-rf'), expected: 'excluded' },
  { description: 'dir/*** matches the dir itself', rules: rules('- /cache/***'), entry: dir('cache'), expected: 'excluded' },
  { description: 'dir/*** matches the dir itself only as a directory', rules: rules('- /cache/***'), entry: file('cache'), expected: 'included' },
  { description: 'dir/*** matches everything below', rules: rules('- /cache/***'), entry: file('cache/a/b'), expected: 'excluded' },
  { description: 'dir/*** does not match a prefix sibling', rules: rules('- /cache/***'), entry: file('cachex'), expected: 'included' },
  { description: 'an include-only list keeps its subtree', rules: rules('+ /keep/***', '- *'), entry: file('keep/a/b'), expected: 'included' },
  { description: 'an include-only list drops the rest', rules: rules('+ /keep/***', '- *'), entry: file('other'), expected: 'excluded' },
  { description: 'an excluded ancestor wins over an include of the child', rules: rules('- /a/', '+ *.c'), entry: file('a/x.c'), expected: 'excluded' },
  { description: "'+ */' keeps walking dirs whose files are filtered", rules: rules('+ */', '+ *.c', '- *'), entry: file('src/lib/x.c'), expected: 'included' },
  { description: "'+ */' still drops the files not included", rules: rules('+ */', '+ *.c', '- *'), entry: file('src/lib/x.o'), expected: 'excluded' },
  { description: 'an unanchored dir/*** matches at any depth', rules: rules('- cache/***'), entry: dir('a/cache'), expected: 'excluded' },
  { description: "'/**/' needs at least one dir between (rsync has no zero-dir '**/')", rules: rules('- /a/**/b'), entry: file('a/b'), expected: 'included' },
  { description: "'/**/' matches with dirs between", rules: rules('- /a/**/b'), entry: file('a/x/y/b'), expected: 'excluded' },
  { description: 'a reversed range matches nothing but its first member', rules: rules('- [z-a]'), entry: file('m'), expected: 'included' },
  { description: "a '-' last in a class is a member", rules: rules('- x[a-]'), entry: file('x-'), expected: 'excluded' },
  { description: "an escaped ']' inside a class is a member", rules: rules('- x[\\]a]'), entry: file('x]'), expected: 'excluded' },
  { description: 'an unknown [:name:] matches nothing', rules: rules('- [[:bogus:]]'), entry: file('b'), expected: 'included' },
  { description: "'[[:' without ':]' reads '[' as a member", rules: rules('- [[:x]'), entry: file(':'), expected: 'excluded' },
  { description: "'***' alone matches everything", rules: rules('- ***'), entry: file('a/b'), expected: 'excluded' },
  { description: 'a * in the middle of a name with a newline and a high byte', rules: rules('- a*\xe9'), entry: file('a\n\xc3\xa9'), expected: 'excluded' },
  { description: 'an empty pattern matches nothing', rules: rules('- ', '- /'), entry: file('a'), expected: 'included' },
];

describe('rsync filter rules', () => {
  it.each(cases)('$description', ({ rules: list, entry, expected }) => {
    const verdict: Verdict = compileFilters(list).isExcluded(entry.path, entry.isDir) ? 'excluded' : 'included';
    expect(verdict).toBe(expected);
  });
});
