/**
 * The playback cursor over a run's packet steps (see playback/steps.ts). Stepping back is
 * moving an index; nothing is undone or recomputed. Playing advances the same index on a
 * wall-clock timer (checked on animation frames), so seeking, pausing and reduced motion all behave the same.
 *
 * The cursor is always an index into every step (the URL and the ladder count that way).
 * Folding retransmissions hides steps from stepping, playing and the count; landmark jumps
 * (next FTP line, connection event, drop) skip to the next step of that kind.
 */
import type { Trace, TraceEvent } from '../../core/index';
import { packetSteps, stepForEvent } from '../playback/steps';
import { defaultRate, findStep, stepInfos, visibleWhenFolded, type Landmark, type Rate, type StepInfo } from '../playback/nav';

export class Playback {
  readonly #trace: () => Trace | null;
  #timer: ReturnType<typeof setTimeout> | undefined;
  #frame = 0;

  /** Index into `steps` (0-based; shown as "step n of N" with n = cursor + 1). */
  cursor = $state(0);
  playing = $state(false);
  /** Fold runs of retransmitted packets into their last step. */
  fold = $state(false);
  /** Chosen play rate; null: the default for this run (a session in under a minute). */
  chosenRate: Rate | null = $state(null);

  readonly steps: number[] = $derived.by(() => {
    const t = this.#trace();
    return t ? packetSteps(t) : [];
  });
  readonly infos: StepInfo[] = $derived.by(() => {
    const t = this.#trace();
    return t ? stepInfos(t, this.steps) : [];
  });
  readonly count = $derived(this.steps.length);
  /** Step indices shown when folded; null when every step is shown. */
  readonly shown: number[] | null = $derived(this.fold ? this.infos.flatMap((x, i) => (visibleWhenFolded(x) ? [i] : [])) : null);
  readonly shownCount = $derived(this.shown ? this.shown.length : this.count);
  /** 0-based position of the cursor among the shown steps. */
  readonly shownIndex = $derived.by(() => {
    if (!this.shown) return this.cursor;
    let lo = 0;
    let hi = this.shown.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.shown[mid]! <= this.cursor) {
        best = mid;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  });
  readonly rate: Rate = $derived(this.chosenRate ?? defaultRate(this.shownCount));
  /** Trace index of the current step's event, -1 when the run has no steps. */
  readonly eventIndex = $derived(this.steps[this.cursor] ?? -1);
  readonly event: TraceEvent | undefined = $derived.by(() => this.#trace()?.events[this.eventIndex]);
  readonly atStart = $derived(this.shown ? this.shownIndex <= 0 && this.cursor <= (this.shown[0] ?? 0) : this.cursor <= 0);
  readonly atEnd = $derived(this.cursor >= this.count - 1);

  constructor(trace: () => Trace | null) {
    this.#trace = trace;
  }

  seek(step: number): void {
    const last = Math.max(0, this.count - 1);
    this.cursor = Math.min(last, Math.max(0, Math.round(step)));
    if (this.cursor >= last) this.pause();
  }
  /** Seeks to the step that shows trace event `eventIndex` (e.g. the failure's step). */
  seekEvent(eventIndex: number): void {
    this.pause();
    this.seek(stepForEvent(this.steps, eventIndex));
  }
  #isShown = (i: number): boolean => !this.fold || visibleWhenFolded(this.infos[i]!);
  next = (): void => {
    let i = this.cursor + 1;
    while (i < this.count - 1 && !this.#isShown(i)) i++;
    this.seek(i);
  };
  prev = (): void => {
    this.pause();
    let i = this.cursor - 1;
    while (i > 0 && !this.#isShown(i)) i--;
    this.seek(i);
  };
  toStart = (): void => {
    this.pause();
    this.seek(0);
  };
  toEnd = (): void => this.seek(this.count - 1);
  restart = (): void => {
    this.seek(0);
    this.play();
  };
  /** Goes to the next (1) or previous (-1) step of a kind; returns whether there was one. */
  jump = (kind: Landmark, dir: 1 | -1): boolean => {
    this.pause();
    const i = findStep(this.infos, this.cursor, dir, kind, this.#isShown);
    if (i < 0) return false;
    this.seek(i);
    return true;
  };
  setFold(on: boolean): void {
    this.fold = on;
    // A cursor on a folded step moves to the run's shown step.
    if (on && !this.#isShown(this.cursor)) {
      let i = this.cursor;
      while (i < this.count - 1 && !this.#isShown(i)) i++;
      this.cursor = i;
    }
  }

  play = (): void => {
    if (this.count === 0) return;
    if (this.atEnd) this.seek(0);
    this.playing = true;
    this.#schedule();
  };
  pause = (): void => {
    this.playing = false;
    this.#cancel();
  };
  toggle = (): void => (this.playing ? this.pause() : this.play());

  setRate(r: Rate | null): void {
    this.chosenRate = r;
  }

  #advance(): void {
    if (this.rate.unit === 'ftp') {
      const i = findStep(this.infos, this.cursor, 1, 'ftp', this.#isShown);
      if (i < 0) this.toEnd();
      else this.seek(i);
    } else this.next();
  }

  /**
   * Steps on animation frames where the browser has them: at most one step per frame, taken
   * when the rate's interval has passed, so a step's rendering lands in the frame it is
   * painted in (a timer of its own fired between frames and could cost two renders in one).
   * Elsewhere (tests, tools) a plain timer.
   */
  #schedule(): void {
    this.#cancel();
    if (typeof requestAnimationFrame !== 'function') {
      this.#timer = setTimeout(() => {
        if (!this.playing) return;
        this.#advance();
        if (this.playing) this.#schedule();
      }, 1000 / this.rate.perSecond);
      return;
    }
    let last = performance.now();
    const tick = (now: number) => {
      if (!this.playing) return;
      const interval = 1000 / this.rate.perSecond;
      // A frame is 16.7 ms at 60 Hz: 1 ms of slack lets a 60-per-second rate step every frame.
      if (now - last >= interval - 1) {
        // Behind by more than an interval (a slow frame): start counting again rather than catch up in a burst.
        last = now - last >= 2 * interval ? now : last + interval;
        this.#advance();
      }
      if (this.playing) this.#frame = requestAnimationFrame(tick);
    };
    this.#frame = requestAnimationFrame(tick);
  }

  #cancel(): void {
    clearTimeout(this.#timer);
    this.#timer = undefined;
    if (this.#frame) cancelAnimationFrame(this.#frame);
    this.#frame = 0;
  }
}
