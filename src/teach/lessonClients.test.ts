/**
 * Lesson texts and client programs: every lesson step whose texts say what "the client" does
 * (the data commands it sends, what it does with a 227's address, which program it is) carries
 * that claim in its `client` field, and the run of the step's scenario shows it: a text that
 * says EPSV has a run whose client sent EPSV. Run over every step of every built-in lesson.
 */
import { describe, expect, it } from 'vitest';
import { PROFILES } from '../core/index';
import { claimProblems, clientFacts, clientNote } from './clientClaims';
import { joinText, loadLesson, runFile, scenarioFileFor, stepScenarios, applyEdit, type Lesson } from './index';
import { ctxFor } from './lesson.testkit';
import { LESSONS } from './lessons/index';

const COMMAND = /\b(PORT|EPRT|LPRT|PASV|EPSV)\b/g;
const PROGRAM = /\bcurl\b|\bnetkit\b|\bclassic (ftp )?client\b|\btnftp\b|\blftp\b|\bFileZilla\b|ftp\.exe|\binetutils\b/i;
const PASV_ADDRESS = /\b(trusts?|ignores?|ignoring|trusting)\b[^.;]{0,24}\baddress/i;

/** Every text of a step a learner reads. */
function textsOf(s: Lesson['steps'][number]): string {
  const parts = [s.text, s.predict?.question, s.predict?.feedback, ...(s.predict?.choices ?? []).map((c) => c.label), s.task?.ask, s.task?.done, s.task?.hint];
  return parts
    .filter((p): p is string | string[] => p !== undefined)
    .map((p) => joinText(p))
    .join(' ');
}

describe('what lesson texts say about the client is what the run shows', () => {
  for (const { id, json } of LESSONS) {
    const l = loadLesson(json);
    if (!l.ok) continue;
    const lesson = l.lesson;
    const refs = stepScenarios(lesson);
    lesson.steps.forEach((s, k) => {
      it(`${id} step ${k + 1} (${s.title ?? ''})`, () => {
        const text = textsOf(s);
        const ctx = ctxFor(refs[k]!);
        const claim = s.client ?? {};
        // Every data command the texts name is claimed: sent by this client, or not.
        for (const [, word] of text.matchAll(COMMAND)) expect([...(claim.sends ?? []), ...(claim.without ?? [])], `the text names ${word}`).toContain(word);
        if (PROGRAM.test(text)) expect(claim.program, 'the text names a program').toBeDefined();
        if (PASV_ADDRESS.test(text)) expect(claim.pasvAddress, "the text says what the client does with the 227's address").toBeDefined();
        // … and the run shows it.
        expect(claimProblems(ctx, claim)).toEqual([]);
        if (claim.sends) expect(clientFacts(ctx)!.sent).toEqual(expect.arrayContaining(claim.sends));
      });
    });
  }
});

describe('when the learner changes the client, the step says which program it describes', () => {
  const lesson = loadLesson(LESSONS.find((l) => l.id === 'passive-range')!.json);
  if (!lesson.ok) throw new Error('passive-range does not load');
  const step = lesson.lesson.steps[1]!; // "curl sent EPSV; the server answered with a 229"

  it('the step as written: no note', () => {
    const ctx = ctxFor(stepScenarios(lesson.lesson)[1]!);
    expect(clientNote(ctx, step.client, 'curl')).toBeNull();
  });

  it('with the classic client: it names both programs and what the classic one sent instead', () => {
    const f = scenarioFileFor(stepScenarios(lesson.lesson)[1]!);
    if (!f.ok) throw new Error(f.message);
    const e = applyEdit(f.file, { clientProfile: 'classic', clientMode: 'passive' });
    if (!e.ok) throw new Error(e.message);
    const r = runFile(e.file);
    if (!r.ok) throw new Error(r.message);
    expect(clientNote(r.ctx, step.client, 'curl')).toBe(
      `This step was written for ${PROFILES.curl.label}. Your scenario now runs ${PROFILES.classic.label}: it sent PASV, PASV, where the text says EPSV.`,
    );
  });

  it('a claim the run does not show is reported by the lesson checker', () => {
    const ctx = ctxFor(stepScenarios(lesson.lesson)[1]!);
    expect(claimProblems(ctx, { program: 'classic', sends: ['PORT'] })).toEqual([
      `the text describes ${PROFILES.classic.label}, but the scenario runs ${PROFILES.curl.label}`,
      `the text says the client sends PORT, but ${PROFILES.curl.label} sent EPSV, PASV, EPSV, PASV`,
    ]);
  });
});
