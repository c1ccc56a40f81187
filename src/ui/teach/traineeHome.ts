/**
 * Whether the start page is in trainee mode (the scenario library, whose titles name the
 * faults, hidden), in localStorage. Apart from progressStore.ts because the start page needs
 * it and the challenges' code does not come with the start page. Storage may be missing: never throw.
 */
export const TRAINEE_KEY = 'ftp-through-the-wall.trainee.v1';

export function storage(): Storage | null {
  try {
    return globalThis.localStorage ?? null;
  } catch {
    return null;
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
