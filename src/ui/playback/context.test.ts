import { describe, expect, it } from 'vitest';
import { syntheticRun } from './synthetic.testkit';
import { packetSteps, stepForEvent } from './steps';
import { filterDecisions, stepPackets, transcript, visibleConnections } from './context';
import { ladderRows } from './ladder';
import { hexDump, packetTree } from './tree';
import { packetLabel } from './label';

const { trace } = syntheticRun();
const steps = packetSteps(trace);

describe('packet steps', () => {
  it('are the send, drop, nat and transfer events, in order', () => {
    expect(steps.length).toBeGreaterThan(0);
    for (const i of steps) expect(['send', 'drop', 'nat', 'transfer']).toContain(trace.events[i]!.kind);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    const kinds = new Set(trace.events.map((e) => e.kind));
    expect(steps.length).toBe(trace.events.filter((e) => ['send', 'drop', 'nat', 'transfer'].includes(e.kind)).length);
    expect(kinds.has('recv')).toBe(true);
  });
  it('maps any event to the last step at or before it', () => {
    const drop = trace.events.findIndex((e) => e.kind === 'drop');
    expect(steps[stepForEvent(steps, drop)]).toBe(drop);
    expect(stepForEvent(steps, drop + 1)).toBe(steps.indexOf(drop));
    expect(stepForEvent(steps, -5)).toBe(0);
  });
});

describe('context up to the cursor', () => {
  const drop = trace.events.findIndex((e) => e.kind === 'drop');
  it('shows the data connection only once its SYN is reached, refused after the drop', () => {
    expect(visibleConnections(trace, 0).map((c) => c.role)).toEqual(['control']);
    const atDrop = visibleConnections(trace, drop);
    expect(atDrop.map((c) => [c.role, c.state, c.port])).toEqual([
      ['control', 'open', '21'],
      ['data', 'refused', '50000'],
    ]);
  });
  it('collects console lines up to the cursor only', () => {
    expect(transcript(trace, 0)).toEqual([]);
    expect(transcript(trace, trace.events.length - 1).map((l) => l.text)).toContain('---> PASV');
  });
  it('inspects the refused packet as it arrived, and NAT before/after', () => {
    const p = stepPackets(trace, drop);
    expect(p).toHaveLength(1);
    expect(packetLabel(p[0]!.bytes)).toBe('SYN');
    const nat = trace.events.findIndex((e) => e.kind === 'nat');
    expect(stepPackets(trace, nat).map((x) => x.title)).toEqual(['Before NAT at crouter', 'After NAT at crouter']);
    expect(filterDecisions(trace, drop)).toEqual([]);
  });
});

describe('ladder and inspector projections', () => {
  it('draws one row per step with arrows between lifelines and FTP text', () => {
    const rows = ladderRows(trace, steps);
    expect(rows).toHaveLength(steps.length);
    const first = rows[0]!;
    expect([first.from, first.to, first.conn]).toEqual([0, 1, 'control']);
    expect(rows.some((r) => r.text.startsWith('"227 Entering Passive Mode'))).toBe(true);
    expect(rows.find((r) => r.kind === 'drop')!.at).toBe(3);
  });
  it('decodes IPv4, TCP and FTP fields from the bytes and dumps them', () => {
    const e = trace.events.find((x) => x.kind === 'send' && packetLabel(x.bytes).startsWith('"227'));
    if (!e || e.kind !== 'send') throw new Error('no 227');
    const tree = packetTree(e.bytes);
    expect(tree.map((s) => s.title.split(',')[0])).toEqual(['Internet Protocol Version 4', 'Transmission Control Protocol', 'File Transfer Protocol (FTP)']);
    expect(tree[1]!.fields).toContainEqual(['Flags', 'PSH, ACK']);
    expect(tree[2]!.fields).toContainEqual(['Response code', '227']);
    const dump = hexDump(e.bytes);
    expect(dump).toHaveLength(Math.ceil(e.bytes.length / 16));
    expect(dump[0]!.startsWith('0000  45 ')).toBe(true);
    // Every line has the same layout, so the ASCII column lines up; it shows the FTP text.
    expect(new Set(dump.slice(0, -1).map((l) => l.length)).size).toBe(1);
    expect(hexDump(e.bytes, 8).join('').replace(/\s/g, '')).toContain('227.Entering'.slice(0, 3));
    expect(dump.join('\n')).toContain('227 Ente');
  });
});
