import { describe, expect, it } from 'vitest';
import { createActor, setup } from 'xstate';
import { Scheduler, seconds } from './scheduler';

describe('Scheduler', () => {
  it('runs events by time, then by insertion order for ties', () => {
    const s = new Scheduler();
    const log: string[] = [];
    s.at(5, () => log.push('b'));
    s.at(3, () => log.push('a'));
    s.at(5, () => log.push('c'));
    s.at(5, () => s.after(0, () => log.push('e')));
    s.at(5, () => log.push('d'));
    expect(s.run()).toBe('idle');
    expect(log).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(s.now).toBe(5);
  });

  it('cancels and stops on budget', () => {
    const s = new Scheduler();
    const log: number[] = [];
    const id = s.at(1, () => log.push(1));
    s.at(2, () => log.push(2));
    s.at(3, () => log.push(3));
    s.cancel(id);
    expect(s.run({ budget: 1 })).toBe('budget');
    expect(log).toEqual([2]);
  });

  it('drives XState delays: a 134 s time-out costs no wall time', () => {
    const s = new Scheduler();
    const m = setup({}).createMachine({ initial: 'waiting', states: { waiting: { after: { 134000: 'timedOut' } }, timedOut: {} } });
    const a = createActor(m, { clock: s.clock }).start();
    expect(a.getSnapshot().value).toBe('waiting');
    s.run({ until: seconds(133) });
    expect(a.getSnapshot().value).toBe('waiting');
    s.run();
    expect(a.getSnapshot().value).toBe('timedOut');
    expect(s.now).toBe(seconds(134));
  });
});
