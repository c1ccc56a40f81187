/**
 * The playback cursor over a run's packet steps (see playback/steps.ts). Stepping back is
 * moving an index; nothing is undone or recomputed. Playing advances the same index on a
 * wall-clock timer, so seeking, pausing and reduced motion all behave the same.
 */
import type { Trace, TraceEvent } from '../../core/index';
import { packetSteps, stepForEvent } from '../playback/steps';

/** Wall-clock time per step at 1×. */
export const BASE_STEP_MS = 900;
export const SPEEDS = [0.5, 1, 2, 4, 8] as const;

export class Playback {
  readonly #trace: () => Trace | null;
  #timer: ReturnType<typeof setTimeout> | undefined;

  /** Index into `steps` (0-based; shown as "step n of N" with n = cursor + 1). */
  cursor = $state(0);
  playing = $state(false);
  speed = $state(1);

  readonly steps: number[] = $derived.by(() => {
    const t = this.#trace();
    return t ? packetSteps(t) : [];
  });
  readonly count = $derived(this.steps.length);
  /** Trace index of the current step's event, -1 when the run has no steps. */
  readonly eventIndex = $derived(this.steps[this.cursor] ?? -1);
  readonly event: TraceEvent | undefined = $derived.by(() => this.#trace()?.events[this.eventIndex]);
  readonly atStart = $derived(this.cursor <= 0);
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
  next = (): void => this.seek(this.cursor + 1);
  prev = (): void => {
    this.pause();
    this.seek(this.cursor - 1);
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

  play = (): void => {
    if (this.count === 0) return;
    if (this.atEnd) this.seek(0);
    this.playing = true;
    this.#schedule();
  };
  pause = (): void => {
    this.playing = false;
    clearTimeout(this.#timer);
    this.#timer = undefined;
  };
  toggle = (): void => (this.playing ? this.pause() : this.play());

  setSpeed(s: number): void {
    this.speed = s;
  }

  #schedule(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      if (!this.playing) return;
      this.next();
      if (this.playing) this.#schedule();
    }, BASE_STEP_MS / this.speed);
  }
}
