import { defineConfig, type Plugin } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { dirname, join } from 'node:path';
import { availableParallelism } from 'node:os';

/**
 * Our own TypeScript modules only declare things at their top level (no registration, no
 * globals touched: src/core is pure by design), so a module none of whose exports is used can be
 * left out, and a module that imports the core's face (src/core/index.ts) depends only on the
 * modules whose exports it uses. Without this every module behind the face counts as a
 * dependency of every importer (a top-level `setup(...)` or `z.object(...)` might have side
 * effects), and the page's first chunk would carry the whole simulation engine.
 */
const treeshake = { moduleSideEffects: [{ test: /\/src\/(core|teach|scenarios|ui)\/.*\.ts$/, sideEffects: false }] };

/**
 * The simulation worker (src/ui/state/sim.worker.ts) built as a second entry of the page's own
 * bundle instead of Vite's separate worker bundle, so the code both need (the scenario loader,
 * zod, the parsers, the packet codec) is one shared chunk that the browser loads once, and the
 * worker adds only the engine. Vite's `new Worker(new URL('./sim.worker.ts', import.meta.url))`
 * in runner.ts is rewritten to the emitted chunk's URL; in dev and in Vitest it stays as written.
 * See docs/DECISIONS.md, "Bundle size (issue 16)".
 */
function workerSharesChunks(): Plugin {
  const pattern = /new Worker\(\s*new URL\(\s*'\.\/sim\.worker\.ts',\s*import\.meta\.url\s*\)\s*,/;
  return {
    name: 'sim-worker-shares-chunks',
    apply: 'build',
    enforce: 'pre',
    transform(code, id) {
      if (!id.endsWith('/src/ui/state/runner.ts')) return null;
      if (!pattern.test(code)) this.error("runner.ts no longer makes its worker with new Worker(new URL('./sim.worker.ts', import.meta.url), …): update vite.config.ts");
      const ref = this.emitFile({ type: 'chunk', id: join(dirname(id), 'sim.worker.ts'), name: 'sim.worker' });
      return { code: code.replace(pattern, `new Worker(import.meta.ROLLUP_FILE_URL_${ref},`), map: null };
    },
  };
}

/**
 * Shared chunks are named for what they hold (the bundler would name them after one of their
 * modules, e.g. "traceWire"): core-load (the scenario loader, zod, the parsers and the packet
 * codec: the page and the worker), core-engine (the simulation: the worker, and the lesson view
 * for its predict answers).
 */
function chunkFileNames(chunk: { moduleIds: string[] }): string {
  const has = (end: string) => chunk.moduleIds.some((id) => id.endsWith(end));
  if (has('/src/core/runScenario.ts')) return 'assets/core-engine-[hash].js';
  if (has('/src/core/scenario/load.ts')) return 'assets/core-load-[hash].js';
  return 'assets/[name]-[hash].js';
}

export default defineConfig({
  plugins: [svelte(), workerSharesChunks()],
  publicDir: 'static',
  base: './',
  resolve: process.env.VITEST ? { conditions: ['browser'] } : undefined,
  build: {
    outDir: 'dist',
    target: 'es2022',
    rolldownOptions: { treeshake, output: { chunkFileNames } },
  },
  // Dev only (a build makes the worker a chunk of the page's bundle, above).
  worker: { format: 'es' },
  test: {
    include: ['src/**/*.test.ts', 'tests/unit/**/*.test.ts', 'tests/fuzz/**/*.test.ts'],
    environment: 'node',
    // CI time (docs/DECISIONS.md, "CI time"): worker threads, every core (Vitest's default
    // leaves one idle: 1 worker on the 2-core CI machine), and the test files of a worker share
    // one module graph instead of importing the simulator again for each of 112 files (half the
    // CPU time). A file that changes a global undoes it (vi.unstubAllGlobals, vi.useRealTimers);
    // unstubGlobals/unstubEnvs below undo vi.stubGlobal/vi.stubEnv after every test as well.
    pool: 'threads',
    maxWorkers: availableParallelism(),
    isolate: false,
    unstubGlobals: true,
    unstubEnvs: true,
    testTimeout: 30_000,
    setupFiles: ['tests/support/quiet-xstate.ts'],
    reporters: process.env.CI_JSON ? ['default', ['json', { outputFile: 'reports/vitest.json' }]] : ['default'],
  },
});
