import { defineConfig } from 'vite';

// The headless CLI: plain Node ESM with npm dependencies left external, so it runs without Electron.
export default defineConfig({
  build: {
    ssr: 'src-main/cli/main.ts',
    outDir: 'out/cli',
    target: 'node20',
    emptyOutDir: true,
    sourcemap: true,
    rollupOptions: { output: { format: 'es', entryFileNames: 'tidemark.js' } },
  },
});
