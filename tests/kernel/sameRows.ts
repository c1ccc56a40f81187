/**
 * tsx tests/kernel/sameRows.ts A.json B.json — do two kernel runs' results (test-results/kernel.json
 * from `--out`) hold the same rows: the same scenarios and checks, each with the same status and
 * the same texts? Used to show that a parallel run (--jobs N) finds what a sequential one
 * (--jobs 1) finds. Prints each difference; exits 1 when there is one.
 */
import { readFileSync } from 'node:fs';
import type { Row } from './compare';

/**
 * The differences between two runs' rows (none: []), each row keyed by scenario and check and,
 * for a check a world has twice (two `ls` steps), which one it is.
 */
export function rowDifferences(a: readonly Row[], b: readonly Row[]): string[] {
  const keyed = (rows: readonly Row[]) => {
    const n = new Map<string, number>();
    return new Map(
      rows.map((r) => {
        const k = `${r.scenario} | ${r.check}`;
        const i = (n.get(k) ?? 0) + 1;
        n.set(k, i);
        return [r, i === 1 ? k : `${k} (#${i})`];
      }),
    );
  };
  const ka = keyed(a);
  const kb = keyed(b);
  const key = (r: Row) => ka.get(r) ?? kb.get(r)!;
  const text = (r: Row) => `${r.status}: ${r.kernel}${r.sim !== '' ? ` | sim: ${r.sim}` : ''}${r.note ? ` [${r.note}]` : ''}`;
  const out: string[] = [];
  const mapB = new Map(b.map((r) => [key(r), r]));
  const seen = new Set<string>();
  for (const r of a) {
    const k = key(r);
    seen.add(k);
    const other = mapB.get(k);
    if (other === undefined) out.push(`${k}: only in the first run (${text(r)})`);
    else if (text(r) !== text(other)) out.push(`${k}:\n  first:  ${text(r)}\n  second: ${text(other)}`);
  }
  for (const r of b) if (!seen.has(key(r))) out.push(`${key(r)}: only in the second run (${text(r)})`);
  const orderA = a.map(key).filter((k) => mapB.has(k));
  const orderB = b.map(key).filter((k) => seen.has(k));
  if (orderA.join('\n') !== orderB.join('\n')) out.push('the rows are in a different order');
  return out;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const [fa, fb] = process.argv.slice(2);
  if (!fa || !fb) {
    console.log('usage: tsx tests/kernel/sameRows.ts FIRST.json SECOND.json');
    process.exit(2);
  }
  const rows = (f: string) => (JSON.parse(readFileSync(f, 'utf8')) as { rows: Row[] }).rows;
  const a = rows(fa);
  const diff = rowDifferences(a, rows(fb));
  for (const d of diff) console.log(d);
  console.log(diff.length === 0 ? `same rows (${a.length})` : `${diff.length} difference(s)`);
  process.exit(diff.length === 0 ? 0 : 1);
}
