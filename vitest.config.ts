import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Four suites, each with its own environment and time budget. Integration and e2e suites use
// real processes (rsync, sshd, dbus, chromium), so they get generous per-test timeouts.
export default defineConfig({
  test: {
    reporters: ['default'],
    // Two files at a time: the integration suites mostly wait on rsync, ssh and the clock, and
    // vitest's default on a 2-core machine (one worker) made the whole run close to 11 minutes.
    maxWorkers: 2,
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
