import { describe, expect, it } from 'vitest';
import { PROFILES } from '../../core/index';
import { MODE_OPTIONS, PROFILE_OPTIONS, checkScript } from './clientForm';

describe('client editor choices', () => {
  it('offers every profile with its label from the profile table', () => {
    expect(PROFILE_OPTIONS.map((o) => o.value).sort()).toEqual(Object.keys(PROFILES).sort());
    for (const o of PROFILE_OPTIONS) expect(o.label).toBe(PROFILES[o.value].label);
    expect(MODE_OPTIONS[0]!.value).toBe('auto');
  });

  it('keeps valid lines and skips blank ones', () => {
    expect(checkScript('login\n\n  ls \nget readme.txt\nquit\n')).toEqual({ ok: true, lines: ['login', 'ls', 'get readme.txt', 'quit'] });
  });

  it('reports each bad line with its number', () => {
    expect(checkScript('login\nfetch x\nget\n')).toEqual({
      ok: false,
      errors: [
        { line: 2, message: expect.stringMatching(/unknown script command "fetch"/) },
        { line: 3, message: expect.stringMatching(/get takes one file name/) },
      ],
    });
  });
});
