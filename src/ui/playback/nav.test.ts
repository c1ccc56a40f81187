import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadScenario, runScenario, decodePacket } from '../../core/index';
import { packetSteps } from './steps';
import { connectionPhases, defaultRate, findStep, stepInfos, visibleWhenFolded } from './nav';
import { syntheticRun } from './synthetic.testkit';

function runBuiltin(name: string) {
  const loaded = loadScenario(readFileSync(`src/scenarios/${name}.json`, 'utf8'), name);
  if (!loaded.ok) throw new Error(loaded.errors.map((e) => e.message).join('; '));
  const { trace } = runScenario(loaded.scenario);
  const steps = packetSteps(trace);
  return { trace, steps, infos: stepInfos(trace, steps) };
}

describe('stepping by landmarks', () => {
  const { trace, steps, infos } = runBuiltin('passive-server-firewall-drop');

  it('finds the FTP lines in order, as the client and server sent them', () => {
    const lines: string[] = [];
    for (let i = findStep(infos, -1, 1, 'ftp'); i >= 0; i = findStep(infos, i, 1, 'ftp')) lines.push(infos[i]!.ftp!);
    const sent = trace.events.filter((e) => e.kind === 'ftp').map((e) => (e.kind === 'ftp' ? e.text : ''));
    expect(lines[0]).toMatch(/^220 /);
    expect(lines).toContain('PASV');
    // Every FTP line the endpoints sent is one landmark (multi-line replies arrive as one packet).
    expect(lines.length).toBeGreaterThanOrEqual(8);
    expect(lines.length).toBeLessThanOrEqual(sent.length);
    expect(lines.some((l) => l.startsWith('227 Entering Passive Mode ('))).toBe(true);
  });

  it('steps back to the previous FTP line and stops at the ends', () => {
    const first = findStep(infos, -1, 1, 'ftp');
    const second = findStep(infos, first, 1, 'ftp');
    expect(findStep(infos, second, -1, 'ftp')).toBe(first);
    expect(findStep(infos, first, -1, 'ftp')).toBe(-1);
  });

  it('marks connection opens at the first hop of each SYN, and drops', () => {
    const opens = infos.flatMap((x, i) => (x.open ? [i] : []));
    for (const i of opens) {
      const e = trace.events[steps[i]!]!;
      if (e.kind !== 'send') throw new Error('open is not a send');
      const p = decodePacket(e.bytes, { verifyChecksums: false });
      expect(p.ok && p.value.tcp?.flags.syn && !p.value.tcp.flags.ack).toBe(true);
    }
    // Every connection is opened (curl's second command opens a second control connection
    // under the same id); retransmitted SYNs are not counted again (the run has dozens).
    const conns = new Set(
      opens.map((i) => {
        const e = trace.events[steps[i]!]!;
        return e.kind === 'send' ? e.conn : '';
      }),
    );
    expect(conns.size).toBe(trace.connections.length);
    expect(opens.length).toBeLessThanOrEqual(trace.connections.length + 1);
    const drops = infos.filter((x) => x.drop === 'drop').length;
    expect(drops).toBeGreaterThan(10);
  });

  it('folds retransmitted SYNs: fewer steps, and the last of each run says how many it stands for', () => {
    const shown = infos.filter(visibleWhenFolded).length;
    expect(shown).toBeLessThan(steps.length / 2);
    const folded = infos.filter((x) => x.foldedCount > 0);
    expect(folded.length).toBeGreaterThan(0);
    // curl and the kernel retry a SYN several times before the time-out.
    expect(Math.max(...folded.map((x) => x.foldedCount))).toBeGreaterThanOrEqual(5);
    // The original SYN's steps are never folded.
    const firstDataOpen = infos.findIndex((x, i) => x.open && trace.events[steps[i]!]!.kind === 'send' && i > 0 && infos.slice(0, i).some((y) => y.open));
    expect(infos[firstDataOpen]!.retransmission).toBe(false);
  });

  it('phases: the control connection spans the session; refused data connections are marked', () => {
    const phases = connectionPhases(trace, steps);
    const control = phases.find((p) => p.role === 'control')!;
    expect(control.from).toBe(0);
    expect(phases.filter((p) => p.role === 'data').every((p) => p.refused)).toBe(true);
    expect(phases.find((p) => p.role === 'data')!.label).toMatch(/^data :\d+ \(refused\)$/);
  });

  it('a working session has no retransmissions to fold', () => {
    const ok = runBuiltin('seed-passive-session');
    expect(ok.infos.filter((x) => x.retransmission)).toEqual([]);
    expect(connectionPhases(ok.trace, ok.steps).some((p) => p.refused)).toBe(false);
  });
});

describe('play rate', () => {
  it('plays a session in under a minute by default', () => {
    for (const n of [20, 120, 466, 3000]) {
      const r = defaultRate(n);
      expect(r.unit).toBe('packets');
      if (n <= 2500) expect(n / r.perSecond).toBeLessThan(60);
    }
    expect(defaultRate(20).perSecond).toBe(2);
  });
  it('the synthetic trace has one drop landmark', () => {
    const { trace } = syntheticRun();
    const steps = packetSteps(trace);
    const infos = stepInfos(trace, steps);
    expect(infos.filter((x) => x.drop).length).toBe(1);
    expect(findStep(infos, -1, 1, 'drop')).toBe(infos.findIndex((x) => x.drop));
  });
});

describe('side by side', () => {
  it('flips the client mode and aligns two runs by simulated time', async () => {
    const { otherMode, stepAtTime } = await import('./nav');
    const file = JSON.parse(readFileSync('src/scenarios/seed-passive-session.json', 'utf8')) as { client: { mode: string } };
    const other = otherMode(file)!;
    expect(other.to).toBe('active');
    expect((other.file as typeof file).client.mode).toBe('active');
    expect(file.client.mode).toBe('passive');
    const a = loadScenario(file, 'a');
    const b = loadScenario(other.file, 'b');
    if (!a.ok || !b.ok) throw new Error('does not load');
    const ra = runScenario(a.scenario).trace;
    const rb = runScenario(b.scenario).trace;
    const sa = packetSteps(ra);
    const sb = packetSteps(rb);
    // At every step of A, B shows the last thing that happened by then.
    for (const i of [0, 5, 10, sa.length - 1]) {
      const t = ra.events[sa[i]!]!.t;
      const j = stepAtTime(rb, sb, t);
      expect(rb.events[sb[j]!]!.t).toBeLessThanOrEqual(t);
      if (j + 1 < sb.length) expect(rb.events[sb[j + 1]!]!.t).toBeGreaterThan(t);
    }
    expect(otherMode({ clients: [] })).toBeNull();
  });
});

describe('the step line', () => {
  it("spells out a PASV reply's port and shows DROP and REJECT differently", async () => {
    const { keyLine } = await import('./keyline');
    const { trace, steps } = runBuiltin('seed-passive-session');
    const names = new Map([['testbox1', 'testbox1 (ftp -d)']]);
    const lines = steps.map((ev) => keyLine(trace, ev, names));
    const pasv = lines.find((l) => l.text.startsWith('"227 '))!;
    const m = /\((\d+),(\d+),(\d+),(\d+),(\d+),(\d+)\)/.exec(pasv.text)!;
    expect(pasv.detail).toContain(`${m[5]}×256+${m[6]} = ${Number(m[5]) * 256 + Number(m[6])}`);
    expect(lines.some((l) => l.who.startsWith('testbox1 (ftp -d) → '))).toBe(true);
    const drop = runBuiltin('passive-server-firewall-drop');
    const reject = runBuiltin('passive-server-firewall-reject');
    const d = drop.steps.map((ev) => keyLine(drop.trace, ev, new Map())).find((l) => l.kind === 'drop')!;
    const r = reject.steps.map((ev) => keyLine(reject.trace, ev, new Map())).find((l) => l.kind === 'reject')!;
    expect(d.text).toMatch(/silent/);
    expect(d.detail).toMatch(/No answer is sent/);
    expect(r.text).toMatch(/refused at once/);
  });
});
