/**
 * Running scenarios off the page's main thread: a small pool of Web Workers
 * (src/ui/state/sim.worker.ts), each loading and running one scenario at a time with the
 * core's runScenario. Nothing here blocks the page, whatever a link holds.
 *
 * Use:
 *   const pool = sharedPool();                       // 2 workers, made when first needed
 *   const out = await pool.run({ file, budget: INTERACTIVE_BUDGET }, { signal, onProgress });
 *   // out.kind: 'done' (out.run: trace + verdict, out.stoppedEarly) | 'invalid' | 'error' | 'cancelled'
 *   const outs = await pool.batch(seedRequests(file, [1, 2, 3]), { signal, onProgress: (done, total) => … });
 *   // batch requests default to want: 'verdict' (no trace crosses back: 20 seeds stay cheap)
 *
 * A request superseded or cancelled (its AbortSignal aborted) ends as { kind: 'cancelled' }:
 * a run in flight cannot be interrupted from outside a worker, so its worker is terminated and
 * a fresh one takes its place. A worker that dies (out of memory) ends its request as an error.
 * `runDirect` (work.ts) is the same contract in this thread, for tests and tools without Workers;
 * it lives apart so that the page, which only talks to the pool, does not bundle the engine.
 */
import type { RunResult, ScenarioError, Trace, Verdict } from '../../core/index';
import { unpackRun, type PackedRun } from './traceWire';

/** How much one run may do before it stops and says so: simulated events, and wall time. */
export interface Budget {
  events: number;
  wallMs: number;
}

/** A run opened from a link or edited in the page: enough for any built-in (≤ 1,300 trace
 * events, ≤ 0.7 s) and a 10 MB transfer, small enough that a link to 40 × 100 MB answers in
 * seconds. "Run it all" lifts it to the core's own budget (2,000,000 events, no time limit). */
export const INTERACTIVE_BUDGET: Budget = { events: 500_000, wallMs: 2_000 };

export interface RunRequest {
  /** A scenario file (JSON value); the worker loads it with the core's loader. */
  file: unknown;
  /** null: the core's full budget, as the CLI runs. */
  budget?: Budget | null;
  /** 'run' sends the trace back (packed); 'verdict' only the verdict (batches). */
  want?: 'run' | 'verdict';
}

/** One data connection of a run, as a seed summary lists it: the port dialled, and whether a device stopped its packets. */
export interface DataConnFact {
  port: number;
  /** Passive: the client opened it (to the server's port); active: the server did. */
  passive: boolean;
  blocked: boolean;
}

/** The data connections of a run (a few numbers: what a batch of 20 seeds sends back instead of the trace). */
export function dataConnFacts(trace: Trace, serverHost: string): DataConnFact[] {
  const blocked = new Set<string>();
  for (const e of trace.events) if (e.kind === 'drop' && e.conn !== undefined) blocked.add(e.conn);
  return trace.connections
    .filter((c) => c.role === 'data')
    .map((c) => ({ port: Number(c.dialled.split(':').pop()), passive: c.opener !== serverHost, blocked: blocked.has(c.id) }));
}

export type RunOutcome =
  | { kind: 'done'; run: RunResult; stoppedEarly: boolean; wallMs: number }
  | { kind: 'verdict'; verdict: Verdict; events: number; stoppedEarly: boolean; wallMs: number; dataConns?: DataConnFact[] }
  | { kind: 'invalid'; errors: ScenarioError[] }
  | { kind: 'error'; message: string }
  | { kind: 'cancelled' };

export interface RunOptions {
  signal?: AbortSignal;
  /** Events simulated so far, about ten times a second. */
  onProgress?: (events: number) => void;
}

/** The run function a Session is given: the pool in the browser, runDirect in unit tests. */
export type RunFn = (req: RunRequest, opts?: RunOptions) => RunOutcome | Promise<RunOutcome>;

// ── the messages between the page and a worker (the work itself: work.ts) ──────

/** Messages between the page and a worker. */
export type WorkerRequest = RunRequest & { id: number };
export type WorkerReply =
  | { id: number; kind: 'progress'; events: number }
  | { id: number; kind: 'done'; packed: PackedRun; stoppedEarly: boolean; wallMs: number }
  | { id: number; kind: 'verdict'; verdict: Verdict; events: number; stoppedEarly: boolean; wallMs: number; dataConns?: DataConnFact[] }
  | { id: number; kind: 'invalid'; errors: ScenarioError[] }
  | { id: number; kind: 'error'; message: string };

// ── the pool ───────────────────────────────────────────────────────────────────

/** What the pool needs of a Worker (a fake in unit tests). */
export interface WorkerLike {
  postMessage(msg: WorkerRequest): void;
  terminate(): void;
  onmessage: ((e: { data: WorkerReply }) => void) | null;
  onerror: ((e: { message?: string }) => void) | null;
}

interface Task {
  id: number;
  req: RunRequest;
  opts: RunOptions;
  resolve: (o: RunOutcome) => void;
  slot: Slot | null;
}
interface Slot {
  worker: WorkerLike | null;
  task: Task | null;
  /** Runs this worker has finished: how warm its compiled engine code is (see `warm`). */
  runs: number;
}

/**
 * Runs each worker makes of the opened scenario while the page is idle (see `warm`). A worker's
 * engine code is compiled to fast machine code only after it has run many times: measured on
 * this project's 2-core machine, a fresh worker's second to seventh run of an edited built-in
 * took 30–55 ms, and after ten runs 8–25 ms.
 */
export const WARM_RUNS = 10;
/** Idle time after a run before the warm-up starts, so it never competes with opening or reading. */
export const WARM_AFTER_MS = 400;
/** A scenario whose run takes longer than this is not run again to warm up (it would only cost). */
export const WARM_MAX_RUN_MS = 250;

export class RunnerPool {
  readonly #slots: Slot[];
  readonly #queue: Task[] = [];
  #next = 1;
  /** The scenario to warm the workers up with, until each has WARM_RUNS runs. */
  #warmReq: RunRequest | null = null;
  #warmTimer: ReturnType<typeof setTimeout> | undefined;
  /** No warm-up run starts before this time (performance.now()): the learner is using the page. */
  #quietUntil = 0;
  /** A request (not a warm-up run) was given to a worker since the last warm-up run started. */
  #busySinceWarm = true;

  constructor(
    size = 2,
    private readonly makeWorker: () => WorkerLike = browserWorker,
    private readonly warmAfterMs = WARM_AFTER_MS,
  ) {
    this.#slots = Array.from({ length: Math.max(1, size) }, () => ({ worker: null, task: null, runs: 0 }));
  }

  /**
   * Warms the workers up with a scenario while the page is idle: runs it again (verdict only)
   * until each worker has made WARM_RUNS runs, so that the learner's first edits are answered by
   * compiled code rather than by a cold engine. A warm-up run starts only when no other request
   * waits or runs, and only one at a time, so another worker is always free for an edit; it
   * starts WARM_AFTER_MS after the pool was last busy. Workers already warm make it a no-op.
   */
  warm(req: RunRequest): void {
    if (this.#slots.every((s) => s.runs >= WARM_RUNS)) return;
    this.#warmReq = { file: req.file, budget: { events: INTERACTIVE_BUDGET.events, wallMs: WARM_MAX_RUN_MS }, want: 'verdict' };
    this.#pump();
  }

  /** Runs one request on the next free worker. */
  run = (req: RunRequest, opts: RunOptions = {}): Promise<RunOutcome> =>
    new Promise<RunOutcome>((resolve) => {
      if (opts.signal?.aborted) return resolve({ kind: 'cancelled' });
      const task: Task = { id: this.#next++, req, opts, resolve, slot: null };
      opts.signal?.addEventListener('abort', () => this.#cancel(task), { once: true });
      this.#queue.push(task);
      this.#pump();
    });

  /** Many requests spread over the pool; results in the order given. Cancelling the signal
   * cancels the ones not finished. `onProgress(done, total)` after each one ends. */
  async batch(reqs: RunRequest[], opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {}): Promise<RunOutcome[]> {
    let done = 0;
    return Promise.all(
      reqs.map((r) =>
        this.run({ want: 'verdict', ...r }, opts.signal ? { signal: opts.signal } : {}).then((o) => {
          opts.onProgress?.(++done, reqs.length);
          return o;
        }),
      ),
    );
  }

  /**
   * The learner is using the page (a key, a click, a step of the playback): warm-up runs wait
   * until WARM_AFTER_MS after the last such moment, so that on a machine with few cores they never
   * compete with stepping or playing.
   */
  hold(): void {
    if (this.#warmReq) this.#quietUntil = performance.now() + this.warmAfterMs;
  }

  /** Requests waiting or running. */
  get pending(): number {
    return this.#queue.length + this.#slots.filter((s) => s.task).length;
  }

  dispose(): void {
    this.#warmReq = null;
    clearTimeout(this.#warmTimer);
    for (const t of [...this.#queue]) this.#cancel(t);
    for (const s of this.#slots) {
      if (s.task) this.#cancel(s.task);
      s.worker?.terminate();
      s.worker = null;
    }
  }

  #pump(): void {
    for (const slot of this.#slots) {
      if (slot.task || this.#queue.length === 0) continue;
      this.#busySinceWarm = true;
      this.#assign(slot, this.#queue.shift()!);
    }
    clearTimeout(this.#warmTimer);
    // Warm-up runs follow one another at once, but only after the pool has been idle a while.
    if (this.#warmReq && this.#slots.every((s) => !s.task)) this.#warmTimer = setTimeout(() => this.#warmOne(), this.#busySinceWarm ? this.warmAfterMs : 0);
  }

  #assign(slot: Slot, task: Task): void {
    slot.task = task;
    task.slot = slot;
    const w = (slot.worker ??= this.#spawn(slot));
    w.postMessage({ ...task.req, id: task.id });
  }

  /** One warm-up run on the least-run worker, if the pool is still idle. */
  #warmOne(): void {
    const req = this.#warmReq;
    if (!req || this.#queue.length > 0 || this.#slots.some((s) => s.task)) return;
    const wait = this.#quietUntil - performance.now();
    if (wait > 0) {
      this.#warmTimer = setTimeout(() => this.#warmOne(), wait);
      return;
    }
    const slot = this.#slots.reduce((a, b) => (b.runs < a.runs ? b : a));
    if (slot.runs >= WARM_RUNS) {
      this.#warmReq = null;
      return;
    }
    this.#busySinceWarm = false;
    this.#assign(slot, {
      id: this.#next++,
      req,
      opts: {},
      slot: null,
      resolve: (o) => {
        // A scenario too big to warm up with, or one that fails to run: stop.
        if (o.kind !== 'verdict' || o.stoppedEarly || o.wallMs > WARM_MAX_RUN_MS) this.#warmReq = null;
      },
    });
  }

  #spawn(slot: Slot): WorkerLike {
    const w = this.makeWorker();
    w.onmessage = (e) => {
      const m = e.data;
      const task = slot.task;
      if (!task || m.id !== task.id) return;
      if (m.kind === 'progress') return task.opts.onProgress?.(m.events);
      let out: RunOutcome;
      if (m.kind === 'done') out = { kind: 'done', run: unpackRun(m.packed), stoppedEarly: m.stoppedEarly, wallMs: m.wallMs };
      else if (m.kind === 'verdict')
        out = { kind: 'verdict', verdict: m.verdict, events: m.events, stoppedEarly: m.stoppedEarly, wallMs: m.wallMs, ...(m.dataConns ? { dataConns: m.dataConns } : {}) };
      else if (m.kind === 'invalid') out = { kind: 'invalid', errors: m.errors };
      else out = { kind: 'error', message: m.message };
      this.#settle(slot, out);
    };
    w.onerror = (e) => {
      // The worker died (out of memory, a bug): its task fails, a new worker takes the slot.
      slot.worker?.terminate();
      slot.worker = null;
      slot.runs = 0;
      if (slot.task)
        this.#settle(slot, {
          kind: 'error',
          message: `The simulation stopped: ${e.message ?? 'the page ran out of memory or the worker failed'}. Run it with the command line (npm run sim) for a run this large.`,
        });
    };
    return w;
  }

  #settle(slot: Slot, out: RunOutcome): void {
    const task = slot.task;
    slot.task = null;
    if (out.kind === 'done' || out.kind === 'verdict') slot.runs++;
    if (task) {
      task.slot = null;
      task.resolve(out);
    }
    this.#pump();
  }

  #cancel(task: Task): void {
    const i = this.#queue.indexOf(task);
    if (i >= 0) {
      this.#queue.splice(i, 1);
      task.resolve({ kind: 'cancelled' });
      return;
    }
    const slot = task.slot;
    if (!slot || slot.task !== task) return;
    // A run in flight cannot be told to stop: end its worker; the slot gets a new one.
    slot.worker?.terminate();
    slot.worker = null;
    slot.runs = 0;
    this.#settle(slot, { kind: 'cancelled' });
  }
}

/** Requests for one scenario at several seeds (a "run with 20 seeds" summary, a challenge check). */
export function seedRequests(file: unknown, seeds: readonly number[], budget: Budget | null = null): RunRequest[] {
  return seeds.map((seed) => ({ file: { ...(file as object), seed }, budget, want: 'verdict' as const }));
}

function browserWorker(): WorkerLike {
  return new Worker(new URL('./sim.worker.ts', import.meta.url), { type: 'module' }) as unknown as WorkerLike;
}

let shared: RunnerPool | null = null;
/** The page's pool: 2 workers (this machine has 2 cores; more would only queue). */
export function sharedPool(): RunnerPool {
  return (shared ??= new RunnerPool(Math.min(2, Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 2))));
}
