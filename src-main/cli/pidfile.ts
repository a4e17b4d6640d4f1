import { readFileSync, rmSync, writeFileSync } from 'node:fs';

/** Writes our PID as lsyncd does; refuses when another live process already holds the file. */
export function writePidfile(path: string): void {
  let existing: number | null = null;
  try {
    existing = Number(readFileSync(path, 'utf8').trim()) || null;
  } catch {
    // no pidfile yet
  }
  if (existing !== null && existing !== process.pid && isAlive(existing)) {
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

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
