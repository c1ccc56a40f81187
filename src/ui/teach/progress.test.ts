import { describe, expect, it } from 'vitest';
import { PROGRESS_KEY, emptyProgress, loadProgress, parseProgress, recordAnswer, saveProgress } from './progress';

describe('lesson progress', () => {
  it('round-trips through storage and keeps the first answer and the tries', () => {
    const store = new Map<string, string>();
    const storage = { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) };
    let p = emptyProgress();
    p = recordAnswer(p, 'passive-mode', 2, '50070', false);
    p = recordAnswer(p, 'passive-mode', 2, '50069', true);
    p.done['passive-mode'] = true;
    saveProgress(p, storage);
    expect(store.has(PROGRESS_KEY)).toBe(true);
    expect(loadProgress(storage)).toEqual({ done: { 'passive-mode': true }, step: {}, answers: { 'passive-mode': { 2: { first: '50070', right: true, tries: 2 } } } });
  });
  it('ignores broken or foreign data', () => {
    expect(parseProgress('not json')).toEqual(emptyProgress());
    expect(parseProgress('[1]')).toEqual(emptyProgress());
    expect(parseProgress(JSON.stringify({ done: { a: 'yes', b: true }, step: { a: -1, b: 3 }, answers: { a: { 1: { first: 5 } } } }))).toEqual({
      done: { b: true },
      step: { b: 3 },
      answers: {},
    });
    expect(
      loadProgress({
        getItem: () => {
          throw new Error('denied');
        },
      }),
    ).toEqual(emptyProgress());
  });
});
