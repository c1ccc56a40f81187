/**
 * Lesson progress in the browser (localStorage): which lessons are done, the step each was
 * left at, and the answers given (first answer, whether it was right, how many tries).
 * Bad or foreign data in storage is ignored, never thrown on.
 */
export interface AnswerRecord {
  first: string;
  right: boolean;
  tries: number;
}

export interface Progress {
  done: Record<string, true>;
  step: Record<string, number>;
  answers: Record<string, Record<string, AnswerRecord>>;
}

export const PROGRESS_KEY = 'ftp-through-the-wall.lessons.v1';

export const emptyProgress = (): Progress => ({ done: {}, step: {}, answers: {} });

function isObj(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Parses stored progress, keeping only well-formed entries. */
export function parseProgress(text: string | null): Progress {
  const p = emptyProgress();
  if (!text) return p;
  let v: unknown;
  try {
    v = JSON.parse(text);
  } catch {
    return p;
  }
  if (!isObj(v)) return p;
  if (isObj(v.done)) for (const [k, x] of Object.entries(v.done)) if (x === true) p.done[k] = true;
  if (isObj(v.step)) for (const [k, x] of Object.entries(v.step)) if (Number.isInteger(x) && (x as number) >= 1) p.step[k] = x as number;
  if (isObj(v.answers))
    for (const [k, steps] of Object.entries(v.answers)) {
      if (!isObj(steps)) continue;
      for (const [s, a] of Object.entries(steps))
        if (isObj(a) && typeof a.first === 'string' && typeof a.right === 'boolean' && Number.isInteger(a.tries))
          (p.answers[k] ??= {})[s] = { first: a.first, right: a.right, tries: a.tries as number };
    }
  return p;
}

export function loadProgress(storage: Pick<Storage, 'getItem'> | undefined = globalThis.localStorage): Progress {
  try {
    return parseProgress(storage?.getItem(PROGRESS_KEY) ?? null);
  } catch {
    return emptyProgress();
  }
}

export function saveProgress(p: Progress, storage: Pick<Storage, 'setItem'> | undefined = globalThis.localStorage): void {
  try {
    storage?.setItem(PROGRESS_KEY, JSON.stringify(p));
  } catch {
    // Storage full or disabled: progress is a convenience, the lesson goes on.
  }
}

/** Records an answer to a lesson step's question; the first answer and the tries are kept. */
export function recordAnswer(p: Progress, lesson: string, step: number, answer: string, right: boolean): Progress {
  const prev = p.answers[lesson]?.[step];
  const rec: AnswerRecord = prev ? { first: prev.first, right: prev.right || right, tries: prev.tries + 1 } : { first: answer, right, tries: 1 };
  return { ...p, answers: { ...p.answers, [lesson]: { ...p.answers[lesson], [step]: rec } } };
}
