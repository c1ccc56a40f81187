import { describe, expect, it } from 'vitest';
import { nextDelayMs, planFor, retransmitPlan, SYN_KNOBS } from './schedule';

/** Expected plans, one row per kernel generation (times in seconds after the first SYN). */
const CASES = [
  // Linux 6.18 measured: gaps 1,1,1,1,1,2,4,8,16,32 → 11 SYNs; rule gives up at 131 s
  // (the measured ~134 s adds timer-wheel slack).
  { kind: 'linux', sends: [0, 1, 2, 3, 4, 5, 7, 11, 19, 35, 67], giveUp: 131 },
  // Before tcp_syn_linear_timeouts: 1,2,4,8,16,32 → 7 SYNs, ETIMEDOUT at 127 s.
  { kind: 'exponential', sends: [0, 1, 3, 7, 15, 31, 63], giveUp: 127 },
  // SYN-ACK (tcp_synack_retries=5, no linear phase): 6 SYN-ACKs, dropped at 63 s.
  { kind: 'synack', sends: [0, 1, 3, 7, 15, 31], giveUp: 63 },
] as const;

describe('SYN retransmission plan (kernel rule)', () => {
  for (const c of CASES) {
    it(`${c.kind}: ${c.sends.length} sends, give up at ${c.giveUp} s`, () => {
      const p = planFor(c.kind);
      expect(p.sendAtMs).toEqual(c.sends.map((s) => s * 1000));
      expect(p.giveUpAtMs).toBe(c.giveUp * 1000);
    });
  }

  it('linux gaps are the measured 1,1,1,1,1,2,4,8,16,32 s', () => {
    const p = planFor('linux');
    const gaps = p.sendAtMs.slice(1).map((t, i) => (t - p.sendAtMs[i]!) / 1000);
    expect(gaps).toEqual([1, 1, 1, 1, 1, 2, 4, 8, 16, 32]);
    expect(nextDelayMs(p, 11)).toBe(64_000);
  });

  it('more linear timeouts mean more 1 s retries; the count cap is syn_retries + linear', () => {
    const p = retransmitPlan({ ...SYN_KNOBS.linux, linear: 6 });
    expect(p.sendAtMs.length).toBe(1 + 6 + 6);
    expect(p.sendAtMs.slice(0, 8)).toEqual([0, 1, 2, 3, 4, 5, 6, 7].map((s) => s * 1000));
  });

  it('the time budget (2^(retries+1) − 1 s) can stop a long linear phase before the count cap', () => {
    // tcp_syn_retries=2 → budget 7 s; 63 linear 1 s retries would allow 65 retransmissions.
    const p = retransmitPlan({ retries: 2, linear: 63, timeBudget: true });
    expect(p.sendAtMs).toEqual([0, 1, 2, 3, 4, 5, 6].map((s) => s * 1000));
    expect(p.giveUpAtMs).toBe(7000);
  });
  it('planFor with tcp_syn_retries=2 (the kernel check’s namespaces): 6 SYNs 1 s apart, given up at 7 s, as measured', () => {
    const p = planFor('linux', 2);
    expect(p.sendAtMs).toEqual([0, 1, 2, 3, 4, 5].map((s) => s * 1000));
    expect(p.giveUpAtMs).toBe(7000);
    // The default plan is untouched by the other one's cache entry.
    expect(planFor('linux').sendAtMs).toHaveLength(11);
  });
});
