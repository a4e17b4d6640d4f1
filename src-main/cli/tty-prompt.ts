// One line from the terminal, with or without echo (a password): stdin in raw mode, the typed
// characters kept in memory only. Ctrl-C or Ctrl-D before Enter is an error, not an answer.

export interface PromptOptions {
  /** False for a password: nothing typed is shown. */
  readonly echo: boolean;
}

/** What was typed after the last answer's Enter (typed ahead), for the next prompt. */
let pending = '';

export function promptLine(question: string, options: PromptOptions): Promise<string> {
  const input = process.stdin;
  const output = process.stderr;
  if (!input.isTTY) return Promise.reject(new Error('stdin is not a terminal'));
  output.write(question);
  return new Promise((resolve, reject) => {
    let line = '';
    input.setRawMode(true);
    input.resume();
    const finish = (error?: Error) => {
      input.setRawMode(false);
      input.pause();
      input.off('data', onData);
      output.write('\n');
      if (error) reject(error);
      else resolve(line);
    };
    const onData = (chunk: Buffer | string) => {
      const chars = [...chunk.toString('utf8')];
      for (const [index, char] of chars.entries()) {
        if (char === '\r' || char === '\n') {
          pending = chars.slice(index + 1).join('').replace(/^\n/, '');
          return finish();
        }
        if (char === '\u0003' || char === '\u0004') return finish(new Error('cancelled'));
        if (char === '\u007f' || char === '\b') {
          if (line.length > 0 && options.echo) output.write('\b \b');
          line = line.slice(0, -1);
        } else {
          line += char;
          if (options.echo) output.write(char);
        }
      }
    };
    input.on('data', onData);
    if (pending !== '') {
      const ahead = pending;
      pending = '';
      onData(ahead);
    }
  });
}
