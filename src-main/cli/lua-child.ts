// The daemon evaluates a Lua config in a short-lived child process of its own bundle: wasmoon
// keeps its WebAssembly memory (about 14 MB) resident after the engine is closed, in a worker
// thread too, and a daemon runs for months. The child answers with the JSON that
// rawConfigFromJson reads, so nothing but text crosses the boundary.
import { spawn } from 'node:child_process';
import { ConfigError } from '../core/config/model';
import { evaluateLuaToJson, rawConfigFromJson, type evaluateLuaConfig, type LuaLimits } from '../core/config/lua-sandbox';

/** The argument that makes the CLI's entry answer one config evaluation instead of running. */
export const LUA_CHILD_FLAG = '--tidemark-evaluate-lua-config';

interface Request {
  readonly source: string;
  readonly fileName: string;
  readonly limits: LuaLimits;
}

type Reply =
  | { readonly json: string }
  | { readonly configError: { readonly file: string; readonly line: number; readonly detail: string; readonly message: string } }
  | { readonly failure: string };

/** An evaluateLuaConfig that runs the Lua in a child process started from `entry` (the CLI's bundle). */
export function childEvaluator(entry: string): typeof evaluateLuaConfig {
  return (source, fileName, limits = {}) =>
    new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [entry, LUA_CHILD_FLAG], { stdio: ['pipe', 'pipe', 'inherit'] });
      const out: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      child.on('error', (error) => reject(new Error(`cannot start the config evaluator: ${error.message}`)));
      child.on('close', (code) => {
        let reply: Reply;
        try {
          reply = JSON.parse(Buffer.concat(out).toString('utf8')) as Reply;
        } catch {
          reject(new Error(`the config evaluator exited (${code}) without an answer`));
          return;
        }
        if ('json' in reply) {
          resolve(rawConfigFromJson(reply.json, source, fileName));
        } else if ('configError' in reply) {
          const error = new ConfigError({ file: reply.configError.file, line: reply.configError.line }, reply.configError.detail);
          error.message = reply.configError.message;
          reject(error);
        } else reject(new Error(reply.failure));
      });
      const request: Request = { source, fileName, limits };
      child.stdin.end(JSON.stringify(request));
    });
}

/** In the child: reads the request on stdin, answers on stdout. */
export async function answerConfigEvaluation(): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const request = JSON.parse(Buffer.concat(chunks).toString('utf8')) as Request;
  let reply: Reply;
  try {
    reply = { json: await evaluateLuaToJson(request.source, request.fileName, request.limits) };
  } catch (error) {
    reply = error instanceof ConfigError
      ? { configError: { file: error.origin.file, line: error.origin.line, detail: error.detail, message: error.message } }
      : { failure: error instanceof Error ? error.message : String(error) };
  }
  process.stdout.write(JSON.stringify(reply));
}
