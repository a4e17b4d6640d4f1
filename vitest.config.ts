import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Four suites, each with its own environment and time budget. Integration and e2e suites use
// real processes (rsync, sshd, dbus, chromium), so they get generous per-test timeouts.
export default defineConfig({
  test: {
    reporters: ['default'],
    // Three files at a time on these 2-core machines: the integration and e2e suites mostly wait
    // on rsync, ssh, Chromium and the clock. One worker (vitest's default here) took 11 minutes
    // for the core alone; two took 12.6 minutes once the app's suites came (sum of the files'
    // times 1,299 s, so 1.7 files ran at once on average).
    maxWorkers: 3,
    projects: [
      {
        test: {
          name: 'unit',
          environment: 'node',
          include: ['test/unit/**/*.test.ts'],
        },
      },
      {
        plugins: [svelte({ configFile: new URL('./svelte.config.js', import.meta.url).pathname })],
        resolve: { conditions: ['browser'] },
        test: {
          name: 'renderer',
          environment: 'jsdom',
          include: ['test/renderer/**/*.test.ts'],
          setupFiles: ['test/renderer/setup.ts'],
        },
      },
      {
        test: {
          name: 'integration',
          environment: 'node',
          include: ['test/fixtures/**/*.test.ts', 'test/integration/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
      {
        test: {
          name: 'e2e',
          environment: 'node',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
