import { describe, expect, it } from 'vitest';
import { PROFILES, type ClientSpec } from '../../core/index';
import { MODE_OPTIONS, PROFILE_OPTIONS, checkScript, modeOptionsFor, profileOf } from './clientForm';

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

  it('disables the passive choices for Windows ftp.exe, with the reason', () => {
    const w = modeOptionsFor('windows', 'passive');
    expect(w.options.filter((o) => o.disabled).map((o) => o.value)).toEqual(['passive', 'pasv', 'epsv']);
    expect(w.note).toMatch(/^Windows ftp\.exe has no passive mode: it always sends PORT/);
    expect(w.chosenMissing).toBe(true);
    expect(modeOptionsFor('windows', 'active').chosenMissing).toBe(false);
    const c = modeOptionsFor('curl', 'passive');
    expect(c.options.some((o) => o.disabled)).toBe(false);
    expect(c.note).toBeNull();
  });
});

describe('profileOf', () => {
  it('reads the program from a command line when the profile is not given', () => {
    expect(profileOf({ host: 'c', command: 'lftp -e "get readme.txt" 203.0.113.10' } as ClientSpec)).toBe('lftp');
    expect(profileOf({ host: 'c', profile: 'windows' } as ClientSpec)).toBe('windows');
  });
});
