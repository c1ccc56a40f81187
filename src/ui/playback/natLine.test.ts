/** The step line of a NAT step: the change read from the packet before and after, in words. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { runFile } from '../../teach/index';
import type { ScenarioFile, TraceEvent } from '../../core/index';
import { keyLine } from './keyline';
import { ladderRows } from './ladder';
import { stepLabel } from './label';

function runTrace(id: string) {
  const r = runFile(BUILTIN_SCENARIOS.find((b) => b.id === id)!.json as ScenarioFile);
  if (!r.ok) throw new Error(r.message);
  return r;
}

function natSteps(id: string) {
  const r = runTrace(id);
  const trace = r.ctx.run.trace;
  const names = new Map([...r.ctx.scenario.hosts, ...r.ctx.scenario.routers].map((d) => [d.id, d.label]));
  return trace.events
    .map((e, i) => ({ e, i }))
    .filter((x): x is { e: Extract<TraceEvent, { kind: 'nat' }>; i: number } => x.e.kind === 'nat')
    .map(({ e, i }) => ({ e, line: keyLine(trace, i, names) }));
}

describe('NAT step line', () => {
  const steps = natSteps('client-nat-active-helper');

  it("MASQUERADE: the sender's address and port before and after, and why", () => {
    const first = steps.find((s) => s.e.what === 'MASQUERADE')!;
    expect(first.line.kind).toBe('nat');
    expect(first.line.text).toMatch(/^NAT changes the sender \d+\.\d+\.\d+\.\d+:\d+ → \d+\.\d+\.\d+\.\d+:\d+$/);
    // The addresses are the packets' own: the private one before, the router's public one after.
    const [before, after] = first.line.text.replace('NAT changes the sender ', '').split(' → ');
    expect(before).toMatch(/^192\.168\./);
    expect(after).not.toBe(before);
    expect(first.line.detail).toMatch(/^MASQUERADE: the router writes its own public address/);
  });

  it('a reply is changed back: its destination', () => {
    const reply = steps.find((s) => s.e.what === 'reply-translate')!;
    expect(reply.line.text).toMatch(/^NAT changes the destination [\d.]+:\d+ → 192\.168\.[\d.]+:\d+$/);
    expect(reply.line.detail).toMatch(/^A reply on a connection whose first packet NAT changed/);
  });

  it("the FTP helper's rewrite shows both PORT lines whole, and the length change", () => {
    const rw = steps.find((s) => s.e.what === 'ftp-payload' && / → /.test(s.line.text))!;
    expect(rw.line.text).toMatch(/^NAT's FTP helper rewrites the FTP text: "PORT 192,168,\d+,\d+,\d+,\d+" → "PORT (\d+,){5}\d+"$/);
    expect(rw.line.detail).toMatch(/nf_nat_ftp/);
    const [b, a] = [...rw.line.text.matchAll(/"([^"]+)"/g)].map((m) => m[1]!.length);
    // "PORT 192,168,1,100,…" → "PORT 198,51,100,1,…": one byte shorter, said in words.
    expect(a).not.toBe(b);
    expect(rw.line.detail).toContain(`The text got ${Math.abs(a! - b!)} byte${Math.abs(a! - b!) === 1 ? '' : 's'} ${a! > b! ? 'longer' : 'shorter'}`);
  });
});

describe('NAT rows of the ladder', () => {
  // The ladder showed the simulator's codes ("NAT reply-translate", "NAT ftp-payload"); the
  // iptables targets keep their names, the kernel's own steps are said in words.
  it('name the iptables target, or say in words what the kernel did', () => {
    const trace = runTrace('client-nat-active-helper').ctx.run.trace;
    const steps = trace.events.map((_, i) => i);
    const nat = ladderRows(trace, steps).filter((r) => r.kind === 'nat');
    const texts = new Set(nat.map((r) => r.text));
    expect(texts).toContain('NAT MASQUERADE');
    expect(texts).toContain('NAT: reply changed back');
    expect(texts).toContain('NAT: FTP text rewritten');
    for (const t of texts) expect(t).toMatch(/^NAT (DNAT|SNAT|MASQUERADE|REDIRECT)$|^NAT: [a-zA-Z ]+$/);
    // The inspector's line for the step starts with the same words.
    const i = trace.events.findIndex((e) => e.kind === 'nat' && e.what === 'ftp-payload');
    expect(stepLabel(trace.events[i]!)).toMatch(/^NAT: FTP text rewritten/);
  });
});
