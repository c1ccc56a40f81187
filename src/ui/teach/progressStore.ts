/**
 * The trainee's progress (attempts, hints, solved, the scenario as last edited) in
 * localStorage, one record for all challenges. Storage may be missing or full: never throw.
 */
import { parseProgress, progressOf, type ChallengeProgress, type ProgressBook } from '../../teach/trainee';

export const PROGRESS_KEY = 'ftp-through-the-wall.challenges.v1';
export const TRAINEE_KEY = 'ftp-through-the-wall.trainee.v1';

function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
  }
}

export function loadBook(): ProgressBook {
  try {
    return parseProgress(storage()?.getItem(PROGRESS_KEY) ?? null);
  } catch {
    return {};
  }
}

export function loadProgress(key: string): ChallengeProgress {
  return progressOf(loadBook(), key);
}

export function saveProgress(key: string, p: ChallengeProgress): void {
  try {
    const book = loadBook();
    book[key] = p;
    storage()?.setItem(PROGRESS_KEY, JSON.stringify(book));
  } catch {
    // Without storage the progress lasts as long as the page.
  }
}

/** Whether the start page hides the answers (set when a challenge was opened in trainee mode). */
export function loadTraineeHome(): boolean {
  try {
    return storage()?.getItem(TRAINEE_KEY) === '1';
  } catch {
    return false;
  }
}

export function saveTraineeHome(on: boolean): void {
  try {
    storage()?.setItem(TRAINEE_KEY, on ? '1' : '0');
  } catch {
    // ignore
  }
}
