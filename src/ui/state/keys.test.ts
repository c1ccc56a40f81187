import { describe, expect, it } from 'vitest';
import { shortcutFor } from './keys';

const ev = (key: string, target: unknown = null, mods: Partial<KeyboardEvent> = {}) =>
  ({ key, target, altKey: false, ctrlKey: false, metaKey: false, defaultPrevented: false, ...mods }) as KeyboardEvent;
/** A target whose `closest` matches the selectors in the list that start with one of `matches`. */
const el = (matches: string[]) => ({ closest: (sel: string) => (matches.some((m) => sel.split(',').some((s) => s.trim().startsWith(m))) ? {} : null) });

describe('transport shortcuts', () => {
  it('clicker keys step like the arrows', () => {
    expect(shortcutFor(ev('PageDown'))).toBe('next');
    expect(shortcutFor(ev('PageUp'))).toBe('prev');
    expect(shortcutFor(ev('ArrowRight'))).toBe('next');
  });
  it('landmark jumps and presenter mode', () => {
    expect([']', '[', '}', '{', '>', '<', 'p', 'P'].map((k) => shortcutFor(ev(k)))).toEqual([
      'ftpNext',
      'ftpPrev',
      'connNext',
      'connPrev',
      'dropNext',
      'dropPrev',
      'presenter',
      'presenter',
    ]);
  });
  it('never while typing, and not with Ctrl/Cmd (those are the browser’s and undo’s)', () => {
    expect(shortcutFor(ev('ArrowRight', el(['input'])))).toBeNull();
    expect(shortcutFor(ev('p', el(['textarea'])))).toBeNull();
    expect(shortcutFor(ev('p', null, { ctrlKey: true }))).toBeNull();
  });
  it('Page keys scroll a panel that has focus instead of stepping', () => {
    expect(shortcutFor(ev('PageDown', el(['[role="tabpanel"]'])))).toBeNull();
    expect(shortcutFor(ev('ArrowRight', el(['[role="tabpanel"]'])))).toBe('next');
  });
});
