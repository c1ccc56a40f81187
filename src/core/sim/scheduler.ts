/**
 * Discrete-event scheduler on a simulated clock. Time is an integer count of microseconds
 * (SimTime). Events at the same instant run in the order they were scheduled: the queue
 * is ordered by (time, insertion counter), never by sort stability.
 */
export type SimTime = number & { readonly __brand: 'SimTime' };
export const simTime = (us: number): SimTime => Math.round(us) as SimTime;
export const ms = (n: number): SimTime => simTime(n * 1000);
export const seconds = (n: number): SimTime => simTime(n * 1_000_000);

interface Entry {
  at: number;
  order: number;
  fn: () => void;
  cancelled: boolean;
}

export type TimerId = number;

export class Scheduler {
  private heap: Entry[] = [];
  private counter = 0;
  /** Cancellable entries by id (timers); events posted with `post` are not kept here. */
  private byId = new Map<TimerId, Entry>();
  /** Entries queued and neither run nor cancelled. */
  private live = 0;
  private current = 0;
  /** Events run so far. */
  executed = 0;

  get now(): SimTime {
    return this.current as SimTime;
  }

  /** Runs fn after delay microseconds (0 = later in this instant, after what is queued). */
  after(delayUs: number, fn: () => void): TimerId {
    return this.at(this.current + Math.max(0, Math.round(delayUs)), fn);
  }

  at(time: number, fn: () => void): TimerId {
    const e = this.enqueue(time, fn);
    this.byId.set(e.order, e);
    return e.order;
  }

  /**
   * Like `after`, for an event nobody will cancel (a packet in flight): same ordering, without
   * the id bookkeeping a timer needs.
   */
  post(delayUs: number, fn: () => void): void {
    this.enqueue(this.current + Math.max(0, Math.round(delayUs)), fn);
  }

  private enqueue(time: number, fn: () => void): Entry {
    const e: Entry = { at: Math.max(time, this.current), order: this.counter++, fn, cancelled: false };
    this.push(e);
    this.live++;
    return e;
  }

  cancel(id: TimerId): void {
    const e = this.byId.get(id);
    if (e) {
      e.cancelled = true;
      this.byId.delete(id);
      this.live--;
    }
  }

  get pending(): number {
    return this.live;
  }

  /**
   * Runs events until the queue is empty, `until` is passed, `budget` events have run, or
   * `stop()` (checked after each event) says so.
   * Returns why it stopped.
   */
  run(opts: { budget?: number; until?: number; stop?: () => boolean } = {}): 'idle' | 'budget' | 'until' | 'stopped' {
    const budget = opts.budget ?? Infinity;
    let ran = 0;
    while (this.heap.length > 0) {
      const top = this.heap[0]!;
      if (top.cancelled) {
        this.pop();
        continue;
      }
      if (opts.until !== undefined && top.at > opts.until) {
        this.current = opts.until;
        return 'until';
      }
      if (ran >= budget) return 'budget';
      this.pop();
      this.byId.delete(top.order);
      this.live--;
      this.current = top.at;
      ran++;
      this.executed++;
      top.fn();
      if (opts.stop?.()) return 'stopped';
    }
    return 'idle';
  }

  /**
   * XState v5 clock backed by this scheduler: `createActor(m, { clock: s.clock })`. The names
   * are XState's clock interface; no real timer is involved.
   */
  readonly clock = {
    setTimeout: (fn: (...args: unknown[]) => void, timeoutMs: number): TimerId => this.after(timeoutMs * 1000, () => fn()), // allow-clock
    clearTimeout: (id: unknown): void => this.cancel(id as TimerId),
  };

  private less(a: Entry, b: Entry): boolean {
    return a.at < b.at || (a.at === b.at && a.order < b.order);
  }

  private push(e: Entry): void {
    const h = this.heap;
    h.push(e);
    let i = h.length - 1;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (!this.less(h[i]!, h[p]!)) break;
      [h[i], h[p]] = [h[p]!, h[i]!];
      i = p;
    }
  }

  private pop(): Entry | undefined {
    const h = this.heap;
    const top = h[0];
    const last = h.pop();
    if (h.length > 0 && last) {
      h[0] = last;
      let i = 0;
      for (;;) {
        const l = 2 * i + 1,
          r = l + 1;
        let m = i;
        if (l < h.length && this.less(h[l]!, h[m]!)) m = l;
        if (r < h.length && this.less(h[r]!, h[m]!)) m = r;
        if (m === i) break;
        [h[i], h[m]] = [h[m]!, h[i]!];
        i = m;
      }
    }
    return top;
  }
}
