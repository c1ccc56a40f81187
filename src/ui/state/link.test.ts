import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { customRoute, linkFor, openScenario, scenarioRoute } from './link';
import { parseRoute } from './route';

const b = BUILTIN_SCENARIOS.find((x) => x.id === 'seed-incident-pasv-range')!;
type F = { seed: number; server: { vsftpd: string[] } };

describe('links for what is on screen', () => {
  it('an unedited built-in is its id and step', () => {
    expect(linkFor(scenarioRoute({ ...b, seed: null }, b.json, 12, null))).toBe('#/scenario/seed-incident-pasv-range/step/12');
  });

  it('an edited built-in carries a short delta that reopens the same file', () => {
    const edited = structuredClone(b.json) as F;
    const lines = edited.server.vsftpd;
    lines[lines.indexOf('pasv_max_port=3300')] = 'pasv_max_port=3100';
    const hash = linkFor(scenarioRoute({ ...b, seed: 7 }, { ...edited, seed: 7 }, 40, 'presenter'));
    expect(hash).toMatch(/^#\/scenario\/seed-incident-pasv-range\/step\/40\?mode=presenter&seed=7&d=[A-Za-z0-9+\-$]+$/);
    expect(hash.length).toBeLessThan(160);
    const parsed = parseRoute(hash);
    if (!parsed.ok || parsed.route.page !== 'scenario') throw new Error('not a scenario route');
    expect(openScenario(parsed.route, BUILTIN_SCENARIOS)).toEqual({ ok: true, file: { ...edited, seed: 7 } });
  });

  it('a re-rolled seed travels as seed=, not in the delta, and reopens the same file', () => {
    const rolled = { ...(b.json as F), seed: 4242 };
    const hash = linkFor(scenarioRoute({ ...b, seed: null }, rolled, 3, null));
    expect(hash).toBe('#/scenario/seed-incident-pasv-range/step/3?seed=4242');
    const parsed = parseRoute(hash);
    if (!parsed.ok || parsed.route.page !== 'scenario') throw new Error('not a scenario route');
    expect(openScenario(parsed.route, BUILTIN_SCENARIOS)).toEqual({ ok: true, file: rolled });
    // Back to the built-in's own seed from a link that named another: seed= names it.
    expect(linkFor(scenarioRoute({ ...b, seed: 4242 }, { ...rolled, seed: (b.json as F).seed }, 0, null))).toBe('#/scenario/seed-incident-pasv-range/step/0?seed=1');
  });

  it('a scenario that is not a built-in travels whole', () => {
    const hash = linkFor(customRoute({ name: 'mine' }, 3, null));
    expect(hash).toMatch(/^#\/custom\/step\/3\?s=/);
  });

  it('a damaged delta or an unknown id says so', () => {
    const bad = openScenario({ page: 'scenario', id: b.id, step: null, mode: null, seed: null, delta: 'xyz' }, BUILTIN_SCENARIOS);
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.message).toMatch(/damaged or cut short/);
    expect(openScenario({ page: 'scenario', id: 'nope', step: null, mode: null, seed: null, delta: null }, BUILTIN_SCENARIOS)).toEqual({
      ok: false,
      message: 'There is no built-in scenario called "nope".',
    });
  });
});
