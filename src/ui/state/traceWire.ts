/**
 * A run's result across the worker boundary without a structured clone of its thousands of
 * event objects: every packet's bytes are copied into one ArrayBuffer (transferred, not
 * copied), and the rest is one JSON string in which each byte array is an [offset, length]
 * pair into that buffer. Unpacking makes views on the buffer, so the trace holds no copies.
 */
import type { RunResult, Trace, TraceEvent } from '../../core/index';

export interface PackedRun {
  /** JSON of { trace, verdict } with byte arrays replaced by [offset, length]. */
  meta: string;
  bytes: ArrayBuffer;
}

type ByteField = 'bytes' | 'before' | 'after';
const BYTE_FIELDS: readonly ByteField[] = ['bytes', 'before', 'after'];

export function packRun(run: RunResult): PackedRun {
  let total = 0;
  for (const e of run.trace.events)
    for (const f of BYTE_FIELDS) {
      const b = (e as Partial<Record<ByteField, Uint8Array>>)[f];
      if (b instanceof Uint8Array) total += b.length;
    }
  const bytes = new Uint8Array(total);
  let at = 0;
  const events = run.trace.events.map((e) => {
    let copy: Record<string, unknown> | null = null;
    for (const f of BYTE_FIELDS) {
      const b = (e as Partial<Record<ByteField, Uint8Array>>)[f];
      if (!(b instanceof Uint8Array)) continue;
      copy ??= { ...e };
      bytes.set(b, at);
      copy[f] = [at, b.length];
      at += b.length;
    }
    return copy ?? e;
  });
  const meta = JSON.stringify({ trace: { ...run.trace, events }, verdict: run.verdict });
  return { meta, bytes: bytes.buffer };
}

export function unpackRun(p: PackedRun): RunResult {
  const parsed = JSON.parse(p.meta) as { trace: Trace; verdict: RunResult['verdict'] };
  for (const e of parsed.trace.events as unknown as Record<string, unknown>[]) {
    for (const f of BYTE_FIELDS) {
      const ref = e[f];
      if (Array.isArray(ref)) e[f] = new Uint8Array(p.bytes, ref[0] as number, ref[1] as number);
    }
  }
  return { trace: parsed.trace as Trace & { events: TraceEvent[] }, verdict: parsed.verdict };
}
