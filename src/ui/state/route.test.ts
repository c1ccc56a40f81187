import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatRoute, parseRoute, MAX_LINK_CHARS, type Route } from './route';

describe('route: the URL scheme', () => {
  it('reads every page', () => {
    expect(parseRoute('')).toEqual({ ok: true, route: { page: 'home' } });
    expect(parseRoute('#/scenario/passive-server-firewall-drop/step/12')).toEqual({
      ok: true,
      route: { page: 'scenario', id: 'passive-server-firewall-drop', step: 12, mode: null, delta: null, seed: null },
    });
    expect(parseRoute('#/lesson/two-connections/step/3?mode=presenter')).toEqual({ ok: true, route: { page: 'lesson', id: 'two-connections', step: 3, mode: 'presenter' } });
    expect(parseRoute('#/lesson/two-connections')).toEqual({ ok: true, route: { page: 'lesson', id: 'two-connections', step: 1, mode: null } });
    expect(parseRoute('#/challenge/seed-incident')).toEqual({ ok: true, route: { page: 'challenge', id: 'seed-incident', data: null, mode: null } });
    expect(parseRoute('#/challenge/custom?c=N4Ig+x')).toEqual({ ok: true, route: { page: 'challenge', id: 'custom', data: 'N4Ig+x', mode: null } });
    expect(parseRoute('#/glossary/conntrack')).toEqual({ ok: true, route: { page: 'glossary', term: 'conntrack' } });
  });

  it('keeps "+" in lz-string data (URLSearchParams would make it a space)', () => {
    const r = parseRoute('#/custom/step/4?s=N4Ig+abc');
    expect(r).toEqual({ ok: true, route: { page: 'custom', data: 'N4Ig+abc', step: 4, mode: null } });
  });

  it('opens legacy share links as /custom', () => {
    expect(parseRoute('#s=N4Ig&step=7')).toEqual({ ok: true, route: { page: 'custom', data: 'N4Ig', step: 7, mode: null } });
  });

  it('says what is wrong with a bad link, never throws', () => {
    const bad = [
      '#/nope',
      '#/scenario/',
      '#/scenario/x/step/abc',
      '#/scenario/x?mode=teacher',
      '#/lesson/a/step/0',
      '#/scenario/<b>x</b>',
      '#/scenario/x?seed=4294967296',
      '#s=',
      '#/challenge/custom',
    ];
    for (const h of bad) {
      const r = parseRoute(h);
      expect(r.ok, h).toBe(false);
      if (!r.ok) expect(r.message.length).toBeGreaterThan(10);
    }
    expect(parseRoute('#/custom?s=' + 'A'.repeat(MAX_LINK_CHARS))).toMatchObject({ ok: false, message: expect.stringContaining('not opened') });
  });

  it('round-trips: parseRoute(formatRoute(r)) = r', () => {
    const id = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,20}$/);
    const mode = fc.constantFrom(null, 'explore', 'trainee', 'presenter' as const);
    const data = fc.stringMatching(/^[A-Za-z0-9+$-]{1,40}$/);
    const route: fc.Arbitrary<Route> = fc.oneof(
      fc.constant({ page: 'home' as const }),
      fc.record({ page: fc.constant('scenario' as const), id, step: fc.option(fc.nat(1e6)), mode, delta: fc.option(data), seed: fc.option(fc.nat(0xffffffff)) }),
      fc.record({ page: fc.constant('custom' as const), data, step: fc.option(fc.nat(1e6)), mode }),
      fc.record({ page: fc.constant('lesson' as const), id, step: fc.integer({ min: 1, max: 99 }), mode }),
      fc.record({ page: fc.constant('challenge' as const), id: id.filter((s) => s !== 'custom'), data: fc.constant(null), mode }),
      fc.record({ page: fc.constant('glossary' as const), term: fc.option(id) }),
    );
    fc.assert(
      fc.property(route, (r) => {
        expect(parseRoute(formatRoute(r))).toEqual({ ok: true, route: r });
      }),
    );
  });

  it('never throws on any text', () => {
    fc.assert(fc.property(fc.string(), (s) => void parseRoute(s)));
  });
});
