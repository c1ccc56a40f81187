/**
 * Re-roll and "run with 20 seeds": the seed incident (vsftpd 3001–3300, firewall 3001–3100)
 * fails for some seeds only, and the summary says which passive ports were blocked.
 */
import { describe, expect, it } from 'vitest';
import type { Culprit, ScenarioFile } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { seedRequests, type RunOutcome } from '../state/runner';
import { runDirect } from '../state/work';
import { SUMMARY_SEEDS, nextSeed, parseSeed, seedOf, summariseSeeds, type SeedResult } from './seeds';

const file = (id: string) => BUILTIN_SCENARIOS.find((b) => b.id === id)!.json as ScenarioFile;
const runSeeds = (f: ScenarioFile) => seedRequests(f, SUMMARY_SEEDS).map((req, i) => ({ seed: SUMMARY_SEEDS[i]!, outcome: runDirect(req) as RunOutcome }));

describe('seeds', () => {
  it('re-roll is repeatable and gives another seed; a typed seed is checked', () => {
    expect(nextSeed(1)).toBe(nextSeed(1));
    expect(nextSeed(1)).not.toBe(1);
    expect(new Set(Array.from({ length: 50 }, (_, i) => nextSeed(i))).size).toBe(50);
    expect(parseSeed(' 42 ')).toEqual({ ok: true, seed: 42 });
    expect(parseSeed('4x')).toMatchObject({ ok: false, message: expect.stringMatching(/whole number from 0 to 4294967295, not "4x"/) });
    expect(seedOf({ ...file('seed-passive-session'), seed: undefined })).toBe(1);
    expect(SUMMARY_SEEDS).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20]);
  });

  it('the seed incident fails for some of 20 seeds: the blocked passive ports are above 3100, the others not', () => {
    const f = file('seed-incident-pasv-range');
    const names = new Map([...f.hosts, ...(f.routers ?? [])].map((d) => [d.id, d.label ?? d.id]));
    const s = summariseSeeds(f, runSeeds(f), names);
    expect(s.failed.length).toBeGreaterThan(0);
    expect(s.worked.length).toBeGreaterThan(0);
    expect(s.failed.length + s.worked.length).toBe(20);
    expect(s.blockedPorts.every((p) => p >= 3101 && p <= 3300)).toBe(true);
    expect(s.openPorts.every((p) => p >= 3001 && p <= 3100)).toBe(true);
    expect(s.headline).toBe(
      `Fails for ${s.failed.length} of 20 seeds — passive ports ${s.blockedPorts[0]}–${s.blockedPorts.at(-1)} were blocked; ${s.openPorts[0]}–${s.openPorts.at(-1)} got through.`,
    );
    expect(s.details).toContain(
      `${s.failed.length} seeds failed, ${s.worked.length} worked: ${s.failed.length} + ${s.worked.length} = 20; ${s.failed.length} ÷ 20 = ${Math.round((s.failed.length / 20) * 100)} % of the runs fail.`,
    );
    expect(s.details).toContain('vsftpd picks each passive port at random from pasv_min_port–pasv_max_port: 3001–3300, 3300 − 3001 + 1 = 300 ports.');
    // What stopped them, by the name the canvas shows.
    expect(s.details).toContain(`Dropped by Server firewall, the FORWARD chain's policy (${s.failed.length} of ${s.failed.length} failed seeds).`);
    expect(s.details.join('\n')).not.toMatch(/server-edge/);
    expect(s.rows.map((r) => r.seed)).toEqual([...SUMMARY_SEEDS]);
  });

  it("what stopped a seed: a dropped packet's sentence from its fields, a setting as it is", () => {
    const failedWith = (seed: number, culprit: Culprit): SeedResult => ({
      seed,
      outcome: {
        kind: 'verdict',
        events: 1,
        stoppedEarly: false,
        wallMs: 0,
        verdict: {
          ok: false,
          budgetExhausted: false,
          endTime: 0,
          summary: '',
          transfers: [{ client: 'client', command: 'ls', ok: false, bytes: 0, failure: { kind: 'refused', step: 0, culprit, clientSees: [], explanation: '', fix: '' } }],
        },
      },
    });
    const names = new Map([
      ['server-edge', 'Server firewall'],
      ['server', 'testbox2'],
    ]);
    const s = summariseSeeds(
      file('seed-incident-pasv-range'),
      [
        // The JSON's id sentence is not what the summary says: it is built from `drop`.
        failedWith(1, { device: 'server-edge', rule: null, setting: 'kept for the JSON', drop: { how: 'no-socket', cause: { kind: 'closed-port', port: 3101 } } }),
        failedWith(2, { device: 'server', rule: null, setting: 'local_enable / server.users' }),
      ],
      names,
    );
    expect(s.details).toContain('nothing listens on Server firewall at port 3101, so it answers with RST (TCP) or ICMP port unreachable (1 of 2 failed seeds).');
    // "server.users" is a field of the scenario file, not the device "server": not renamed.
    expect(s.details).toContain('Stopped by testbox2, setting local_enable / server.users (1 of 2 failed seeds).');
  });

  it('the fixed range works for all 20 seeds; a cancelled batch says so', () => {
    const f = file('seed-incident-pasv-range-fixed');
    const s = summariseSeeds(f, runSeeds(f));
    expect(s.failed).toEqual([]);
    expect(s.headline).toMatch(/^Works for all 20 seeds — passive ports \d+–\d+ all got through\.$/);
    const c = summariseSeeds(f, [{ seed: 1, outcome: { kind: 'cancelled' } }]);
    expect(c.headline).toBe('No seed ran to the end (1 seed not run).');
  });
});
