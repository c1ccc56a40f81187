/**
 * The URL for what is on screen, and the scenario a URL names. A built-in is referenced by
 * id (and seed), an edit to it travels as a delta (share/delta.ts) compressed with
 * lz-string in `d=`; only a scenario that is not a built-in travels whole (`#/custom?s=`).
 * Pure: no DOM; the app writes the result with history.replaceState.
 */
import { compressToEncodedURIComponent, decompressFromEncodedURIComponent } from 'lz-string';
import { formatRoute, type Mode, type Route } from './route';
import { applyDelta, diffDelta } from '../share/delta';

export interface BuiltinBase {
  id: string;
  json: unknown;
  /** The seed the link names (null: the file's own). */
  seed: number | null;
}

/** The built-in file as a link with this seed opens it (before any edit). */
export function baseFile(b: BuiltinBase): unknown {
  return b.seed === null ? b.json : { ...(b.json as object), seed: b.seed };
}

/** `d=` for an edited built-in: null when the file is the built-in unchanged. */
export function encodeDelta(b: BuiltinBase, file: unknown): string | null {
  const d = diffDelta(baseFile(b), file);
  return d === undefined ? null : compressToEncodedURIComponent(JSON.stringify(d));
}

/**
 * A built-in's route. A file whose seed differs from the one its base opens with (a re-roll)
 * names its seed in `seed=`, and the delta is taken against the built-in at that seed.
 */
export function scenarioRoute(b: BuiltinBase, file: unknown, step: number, mode: Mode | null): Route {
  const fileSeed = (file as { seed?: unknown } | null)?.seed;
  const baseSeed = (baseFile(b) as { seed?: unknown } | null)?.seed;
  const base = typeof fileSeed === 'number' && fileSeed !== baseSeed ? { ...b, seed: fileSeed } : b;
  return { page: 'scenario', id: b.id, step, mode, delta: encodeDelta(base, file), seed: base.seed };
}

export function customRoute(file: unknown, step: number, mode: Mode | null): Route {
  return { page: 'custom', data: compressToEncodedURIComponent(JSON.stringify(file ?? null)), step, mode };
}

export const linkFor = (r: Route): string => formatRoute(r);

export type Opened = { ok: true; file: unknown } | { ok: false; message: string };

/** The file a scenario route names: the built-in, its seed, its edit delta applied. */
export function openScenario(r: Extract<Route, { page: 'scenario' }>, builtins: readonly { id: string; json: unknown }[]): Opened {
  const b = builtins.find((x) => x.id === r.id);
  if (!b) return { ok: false, message: `There is no built-in scenario called "${r.id}".` };
  const file = baseFile({ ...b, seed: r.seed });
  if (!r.delta) return { ok: true, file };
  let text: string | null;
  try {
    text = decompressFromEncodedURIComponent(r.delta);
  } catch {
    text = null;
  }
  if (!text) return { ok: false, message: 'The edit in the link ("d=") is damaged or cut short: it could not be decompressed.' };
  let delta: unknown;
  try {
    delta = JSON.parse(text);
  } catch {
    return { ok: false, message: 'The edit in the link ("d=") is damaged or cut short: its data is not valid JSON.' };
  }
  const applied = applyDelta(file, delta);
  return applied.ok ? { ok: true, file: applied.value } : { ok: false, message: applied.message };
}
