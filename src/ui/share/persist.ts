/**
 * The working scenario survives a reload in localStorage. The key carries a version so a
 * later, incompatible format can ignore old entries instead of misreading them.
 * Storage may be missing, full or forbidden (private mode, sandboxed iframes): never throw.
 */
export const WORKING_KEY = 'ftp-through-the-wall.working.v1';

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

export function loadWorking(): unknown | null {
  try {
    const raw = storage()?.getItem(WORKING_KEY);
    if (raw == null) return null;
    const parsed = JSON.parse(raw) as unknown;
    if (typeof parsed !== 'object' || parsed === null || (parsed as { v?: unknown }).v !== 1) return null;
    return (parsed as { file?: unknown }).file ?? null;
  } catch {
    return null;
  }
}

export function clearWorking(): void {
  try {
    storage()?.removeItem(WORKING_KEY);
  } catch {
    // Nothing to clear when storage is unavailable.
  }
}
