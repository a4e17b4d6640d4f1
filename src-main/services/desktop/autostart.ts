// Start at login, the freedesktop way: an XDG autostart entry, $XDG_CONFIG_HOME/autostart/
// tidemark.desktop. The entry's text is built by a pure function; writing it is atomic so that a
// session starting meanwhile never reads half a file.
import { randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

export const AUTOSTART_FILE = 'tidemark.desktop';

/** An argv word the Exec key cannot carry: the spec has no escape for control characters. */
export class AutostartCommandError extends Error {
  override name = 'AutostartCommandError';
}

// Desktop Entry Spec, "The Exec key": a word holding one of these must be double-quoted.
const RESERVED = /[\s"'\\><~|&;$*?#()`]/;
// Within double quotes, these four take a backslash.
const ESCAPED_IN_QUOTES = /["`$\\]/g;

/** One argv word, quoted as the Exec key wants it (before the string-value escaping). */
function execWord(word: string, index: number): string {
  const control = /[\u0000-\u001f\u007f]/.exec(word);
  if (control) {
    const name = control[0] === '\n' ? 'a newline' : `the control character U+${control[0].charCodeAt(0).toString(16).padStart(4, '0')}`;
    throw new AutostartCommandError(`cannot start ${JSON.stringify(word)} at login: argument ${index + 1} holds ${name}, which an autostart entry cannot carry; move the program to a path without it`);
  }
  if (/\p{Cs}/u.test(word)) throw new AutostartCommandError(`cannot start at login: argument ${index + 1} is not valid Unicode`);
  const quoted = word === '' || RESERVED.test(word) ? `"${word.replace(ESCAPED_IN_QUOTES, '\\$&')}"` : word;
  // A literal % would read as a field code (%f, %u...).
  return quoted.replaceAll('%', '%%');
}

/**
 * The Exec value for `command`. Two layers of escaping, in this order: the Exec key's quoting
 * rules, then the string-value rule that a backslash is written `\\` (so a backslash in a path
 * becomes four in the file, as the spec's own example shows).
 */
export function execValue(command: readonly string[]): string {
  if (command.length === 0) throw new AutostartCommandError('cannot start at login: the command is empty');
  // GLib looks the program up before it turns %% back into %, so a program path holding % is
  // "not found" and the entry never starts (seen with gio launch, GLib 2.74). env takes the
  // program as an argument instead, where %% is expanded as the spec says.
  const words = command.map(execWord);
  if (command[0]?.includes('%')) words.unshift('/usr/bin/env');
  return words.join(' ').replaceAll('\\', '\\\\');
}

/** The whole autostart entry for `command` (argv: the program, then its arguments). */
export function autostartEntry(command: readonly string[]): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    'Version=1.5',
    'Name=Tidemark',
    'Comment=Keep your folders mirrored to their targets',
    `Exec=${execValue(command)}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    'Hidden=false',
    '',
  ].join('\n');
}

/** Writes the entry (creating the directory); replaces an older one atomically. */
export async function enableAutostart(dir: string, command: readonly string[]): Promise<void> {
  const text = autostartEntry(command);
  await mkdir(dir, { recursive: true });
  const temporary = join(dir, `.${AUTOSTART_FILE}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await writeFile(temporary, text, { mode: 0o644, flag: 'wx' });
    // The umask may have taken bits away; a session manager must be able to read it.
    await chmod(temporary, 0o644);
    await rename(temporary, join(dir, AUTOSTART_FILE));
  } catch (error) {
    await rm(temporary, { force: true });
    throw error;
  }
}

/** Removes the entry; an entry already absent is what was asked. */
export async function disableAutostart(dir: string): Promise<void> {
  await rm(join(dir, AUTOSTART_FILE), { force: true });
}

/**
 * Whether the session will start Tidemark: the entry exists and is not switched off, either by
 * Hidden=true (the spec's way) or X-GNOME-Autostart-enabled=false (what GNOME Tweaks writes).
 */
export async function autostartEnabled(dir: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(join(dir, AUTOSTART_FILE), 'utf8');
  } catch (error) {
    // No entry, or no directory to hold one (a path through a file): nothing will start.
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return false;
    throw error;
  }
  const value = (key: string) => new RegExp(`^${key}\\s*=\\s*(.*?)\\s*$`, 'm').exec(text)?.[1];
  return value('Hidden') !== 'true' && value('X-GNOME-Autostart-enabled') !== 'false';
}
