import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { processAlive } from '../services/engine/profile-lock';

/** Writes our PID as lsyncd does; refuses when another live process already holds the file. */
export function writePidfile(path: string): void {
  let existing: number | null = null;
  try {
    existing = Number(readFileSync(path, 'utf8').trim()) || null;
  } catch {
    // no pidfile yet
  }
  if (existing !== null && existing !== process.pid && processAlive(existing)) {
    throw new Error(`pidfile ${path} names a running process (${existing}); is another tidemark running?`);
  }
  writeFileSync(path, `${process.pid}\n`, { mode: 0o644 });
}

export function removePidfile(path: string): void {
  try {
    if (Number(readFileSync(path, 'utf8').trim()) === process.pid) rmSync(path);
  } catch {
    // already gone
  }
}

