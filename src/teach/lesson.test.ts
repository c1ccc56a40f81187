/**
 * Lessons against the simulator: every built-in lesson loads, every position and highlight
 * target exists in its run, every predict question's stated answer is what the simulation
 * computes, every task's solution reaches its goal (and the goal is not met before). And a
 * broken lesson file is reported with its JSON path and line.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  answerMatches,
  applyEdit,
  checkLesson,
  checkTarget,
  loadLesson,
  resolvePosition,
  runFile,
  runProbe,
  scenarioFileFor,
  stepScenarios,
  verifyLessonText,
  type Lesson,
} from './index';
import { ctxFor } from './lesson.testkit';
import { LESSONS, TRACK_MISSING } from './lessons/index';

const dir = join(process.cwd(), 'src', 'teach', 'lessons');
const textOf = (id: string) => readFileSync(join(dir, `${id}.json`), 'utf8');

describe('the built-in track', () => {
  it('has at least 12 lessons, each file named by its id', () => {
    expect(LESSONS.length).toBeGreaterThanOrEqual(12);
    for (const { id, json } of LESSONS) expect((json as { id: string }).id).toBe(id);
    expect(TRACK_MISSING).toEqual([]);
    expect(LESSONS.slice(0, 3).map((l) => l.id)).toEqual(['two-connections', 'active-mode', 'passive-mode']);
  });

  for (const { id } of LESSONS) {
    describe(id, () => {
      const text = textOf(id);
      const loaded = loadLesson(text, `${id}.json`);
      it('loads, and the checker finds nothing wrong', () => {
        expect(loaded.ok ? [] : loaded.errors).toEqual([]);
        if (loaded.ok) expect(checkLesson(loaded.lesson, { text, fileName: `${id}.json` })).toEqual([]);
      });
      if (!loaded.ok) return;
      const lesson = loaded.lesson;
      const refs = stepScenarios(lesson);

      it('every position resolves and every highlight target exists in the run', () => {
        lesson.steps.forEach((s, k) => {
          const ctx = ctxFor(refs[k]!);
          const p = s.at === undefined ? null : resolvePosition(ctx, s.at);
          if (p) expect(p, `step ${k + 1}`).toMatchObject({ ok: true });
          if (s.highlight) expect(checkTarget(ctx, s.highlight, p && p.ok ? p.event : null), `step ${k + 1}`).toBeNull();
        });
      });

      // "The session from the seed", "the seed's incident": the project's own word for the
      // transcripts it was built from, which a beginner cannot know (and the glossary's seed is
      // a run's random number). Only that sense, linked, may appear.
      it("says 'seed' only for a run's seed, linked to the glossary", () => {
        const texts: string[] = [];
        const walk = (v: unknown, key: string) => {
          if (typeof v === 'string') {
            if (key !== 'scenario' && key !== 'id') texts.push(v);
          } else if (Array.isArray(v)) v.forEach((x) => walk(x, key));
          else if (v && typeof v === 'object') for (const [k, x] of Object.entries(v)) walk(x, k);
        };
        walk(JSON.parse(text), '');
        for (const t of texts) expect(t.replace(/\[\[seed(\|[^\]]*)?\]\]/g, ''), t).not.toMatch(/\bseeds?\b/i);
      });

      it("every predict question's stated answer is the simulator's", () => {
        lesson.steps.forEach((s, k) => {
          if (!s.predict) return;
          const v = runProbe(ctxFor(refs[k]!), s.predict.probe);
          expect(v.ok, `step ${k + 1}`).toBe(true);
          if (!v.ok) return;
          expect(answerMatches(v.value, s.predict.answer, s.predict.tolerance), `step ${k + 1}: ${JSON.stringify(v.value)} vs ${JSON.stringify(s.predict.answer)}`).toBe(true);
          if (s.predict.choices) expect(s.predict.choices.map((c) => c.value)).toContain(String(v.value));
        });
      });

      it("every task's solution reaches its goal, which the step's scenario does not meet", () => {
        lesson.steps.forEach((s, k) => {
          if (!s.task) return;
          const before = runProbe(ctxFor(refs[k]!), s.task.goal.probe);
          expect(before.ok && answerMatches(before.value, s.task.goal.answer)).toBe(false);
          const f = scenarioFileFor(refs[k]!);
          if (!f.ok) throw new Error(f.message);
          const edited = applyEdit(f.file, s.task.solution);
          if (!edited.ok) throw new Error(edited.message);
          const r = runFile(edited.file);
          if (!r.ok) throw new Error(r.message);
          const after = runProbe(r.ctx, s.task.goal.probe);
          expect(after).toEqual({ ok: true, value: s.task.goal.answer });
        });
      });
    });
  }

  it('teaches the misconceptions with the simulation: port 20, N+1, the helper module, NAT, the control connection', () => {
    const all = LESSONS.map(({ json }) => JSON.stringify(json));
    const probesUsed = new Set(LESSONS.flatMap(({ json }) => (json as Lesson).steps.flatMap((s) => (s.predict ? [s.predict.probe.name] : []))));
    for (const p of ['data-port-20', 'listen-port-rule', 'ct-state', 'login', 'outcome']) expect(probesUsed).toContain(p);
    expect(all.some((t) => t.includes('Myth: NAT is a firewall'))).toBe(true);
  });
});

describe('the checker catches a wrong lesson', () => {
  const base = textOf('passive-mode');

  it('a stated answer that differs from the simulation, with path and line', () => {
    const bad = base.replace('"answer": 50069', '"answer": 50070');
    const { errors } = verifyLessonText(bad, 'passive-mode.json');
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({ path: 'steps[1].predict.answer', message: 'states 50070, but the simulation gives 50069' });
    expect(errors[0]!.line).toBe(bad.split('\n').findIndex((l) => l.includes('"answer": 50070')) + 1);
  });

  it('a highlight on a device the scenario does not have', () => {
    const l = JSON.parse(base) as Lesson;
    l.steps[0]!.highlight = { device: 'router9' };
    const errors = checkLesson(l);
    expect(errors.map((e) => e.path)).toEqual(['steps[0].highlight']);
    expect(errors[0]!.message).toMatch(/no device "router9".*testbox1/);
  });

  it('an inspector arithmetic highlight on a packet without PORT/227', () => {
    const l = JSON.parse(base) as Lesson;
    l.steps[0]!.at = 'start';
    l.steps[0]!.highlight = { inspector: 'arithmetic' };
    expect(checkLesson(l)[0]).toMatchObject({ path: 'steps[0].highlight', message: expect.stringMatching(/carries no FTP line/) });
  });

  it('a position the trace does not have', () => {
    const l = JSON.parse(base) as Lesson;
    l.steps[0]!.at = { reply: '425' };
    expect(checkLesson(l)[0]).toMatchObject({ path: 'steps[0].at', message: 'the run has no first 425 reply at the server' });
  });

  it('a task whose solution does not reach its goal, and a goal already met', () => {
    const l = JSON.parse(textOf('client-firewall-active')) as Lesson;
    const k = l.steps.findIndex((s) => s.task);
    l.steps[k]!.task!.solution = { clientMode: 'active' };
    expect(checkLesson(l).map((e) => e.path)).toEqual([`steps[${k}].task.solution`]);
    l.steps[k]!.scenario = 'active-client-firewall-helper';
    expect(checkLesson(l).map((e) => e.path)).toContain(`steps[${k}].task.goal`);
  });

  it('an answer that is not one of the choices, and a glossary link to no term', () => {
    const l = JSON.parse(base) as Lesson;
    l.steps[2]!.predict!.answer = 'router';
    l.steps[2]!.text = 'See [[no-such-term]].';
    const paths = checkLesson(l).map((e) => `${e.path}: ${e.message}`);
    expect(paths).toContain('steps[2].text: links to the glossary term [[no-such-term]], which the glossary does not have');
    expect(paths.some((p) => p.startsWith('steps[2].predict.answer: "router" is not the value of any choice'))).toBe(true);
  });
});

describe('bad lesson files give located errors', () => {
  const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle)) + 1;

  it('JSON syntax: line and column', () => {
    const r = loadLesson('{\n  "id": "x",\n  "title": "t",,\n}', 'x.json');
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.errors[0]).toMatchObject({ file: 'x.json', line: 3 });
  });

  it('an unknown field, a missing field, an unknown probe, a bad position', () => {
    const text = JSON.stringify(
      {
        id: 'x',
        title: 'T',
        summary: 'S',
        scenario: 'seed-passive-session',
        steps: [
          { text: 'a', colour: 'red' },
          { text: 'b', predict: { question: 'q', probe: { name: 'weather' }, answer: 1, feedback: 'f' } },
          { text: 'c', at: { reply: 'PASV' } },
          { title: 'no text' },
        ],
      },
      null,
      2,
    );
    const r = loadLesson(text, 'x.json');
    expect(r.ok).toBe(false);
    if (r.ok) return;
    const by = new Map(r.errors.map((e) => [e.path, e]));
    expect(by.get('steps[0].colour')).toMatchObject({ message: 'unknown field "colour"', line: lineOf(text, '"colour"') });
    expect(by.get('steps[1].predict.probe.name')?.message).toMatch(/^unknown probe "weather" \(use outcome, failure-kind, /);
    expect(by.get('steps[1].predict.probe.name')?.line).toBe(lineOf(text, '"weather"'));
    expect(by.get('steps[2].at.reply')?.message).toBe('a three-digit reply code');
    // A missing field is reported at its parent, the step's object.
    expect(by.get('steps[3].text')).toMatchObject({ message: expect.stringMatching(/^missing field "text"/), line: lineOf(text, '"title": "no text"') - 1 });
  });

  it('a scenario that is not built in', () => {
    const l = JSON.parse(textOf('passive-mode')) as Lesson;
    l.scenario = 'nowhere';
    expect(checkLesson(l)[0]).toMatchObject({ path: 'scenario', message: expect.stringMatching(/no built-in scenario "nowhere"/) });
  });
});
