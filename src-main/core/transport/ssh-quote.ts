// Quoting for the two places where an argument must pass through a parser we do not control:
// the remote login shell (ssh joins its command arguments with spaces and hands the string to
// the remote shell), and rsync's own splitting of the `-e` command. Paths never pass through
// either: they travel NUL-separated on stdin. Pure: no node:* imports.

/** One POSIX shell word that the remote shell reads back as exactly `arg`. */
export function shellQuote(arg: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** The remote shell command line that runs exactly `argv` there. */
export function remoteCommand(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}

/**
 * Splits an rsync `-e`/`rsh` string into argv exactly as rsync does (main.c, do_cmd): words are
 * separated by spaces; single or double quotes keep spaces inside a word; inside quotes, the
 * quote character doubled stands for itself; backslashes are plain characters.
 */
export function splitRsh(rsh: string): string[] {
  const words: string[] = [];
  let i = 0;
  while (i < rsh.length) {
    if (rsh[i] === ' ') {
      i += 1;
      continue;
    }
    let word = '';
    let quote: string | null = null;
    while (i < rsh.length && (rsh[i] !== ' ' || quote)) {
      const ch = rsh[i]!;
      if (ch === "'" || ch === '"') {
        if (!quote) {
          quote = ch;
          i += 1;
          continue;
        }
        if (ch === quote && rsh[i + 1] !== quote) {
          quote = null;
          i += 1;
          continue;
        }
        if (ch === quote) i += 1; // a doubled quote: keep one
      }
      word += rsh[i];
      i += 1;
    }
    if (quote) throw new Error(`unbalanced ${quote} in the rsh command: ${rsh}`);
    words.push(word);
  }
  return words;
}

/** Joins argv into an rsync `-e` string that splitRsh (and rsync) read back as exactly `argv`. */
export function joinRsh(argv: readonly string[]): string {
  return argv.map((arg) => (arg !== '' && !/[ '"]/.test(arg) ? arg : `'${arg.replaceAll("'", "''")}'`)).join(' ');
}
