/**
 * The session with an asynchronous run function, as in the browser (where it is a worker pool):
 * a newer change supersedes a run in flight, errors keep the last good run, opening starts at
 * step 1, a run can be stopped, and a run stopped by the interactive budget offers "run it all".
 */
import { describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { ScenarioFile } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { RUN_SHOWN_AFTER_MS, Session } from './session.svelte';
import type { RunOptions, RunOutcome, RunRequest } from './runner';
import { runDirect } from './work';

const file = (id: string) => structuredClone(BUILTIN_SCENARIOS.find((b) => b.id === id)!.json) as ScenarioFile & Record<string, any>;

/** A run function whose answers the test releases one by one, computed by the real core. */
function deferredRunner() {
  const calls: { req: RunRequest; opts: RunOptions; release: (o?: Partial<RunOutcome>) => Promise<void> }[] = [];
  const fn = (req: RunRequest, opts: RunOptions = {}) =>
    new Promise<RunOutcome>((resolve) => {
      calls.push({
        req,
        opts,
        release: async (over) => {
          const out = opts.signal?.aborted ? { kind: 'cancelled' as const } : (runDirect(req) as RunOutcome);
          resolve({ ...out, ...over } as RunOutcome);
          await Promise.resolve();
          await Promise.resolve();
        },
      });
    });
  return { fn, calls };
}

describe('Session with a run function that answers later (the worker pool)', () => {
  it('a newer edit supersedes the run in flight: the older result is never shown', async () => {
    const { fn, calls } = deferredRunner();
    const s = new Session(fn);
    const a = file('passive-server-firewall-reject');
    const b = file('seed-passive-session');
    expect(s.open(a, 'start')).toBe(true);
    expect(s.running).toEqual({ events: 0, full: false });
    expect(s.run).toBeNull();
    // The heading names the scenario before its run comes back.
    expect(s.title?.name).toBe((a as { name: string }).name);
    expect(s.setFile(b, 'end')).toBe(true);
    expect(calls[0]!.opts.signal!.aborted).toBe(true);
    await calls[1]!.release();
    expect(s.run?.verdict.ok).toBe(true);
    expect(s.running).toBeNull();
    await calls[0]!.release({ kind: 'done', run: runDirect({ file: a }) as never, stoppedEarly: false, wallMs: 0 } as RunOutcome);
    // Still b's run: a's answer came after it was superseded.
    expect(s.run?.verdict.ok).toBe(true);
    expect(s.scenario?.name).toBe(b.name);
  });

  it('opening starts at step 1; an edit with errors keeps the last good run and stops the run in flight', async () => {
    const { fn, calls } = deferredRunner();
    const s = new Session(fn);
    s.open(file('passive-server-firewall-reject'), 'start');
    await calls[0]!.release();
    flushSync();
    expect(s.playback.cursor).toBe(0);
    expect(s.run?.verdict.ok).toBe(false);
    const good = s.run;
    const fixed = file('passive-server-firewall-reject');
    s.setFile(fixed, 'end');
    expect(s.running).not.toBeNull();
    const broken = { ...fixed, hosts: [] };
    expect(s.setFile(broken as ScenarioFile, 'end')).toBe(false);
    expect(calls[1]!.opts.signal!.aborted).toBe(true);
    expect(s.running).toBeNull();
    expect(s.errors.length).toBeGreaterThan(0);
    expect(s.run).toBe(good);
  });

  it("an edit's run is asked for before the file is loaded here; a file that does not load is never shown and its request is not cancelled", async () => {
    const { fn, calls } = deferredRunner();
    const s = new Session(fn);
    s.open(file('passive-server-firewall-reject'), 'start');
    await calls[0]!.release();
    const good = s.run;
    const broken = { ...file('passive-server-firewall-reject'), hosts: [] } as ScenarioFile;
    expect(s.setFile(broken, 'end')).toBe(false);
    // The worker was asked (it answers "invalid" at once) and not stopped: stopping it would end its worker.
    expect(calls).toHaveLength(2);
    expect(calls[1]!.req.file).toBe(broken);
    expect(calls[1]!.opts.signal!.aborted).toBe(false);
    const errors = s.errors;
    expect(errors.length).toBeGreaterThan(0);
    await calls[1]!.release();
    expect(s.errors).toBe(errors);
    expect(s.run).toBe(good);
    expect(s.running).toBeNull();
  });

  it('tells the warm-up hook of each run that came back, not of runs that failed to load', async () => {
    const { fn, calls } = deferredRunner();
    const warmed: RunRequest[] = [];
    const s = new Session(fn, (r) => warmed.push(r));
    const a = file('seed-passive-session');
    s.open(a, 'start');
    expect(warmed).toHaveLength(0);
    await calls[0]!.release();
    expect(warmed.map((r) => r.file)).toEqual([a]);
    s.setFile({ ...a, hosts: [] } as ScenarioFile, 'end');
    await calls[1]!.release();
    expect(warmed).toHaveLength(1);
  });

  it('a run is said to be running only once it has taken RUN_SHOWN_AFTER_MS (a quick re-run shows no progress bar)', async () => {
    vi.useFakeTimers();
    try {
      const { fn, calls } = deferredRunner();
      const s = new Session(fn);
      s.open(file('passive-server-firewall-reject'), 'start');
      vi.advanceTimersByTime(RUN_SHOWN_AFTER_MS - 10);
      expect(s.running).not.toBeNull();
      expect(s.runningLong).toBe(false);
      await calls[0]!.release();
      expect(s.runningLong).toBe(false);
      vi.advanceTimersByTime(1000);
      expect(s.runningLong).toBe(false);
      // A slow one is shown, and a newer edit starts its own wait.
      s.setFile(file('seed-passive-session'), 'end');
      vi.advanceTimersByTime(RUN_SHOWN_AFTER_MS);
      expect(s.runningLong).toBe(true);
      s.setFile(file('passive-server-firewall-reject'), 'end');
      expect(s.runningLong).toBe(false);
      vi.advanceTimersByTime(RUN_SHOWN_AFTER_MS);
      expect(s.runningLong).toBe(true);
      await calls[2]!.release();
      expect(s.runningLong).toBe(false);
    } finally {
      vi.useRealTimers();
    }
  });

  it('progress is shown while a run is in flight, and Stop keeps the last run', async () => {
    const { fn, calls } = deferredRunner();
    const s = new Session(fn);
    s.open(file('seed-passive-session'), 'start');
    await calls[0]!.release();
    const before = s.run;
    s.setFile(file('seed-active-session'), 'end');
    calls[1]!.opts.onProgress!(12_345);
    expect(s.running?.events).toBe(12_345);
    s.cancelRun();
    expect(s.running).toBeNull();
    expect(calls[1]!.opts.signal!.aborted).toBe(true);
    await calls[1]!.release();
    expect(s.run).toBe(before);
  });

  it('every run has the interactive budget until "run it all", which holds until another scenario is opened', async () => {
    const { fn, calls } = deferredRunner();
    const s = new Session(fn);
    s.open(file('seed-passive-session'), 'start');
    expect(calls[0]!.req.budget).toEqual({ events: 500_000, wallMs: 2_000 });
    await calls[0]!.release({ stoppedEarly: true } as Partial<RunOutcome>);
    expect(s.stoppedEarly).toBe(true);
    s.runItAll();
    expect(calls[1]!.req.budget).toBeNull();
    expect(s.running?.full).toBe(true);
    await calls[1]!.release();
    expect(s.stoppedEarly).toBe(false);
    s.setFile(file('seed-passive-session'), 'end');
    expect(calls[2]!.req.budget).toBeNull();
    s.open(file('seed-active-session'), 'start');
    expect(calls[3]!.req.budget).not.toBeNull();
  });

  it('a run function that answers at once (tests, tools) is applied at once', () => {
    const s = new Session(runDirect);
    expect(s.open(file('seed-passive-session'), 'start')).toBe(true);
    expect(s.running).toBeNull();
    expect(s.run?.verdict.ok).toBe(true);
  });
});
