/**
 * What a trainee gets: the challenge's scenario with a neutral name (the built-ins' names and
 * "teaches" lines name the fault), shared challenge links, and the progress record kept in the
 * browser. Pure: no DOM, no storage (the UI reads and writes the record).
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import type { ScenarioFile } from '../core/index';
import { loadChallenge, type ChallengeFile, type ChallengeLoad, type Challenge } from './challenge';
import type { CheckResult } from './checker';
import { BUILTIN_CHALLENGES } from './challenges/index';

/** The broken scenario as the trainee opens it: the challenge's title as its name, no description, no expected outcome. */
export function traineeScenario(ch: Challenge): ScenarioFile {
  const { description: _d, expect: _e, ...rest } = structuredClone(ch.scenarioFile);
  return { ...rest, name: ch.title, teaches: 'A troubleshooting challenge: find the fault and fix it.' };
}

export function builtinChallenges(): Challenge[] {
  return BUILTIN_CHALLENGES.flatMap((c) => {
    const r = loadChallenge(c);
    return r.ok ? [r.challenge] : [];
  });
}

export function builtinChallenge(id: string): Challenge | null {
  return builtinChallenges().find((c) => c.id === id) ?? null;
}

/** The `c=` part of `#/challenge/custom?c=…`: the challenge file, lz-string compressed. */
export function encodeChallenge(file: ChallengeFile): string {
  return compressToEncodedURIComponent(JSON.stringify(file));
}

/** Reads a shared link's `c=` data; every problem comes back as an error with a reason (never throws). */
export function decodeChallenge(data: string): ChallengeLoad {
  let text: string | null = null;
  try {
    text = decompressFromEncodedURIComponent(data);
  } catch {
    text = null;
  }
  if (!text) return { ok: false, errors: [{ path: '', message: 'The challenge link is damaged: its data could not be unpacked (was it cut off when it was copied?).' }] };
  return loadChallenge(text, 'the shared challenge');
}

// ───────────────────────── progress ─────────────────────────

export interface ChallengeProgress {
  /** "Check my fix" presses. */
  attempts: number;
  solved: boolean;
  /** The attempt that solved it (1-based), when solved. */
  solvedOnAttempt: number | null;
  /** How many hints the learner asked for. */
  hintsShown: number;
  /** The learner asked to see the simulator's verdict (with its fix) before solving. */
  verdictRevealedBeforeSolving: boolean;
  /** The last check's result, item by item. */
  last: { solved: boolean; items: { id: string; ok: boolean }[] } | null;
  /** The learner's scenario as last edited, so a reload continues where they were. */
  file: ScenarioFile | null;
}

export type ProgressBook = Record<string, ChallengeProgress>;

export const NO_PROGRESS: ChallengeProgress = { attempts: 0, solved: false, solvedOnAttempt: null, hintsShown: 0, verdictRevealedBeforeSolving: false, last: null, file: null };

export function progressOf(book: ProgressBook, id: string): ChallengeProgress {
  return { ...NO_PROGRESS, ...(book[id] ?? {}) };
}

export function afterCheck(p: ChallengeProgress, r: CheckResult): ChallengeProgress {
  const attempts = p.attempts + 1;
  return {
    ...p,
    attempts,
    solved: p.solved || r.solved,
    solvedOnAttempt: p.solvedOnAttempt ?? (r.solved ? attempts : null),
    last: { solved: r.solved, items: r.items.map((i) => ({ id: i.id, ok: i.ok })) },
  };
}

export const afterHint = (p: ChallengeProgress, total: number): ChallengeProgress => ({ ...p, hintsShown: Math.min(total, p.hintsShown + 1) });
export const afterReveal = (p: ChallengeProgress): ChallengeProgress => (p.solved ? p : { ...p, verdictRevealedBeforeSolving: true });
export const withFile = (p: ChallengeProgress, file: ScenarioFile | null): ChallengeProgress => ({ ...p, file });

/** Reads a stored record, keeping only well-formed entries (storage is user-editable). */
export function parseProgress(text: string | null): ProgressBook {
  if (!text) return {};
  try {
    const v = JSON.parse(text) as unknown;
    if (!v || typeof v !== 'object' || Array.isArray(v)) return {};
    const out: ProgressBook = {};
    for (const [k, e] of Object.entries(v as Record<string, unknown>)) {
      if (!e || typeof e !== 'object') continue;
      const x = e as Partial<ChallengeProgress>;
      out[k] = {
        attempts: Number.isInteger(x.attempts) ? x.attempts! : 0,
        solved: x.solved === true,
        solvedOnAttempt: Number.isInteger(x.solvedOnAttempt) ? x.solvedOnAttempt! : null,
        hintsShown: Number.isInteger(x.hintsShown) ? x.hintsShown! : 0,
        verdictRevealedBeforeSolving: x.verdictRevealedBeforeSolving === true,
        last: x.last && typeof x.last === 'object' && Array.isArray(x.last.items) ? x.last : null,
        file: x.file && typeof x.file === 'object' ? x.file : null,
      };
    }
    return out;
  } catch {
    return {};
  }
}
