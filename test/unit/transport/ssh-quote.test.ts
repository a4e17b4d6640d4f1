import { describe, expect, it } from 'vitest';
import { joinRsh, remoteCommand, shellQuote, splitRsh } from '../../../src-main/core/transport/ssh-quote';

const HOSTILE = ['plain', 'with space', "it's", 'say "hi"', '$(touch PWNED)', '`id`', 'a\\b', 'new\nline', 'tab\there', '-rf', '', "both ' and \"", '*?[x]'];

describe('shellQuote', () => {
  const cases: { description: string; arg: string; expected: string }[] = [
    { description: 'a safe word stays bare', arg: '/srv/www-1.0', expected: '/srv/www-1.0' },
    { description: 'a space is quoted', arg: 'a b', expected: "'a b'" },
    { description: 'a single quote is closed, escaped and reopened', arg: "it's", expected: "'it'\\''s'" },
    { description: 'an empty argument survives as two quotes', arg: '', expected: "''" },
    { description: 'command substitution is inert', arg: '$(touch x)', expected: "'$(touch x)'" },
  ];
  for (const c of cases) it(c.description, () => expect(shellQuote(c.arg)).toBe(c.expected));
});

describe('remoteCommand through a real POSIX shell', () => {
  it('hands every hostile argument to the command byte for byte', async () => {
    const { execFileSync } = await import('node:child_process');
    // What ssh does on the far side: `sh -c "<the joined string>"`.
    const out = execFileSync('sh', ['-c', remoteCommand(['printf', '%s\\0', ...HOSTILE])], { cwd: '/' });
    expect(out.toString().split('\0').slice(0, -1)).toEqual(HOSTILE);
  });
});

describe('splitRsh (rsync main.c do_cmd)', () => {
  const cases: { description: string; rsh: string; expected: string[] }[] = [
    { description: 'words split on spaces, runs of spaces ignored', rsh: '/usr/bin/ssh  -l webuser   -p 22', expected: ['/usr/bin/ssh', '-l', 'webuser', '-p', '22'] },
    { description: 'the lsyncd tutorial form', rsh: '/usr/bin/ssh -l webuser -i /home/u/.ssh/id_rsa -o StrictHostKeyChecking=no', expected: ['/usr/bin/ssh', '-l', 'webuser', '-i', '/home/u/.ssh/id_rsa', '-o', 'StrictHostKeyChecking=no'] },
    { description: 'single quotes keep spaces', rsh: "ssh -i '/keys/my key'", expected: ['ssh', '-i', '/keys/my key'] },
    { description: 'double quotes keep spaces, mid-word too', rsh: 'ssh -oProxyCommand="nc %h %p"', expected: ['ssh', '-oProxyCommand=nc %h %p'] },
    { description: 'a doubled quote inside quotes is one quote', rsh: "ssh 'it''s'", expected: ['ssh', "it's"] },
    { description: 'backslashes are plain', rsh: 'ssh a\\b', expected: ['ssh', 'a\\b'] },
    { description: 'empty quotes are an empty word', rsh: "ssh ''", expected: ['ssh', ''] },
  ];
  for (const c of cases) it(c.description, () => expect(splitRsh(c.rsh)).toEqual(c.expected));
  it('refuses an unbalanced quote', () => expect(() => splitRsh("ssh -i 'key")).toThrow(/unbalanced ' in the rsh command/));
  it('joinRsh round-trips every hostile argument', () => expect(splitRsh(joinRsh(HOSTILE))).toEqual(HOSTILE));
});
