/** The step caption in the app's one step line: the devices' display names, without the "(a → b)" tail the line already shows. */
import { describe, expect, it } from 'vitest';
import { BUILTIN_SCENARIOS } from '../scenarios/index';
import type { ScenarioFile } from '../core/index';
import { runFile, stepCaption } from './index';
import { ftpPayloadLine } from './targets';

describe('stepCaption with display names', () => {
  const r = runFile(BUILTIN_SCENARIOS.find((b) => b.id === 'passive-server-firewall-drop')!.json as ScenarioFile);
  if (!r.ok) throw new Error(r.message);
  const trace = r.ctx.run.trace;
  const labels = new Map([...r.ctx.scenario.hosts, ...r.ctx.scenario.routers].map((d) => [d.id, d.label]));
  const name = (id: string) => labels.get(id) ?? id;

  it('names devices as the canvas does and leaves out the hop', () => {
    const first = trace.events.findIndex((e) => e.kind === 'send');
    expect(stepCaption(trace, first)).toBe('client opens the control connection: a SYN to 203.0.113.10:21. (client → client-edge)');
    expect(stepCaption(trace, first, { name, hop: false })).toBe('Laptop opens the control connection: a SYN to 203.0.113.10:21.');
    const drop = trace.events.findIndex((e) => e.kind === 'drop');
    // The reason after the device's name, from the drop's fields: the device is not named again, by id or name.
    expect(stepCaption(trace, drop, { name, hop: false })).toBe('FTP server drops the packet: dropped by rule 4 of filter/INPUT: -A INPUT -j DROP');
  });

  it('shows the password as it goes on the wire, and says it is not encrypted', () => {
    const pass = trace.events.findIndex((e) => e.kind === 'send' && /^PASS /.test(ftpPayloadLine(e.bytes) ?? ''));
    expect(pass).toBeGreaterThan(0);
    expect(stepCaption(trace, pass, { hop: false })).toMatch(/^The client sends its password: "PASS [^"*]+"\. Plain FTP does not encrypt it/);
  });
});
