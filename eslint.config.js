// Lint with the layering rules of DESIGN.md: the core, keys, services, CLI and shared code never
// import electron; shared code and the renderer never import Node; the preload imports types only.
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((name) => `node:${name}`)];
const noElectron = { name: 'electron', message: 'Only src-main/app and the preload may import electron (DESIGN.md layering).' };
const noNodeMessage = 'This layer runs in a browser or must stay portable: no Node modules (DESIGN.md layering).';

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'release/**', '.bench/**', 'test-results/**'] },
  ...tseslint.configs.recommended,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/consistent-type-imports': 'error',
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: { parserOptions: { parser: tseslint.parser, extraFileExtensions: ['.svelte'] } },
  },
  {
    files: ['src-main/core/**', 'src-main/keys/**', 'src-main/cli/**', 'src-main/services/**'],
    rules: { '@typescript-eslint/no-restricted-imports': ['error', { paths: [noElectron] }] },
  },
  {
    // Pure stages: no I/O of any kind, so they can be table-tested without a filesystem.
    files: ['src-main/core/plan/**', 'src-main/core/queue/**', 'src-main/core/safety/**', 'src-main/core/transport/*-argv.ts', 'src-main/core/transport/exit-codes.ts', 'src-main/core/transport/rsyncd-failure.ts', 'src-main/core/transport/rsyncd-listing.ts', 'src-main/core/config/rsyncd-address.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: 'Pure core stage: inject I/O instead of importing Node (STYLE.md habit 1).', allowTypeImports: true }))],
      }],
    },
  },
  {
    files: ['src-shared/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: noNodeMessage }))],
      }],
    },
  },
  {
    files: ['src-renderer/**'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        paths: [noElectron, ...nodeBuiltins.map((name) => ({ name, message: noNodeMessage }))],
        patterns: [{ group: ['**/src-main/**'], message: 'The renderer reaches main only through window.api.' }],
      }],
    },
  },
  {
    files: ['src-main/preload/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [{ regex: '^(?!electron$).*', message: 'A sandboxed preload can load only electron: import types only.', allowTypeImports: true }],
      }],
    },
  },
);
