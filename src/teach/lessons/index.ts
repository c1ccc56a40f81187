/**
 * The built-in lessons: every JSON file in this folder (docs/lessons.md), in the order
 * track.json gives; a lesson not listed there comes after the listed ones, by id. Adding a
 * lesson is adding its file (and its id to track.json): no code. `id` is the file name
 * without .json. Vite (and Vitest) read the folder at build time; the CLI reads files itself.
 */
import track from './track.json';

const files = import.meta.glob<unknown>('./*.json', { eager: true, import: 'default' });

const rank = (id: string) => {
  const k = track.order.indexOf(id);
  return k < 0 ? Number.MAX_SAFE_INTEGER : k;
};

export const LESSONS: { id: string; json: unknown }[] = Object.entries(files)
  .map(([path, json]) => ({ id: path.replace(/^\.\//, '').replace(/\.json$/, ''), json }))
  .filter((l) => l.id !== 'track')
  .sort((a, b) => rank(a.id) - rank(b.id) || a.id.localeCompare(b.id));

/** Ids in track.json with no lesson file (a typo there would hide nothing, but say so in tests). */
export const TRACK_MISSING: string[] = track.order.filter((id) => !LESSONS.some((l) => l.id === id));
