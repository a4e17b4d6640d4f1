import { runCli } from './run-cli';

const code = await runCli(process.argv.slice(2), {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
});
process.exitCode = code;
// Exit promptly even if a closed watcher or child still holds a handle; output is flushed by then.
setTimeout(() => process.exit(code), 3000).unref();
