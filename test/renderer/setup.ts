import '@testing-library/jest-dom/vitest';
import { afterEach } from 'vitest';
import { cleanup } from '@testing-library/svelte';

// Without vitest globals, testing-library cannot register its own cleanup: unmount each test's tree.
afterEach(() => cleanup());
