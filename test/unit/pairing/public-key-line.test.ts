import { describe, expect, it } from 'vitest';
import { parsePublicKeyLine } from '../../../src-main/services/pairing/public-key-line';

const ED = 'AAAAC3NzaC1lZDI1NTE5AAAAIC0hTiiPqAvv130asG/dZte8sDrME3elsjt52T/RIuyA';

describe('parsePublicKeyLine', () => {
  it('reads a key line with a comment of several words', () => {
    expect(parsePublicKeyLine(`ssh-ed25519 ${ED} tidemark@my laptop\n`)).toEqual({
      keyType: 'ssh-ed25519', base64: ED, comment: 'tidemark@my laptop', keyText: `ssh-ed25519 ${ED}`, line: `ssh-ed25519 ${ED} tidemark@my laptop`,
    });
  });

  const bad: { description: string; input: unknown; message: RegExp }[] = [
    { description: 'not text', input: 42, message: /must be text/ },
    { description: 'two lines', input: `ssh-ed25519 ${ED}\nssh-ed25519 ${ED}`, message: /one line/ },
    { description: 'options before the type', input: `command="sh" ssh-ed25519 ${ED}`, message: /no base64 key/ },
    { description: 'a type that lies about the key', input: `ssh-rsa ${ED}`, message: /says ssh-rsa but holds a ssh-ed25519 key/ },
    { description: 'base64 that is no key', input: 'ssh-ed25519 AAAA', message: /is not a key/ },
  ];
  for (const b of bad) {
    it(`refuses ${b.description}`, () => {
      const result = parsePublicKeyLine(b.input);
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toMatch(b.message);
    });
  }
});
