/**
 * The trainee's progress (attempts, hints, solved, the scenario as last edited) in
 * localStorage, one record for all challenges. Storage may be missing or full: never throw.
 */
import { parseProgress, progressOf, type ChallengeProgress, type ProgressBook } from '../../teach/trainee';
import { storage } from './traineeHome';

export const PROGRESS_KEY = 'ftp-through-the-wall.challenges.v1';
// The start page's trainee switch lives apart (the first screen reads it; this file comes with the challenges).
export { TRAINEE_KEY, loadTraineeHome, saveTraineeHome } from './traineeHome';

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
