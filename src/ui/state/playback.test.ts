/**
 * Playing steps on animation frames: at most one step per frame, at the chosen rate, and a
 * slow frame does not release a burst of steps afterwards (see docs/DECISIONS.md, "UI speed").
 * The browser's frames are simulated: requestAnimationFrame and the clock are the test's.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { flushSync } from 'svelte';
import type { Trace } from '../../core/index';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { Playback } from './playback.svelte';
import { runDirect } from './work';

let made: Trace | null = null;
/** One run of a built-in with 650 events, made once for the file. */
function trace(): Trace {
  if (made) return made;
  const out = runDirect({ file: BUILTIN_SCENARIOS.find((b) => b.id === 'passive-server-firewall-reject')!.json, budget: null });
  if (out instanceof Promise || out.kind !== 'done') throw new Error('the scenario did not run');
  return (made = out.run.trace);
}

let now = 0;
let queued: ((t: number) => void)[] = [];
beforeEach(() => {
  now = 1000;
  queued = [];
  vi.stubGlobal('requestAnimationFrame', (cb: (t: number) => void) => queued.push(cb));
  vi.stubGlobal('cancelAnimationFrame', () => (queued = []));
  vi.spyOn(performance, 'now').mockImplementation(() => now);
});
afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** One frame `ms` after the last: runs the callbacks queued for it; returns how far the cursor moved. */
function frame(p: Playback, ms: number): number {
  const before = p.cursor;
  now += ms;
  const run = queued;
  queued = [];
  for (const cb of run) cb(now);
  flushSync();
  return p.cursor - before;
}

describe('Playback on animation frames', () => {
  it('at 50 packets/s and 60 frames a second: 50 steps in a second, never two in one frame', () => {
    const p = new Playback(trace);
    p.setRate({ unit: 'packets', perSecond: 50 });
    expect(p.count).toBeGreaterThan(120);
    p.play();
    const moves = Array.from({ length: 60 }, () => frame(p, 1000 / 60));
    expect(Math.max(...moves)).toBe(1);
    expect(p.cursor).toBeGreaterThanOrEqual(49);
    expect(p.cursor).toBeLessThanOrEqual(51);
  });

  it('a slow frame (a busy page) takes one step, not the burst it missed', () => {
    const p = new Playback(trace);
    p.setRate({ unit: 'packets', perSecond: 20 });
    p.play();
    frame(p, 16);
    const at = p.cursor;
    expect(frame(p, 500)).toBe(1);
    // and the rate resumes from there: 50 ms later (one interval) the next step
    expect(frame(p, 30)).toBe(0);
    expect(frame(p, 20)).toBe(1);
    expect(p.cursor).toBe(at + 2);
  });

  it('pause stops the frames; play at the end starts again from step 1', () => {
    const p = new Playback(trace);
    p.setRate({ unit: 'packets', perSecond: 50 });
    p.play();
    frame(p, 30);
    p.pause();
    const at = p.cursor;
    expect(queued).toHaveLength(0);
    frame(p, 100);
    expect(p.cursor).toBe(at);
    p.toEnd();
    p.play();
    expect(p.cursor).toBe(0);
  });
});
