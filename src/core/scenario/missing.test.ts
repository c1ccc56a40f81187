/**
 * Every required field of the scenario format, left out in turn, is reported as
 * `missing field "<name>"` at its path: never "undefined". The required fields are found by
 * walking the zod schema, so a field added later is covered without touching this test.
 */
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import { loadScenario } from './load';
import { scenarioFileSchema } from './schema';

type Path = (string | number)[];
type AnySchema = z.core.$ZodType;

/** Files that, between them, hold at least one of every object the format has (one client, or a list). */
function full(oneClient = false): Record<string, any> {
  const f = fullWithList();
  if (oneClient) {
    f.client = f.clients[0];
    delete f.clients;
  }
  return f;
}
function fullWithList(): Record<string, any> {
  return {
    name: 'every object',
    teaches: 'missing fields',
    seed: 1,
    tcp: { synSchedule: 'linux' },
    segments: [{ id: 'lan' }, { id: 'wan' }],
    hosts: [
      { id: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1', segment: 'lan', routes: [{ to: '10.0.0.0/8', via: '192.168.1.1' }], ftpHelper: { ports: [21] } },
      { id: 'srv', ip: '203.0.113.10/24', gateway: '203.0.113.1', segment: 'wan' },
    ],
    routers: [
      {
        id: 'edge',
        interfaces: [
          { name: 'eth0', ip: '192.168.1.1/24', segment: 'lan' },
          { name: 'eth1', ip: '203.0.113.1/24', segment: 'wan' },
        ],
        routes: [{ to: '10.9.0.0/16', via: '203.0.113.10' }],
        ftpHelper: { loose: true },
      },
    ],
    server: { host: 'srv', files: { '/pub/a.txt': { size: 10 } }, users: [{ name: 'ann', password: 'pw' }] },
    clients: [{ id: 'c1', host: 'client', profile: 'curl' }],
    expect: { outcome: 'success' },
  };
}

/** [path, field] for every required field of every object present in `value`, walking `schema` beside it. */
function requiredFields(schema: AnySchema, value: unknown, path: Path, out: [Path, string][], seen: Set<string>): void {
  const stack: [AnySchema, unknown, Path][] = [[schema, value, path]];
  while (stack.length) {
    const [s, v, p] = stack.pop()!;
    const def = s._zod.def as any;
    if (def.type === 'optional') stack.push([def.innerType, v, p]);
    else if (def.type === 'array' && Array.isArray(v)) v.forEach((x, i) => stack.push([def.element, x, [...p, i]]));
    else if (def.type === 'record' && v && typeof v === 'object') for (const [k, x] of Object.entries(v)) stack.push([def.valueType, x, [...p, k]]);
    else if (def.type === 'object' && v && typeof v === 'object') {
      for (const [k, child] of Object.entries(def.shape as Record<string, AnySchema>)) {
        const optional = (child._zod as any).optin === 'optional';
        const shapeKey = `${['', ...p.filter((x) => typeof x === 'string')].join('.')}.${k}`;
        if (!optional) {
          out.push([p, k]);
          seen.add(shapeKey);
        }
        if (k in (v as object)) stack.push([child, (v as any)[k], [...p, k]]);
      }
    }
  }
}

/** Every required field the schema declares, wherever it sits, whether or not a file holds it. */
function declaredRequired(schema: AnySchema, prefix: string, out: Set<string>): void {
  const stack: [AnySchema, string][] = [[schema, prefix]];
  while (stack.length) {
    const [s, p] = stack.pop()!;
    const def = s._zod.def as any;
    if (def.type === 'optional') stack.push([def.innerType, p]);
    else if (def.type === 'array') stack.push([def.element, p]);
    else if (def.type === 'record') stack.push([def.valueType, p]);
    else if (def.type === 'object')
      for (const [k, child] of Object.entries(def.shape as Record<string, AnySchema>)) {
        if ((child._zod as any).optin !== 'optional') out.add(`${p}.${k}`);
        stack.push([child, `${p}.${k}`]);
      }
  }
}

const formatPath = (p: Path): string => p.map((k, i) => (typeof k === 'number' ? `[${k}]` : i === 0 ? k : `.${k}`)).join('');

describe('a missing field says "missing field", for every required field of the format', () => {
  const fields: [Path, string, boolean][] = [];
  const seen = new Set<string>();
  for (const oneClient of [false, true]) {
    const found: [Path, string][] = [];
    requiredFields(scenarioFileSchema, full(oneClient), [], found, seen);
    for (const [p, k] of found) if (oneClient === false || p[0] === 'client') fields.push([p, k, oneClient]);
  }

  it('the example file is valid and holds every kind of object, so the walk covers every required field', () => {
    for (const oneClient of [false, true]) {
      const r = loadScenario(full(oneClient));
      expect(r.ok ? [] : r.errors).toEqual([]);
    }
    const declared = new Set<string>();
    declaredRequired(scenarioFileSchema, '', declared);
    expect([...seen].sort()).toEqual([...declared].sort());
    expect(fields.length).toBeGreaterThan(15);
  });

  it.each(fields.map(([p, k, one]) => [formatPath([...p, k]), p, k, one] as const))('%s', (where, p, k, oneClient) => {
    const f = full(oneClient);
    let cur: any = f;
    for (const key of p) cur = cur[key];
    delete cur[k];
    const r = loadScenario(JSON.stringify(f));
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const e = r.errors.find((x) => x.path === where);
    expect(e?.message, JSON.stringify(r.errors)).toMatch(new RegExp(`^missing field "${k}" \\(`));
    for (const x of r.errors) expect(x.message).not.toMatch(/undefined/);
  });

  it('a hole in a list, or undefined handed over in code, is missing too', () => {
    const f = full();
    f.routers[0].interfaces = [undefined, f.routers[0].interfaces[1]];
    f.clients[0].profile = undefined;
    f.expect.outcome = undefined;
    const r = loadScenario(f);
    expect(!r.ok && r.errors.map((e) => [e.path, e.message])).toEqual([
      ['routers[0].interfaces[0]', 'entry 0 is missing (an object { … })'],
      ['clients[0].profile', 'missing field "profile" (a client profile: curl, classic, inetutils, tnftp, filezilla, lftp, windows; or give the client as a "command" line)'],
      ['expect.outcome', 'missing field "outcome" (one of success, failure)'],
    ]);
  });
});
