import { describe, expect, it } from 'vitest';
import { ESLint } from 'eslint';

// Each case lints a snippet as if it lived at `filePath`, proving the layering rules of
// eslint.config.js bite: a rule broken on purpose must fail lint.
const cases: { description: string; filePath: string; code: string; expectViolation: boolean }[] = [
  { description: 'core may not import electron', filePath: 'src-main/core/session/x.ts', code: "import { app } from 'electron';\nexport const a = app;\n", expectViolation: true },
  { description: 'keys may not import electron', filePath: 'src-main/keys/x.ts', code: "import { safeStorage } from 'electron';\nexport const a = safeStorage;\n", expectViolation: true },
  { description: 'cli may not import electron', filePath: 'src-main/cli/x.ts', code: "import electron from 'electron';\nexport const a = electron;\n", expectViolation: true },
  { description: 'core may import node modules', filePath: 'src-main/core/session/x.ts', code: "import { readFile } from 'node:fs/promises';\nexport const a = readFile;\n", expectViolation: false },
  { description: 'a pure stage may not import node modules', filePath: 'src-main/core/plan/x.ts', code: "import { readFile } from 'node:fs/promises';\nexport const a = readFile;\n", expectViolation: true },
  { description: 'shared may not import node:*', filePath: 'src-shared/model/x.ts', code: "import { join } from 'node:path';\nexport const a = join;\n", expectViolation: true },
  { description: 'shared may not import bare node builtins', filePath: 'src-shared/model/x.ts', code: "import { join } from 'path';\nexport const a = join;\n", expectViolation: true },
  { description: 'renderer may not import node modules', filePath: 'src-renderer/lib/x.ts', code: "import { readFileSync } from 'fs';\nexport const a = readFileSync;\n", expectViolation: true },
  { description: 'renderer components may not import node modules', filePath: 'src-renderer/lib/X.svelte', code: "<script lang=\"ts\">\n  import { readFileSync } from 'node:fs';\n  export const a = readFileSync;\n</script>\n", expectViolation: true },
  { description: 'renderer may not reach into src-main', filePath: 'src-renderer/lib/x.ts', code: "import { runCli } from '../../src-main/cli/run-cli';\nexport const a = runCli;\n", expectViolation: true },
  { description: 'renderer may import shared schemas', filePath: 'src-renderer/lib/x.ts', code: "import { invoke } from '../../src-shared/ipc/contract';\nexport const a = invoke;\n", expectViolation: false },
  { description: 'preload may not import values from shared', filePath: 'src-main/preload/x.ts', code: "import { invoke } from '../../src-shared/ipc/contract';\nexport const a = invoke;\n", expectViolation: true },
  { description: 'preload may import types from shared', filePath: 'src-main/preload/x.ts', code: "import type { Api } from '../../src-shared/ipc/contract';\nexport type A = Api;\n", expectViolation: false },
  { description: 'preload may import electron', filePath: 'src-main/preload/x.ts', code: "import { ipcRenderer } from 'electron';\nexport const a = ipcRenderer;\n", expectViolation: false },
  { description: 'the app shell may import electron', filePath: 'src-main/app/x.ts', code: "import { app } from 'electron';\nexport const a = app;\n", expectViolation: false },
];

describe('layering lint rules', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  for (const testCase of cases) {
    // The first case loads eslint's whole config (typescript-eslint, svelte): seconds on a busy machine.
    it(testCase.description, { timeout: 60_000 }, async () => {
      const [result] = await eslint.lintText(testCase.code, { filePath: testCase.filePath });
      const layering = (result?.messages ?? []).filter((m) => m.ruleId === '@typescript-eslint/no-restricted-imports');
      const fatal = (result?.messages ?? []).filter((m) => m.fatal);
      expect(fatal, JSON.stringify(fatal)).toEqual([]);
      expect(layering.length > 0, JSON.stringify(result?.messages)).toBe(testCase.expectViolation);
    });
  }
});
