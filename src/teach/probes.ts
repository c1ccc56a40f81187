/**
 * Probes: the questions a lesson asks the simulation. Each computes one value from a run
 * (the trace and the verdict), so a lesson's stated answer can be checked against the
 * simulator, and a predict question is answered by what the network did. Pure.
 */
import { decodePacket, type ConnectionInfo, type RunResult, type Scenario, type TraceEvent } from '../core/index';
import { portArithmetic } from './arithmetic';
import type { Answer, Probe } from './schema';

export interface RunContext {
  scenario: Scenario;
  run: RunResult;
}

export type ProbeResult = { ok: true; value: Answer } | { ok: false; message: string };

type Ftp = Extract<TraceEvent, { kind: 'ftp' }>;
type Send = Extract<TraceEvent, { kind: 'send' }>;

const fail = (message: string): ProbeResult => ({ ok: false, message });
const ordinal = (n: number) => (n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`);

/** "client" or "server" for the scenario's client and server hosts, else the device id. */
export function roleOf(scenario: Scenario, device: string): string {
  if (device === scenario.server.host) return 'server';
  if (scenario.clients.some((c) => c.host === device)) return 'client';
  return device;
}

export function dataConnection(ctx: RunContext, nth = 1): ConnectionInfo | null {
  return ctx.run.trace.connections.filter((c) => c.role === 'data')[nth - 1] ?? null;
}

/** Index of the first packet a connection's opener sent (its SYN). */
export function firstSendOf(ctx: RunContext, conn: string): number {
  return ctx.run.trace.events.findIndex((e) => e.kind === 'send' && e.conn === conn);
}

/** The nth FTP line of a kind (command word or reply code) as logged at one side. */
export function ftpLine(ctx: RunContext, dir: 'command' | 'reply', word: string, at: 'client' | 'server', nth = 1): number {
  let seen = 0;
  const events = ctx.run.trace.events;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (e.kind !== 'ftp' || e.dir !== dir || roleOf(ctx.scenario, e.host) !== at) continue;
    const head = e.text.split(/[ -]/, 1)[0]!.toUpperCase();
    if (head === word.toUpperCase() && ++seen === nth) return i;
  }
  return -1;
}

function tcpOf(bytes: Uint8Array) {
  const p = decodePacket(bytes, { verifyChecksums: false });
  return p.ok ? p.value.tcp : undefined;
}

function transferFor(ctx: RunContext, command: string | undefined) {
  const all = ctx.run.verdict.transfers;
  const t = command === undefined ? all[0] : all.find((x) => x.command === command);
  return t ?? null;
}

function noTransfer(ctx: RunContext, command: string | undefined): ProbeResult {
  const list = ctx.run.verdict.transfers.map((t) => `"${t.command}"`).join(', ') || 'none';
  return fail(command === undefined ? 'the run has no transfer' : `the run has no transfer "${command}" (it has ${list})`);
}

export function runProbe(ctx: RunContext, p: Probe): ProbeResult {
  const { trace } = ctx.run;
  const events = trace.events;
  switch (p.name) {
    case 'outcome': {
      const t = transferFor(ctx, p.command);
      return t ? { ok: true, value: t.ok ? 'success' : 'failure' } : noTransfer(ctx, p.command);
    }
    case 'failure-kind': {
      const t = transferFor(ctx, p.command);
      return t ? { ok: true, value: t.failure?.kind ?? 'none' } : noTransfer(ctx, p.command);
    }
    case 'login':
      return { ok: true, value: ftpLine(ctx, 'reply', '230', 'client') >= 0 ? 'yes' : 'no' };
    case 'data-connections':
      return { ok: true, value: trace.connections.filter((c) => c.role === 'data').length };
    case 'data-opener':
    case 'data-port-20':
    case 'listen-port-rule':
    case 'data-dst-port':
    case 'data-dst-address':
    case 'data-src-port':
    case 'data-wait-seconds': {
      const n = p.nth ?? 1;
      const c = dataConnection(ctx, n);
      if (!c) return fail(`the run has no ${ordinal(n)} data connection`);
      const colon = c.dialled.lastIndexOf(':');
      if (p.name === 'data-opener') return { ok: true, value: roleOf(ctx.scenario, c.opener) };
      if (p.name === 'data-dst-port') return { ok: true, value: Number(c.dialled.slice(colon + 1)) };
      if (p.name === 'data-dst-address') return { ok: true, value: c.dialled.slice(0, colon) };
      const first = firstSendOf(ctx, c.id);
      if (first < 0) return fail(`the ${ordinal(n)} data connection sent no packet`);
      const syn = events[first] as Send;
      if (p.name === 'data-src-port' || p.name === 'data-port-20') {
        const tcp = tcpOf(syn.bytes);
        if (!tcp) return fail('the data SYN could not be decoded');
        if (p.name === 'data-src-port') return { ok: true, value: tcp.srcPort };
        return { ok: true, value: tcp.srcPort === 20 || tcp.dstPort === 20 ? 'yes' : 'no' };
      }
      if (p.name === 'listen-port-rule') {
        // Active mode: is the port the client listens on its control connection's port + 1?
        const control = trace.connections.find((x) => x.role === 'control' && x.client === c.client);
        const cs = control ? firstSendOf(ctx, control.id) : -1;
        const ctcp = cs >= 0 ? tcpOf((events[cs] as Send).bytes) : undefined;
        if (!ctcp) return fail('the run has no control connection');
        return { ok: true, value: Number(c.dialled.slice(colon + 1)) === ctcp.srcPort + 1 ? 'control+1' : 'other' };
      }
      // From the data SYN to the next line the client prints (it connected, or gave up).
      const said = events.findIndex((e, i) => i > first && e.kind === 'console' && e.client === c.client);
      if (said < 0) return fail(`the client printed nothing after the ${ordinal(n)} data SYN`);
      return { ok: true, value: Math.round((events[said]!.t - syn.t) / 1000) / 1000 };
    }
    case 'control-src-port': {
      const c = trace.connections.find((x) => x.role === 'control');
      const first = c ? firstSendOf(ctx, c.id) : -1;
      const tcp = first >= 0 ? tcpOf((events[first] as Send).bytes) : undefined;
      return tcp ? { ok: true, value: tcp.srcPort } : fail('the run has no control connection');
    }
    case 'reply-port':
    case 'reply-address':
    case 'command-port':
    case 'command-address': {
      const isReply = p.name === 'reply-port' || p.name === 'reply-address';
      const word = p.name === 'reply-port' ? p.code : p.name === 'reply-address' ? '227' : p.command;
      const at = p.at ?? 'client';
      const i = ftpLine(ctx, isReply ? 'reply' : 'command', word, at, p.nth ?? 1);
      if (i < 0) return fail(`no ${ordinal(p.nth ?? 1)} ${word} ${isReply ? 'reply' : 'command'} at the ${at}`);
      const a = portArithmetic((events[i] as Ftp).text);
      if (!a) return fail(`the ${word} line "${(events[i] as Ftp).text}" names no port`);
      if (p.name.endsWith('-port')) return { ok: true, value: a.port };
      return a.address ? { ok: true, value: a.address } : fail(`a ${word} line names no address`);
    }
    case 'reply-to': {
      const i = ftpLine(ctx, 'command', p.command, 'client');
      if (i < 0) return fail(`the client sent no ${p.command}`);
      const conn = (events[i] as Ftp).conn;
      const r = events.findIndex((e, k) => k > i && e.kind === 'ftp' && e.dir === 'reply' && e.conn === conn && roleOf(ctx.scenario, e.host) === 'client');
      return r < 0 ? fail(`no reply to ${p.command} reached the client`) : { ok: true, value: (events[r] as Ftp).text.slice(0, 3) };
    }
    case 'ct-state': {
      const n = p.nth ?? 1;
      const c = dataConnection(ctx, n);
      if (!c) return fail(`the run has no ${ordinal(n)} data connection`);
      const first = firstSendOf(ctx, c.id);
      const pid = (events[first] as Send).packetId;
      const f = events.find((e) => e.kind === 'filter' && e.device === p.device && e.packetId === pid);
      return f && f.kind === 'filter' ? { ok: true, value: f.ctState } : fail(`the ${ordinal(n)} data SYN never met a firewall on "${p.device}"`);
    }
    case 'drop-device':
    case 'drop-how': {
      const d = events.find((e) => e.kind === 'drop');
      if (!d || d.kind !== 'drop') return { ok: true, value: 'none' };
      return { ok: true, value: p.name === 'drop-device' ? d.device : d.how };
    }
    case 'payload-rewritten':
      return { ok: true, value: events.some((e) => e.kind === 'nat' && e.what === 'ftp-payload') ? 'yes' : 'no' };
  }
}

/** Does a learner's (or an author's) answer match the probe's value? Numbers within tolerance. */
export function answerMatches(value: Answer, answer: Answer, tolerance = 0): boolean {
  if (typeof value === 'number') {
    const n = typeof answer === 'number' ? answer : Number(String(answer).trim());
    return Number.isFinite(n) && Math.abs(n - value) <= tolerance;
  }
  return String(answer).trim().toLowerCase() === value.toLowerCase();
}
