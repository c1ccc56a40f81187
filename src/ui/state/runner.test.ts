/**
 * The worker pool with fake workers (jsdom has no Worker): requests spread over the pool and
 * queue beyond it, a cancelled run in flight ends its worker (a new one takes the slot), a worker
 * that dies fails only its own request, and a batch reports its progress. The fake workers do
 * the real work (runner.work with the core) and answer through the real packing.
 */
import { describe, expect, it, vi } from 'vitest';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { packRun } from './traceWire';
import { RunnerPool, seedRequests, WARM_RUNS, type WorkerLike, type WorkerReply, type WorkerRequest } from './runner';
import { work } from './work';

class FakeWorker implements WorkerLike {
  static made: FakeWorker[] = [];
  onmessage: ((e: { data: WorkerReply }) => void) | null = null;
  onerror: ((e: { message?: string }) => void) | null = null;
  inbox: WorkerRequest[] = [];
  terminated = false;
  constructor() {
    FakeWorker.made.push(this);
  }
  postMessage(m: WorkerRequest) {
    this.inbox.push(m);
  }
  terminate() {
    this.terminated = true;
  }
  /** Answers the oldest request as sim.worker.ts would. */
  answer() {
    const req = this.inbox.shift()!;
    const r = work(
      req,
      () => 0,
      () => {},
    );
    if ('invalid' in r) return this.onmessage?.({ data: { id: req.id, kind: 'invalid', errors: r.invalid } });
    if (req.want === 'verdict')
      return this.onmessage?.({
        data: { id: req.id, kind: 'verdict', verdict: r.run.verdict, events: r.run.trace.events.length, stoppedEarly: r.stoppedEarly, wallMs: 0, dataConns: r.dataConns },
      });
    this.onmessage?.({ data: { id: req.id, kind: 'done', packed: structuredClone(packRun(r.run)), stoppedEarly: r.stoppedEarly, wallMs: 0 } });
  }
}

const json = (id: string) => BUILTIN_SCENARIOS.find((b) => b.id === id)!.json;
const tick = () => new Promise((r) => setTimeout(r, 0));

/** A pool of fake workers (warm-up after `warmAfterMs`) whose first worker has run a scenario, as after opening it. */
async function openedPool(size: number, warmAfterMs: number, id: string): Promise<RunnerPool> {
  FakeWorker.made = [];
  const pool = new RunnerPool(size, () => new FakeWorker(), warmAfterMs);
  const opened = pool.run({ file: json(id) });
  FakeWorker.made[0]!.answer();
  await opened;
  return pool;
}

describe('RunnerPool', () => {
  it('spreads requests over its workers and queues the rest', async () => {
    FakeWorker.made = [];
    const pool = new RunnerPool(2, () => new FakeWorker());
    const outs = [pool.run({ file: json('seed-passive-session') }), pool.run({ file: json('passive-server-firewall-reject') }), pool.run({ file: json('seed-active-session') })];
    expect(FakeWorker.made).toHaveLength(2);
    expect(FakeWorker.made.map((w) => w.inbox.length)).toEqual([1, 1]);
    expect(pool.pending).toBe(3);
    FakeWorker.made[1]!.answer();
    // The third goes to the worker that became free.
    expect(FakeWorker.made[1]!.inbox).toHaveLength(1);
    FakeWorker.made[0]!.answer();
    FakeWorker.made[1]!.answer();
    const [a, b, c] = await Promise.all(outs);
    expect(a!.kind === 'done' && a!.run.verdict.ok).toBe(true);
    expect(b!.kind === 'done' && b!.run.verdict.ok).toBe(false);
    expect(c!.kind === 'done' && c!.run.trace.events.length).toBeGreaterThan(100);
    expect(pool.pending).toBe(0);
  });

  it('cancelling a run in flight terminates its worker; the next request gets a fresh one', async () => {
    FakeWorker.made = [];
    const pool = new RunnerPool(1, () => new FakeWorker());
    const ctl = new AbortController();
    const first = pool.run({ file: json('seed-passive-session') }, { signal: ctl.signal });
    const second = pool.run({ file: json('seed-active-session') });
    ctl.abort();
    expect(await first).toEqual({ kind: 'cancelled' });
    expect(FakeWorker.made[0]!.terminated).toBe(true);
    expect(FakeWorker.made).toHaveLength(2);
    FakeWorker.made[1]!.answer();
    expect((await second).kind).toBe('done');
  });

  it('a worker that dies fails its own request with a message, and the pool goes on', async () => {
    FakeWorker.made = [];
    const pool = new RunnerPool(1, () => new FakeWorker());
    const dying = pool.run({ file: json('seed-passive-session') });
    FakeWorker.made[0]!.onerror?.({ message: 'Out of memory' });
    const out = await dying;
    expect(out.kind === 'error' && out.message).toMatch(/Out of memory.*npm run sim/);
    const next = pool.run({ file: json('seed-passive-session') });
    await tick();
    FakeWorker.made.at(-1)!.answer();
    expect((await next).kind).toBe('done');
  });

  it('a batch of seeds returns verdicts only, in order, with progress, and can be cancelled', async () => {
    FakeWorker.made = [];
    const pool = new RunnerPool(2, () => new FakeWorker());
    const progress: string[] = [];
    const ctl = new AbortController();
    const batch = pool.batch(seedRequests(json('passive-server-firewall-reject'), [1, 2, 3, 4]), { signal: ctl.signal, onProgress: (d, t) => progress.push(`${d}/${t}`) });
    FakeWorker.made[0]!.answer();
    FakeWorker.made[1]!.answer();
    await tick();
    ctl.abort();
    const outs = await batch;
    expect(outs.map((o) => o.kind)).toEqual(['verdict', 'verdict', 'cancelled', 'cancelled']);
    expect(outs[0]!.kind === 'verdict' && outs[0]!.verdict.ok).toBe(false);
    expect(progress).toEqual(['1/4', '2/4', '3/4', '4/4']);
  });

  it('warms idle workers with a scenario: one run at a time, alternating, until each has made WARM_RUNS runs', async () => {
    const pool = await openedPool(2, 0, 'passive-server-firewall-reject');
    pool.warm({ file: json('passive-server-firewall-reject') });
    let warmRuns = 0;
    for (let i = 0; i < 4 * WARM_RUNS; i++) {
      await tick();
      const busy = FakeWorker.made.filter((w) => w.inbox.length > 0);
      if (busy.length === 0) break;
      // Never both at once: the other worker stays free for an edit.
      expect(busy).toHaveLength(1);
      expect(busy[0]!.inbox[0]!.want).toBe('verdict');
      busy[0]!.answer();
      warmRuns++;
    }
    // The first worker had made one run (the opening); each ends with WARM_RUNS.
    expect(warmRuns).toBe(2 * WARM_RUNS - 1);
    expect(FakeWorker.made).toHaveLength(2);
    // Warm workers make warm() a no-op.
    pool.warm({ file: json('seed-passive-session') });
    await tick();
    await tick();
    expect(FakeWorker.made.every((w) => w.inbox.length === 0)).toBe(true);
  });

  it('an edit made during a warm-up run goes at once to the free worker; warm-up waits until the pool is idle again', async () => {
    const pool = await openedPool(2, 0, 'passive-server-firewall-reject');
    pool.warm({ file: json('passive-server-firewall-reject') });
    await tick();
    // The warm-up run goes to the worker with fewer runs: a new one.
    expect(FakeWorker.made).toHaveLength(2);
    const warming = FakeWorker.made[1]!;
    expect(warming.inbox).toHaveLength(1);
    const edit = pool.run({ file: json('passive-server-firewall-helper') });
    expect(FakeWorker.made[0]!.inbox).toHaveLength(1);
    expect(FakeWorker.made[0]!.inbox[0]!.want).toBeUndefined();
    FakeWorker.made[0]!.answer();
    const out = await edit;
    expect(out.kind === 'done' && out.run.verdict.ok).toBe(true);
    // While the warm-up run is still in flight, nothing else is started.
    await tick();
    expect(FakeWorker.made[0]!.inbox).toHaveLength(0);
    warming.answer();
    await tick();
    expect(FakeWorker.made.filter((w) => w.inbox.length > 0)).toHaveLength(1);
  });

  it('a scenario too big to warm up with stops the warm-up after one run', async () => {
    FakeWorker.made = [];
    const pool = new RunnerPool(1, () => new FakeWorker(), 0);
    pool.warm({ file: json('seed-passive-session') });
    await tick();
    const w = FakeWorker.made[0]!;
    const req = w.inbox.shift()!;
    w.onmessage?.({ data: { id: req.id, kind: 'verdict', verdict: { ok: true } as never, events: 1, stoppedEarly: true, wallMs: 300 } });
    await tick();
    await tick();
    expect(w.inbox).toHaveLength(0);
  });

  it('no warm-up run starts while the learner is using the page (hold), only once it has been idle', async () => {
    // The pool's clock (setTimeout, performance.now) is the test's: a busy machine's late timer
    // made the real-time version of this test fail (a 20 ms wait took over 40 ms).
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'performance'] });
    try {
      const pool = await openedPool(1, 40, 'seed-passive-session');
      pool.warm({ file: json('seed-passive-session') });
      const w = FakeWorker.made[0]!;
      // Steps every 20 ms for 120 ms: each postpones the warm-up by another 40 ms.
      for (let i = 0; i < 6; i++) {
        pool.hold();
        await vi.advanceTimersByTimeAsync(20);
        expect(w.inbox).toHaveLength(0);
      }
      // Idle: 40 ms after the last step it starts.
      await vi.advanceTimersByTimeAsync(19);
      expect(w.inbox).toHaveLength(0);
      await vi.advanceTimersByTimeAsync(2);
      expect(w.inbox).toHaveLength(1);
      expect(w.inbox[0]!.want).toBe('verdict');
      pool.dispose();
    } finally {
      vi.useRealTimers();
    }
  });
});
