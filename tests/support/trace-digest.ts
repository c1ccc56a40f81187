/**
 * Prints one line per built-in scenario × seed: a SHA-256 of its whole trace (every event,
 * every byte) and verdict. Run before and after a refactor and diff the output: a
 * behaviour-preserving change leaves every line the same.
 *
 *   npx tsx tests/support/trace-digest.ts [seed …]     (default seeds: 1 7 4242)
 */
import { createHash } from 'node:crypto';
import { loadScenario, runScenario } from '../../src/core/index';
import { BUILTIN_SCENARIOS } from '../../src/scenarios/index';

const seeds = process.argv.slice(2).map(Number);
if (seeds.length === 0) seeds.push(1, 7, 4242);

const replacer = (_k: string, v: unknown) => (v instanceof Uint8Array ? Buffer.from(v).toString('hex') : v);
for (const { id, json } of BUILTIN_SCENARIOS) {
  for (const seed of seeds) {
    const loaded = loadScenario({ ...(json as object), seed }, `${id}.json`);
    if (!loaded.ok) {
      console.log(`${id} seed=${seed} does-not-load`);
      continue;
    }
    const run = runScenario(loaded.scenario);
    const h = createHash('sha256').update(JSON.stringify(run.trace, replacer)).update(JSON.stringify(run.verdict, replacer)).digest('hex');
    console.log(`${id} seed=${seed} events=${run.trace.events.length} ${h.slice(0, 16)}`);
  }
}
