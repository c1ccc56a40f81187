/**
 * The working scenario survives a reload in localStorage. The key carries a version so a
 * later, incompatible format is recognised instead of misread.
 * Nothing the learner had is ever dropped: an autosave that cannot be opened (junk text,
 * another version, no scenario in it) is moved aside under its own key — the next autosave
 * would otherwise overwrite it — and the start page offers it for download with one sentence
 * saying what happened, until the learner forgets it.
 * Storage may be missing, full or forbidden (private mode, sandboxed iframes): never throw.
 */
export const WORKING_KEY = 'ftp-through-the-wall.working.v1';
export const SET_ASIDE_KEY = 'ftp-through-the-wall.set-aside.v1';
/** At most this many unreadable copies are kept aside (oldest dropped first). */
const MAX_SET_ASIDE = 5;

export type SavedWork =
  | { kind: 'none' }
  | { kind: 'ok'; file: unknown }
  /** Set aside: `raw` is exactly what was stored; `reason` one sentence for the learner. */
  | { kind: 'unreadable'; raw: string; reason: string };

export interface SetAside {
  raw: string;
  reason: string;
}

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function saveWorking(file: unknown): void {
  try {
    storage()?.setItem(WORKING_KEY, JSON.stringify({ v: 1, file }));
  } catch {
    // Quota exceeded or storage disabled: the app keeps working without persistence.
  }
}

/** What the autosave holds, without changing anything. */
export function readWorking(): SavedWork {
  let raw: string | null | undefined;
  try {
    raw = storage()?.getItem(WORKING_KEY);
  } catch {
    return { kind: 'none' };
  }
  if (raw == null) return { kind: 'none' };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    return { kind: 'unreadable', raw, reason: 'Your saved work could not be opened: it is not readable data (it may have been cut short).' };
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed) || !('v' in parsed))
    return { kind: 'unreadable', raw, reason: 'Your saved work could not be opened: it is not in the format this app saves.' };
  const v = (parsed as { v: unknown }).v;
  if (v !== 1)
    return {
      kind: 'unreadable',
      raw,
      reason: `Your saved work was saved in another format (version ${JSON.stringify(v).slice(0, 20)}), which this version of the app cannot open.`,
    };
  const file = (parsed as { file?: unknown }).file;
  if (file === null || file === undefined || typeof file !== 'object') return { kind: 'unreadable', raw, reason: 'Your saved work could not be opened: it holds no scenario.' };
  return { kind: 'ok', file };
}

/**
 * Reads the autosave at start-up. An unreadable one is moved aside (so the next autosave does
 * not overwrite it) and returned as such; the caller tells the learner.
 */
export function takeWorking(): SavedWork {
  const w = readWorking();
  if (w.kind === 'unreadable') {
    setAside(w.raw, w.reason);
    try {
      // Only once it is safely aside.
      if (readSetAside().some((s) => s.raw === w.raw)) storage()?.removeItem(WORKING_KEY);
    } catch {
      // Left in place: it is read (and set aside) again next time.
    }
  }
  return w;
}

/** Keeps `raw` aside with the sentence saying why it did not open. */
export function setAside(raw: string, reason: string): void {
  try {
    const list = readSetAside().filter((s) => s.raw !== raw);
    list.push({ raw, reason });
    storage()?.setItem(SET_ASIDE_KEY, JSON.stringify(list.slice(-MAX_SET_ASIDE)));
  } catch {
    // Full or forbidden: the copy stays where it was (takeWorking then leaves it there).
  }
}

export function readSetAside(): SetAside[] {
  try {
    const raw = storage()?.getItem(SET_ASIDE_KEY);
    if (raw == null) return [];
    const list = JSON.parse(raw) as unknown;
    return Array.isArray(list) ? list.filter((s): s is SetAside => typeof s?.raw === 'string' && typeof s?.reason === 'string') : [];
  } catch {
    return [];
  }
}

/** The learner chose to forget the copies set aside. */
export function forgetSetAside(): void {
  try {
    storage()?.removeItem(SET_ASIDE_KEY);
  } catch {
    // Nothing to forget when storage is unavailable.
  }
}

/** Compatibility: the stored scenario, or null when there is none or it cannot be opened. */
export function loadWorking(): unknown | null {
  const w = readWorking();
  return w.kind === 'ok' ? w.file : null;
}

export function clearWorking(): void {
  try {
    storage()?.removeItem(WORKING_KEY);
  } catch {
    // Nothing to clear when storage is unavailable.
  }
}
