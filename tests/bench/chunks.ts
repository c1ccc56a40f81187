/**
 * The built app's JavaScript, sorted by when a browser fetches it (tests/bench/ui.ts prints it;
 * tests/e2e/bundle.spec.ts holds the first screen to its budget). Read from dist/ itself —
 * index.html and the chunks' own import statements — not from the bundler's report.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** The build measured: dist/, or another build's folder named by BENCH_DIST (to compare two builds A/B). */
export const DIST = process.env.BENCH_DIST ?? join(import.meta.dirname, '..', '..', 'dist');

/** The budget for the JS a first screen needs, gzipped. */
export const JS_BUDGET_GZIP_KB = 300;

export interface JsSet {
  files: string[];
  rawKB: number;
  gzipKB: number;
}

/** Size of some of dist/assets' JS files, raw and gzipped (level 9, each file on its own, as a server sends them). */
export function sizeOf(files: Iterable<string>): JsSet {
  const list = [...new Set(files)].sort();
  let raw = 0;
  let gz = 0;
  for (const f of list) {
    const bytes = readFileSync(join(DIST, 'assets', f));
    raw += bytes.length;
    gz += gzipSync(bytes, { level: 9 }).length;
  }
  return { files: list, rawKB: +(raw / 1024).toFixed(1), gzipKB: +(gz / 1024).toFixed(1) };
}

/**
 * The built JS, sorted by when the browser fetches it, read from dist/ itself (index.html and
 * the chunks' own import statements, not the bundler's word):
 * - initial: index.html's module script, its modulepreloads and everything they import statically;
 * - worker: the simulation worker (a `new Worker(new URL("…"))` in an initial chunk) and what it
 *   imports that the page has not already loaded — it starts as soon as a scenario is opened;
 * - lazy: the rest, fetched by `import()` when a screen needs it (editors, lessons, challenges…).
 */
export function jsChunks(): { initial: JsSet; worker: JsSet; lazy: JsSet; all: JsSet } {
  const dir = join(DIST, 'assets');
  const all = readdirSync(dir).filter((n) => n.endsWith('.js'));
  const html = readFileSync(join(DIST, 'index.html'), 'utf8');
  const fromHtml = [...html.matchAll(/<(?:script[^>]*\ssrc|link[^>]*rel="modulepreload"[^>]*\shref)="\.\/assets\/([^"]+\.js)"/g)].map((m) => m[1]!);
  if (fromHtml.length === 0) throw new Error('dist/index.html loads no script from assets/');
  const read = (f: string) => readFileSync(join(dir, f), 'utf8');
  // import{a as b}from"./x.js" · import"./x.js" · export{…}from"./x.js" (not import("./x.js"), which is lazy)
  const staticImports = (f: string) => [...read(f).matchAll(/\b(?:import|export)\s*(?:[\w$*{},\s]*?\bfrom\s*)?["'`]\.\/([^"'`]+\.js)["'`]/g)].map((m) => m[1]!);
  const closure = (roots: string[], skip: Set<string> = new Set()) => {
    const seen = new Set<string>();
    const todo = roots.filter((r) => !skip.has(r));
    while (todo.length) {
      const f = todo.pop()!;
      if (seen.has(f)) continue;
      if (!all.includes(f)) throw new Error(`${f} is imported but not in dist/assets`);
      seen.add(f);
      for (const g of staticImports(f)) if (!skip.has(g)) todo.push(g);
    }
    return seen;
  };
  const initial = closure(fromHtml);
  const workerRoots = [...initial].flatMap((f) => [...read(f).matchAll(/new Worker\(\s*new URL\(\s*["'`](?:\.\/)?([^"'`]+\.js)["'`]/g)].map((m) => m[1]!));
  if (workerRoots.length === 0) throw new Error('no chunk of the first screen makes the simulation worker (new Worker(new URL(…)))');
  const worker = closure(workerRoots, initial);
  const lazy = all.filter((f) => !initial.has(f) && !worker.has(f));
  return { initial: sizeOf(initial), worker: sizeOf(worker), lazy: sizeOf(lazy), all: sizeOf(all) };
}
