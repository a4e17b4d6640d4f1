// The I/O half of the changed-host-key message: the fingerprint of the key at one line of a
// known_hosts file, as ssh-keygen -l prints it (SHA256, base64 without padding).
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { PinnedLookup } from './ssh-failure';

export const readPinnedFingerprint: PinnedLookup = (file, line) => {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return null;
  }
  const fields = (text.split('\n')[line - 1] ?? '').trim().split(/\s+/);
  // [@marker] names type base64 [comment]
  const blob = fields[0]?.startsWith('@') ? fields[3] : fields[2];
  if (!blob || !/^[A-Za-z0-9+/]+=*$/.test(blob)) return null;
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
};
