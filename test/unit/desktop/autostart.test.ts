import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AutostartCommandError, autostartEnabled, autostartEntry, disableAutostart, enableAutostart, execValue } from '../../../src-main/services/desktop/autostart';

describe('Exec quoting (Desktop Entry Spec)', () => {
  const cases: { description: string; command: string[]; expected: string }[] = [
    { description: 'plain words stay bare', command: ['/usr/bin/tidemark', '--autostart'], expected: '/usr/bin/tidemark --autostart' },
    { description: 'a space quotes the word', command: ['/opt/My Apps/tidemark'], expected: '"/opt/My Apps/tidemark"' },
    { description: 'a double quote is escaped inside quotes', command: ['/a"b'], expected: '"/a\\\\"b"' },
    { description: 'a single quote only needs the quotes', command: ["/ann's/tidemark"], expected: '"/ann\'s/tidemark"' },
    { description: 'a dollar is escaped, so no shell expands it', command: ['/a$HOME'], expected: '"/a\\\\$HOME"' },
    { description: 'a backtick is escaped', command: ['/a`id`'], expected: '"/a\\\\`id\\\\`"' },
    { description: 'a backslash is escaped twice (Exec rule, then string rule)', command: ['/a\\b'], expected: '"/a\\\\\\\\b"' },
    { description: 'a percent is doubled, quoted or not', command: ['/bin/x', '100%', '/a b%u'], expected: '/bin/x 100%% "/a b%%u"' },
    { description: 'other reserved characters quote the word', command: ['a;b', 'a|b', 'a&b', 'a>b', 'a<b', '~a', 'a*', 'a?', '#a', '(a)'], expected: '"a;b" "a|b" "a&b" "a>b" "a<b" "~a" "a*" "a?" "#a" "(a)"' },
    { description: 'a program path with % runs through env (GLib looks the program up before expanding %%)', command: ['/opt/100%/tidemark', 'x'], expected: '/usr/bin/env /opt/100%%/tidemark x' },
    { description: 'an empty argument survives as ""', command: ['/bin/x', ''], expected: '/bin/x ""' },
    { description: 'non-ASCII stays as it is', command: ['/home/josé/tidemark'], expected: '/home/josé/tidemark' },
  ];
  for (const testCase of cases) {
    it(testCase.description, () => expect(execValue(testCase.command)).toBe(testCase.expected));
  }

  const refused: { description: string; command: string[]; error: RegExp }[] = [
    { description: 'a newline', command: ['/opt/a\nb'], error: /argument 1 holds a newline, which an autostart entry cannot carry/ },
    { description: 'a tab', command: ['/bin/x', 'a\tb'], error: /argument 2 holds the control character U\+0009/ },
    { description: 'a carriage return', command: ['/bin/x\r'], error: /U\+000d/ },
    { description: 'a lone surrogate', command: ['/bin/\ud800'], error: /not valid Unicode/ },
    { description: 'an empty command', command: [], error: /the command is empty/ },
  ];
  for (const testCase of refused) {
    it(`refuses ${testCase.description}`, () => {
      expect(() => autostartEntry(testCase.command)).toThrow(AutostartCommandError);
      expect(() => autostartEntry(testCase.command)).toThrow(testCase.error);
    });
  }
});

describe('the entry', () => {
  it('is a valid autostart entry for the command', () => {
    expect(autostartEntry(['/opt/Tidemark/tidemark', '--autostart'])).toBe([
      '[Desktop Entry]',
      'Type=Application',
      'Version=1.5',
      'Name=Tidemark',
      'Comment=Keep your folders mirrored to their targets',
      'Exec=/opt/Tidemark/tidemark --autostart',
      'Terminal=false',
      'X-GNOME-Autostart-enabled=true',
      'Hidden=false',
      '',
    ].join('\n'));
  });
});

describe('enable, disable, enabled', () => {
  let root: string;
  let dir: string;
  beforeEach(async () => {
    root = await mkdtemp(join(tmpdir(), 'tidemark-autostart-'));
    dir = join(root, 'config', 'autostart');
  });
  afterEach(async () => rm(root, { recursive: true, force: true }));

  it('creates the directory and writes tidemark.desktop, mode 0644, no temp file left', async () => {
    const oldUmask = process.umask(0o077);
    try {
      await enableAutostart(dir, ['/usr/bin/tidemark']);
    } finally {
      process.umask(oldUmask);
    }
    expect(await readdir(dir)).toEqual(['tidemark.desktop']);
    expect((await stat(join(dir, 'tidemark.desktop'))).mode & 0o777).toBe(0o644);
    expect(await readFile(join(dir, 'tidemark.desktop'), 'utf8')).toBe(autostartEntry(['/usr/bin/tidemark']));
    expect(await autostartEnabled(dir)).toBe(true);
  });

  it('replaces an older entry', async () => {
    await enableAutostart(dir, ['/old/tidemark']);
    await enableAutostart(dir, ['/new/tidemark']);
    expect(await readFile(join(dir, 'tidemark.desktop'), 'utf8')).toContain('Exec=/new/tidemark\n');
    expect(await readdir(dir)).toEqual(['tidemark.desktop']);
  });

  it('writes nothing for a command it refuses', async () => {
    await expect(enableAutostart(dir, ['/a\nb'])).rejects.toThrow(AutostartCommandError);
    expect(await autostartEnabled(dir)).toBe(false);
  });

  it('disables by removing the entry; an absent entry or directory is fine', async () => {
    await disableAutostart(dir);
    await enableAutostart(dir, ['/usr/bin/tidemark']);
    await disableAutostart(dir);
    expect(await readdir(dir)).toEqual([]);
    expect(await autostartEnabled(dir)).toBe(false);
  });

  const switchedOff: { description: string; line: string }[] = [
    { description: 'Hidden=true (the spec)', line: 'Hidden=true' },
    { description: 'X-GNOME-Autostart-enabled=false (GNOME Tweaks)', line: 'X-GNOME-Autostart-enabled=false' },
  ];
  for (const testCase of switchedOff) {
    it(`an entry switched off by ${testCase.description} is not enabled`, async () => {
      await enableAutostart(dir, ['/usr/bin/tidemark']);
      const file = join(dir, 'tidemark.desktop');
      const text = await readFile(file, 'utf8');
      const key = testCase.line.split('=')[0] ?? '';
      await writeFile(file, text.replace(new RegExp(`^${key}=.*$`, 'm'), testCase.line));
      expect(await autostartEnabled(dir)).toBe(false);
    });
  }
});
