import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.{ts,tsx}', 'test/**/*.test.{ts,tsx}'],
    globalSetup: ['test/support/global-setup.ts'],
    testTimeout: 30_000,
    // setups start registries, PostgreSQL, chromium and desks; on a loaded 2-core machine that exceeds the 10 s default
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
