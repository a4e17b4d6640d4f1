import { fileURLToPath } from 'node:url';
import { answerConfigEvaluation, LUA_CHILD_FLAG } from './lua-child';
import { runCli } from './run-cli';

if (process.argv[2] === LUA_CHILD_FLAG) {
  // The child a daemon starts to evaluate its Lua config (cli/lua-child.ts).
  await answerConfigEvaluation();
} else {
  const code = await runCli(
    process.argv.slice(2),
    {
      stdout: (text) => process.stdout.write(text),
      stderr: (text) => process.stderr.write(text),
    },
    { luaChildEntry: fileURLToPath(import.meta.url) },
  );
  process.exitCode = code;
  // Exit promptly even if a closed watcher or child still holds a handle; output is flushed by then.
  setTimeout(() => process.exit(code), 3000).unref();
}
