/**
 * A compact edit delta between a built-in scenario file and the user's edited copy, for
 * share links (`#/scenario/<id>?d=<lz>`): the link names the built-in and carries only
 * what changed. The delta is JSON, shaped like a JSON merge patch (RFC 7396) with two
 * additions for arrays, which merge patch would replace whole (a scenario's iptables
 * lines and device lists are arrays, and an edit usually touches one line):
 *
 *   { "key": value }                 object: each changed key; `null` deletes the key
 *   { "$a": { "3": delta } }         array of the same length: per-index deltas
 *   { "$s": [start, del, ...ins] }   array that grew or shrank: one splice (common head and
 *                                    tail kept), like Array.prototype.splice
 *   { "$t": [start, del, ...ins] }   multi-line text: the old value's lines (a string split at
 *                                    "\n", or an array of lines, which the editors turn into
 *                                    one text) spliced, then joined with "\n"
 *   any other value                  replaces the old one
 *
 * Scenario files never use null values or keys starting with "$", so the encoding is
 * unambiguous for them. applyDelta(base, diffDelta(base, next)) equals next (tested).
 */
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

const isObject = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);
const same = (a: unknown, b: unknown) => a === b || JSON.stringify(a) === JSON.stringify(b);

/** The delta turning `base` into `next`; undefined when they are equal. */
export function diffDelta(base: unknown, next: unknown): Json | undefined {
  if (same(base, next)) return undefined;
  if (isObject(base) && isObject(next)) {
    const out: Record<string, Json> = {};
    for (const k of Object.keys(base)) if (!(k in next)) out[k] = null;
    for (const k of Object.keys(next)) {
      const d = diffDelta(base[k], next[k]);
      if (d !== undefined) out[k] = k in base ? d : (next[k] as Json);
    }
    return out;
  }
  const baseLines = typeof base === 'string' ? base.split('\n') : Array.isArray(base) && base.every((x) => typeof x === 'string') ? (base as string[]) : null;
  if (typeof next === 'string' && next.includes('\n') && baseLines) {
    const t = { $t: splice(baseLines, next.split('\n')) };
    if (JSON.stringify(t).length < JSON.stringify(next).length) return t;
    return next;
  }
  if (Array.isArray(base) && Array.isArray(next)) {
    if (base.length === next.length) {
      const out: Record<string, Json> = {};
      base.forEach((b, i) => {
        const d = diffDelta(b, next[i]);
        if (d !== undefined) out[String(i)] = d;
      });
      return { $a: out };
    }
    return { $s: splice(base, next) };
  }
  return next as Json;
}

/** One splice turning `base` into `next`: [start, deleteCount, ...inserted], common head and tail kept. */
function splice(base: readonly unknown[], next: readonly unknown[]): Json[] {
  let head = 0;
  while (head < base.length && head < next.length && same(base[head], next[head])) head++;
  let tail = 0;
  while (tail < base.length - head && tail < next.length - head && same(base[base.length - 1 - tail], next[next.length - 1 - tail])) tail++;
  return [head, base.length - head - tail, ...(next.slice(head, next.length - tail) as Json[])];
}

export type DeltaResult = { ok: true; value: unknown } | { ok: false; message: string };

/** Applies a delta to a copy of `base`. Never throws; a delta that does not fit says where. */
export function applyDelta(base: unknown, delta: unknown, path = ''): DeltaResult {
  if (delta === undefined) return { ok: true, value: base };
  if (isObject(delta) && '$a' in delta) {
    if (!Array.isArray(base)) return { ok: false, message: `The edit in the link changes items of ${path || 'the file'}, which is not a list in this scenario.` };
    const out = [...base];
    for (const [k, d] of Object.entries(isObject(delta.$a) ? delta.$a : {})) {
      const i = Number(k);
      if (!Number.isInteger(i) || i < 0 || i >= out.length)
        return { ok: false, message: `The edit in the link changes item ${k} of ${path || 'the file'}, which has ${out.length}.` };
      const r = applyDelta(out[i], d, `${path}[${i}]`);
      if (!r.ok) return r;
      out[i] = r.value;
    }
    return { ok: true, value: out };
  }
  if (isObject(delta) && '$t' in delta) {
    const t = delta.$t;
    const lines = typeof base === 'string' ? base.split('\n') : Array.isArray(base) ? base.map(String) : null;
    if (!lines || !Array.isArray(t) || typeof t[0] !== 'number' || typeof t[1] !== 'number' || t[0] + t[1] > lines.length)
      return { ok: false, message: `The edit in the link does not fit the text ${path || 'at the top'} of this scenario.` };
    lines.splice(t[0], t[1], ...t.slice(2).map(String));
    return { ok: true, value: lines.join('\n') };
  }
  if (isObject(delta) && '$s' in delta) {
    const s = delta.$s;
    if (!Array.isArray(base) || !Array.isArray(s) || typeof s[0] !== 'number' || typeof s[1] !== 'number' || s[0] + s[1] > base.length)
      return { ok: false, message: `The edit in the link does not fit the list ${path || 'at the top'} of this scenario.` };
    const out = [...base];
    out.splice(s[0], s[1], ...s.slice(2));
    return { ok: true, value: out };
  }
  if (isObject(delta) && isObject(base)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, d] of Object.entries(delta)) {
      if (d === null) delete out[k];
      else {
        const r = applyDelta(base[k], d, path ? `${path}.${k}` : k);
        if (!r.ok) return r;
        out[k] = r.value;
      }
    }
    return { ok: true, value: out };
  }
  return { ok: true, value: delta };
}
