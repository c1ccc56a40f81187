/**
 * The scenario and the playback step in the URL fragment: `#s=<lz-string>&step=12`.
 * The fragment never reaches a server, so a shared link carries the whole scenario.
 * lz-string's URI-safe alphabet contains "+", so the fragment is split by hand:
 * URLSearchParams would turn "+" into a space and corrupt the data.
 */
import LZString from 'lz-string';

// lz-string is CommonJS: the default import works under Vite and plain Node (the fuzz runner).
const { compressToEncodedURIComponent, decompressFromEncodedURIComponent } = LZString;

export type DecodedShare = { ok: true; file: unknown; step: number } | { ok: false; message: string };

export function encodeShare(file: unknown, step: number): string {
  const json = JSON.stringify(file ?? null);
  const safeStep = Number.isSafeInteger(step) && step >= 0 ? step : 0;
  return `#s=${compressToEncodedURIComponent(json)}&step=${safeStep}`;
}

/** Reads a fragment (with or without the leading "#"). Never throws. */
export function decodeShare(hash: string): DecodedShare {
  const body = String(hash ?? '').replace(/^#/, '');
  const params = new Map<string, string>();
  for (const part of body.split('&')) {
    const eq = part.indexOf('=');
    if (eq > 0) params.set(part.slice(0, eq), part.slice(eq + 1));
  }
  const data = params.get('s');
  if (data === undefined || data === '') return { ok: false, message: 'The link holds no scenario (no "s=" part).' };
  const stepText = params.get('step') ?? '0';
  if (!/^\d{1,9}$/.test(stepText)) return { ok: false, message: `The link's step "${stepText}" is not a whole number.` };

  let json: string | null;
  try {
    json = decompressFromEncodedURIComponent(data);
  } catch {
    json = null;
  }
  if (!json) return { ok: false, message: 'The shared scenario in the link is damaged or cut short: it could not be decompressed.' };
  try {
    return { ok: true, file: JSON.parse(json) as unknown, step: Number(stepText) };
  } catch {
    return { ok: false, message: 'The shared scenario in the link is damaged or cut short: its data is not valid JSON.' };
  }
}
