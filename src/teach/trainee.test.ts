import { describe, expect, it } from 'vitest';
import { loadScenario } from '../core/index';
import { challengeToFile } from './challenge';
import { afterCheck, afterHint, afterReveal, builtinChallenges, decodeChallenge, encodeChallenge, NO_PROGRESS, parseProgress, traineeScenario } from './trainee';
import type { CheckResult } from './checker';

describe('traineeScenario', () => {
  it("opens every built-in challenge under its title, without the scenario's name, description or expected outcome", () => {
    for (const ch of builtinChallenges()) {
      const f = traineeScenario(ch);
      expect(f.name).toBe(ch.title);
      expect(f.description).toBeUndefined();
      expect(f.expect).toBeUndefined();
      expect(JSON.stringify(f)).not.toContain(ch.scenario.name);
      expect(loadScenario(f).ok).toBe(true);
    }
  });
});

describe('shared challenge links', () => {
  it('round-trip a challenge, inline scenario included', () => {
    const ch = builtinChallenges().find((c) => c.id === 'two-faults')!;
    const back = decodeChallenge(encodeChallenge(challengeToFile(ch)));
    expect(back.ok && back.challenge).toMatchObject({ title: ch.title, symptom: ch.symptom, constraints: ch.constraints, goal: ch.goal, editable: ch.editable });
  });
  it('a damaged or foreign link gives a reason, never a throw', () => {
    const d = encodeChallenge(challengeToFile(builtinChallenges()[0]!));
    const cut = decodeChallenge(d.slice(0, 20));
    expect(cut.ok).toBe(false);
    expect(decodeChallenge('%%%').ok).toBe(false);
    const bad = decodeChallenge(encodeChallenge({ id: 'x' } as never));
    expect(!bad.ok && bad.errors.some((e) => e.path === 'title')).toBe(true);
  });
});

describe('progress', () => {
  const result = (solved: boolean): CheckResult => ({ solved, runs: 1, loadErrors: [], items: [{ id: 'goal-0', kind: 'goal', label: '', ok: solved, detail: '' }] });
  it('counts checks, remembers the one that solved it, hints and an early look at the verdict', () => {
    let p = afterCheck(NO_PROGRESS, result(false));
    p = afterReveal(afterHint(afterHint(p, 3), 3));
    p = afterCheck(p, result(true));
    p = afterCheck(p, result(false));
    expect(p).toMatchObject({ attempts: 3, solved: true, solvedOnAttempt: 2, hintsShown: 2, verdictRevealedBeforeSolving: true });
    expect(afterReveal({ ...NO_PROGRESS, solved: true }).verdictRevealedBeforeSolving).toBe(false);
    expect(afterHint({ ...NO_PROGRESS, hintsShown: 3 }, 3).hintsShown).toBe(3);
  });
  it('reads stored records defensively', () => {
    expect(parseProgress('not json')).toEqual({});
    expect(parseProgress('[1]')).toEqual({});
    expect(parseProgress('{"a":{"attempts":"x","solved":1,"hintsShown":2}}')).toEqual({ a: { ...NO_PROGRESS, hintsShown: 2 } });
  });
});
