/**
 * The house rules, checked on the source text (docs/architecture.md):
 * - the UI, the CLI and the teaching layer import the core only through src/core/index.ts;
 * - inside the core, imports point down the floors only: codec ← sim ← net ← tcp ← ftp ←
 *   scenario ← run ← explain ← the face (index.ts, runScenario.ts). Tests and testkits are
 *   exempt (a test may build a whole world).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, normalize, relative } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(new URL(import.meta.url).pathname), '..', '..');

function filesUnder(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(join(ROOT, dir))) {
    const rel = join(dir, name);
    if (statSync(join(ROOT, rel)).isDirectory()) out.push(...filesUnder(rel));
    else if (/\.(ts|svelte)$/.test(name)) out.push(rel);
  }
  return out;
}

/** Relative import specifiers of a file, resolved to repository paths (without extension). */
function importsOf(file: string): string[] {
  const text = readFileSync(join(ROOT, file), 'utf8');
  const specs = [...text.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bimport\s+)['"](\.{1,2}\/[^'"]+)['"]/g)].map((m) => m[1]!);
  return specs.map((s) => normalize(join(dirname(file), s)).replace(/\.(ts|js)$/, ''));
}

const isTestSupport = (f: string) => /\.(test|testkit)\.ts$/.test(f);

describe('the public face', () => {
  it('src/ui, src/cli and src/teach import nothing from src/core but src/core/index.ts', () => {
    const outside = ['src/ui', 'src/cli', 'src/teach'].flatMap((d) => {
      try {
        return filesUnder(d);
      } catch {
        return [];
      }
    });
    expect(outside.length).toBeGreaterThan(20);
    const deep = outside.flatMap((f) =>
      importsOf(f)
        .filter((t) => t.startsWith('src/core/') && t !== 'src/core/index')
        .map((t) => `${f} imports ${t}`),
    );
    expect(deep).toEqual([]);
  });
});

const FLOORS = ['codec', 'sim', 'net', 'tcp', 'ftp', 'scenario', 'run', 'explain'];
/** The floor of a core path: its folder's rank; the files at src/core's top (the face) are above all. */
const floorOf = (path: string): number => {
  const room = relative('src/core', path).split('/');
  return room.length === 1 ? FLOORS.length : FLOORS.indexOf(room[0]!);
};
/** FTP's own rooms: the client and each server stand side by side, on what they share (server/, ftps.ts). */
const ftpRoom = (path: string): string | null => {
  const parts = relative('src/core/ftp', path).split('/');
  return parts[0]!.startsWith('..') || parts.length === 1 ? null : parts[0]!;
};

describe('floors', () => {
  const core = filesUnder('src/core').filter((f) => f.endsWith('.ts') && !isTestSupport(f));

  it('every core file lives in a known room', () => {
    expect(core.filter((f) => floorOf(f) < 0)).toEqual([]);
  });

  it('imports inside the core point down (or stay on their floor)', () => {
    const up = core.flatMap((f) =>
      importsOf(f)
        .filter((t) => t.startsWith('src/core/') && floorOf(t) > floorOf(f))
        .map((t) => `${f} imports ${t}`),
    );
    expect(up).toEqual([]);
  });

  it('the FTP client and the servers do not import each other', () => {
    const across = core.flatMap((f) => {
      const from = ftpRoom(f);
      if (from === null) return [];
      return importsOf(f)
        .filter((t) => {
          const to = ftpRoom(t);
          return to !== null && to !== from && to !== 'server';
        })
        .map((t) => `${f} imports ${t}`);
    });
    expect(across).toEqual([]);
  });
});
