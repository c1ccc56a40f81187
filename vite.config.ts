import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';

export default defineConfig({
  plugins: [svelte()],
  publicDir: 'static',
  base: './',
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  build: { outDir: 'dist', target: 'es2022' },
  // The simulation runs in a module worker (src/ui/state/sim.worker.ts).
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    reporters: process.env.CI_JSON ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
