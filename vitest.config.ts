import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// Four suites, each with its own environment and time budget. Integration and e2e suites use
// real processes (rsync, sshd, dbus, chromium), so they get generous per-test timeouts.
export default defineConfig({
  test: {
    reporters: ['default'],
    // Two files at a time on these 2-core machines: the suites mostly wait on rsync, ssh,
    // Chromium and the clock. One worker (vitest's default here) took 11 minutes for the core
    // alone; three took as long as two (755 s) with the app's suites, the CPU being the limit,
    // and made timing-sensitive tests wait longer.
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
          // A page answers within a second on a quiet machine; with three suites at once on two
          // cores it can take several, so expect.poll waits up to 15 s unless a test says more.
          expect: { poll: { timeout: 15_000, interval: 100 } },
          testTimeout: 120_000,
          hookTimeout: 60_000,
          pool: 'forks',
        },
      },
    ],
  },
});
