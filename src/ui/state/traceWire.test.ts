import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { loadScenario, runScenario } from '../../core/index';
import { packRun, unpackRun } from './traceWire';

describe('a run packed for the worker boundary', () => {
  it.each(BUILTIN_SCENARIOS.slice(0, 6).map((b) => [b.id, b.json] as const))('%s: unpacks to the same trace and verdict, bytes in one buffer', (_id, json) => {
    const l = loadScenario(json);
    if (!l.ok) throw new Error('bad built-in');
    const run = runScenario(l.scenario);
    const packed = packRun(run);
    // What crosses is one string and one ArrayBuffer (transferable), whatever the trace's size.
    expect(typeof packed.meta).toBe('string');
    expect(packed.bytes).toBeInstanceOf(ArrayBuffer);
    const size = packed.bytes.byteLength;
    const back = unpackRun(packed);
    expect(back.verdict).toEqual(JSON.parse(JSON.stringify(run.verdict)));
    expect(back.trace.events.length).toBe(run.trace.events.length);
    run.trace.events.forEach((e, i) => {
      const b = back.trace.events[i]!;
      expect(b).toEqual(e);
    });
    // Every packet's bytes sit in the one buffer, nothing else does.
    let sum = 0;
    for (const e of run.trace.events) for (const f of ['bytes', 'before', 'after'] as const) sum += (e as unknown as Record<string, Uint8Array | undefined>)[f]?.length ?? 0;
    expect(size).toBe(sum);
    expect(back.trace.connections).toEqual(run.trace.connections);
    expect(back.trace.devices).toEqual(run.trace.devices);
  });
});
