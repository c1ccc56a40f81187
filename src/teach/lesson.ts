/**
 * Lesson files: load (JSON text → a typed lesson, or every error with its JSON path and
 * line) and check (against the simulator: every scenario loads, every position and
 * highlight exists, every predict question's stated answer is what the run produces,
 * every task's solution reaches its goal and the goal is not already met). Pure.
 */
import type { z } from 'zod';
import { formatScenarioError, loadScenario, parseJsonText, type ClientProfileId, type ScenarioError, type ScenarioFile } from '../core/index';
import { BUILTIN_SCENARIOS } from '../scenarios/index';
import { applyEdit } from './edit';
import { hasTerm } from './glossary';
import { locatePath } from './jsonLocate';
import { termsIn } from './markup';
import { answerMatches, runProbe } from './probes';
import { runFile } from './lessonRun';
import { resolvePosition } from './positions';
import { PROBE_NAMES, lessonSchema, type Edit, type Lesson, type ScenarioRef } from './schema';
import { checkTarget } from './targets';
import { claimProblems } from './clientClaims';

export type LessonError = ScenarioError;
export const formatLessonError = formatScenarioError;
// In a module of its own: the page's main chunk loads lessons, only the lesson view runs one.
export { runFile };

export type LessonLoad = { ok: true; lesson: Lesson } | { ok: false; errors: LessonError[] };

type Key = string | number;

function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const k of path) {
    if (typeof k === 'number') out += `[${k}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(k))) out += out === '' ? String(k) : `.${String(k)}`;
    else out += `[${JSON.stringify(String(k))}]`;
  }
  return out;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let cur = root;
  for (const k of path) {
    if (cur === null || typeof cur !== 'object') return undefined;
    cur = (cur as Record<PropertyKey, unknown>)[k];
  }
  return cur;
}

function issueMessages(issue: z.core.$ZodIssue, root: unknown, base: PropertyKey[] = []): { path: PropertyKey[]; message: string }[] {
  const path = [...base, ...issue.path];
  const last = path[path.length - 1];
  const here = valueAt(root, path);
  switch (issue.code) {
    case 'invalid_type':
      if (here === undefined && typeof last === 'string')
        return [{ path, message: `missing field "${last}" (${issue.expected === 'union' ? 'see docs/lessons.md' : issue.expected})` }];
      return [{ path, message: `expected ${issue.expected}, got ${Array.isArray(here) ? 'a list' : here === null ? 'null' : typeof here}` }];
    case 'unrecognized_keys':
      return issue.keys.map((k) => ({ path: [...path, k], message: `unknown field "${k}"` }));
    case 'invalid_value':
      return [{ path, message: `${JSON.stringify(here)} is not allowed here (use ${issue.values.map((v) => JSON.stringify(v)).join(', ')})` }];
    case 'invalid_union': {
      const branches = (issue as { errors?: z.core.$ZodIssue[][] }).errors ?? [];
      if (here === undefined && typeof last === 'string') return [{ path, message: `missing field "${last}" (see docs/lessons.md for its forms)` }];
      if (last === 'name' && path[path.length - 2] === 'probe') return [{ path, message: `unknown probe ${JSON.stringify(here)} (use ${PROBE_NAMES.join(', ')})` }];
      // The branch that got furthest: fewest issues, and none of them a wrong type at its root.
      const best = branches.filter((b) => !b.some((i) => i.path.length === 0 && i.code === 'invalid_type')).sort((a, b) => a.length - b.length)[0];
      if (best) return best.flatMap((i) => issueMessages(i, root, path));
      return [{ path, message: `${here === undefined ? 'missing' : `${JSON.stringify(here)?.slice(0, 60)} is not`} one of the forms this field takes (see docs/lessons.md)` }];
    }
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
      const origin = (issue as { origin?: string }).origin;
      if (origin === 'array') return [{ path, message: small ? `needs at least ${bound} entr${bound === 1 ? 'y' : 'ies'}` : `at most ${bound} entries` }];
      if (origin === 'string') return [{ path, message: small ? 'must not be empty' : `at most ${bound} characters` }];
      return [{ path, message: `${JSON.stringify(here)} is too ${small ? 'small' : 'large'} (${small ? 'least' : 'most'} allowed: ${bound})` }];
    }
    default:
      return [{ path, message: issue.message }];
  }
}

/** An error at a JSON path, with the line of that path (or of its nearest parent) in `text`. */
function located(text: string | null, file: string | undefined, path: readonly PropertyKey[], message: string): LessonError {
  const e: LessonError = { path: formatPath(path), message };
  if (file !== undefined) e.file = file;
  if (text !== null) {
    for (let n = path.length; n >= 0; n--) {
      const at = locatePath(text, path.slice(0, n) as Key[]);
      if (at) {
        e.line = at.line;
        e.column = at.column;
        break;
      }
    }
  }
  return e;
}

export function loadLesson(input: string | unknown, fileName?: string): LessonLoad {
  let value = input;
  const text = typeof input === 'string' ? input : null;
  if (text !== null) {
    const parsed = parseJsonText(text);
    if (!parsed.ok) {
      const e: LessonError = { path: '', line: parsed.line, column: parsed.column, message: `JSON syntax: ${parsed.message}` };
      if (fileName !== undefined) e.file = fileName;
      return { ok: false, errors: [e] };
    }
    value = parsed.value;
  }
  const shape = lessonSchema.safeParse(value);
  if (!shape.success) {
    const errors = shape.error.issues.flatMap((i) => issueMessages(i, value)).map((m) => located(text, fileName, m.path, m.message));
    return { ok: false, errors };
  }
  return { ok: true, lesson: shape.data };
}

/** The built-in scenario a reference names, with its edit applied. */
export function scenarioFileFor(ref: ScenarioRef): { ok: true; file: ScenarioFile } | { ok: false; message: string } {
  const id = typeof ref === 'string' ? ref : ref.id;
  const edit: Edit | undefined = typeof ref === 'string' ? undefined : ref.edit;
  const b = BUILTIN_SCENARIOS.find((s) => s.id === id);
  if (!b) return { ok: false, message: `no built-in scenario "${id}" (see src/scenarios/index.ts)` };
  const r = applyEdit(b.json as ScenarioFile, edit);
  return r.ok ? r : { ok: false, message: `edit: ${r.message}` };
}

/** The client program a scenario reference runs (its first client's profile), or null when it does not load. */
export function programOf(ref: ScenarioRef): ClientProfileId | null {
  const f = scenarioFileFor(ref);
  if (!f.ok) return null;
  const l = loadScenario(f.file);
  return l.ok ? (l.scenario.clients[0]?.profile ?? null) : null;
}

/** The scenario each step shows: its own, or the one before it (the lesson's for step 1). */
export function stepScenarios(lesson: Lesson): ScenarioRef[] {
  let cur = lesson.scenario;
  return lesson.steps.map((s) => (cur = s.scenario ?? cur));
}

function marked(lesson: Lesson): { path: Key[]; text: string | string[] }[] {
  const out: { path: Key[]; text: string | string[] }[] = [{ path: ['summary'], text: lesson.summary }];
  lesson.steps.forEach((s, k) => {
    out.push({ path: ['steps', k, 'text'], text: s.text });
    if (s.predict) {
      out.push({ path: ['steps', k, 'predict', 'question'], text: s.predict.question }, { path: ['steps', k, 'predict', 'feedback'], text: s.predict.feedback });
      s.predict.choices?.forEach((c, j) => out.push({ path: ['steps', k, 'predict', 'choices', j, 'label'], text: c.label }));
    }
    if (s.task) {
      out.push({ path: ['steps', k, 'task', 'ask'], text: s.task.ask }, { path: ['steps', k, 'task', 'done'], text: s.task.done });
      if (s.task.hint) out.push({ path: ['steps', k, 'task', 'hint'], text: s.task.hint });
    }
  });
  return out;
}

/**
 * Checks a loaded lesson against the simulator. `text` (the file's JSON) lets errors carry
 * lines. Returns every problem found; none means the lesson is good.
 */
export function checkLesson(lesson: Lesson, opts: { text?: string; fileName?: string } = {}): LessonError[] {
  const errors: LessonError[] = [];
  const err = (path: Key[], message: string) => errors.push(located(opts.text ?? null, opts.fileName, path, message));
  if (opts.fileName && !opts.fileName.replace(/\\/g, '/').endsWith(`/${lesson.id}.json`) && opts.fileName !== `${lesson.id}.json`)
    err(['id'], `the id "${lesson.id}" should be the file name without .json`);

  for (const m of marked(lesson)) for (const t of termsIn(m.text)) if (!hasTerm(t)) err(m.path, `links to the glossary term [[${t}]], which the glossary does not have`);

  const runs = new Map<string, ReturnType<typeof runFile>>();
  const runRef = (ref: ScenarioRef, edit?: Edit) => {
    const key = JSON.stringify([ref, edit ?? null]);
    let r = runs.get(key);
    if (!r) {
      const f = scenarioFileFor(ref);
      if (!f.ok) r = f;
      else {
        const e = applyEdit(f.file, edit);
        r = e.ok ? runFile(e.file) : { ok: false, message: `solution: ${e.message}` };
      }
      runs.set(key, r);
    }
    return r;
  };

  const lessonRun = runRef(lesson.scenario);
  if (!lessonRun.ok) err(['scenario'], lessonRun.message);
  const refs = stepScenarios(lesson);
  lesson.steps.forEach((step, k) => {
    const here: Key[] = ['steps', k];
    const r = runRef(refs[k]!);
    if (!r.ok) {
      if (step.scenario) err([...here, 'scenario'], r.message);
      return;
    }
    const ctx = r.ctx;
    let event: number | null = null;
    if (step.at !== undefined) {
      const p = resolvePosition(ctx, step.at);
      if (p.ok) event = p.event;
      else err([...here, 'at'], p.message);
    }
    if (step.highlight) {
      const t = checkTarget(ctx, step.highlight, event);
      if (t) err([...here, 'highlight'], t);
    }
    if (step.predict) {
      const q = step.predict;
      const v = runProbe(ctx, q.probe);
      if (!v.ok) err([...here, 'predict', 'probe'], v.message);
      else {
        if (q.choices) {
          if (typeof q.answer !== 'string') err([...here, 'predict', 'answer'], 'a multiple-choice answer is the "value" of one choice (text)');
          else if (!q.choices.some((c) => c.value === q.answer))
            err([...here, 'predict', 'answer'], `"${q.answer}" is not the value of any choice (${q.choices.map((c) => c.value).join(', ')})`);
          if (typeof v.value === 'string' && !q.choices.some((c) => c.value.toLowerCase() === String(v.value).toLowerCase()))
            err([...here, 'predict', 'choices'], `the simulation answers "${v.value}", which is none of the choices`);
        } else if (typeof q.answer !== 'number') err([...here, 'predict', 'answer'], 'without "choices" the answer is a number');
        if (!answerMatches(v.value, q.answer, q.tolerance))
          err([...here, 'predict', 'answer'], `states ${JSON.stringify(q.answer)}, but the simulation gives ${JSON.stringify(v.value)}`);
      }
    }
    if (step.client) for (const m of claimProblems(ctx, step.client)) err([...here, 'client'], m);
    if (step.task) {
      const g = step.task.goal;
      const before = runProbe(ctx, g.probe);
      if (before.ok && answerMatches(before.value, g.answer))
        err([...here, 'task', 'goal'], `the goal (${g.probe.name} = ${JSON.stringify(g.answer)}) is already met before any change`);
      const after = runRef(refs[k]!, step.task.solution);
      if (!after.ok) err([...here, 'task', 'solution'], after.message);
      else {
        const v = runProbe(after.ctx, g.probe);
        if (!v.ok) err([...here, 'task', 'goal', 'probe'], `after the solution: ${v.message}`);
        else if (!answerMatches(v.value, g.answer))
          err([...here, 'task', 'solution'], `after this change the simulation gives ${g.probe.name} = ${JSON.stringify(v.value)}, not ${JSON.stringify(g.answer)}`);
      }
    }
  });
  return errors;
}

/** Load then check: what the CLI and the tests run on a file's text. */
export function verifyLessonText(text: string, fileName?: string): { lesson: Lesson | null; errors: LessonError[] } {
  const l = loadLesson(text, fileName);
  if (!l.ok) return { lesson: null, errors: l.errors };
  return { lesson: l.lesson, errors: checkLesson(l.lesson, { text, fileName }) };
}
