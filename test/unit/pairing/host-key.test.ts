import { describe, expect, it } from 'vitest';
import { describeHostKey, parseHostKey } from '../../../src-main/services/pairing/host-key';

/** Keys made with ssh-keygen, with what `ssh-keygen -lf` printed for them. */
const keys = [
  { description: 'an Ed25519 key', line: 'ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIC0hTiiPqAvv130asG/dZte8sDrME3elsjt52T/RIuyA', keyType: 'ssh-ed25519', label: 'ED25519', fingerprint: 'SHA256:uoWGIvHSAKKkr6zqvVmVM30QMlmw3+TfbMjBuHz3DqU' },
  { description: 'an ECDSA key', line: 'ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBE2DFsqqolE5GP/oaVq6w/YykJDBj4wFXyA5opa/IATM97M0qp/ob9KMQQGXpSku6sutIMpQKyOUysvZBD+9Uck=', keyType: 'ecdsa-sha2-nistp256', label: 'ECDSA', fingerprint: 'SHA256:hh3XiwZ/lhSaENDdUn0riy2XPxlvzHzvvxF8piQKz2k' },
];

describe('parseHostKey', () => {
  for (const k of keys) {
    it(`reads ${k.description} as ssh-keygen -l prints it`, () => {
      const hostKey = parseHostKey(Buffer.from(k.line.split(' ')[1]!, 'base64'));
      if (hostKey instanceof Error) throw hostKey;
      expect(hostKey).toMatchObject({ keyType: k.keyType, label: k.label, fingerprint: k.fingerprint });
      expect(describeHostKey(hostKey)).toBe(`${k.label} key fingerprint is ${k.fingerprint}.`);
    });
  }

  const bad: { description: string; input: unknown }[] = [
    { description: 'not a buffer', input: 'ssh-ed25519 AAAA' },
    { description: 'too short', input: Buffer.from([0, 0]) },
    { description: 'a type length past the end', input: Buffer.from([0, 0, 0, 40, 0x61]) },
    { description: 'a type of control bytes', input: Buffer.from([0, 0, 0, 2, 1, 2]) },
  ];
  for (const b of bad) {
    it(`refuses a blob that is ${b.description}`, () => {
      expect(parseHostKey(b.input)).toBeInstanceOf(Error);
    });
  }
});
