import { describe, expect, it } from 'vitest';
import { parsePublicKeyLine, sshKeygenFingerprint } from '../../../src-main/keys/fingerprint';

// A key made by `ssh-keygen -t ed25519 -C ''`, and the fingerprint `ssh-keygen -lf` printed for it.
const LINE = 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAICMY/WSvXlSqRQHy4cCzGg7RdKCtnSWFCeW1yo4aOLcy';
const FINGERPRINT = 'SHA256:2xLXJmLaMJZHucNjcLReUFPqMs+JtjVCkh1XuedACFg';

const cases: { description: string; line: string; expected: string | RegExp }[] = [
  { description: 'a comment with spaces is kept whole', line: `${LINE} a b c`, expected: `256 ${FINGERPRINT} a b c (ED25519)` },
  { description: 'no comment prints "no comment"', line: LINE, expected: `256 ${FINGERPRINT} no comment (ED25519)` },
  { description: 'a trailing newline is ignored', line: `${LINE} me@host\n`, expected: `256 ${FINGERPRINT} me@host (ED25519)` },
  { description: 'a type that disagrees with the blob is refused', line: LINE.replace('ssh-ed25519', 'ssh-rsa'), expected: /the key blob says "ssh-ed25519"/ },
  { description: 'a line without base64 is refused', line: 'ssh-ed25519', expected: /not a public key line/ },
  { description: 'an unsupported type is named', line: 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTY=', expected: /unsupported key type ecdsa-sha2-nistp256/ },
];

describe('sshKeygenFingerprint', () => {
  for (const testCase of cases) {
    it(testCase.description, () => {
      const result = sshKeygenFingerprint(testCase.line);
      if (testCase.expected instanceof RegExp) expect(result instanceof Error ? result.message : result).toMatch(testCase.expected);
      else expect(result).toBe(testCase.expected);
    });
  }

  it('parses the comment and the type', () => {
    expect(parsePublicKeyLine(`${LINE} x`)).toMatchObject({ type: 'ssh-ed25519', comment: 'x' });
  });
});
