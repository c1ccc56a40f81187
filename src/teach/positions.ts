/**
 * Trace positions by meaning ("the first 227 reply", "the first drop", "the data SYN"),
 * resolved against a run's trace to an event index. A lesson never stores raw indices:
 * they would break whenever the simulation records one event more. Pure.
 */
import type { TraceEvent } from '../core/index';
import { dataConnection, firstSendOf, ftpLine, type RunContext } from './probes';
import type { Position } from './schema';

export type PositionResult = { ok: true; event: number } | { ok: false; message: string };

const ordinal = (n: number) => (n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`);

/** The packet that carries FTP line `i`: the sender's next packet on that connection; for the receiver, the line itself. */
function carrier(ctx: RunContext, i: number): number {
  const e = ctx.run.trace.events[i] as Extract<TraceEvent, { kind: 'ftp' }>;
  const events = ctx.run.trace.events;
  for (let k = i + 1; k < events.length; k++) {
    const s = events[k]!;
    if (s.kind === 'send' && s.conn === e.conn && s.device === e.host) return k;
  }
  return i;
}

export function resolvePosition(ctx: RunContext, pos: Position): PositionResult {
  const events = ctx.run.trace.events;
  if (pos === 'start') {
    const first = events.findIndex((e) => e.kind === 'send');
    return { ok: true, event: Math.max(0, first) };
  }
  if (pos === 'end') return { ok: true, event: events.length - 1 };
  if ('reply' in pos || 'command' in pos) {
    const isReply = 'reply' in pos;
    const word = isReply ? pos.reply : pos.command;
    // By default the side that sent it: the server sends replies, the client commands.
    const at = pos.at ?? (isReply ? 'server' : 'client');
    const n = pos.nth ?? 1;
    const i = ftpLine(ctx, isReply ? 'reply' : 'command', word, at, n);
    if (i < 0) return { ok: false, message: `the run has no ${ordinal(n)} ${word} ${isReply ? 'reply' : 'command'} at the ${at}` };
    const sender = isReply ? 'server' : 'client';
    return { ok: true, event: at === sender ? carrier(ctx, i) : i };
  }
  if ('dataSyn' in pos) {
    const c = dataConnection(ctx, pos.dataSyn);
    const i = c ? firstSendOf(ctx, c.id) : -1;
    return i < 0 ? { ok: false, message: `the run has no ${ordinal(pos.dataSyn)} data connection` } : { ok: true, event: i };
  }
  if ('drop' in pos) {
    let seen = 0;
    const i = events.findIndex((e) => e.kind === 'drop' && ++seen === pos.drop);
    return i < 0 ? { ok: false, message: `the run has no ${ordinal(pos.drop)} dropped packet` } : { ok: true, event: i };
  }
  if ('nat' in pos) {
    let seen = 0;
    const i = events.findIndex((e) => e.kind === 'nat' && (pos.what === undefined || e.what === pos.what) && ++seen === pos.nat);
    return i < 0 ? { ok: false, message: `the run has no ${ordinal(pos.nat)} NAT rewrite${pos.what ? ` of kind ${pos.what}` : ''}` } : { ok: true, event: i };
  }
  if ('failure' in pos) {
    const t = ctx.run.verdict.transfers.find((x) => x.command === pos.failure);
    if (!t) return { ok: false, message: `the run has no transfer "${pos.failure}"` };
    if (!t.failure) return { ok: false, message: `the transfer "${pos.failure}" does not fail in this run` };
    return { ok: true, event: t.failure.step };
  }
  const i = events.findIndex((e) => e.kind === 'transfer' && e.command === pos.transfer);
  return i < 0 ? { ok: false, message: `the run has no transfer "${pos.transfer}"` } : { ok: true, event: i };
}
