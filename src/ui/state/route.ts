/**
 * The URL is the state. One scheme for every screen, parsed and written here only:
 *
 *   #/                                   the start page
 *   #/scenario/<id>[/step/<n>]           a built-in scenario (id = file name without .json)
 *   #/custom[/step/<n>]?s=<lz>           a scenario carried whole in the link (lz-string JSON)
 *   #/lessons                            the lesson track
 *   #/lesson/<id>[/step/<n>]             a lesson at a step (1-based, as the learner counts)
 *   #/challenges                         the challenge list
 *   #/challenge/<id>                     a built-in challenge
 *   #/challenge/custom?c=<lz>            a challenge an instructor made and shared
 *   #/glossary[/<term>]                  the glossary, optionally at one term
 *
 * Options after `?` on any route: `mode=explore|trainee|presenter` (the three modes of the
 * app: explore shows everything; trainee hides the verdict and the fix until asked;
 * presenter is large type with answers hidden until revealed), and for a scenario
 * `d=<lz>` (an edit delta against the built-in) and `seed=<n>`.
 * Scenario steps are trace step indices (0-based, as the transport counts); lesson steps
 * are 1-based. The legacy share form `#s=<lz>&step=<n>` still opens, as /custom.
 *
 * Pure: no DOM. The fragment is split by hand because lz-string's URI-safe alphabet holds
 * "+", which URLSearchParams would turn into a space.
 */

export const MODES = ['explore', 'trainee', 'presenter'] as const;
export type Mode = (typeof MODES)[number];

export type Route =
  | { page: 'home' }
  | { page: 'scenario'; id: string; step: number | null; mode: Mode | null; delta: string | null; seed: number | null }
  | { page: 'custom'; data: string; step: number | null; mode: Mode | null }
  | { page: 'lessons' }
  | { page: 'lesson'; id: string; step: number; mode: Mode | null }
  | { page: 'challenges' }
  | { page: 'challenge'; id: string; data: string | null; mode: Mode | null }
  | { page: 'glossary'; term: string | null };

export type RouteParse = { ok: true; route: Route } | { ok: false; message: string };

/** Ids are file-name-like: letters, digits, "-", "_", "." (no "/", never HTML). */
const ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const STEP = /^\d{1,9}$/;
/**
 * Above this a link is refused before anything is decoded (a pasted link, not a file). A link
 * is decoded and its scenario loaded on the page's main thread (the run is in a worker), and
 * what a link of this size can hold costs up to about 1 s there on this 2-core VM (50,000
 * characters of lz-string hold ≈11,500 iptables rules or 10,000 clients); real links are far
 * smaller (a built-in with edits ≈3,000, 40 clients ≈2,900, 2,000 clients ≈15,000).
 */
export const MAX_LINK_CHARS = 50_000;

function splitQuery(body: string): { path: string[]; query: Map<string, string> } {
  const q = body.indexOf('?');
  const pathText = q < 0 ? body : body.slice(0, q);
  const query = new Map<string, string>();
  if (q >= 0)
    for (const part of body.slice(q + 1).split('&')) {
      const eq = part.indexOf('=');
      if (eq > 0) query.set(part.slice(0, eq), part.slice(eq + 1));
      else if (part) query.set(part, '');
    }
  return { path: pathText.split('/').filter((s) => s !== ''), query };
}

function modeOf(query: Map<string, string>): { mode: Mode | null } | { error: string } {
  const m = query.get('mode');
  if (m === undefined) return { mode: null };
  return (MODES as readonly string[]).includes(m) ? { mode: m as Mode } : { error: `The link's mode "${decodePart(m).slice(0, 40)}" is not one of ${MODES.join(', ')}.` };
}

function decodePart(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** Reads a fragment (with or without the leading "#"). Never throws. */
export function parseRoute(hash: string): RouteParse {
  const raw = String(hash ?? '').replace(/^#/, '');
  if (raw.length > MAX_LINK_CHARS)
    return {
      ok: false,
      message: `The link is ${raw.length.toLocaleString('en')} characters long; links above ${MAX_LINK_CHARS.toLocaleString('en')} are not opened. Import the scenario as a file instead.`,
    };
  if (raw === '' || raw === '/') return { ok: true, route: { page: 'home' } };

  // Legacy share links: #s=<lz>&step=<n>
  if (!raw.startsWith('/')) {
    const { query } = splitQuery('?' + raw);
    const data = query.get('s');
    if (data === undefined || data === '') return { ok: false, message: 'The link holds no scenario (no "s=" part).' };
    const stepText = query.get('step') ?? '0';
    if (!STEP.test(stepText)) return { ok: false, message: `The link's step "${stepText}" is not a whole number.` };
    return { ok: true, route: { page: 'custom', data, step: Number(stepText), mode: null } };
  }

  const { path, query } = splitQuery(raw.slice(1));
  const modeParse = modeOf(query);
  if ('error' in modeParse) return { ok: false, message: modeParse.error };
  const mode = modeParse.mode;
  const [page, a, b, c] = path;
  const extra = (n: number) => path.length > n;
  const badStep = (s: string | undefined) => ({ ok: false as const, message: `The link's step "${s ?? ''}" is not a whole number.` });
  const badId = (what: string, s: string) => ({ ok: false as const, message: `The link names ${what} "${decodePart(s).slice(0, 80)}", which is not a valid id.` });

  switch (page) {
    case 'scenario': {
      if (a === undefined) return { ok: false, message: 'The link names no scenario.' };
      if (!ID.test(a)) return badId('the scenario', a);
      let step: number | null = null;
      if (b !== undefined) {
        if (b !== 'step' || extra(4)) return { ok: false, message: `The link's path "/${path.join('/')}" is not one this app knows.` };
        if (c === undefined || !STEP.test(c)) return badStep(c);
        step = Number(c);
      }
      const seedText = query.get('seed');
      if (seedText !== undefined && !(/^\d{1,10}$/.test(seedText) && Number(seedText) <= 0xffffffff))
        return { ok: false, message: `The link's seed "${seedText}" is not a whole number from 0 to 4294967295.` };
      return { ok: true, route: { page: 'scenario', id: a, step, mode, delta: query.get('d') || null, seed: seedText === undefined ? null : Number(seedText) } };
    }
    case 'custom': {
      const data = query.get('s');
      if (!data) return { ok: false, message: 'The link holds no scenario (no "s=" part).' };
      let step: number | null = null;
      if (a !== undefined) {
        if (a !== 'step' || extra(3)) return { ok: false, message: `The link's path "/${path.join('/')}" is not one this app knows.` };
        if (b === undefined || !STEP.test(b)) return badStep(b);
        step = Number(b);
      }
      return { ok: true, route: { page: 'custom', data, step, mode } };
    }
    case 'lessons':
      return extra(1) ? { ok: false, message: `The link's path "/${path.join('/')}" is not one this app knows.` } : { ok: true, route: { page: 'lessons' } };
    case 'lesson': {
      if (a === undefined) return { ok: false, message: 'The link names no lesson.' };
      if (!ID.test(a)) return badId('the lesson', a);
      let step = 1;
      if (b !== undefined) {
        if (b !== 'step' || extra(4)) return { ok: false, message: `The link's path "/${path.join('/')}" is not one this app knows.` };
        if (c === undefined || !STEP.test(c) || Number(c) < 1) return { ok: false, message: `The link's lesson step "${c ?? ''}" is not a step number (1, 2, …).` };
        step = Number(c);
      }
      return { ok: true, route: { page: 'lesson', id: a, step, mode } };
    }
    case 'challenges':
      return extra(1) ? { ok: false, message: `The link's path "/${path.join('/')}" is not one this app knows.` } : { ok: true, route: { page: 'challenges' } };
    case 'challenge': {
      if (a === undefined) return { ok: false, message: 'The link names no challenge.' };
      if (!ID.test(a) || extra(2)) return badId('the challenge', a);
      const data = a === 'custom' ? (query.get('c') ?? '') : null;
      if (data === '') return { ok: false, message: 'The challenge link holds no challenge (no "c=" part).' };
      return { ok: true, route: { page: 'challenge', id: a, data, mode } };
    }
    case 'glossary': {
      if (extra(2)) return { ok: false, message: `The link's path "/${path.join('/')}" is not one this app knows.` };
      if (a !== undefined && !ID.test(a)) return badId('the glossary term', a);
      return { ok: true, route: { page: 'glossary', term: a ?? null } };
    }
    default:
      return { ok: false, message: `The link's path "/${decodePart(path.join('/')).slice(0, 80)}" is not one this app knows.` };
  }
}

function withQuery(path: string, q: [string, string | number | null | undefined][]): string {
  const parts = q.filter(([, v]) => v !== null && v !== undefined && v !== '').map(([k, v]) => `${k}=${v}`);
  return parts.length ? `${path}?${parts.join('&')}` : path;
}

/** The fragment for a route, with the leading "#". parseRoute(formatRoute(r)) gives r back. */
export function formatRoute(r: Route): string {
  switch (r.page) {
    case 'home':
      return '#/';
    case 'scenario':
      return (
        '#' +
        withQuery(`/scenario/${r.id}${r.step !== null ? `/step/${r.step}` : ''}`, [
          ['mode', r.mode],
          ['seed', r.seed],
          ['d', r.delta],
        ])
      );
    case 'custom':
      return (
        '#' +
        withQuery(`/custom${r.step !== null ? `/step/${r.step}` : ''}`, [
          ['mode', r.mode],
          ['s', r.data],
        ])
      );
    case 'lessons':
      return '#/lessons';
    case 'lesson':
      return '#' + withQuery(`/lesson/${r.id}/step/${r.step}`, [['mode', r.mode]]);
    case 'challenges':
      return '#/challenges';
    case 'challenge':
      return (
        '#' +
        withQuery(`/challenge/${r.id}`, [
          ['mode', r.mode],
          ['c', r.data],
        ])
      );
    case 'glossary':
      return r.term ? `#/glossary/${r.term}` : '#/glossary';
  }
}

/** The mode a route opens in when the link names none: challenges hide the answer. */
export function defaultMode(r: Route): Mode {
  return r.page === 'challenge' ? 'trainee' : 'explore';
}

/** The mode a route is shown in: the one its link names, else the page's default. */
export function routeMode(r: Route): Mode {
  const named = 'mode' in r ? r.mode : null;
  return named ?? defaultMode(r);
}
