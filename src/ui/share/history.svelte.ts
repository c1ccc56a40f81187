/**
 * Undo/redo over whole values (scenario files are replaced, never mutated). The entries
 * are $state.raw and the cursor $state, so canUndo/canRedo update buttons reactively.
 */
export const HISTORY_LIMIT = 100;

export class History<T> {
  #entries: T[] = $state.raw([]);
  #index = $state(0);
  readonly #limit: number;

  constructor(initial: T, limit = HISTORY_LIMIT) {
    this.#limit = Math.max(1, Math.floor(limit));
    this.#entries = [initial];
  }

  /** The oldest entry kept (the file as opened, unless the history overflowed). */
  get first(): T {
    return this.#entries[0] as T;
  }
  get current(): T {
    return this.#entries[this.#index] as T;
  }
  get canUndo(): boolean {
    return this.#index > 0;
  }
  get canRedo(): boolean {
    return this.#index < this.#entries.length - 1;
  }

  /** Records a new value; the redo branch is discarded, the oldest entry dropped past the limit. */
  push(v: T): void {
    const kept = [...this.#entries.slice(0, this.#index + 1), v];
    const overflow = Math.max(0, kept.length - this.#limit);
    this.#entries = kept.slice(overflow);
    this.#index = this.#entries.length - 1;
  }

  /**
   * Like push, but a value pushed within `windowMs` of the previous one (by the caller's
   * clock) replaces it: a burst of typing is one undo step. Undo/redo/reset end a burst.
   */
  pushGrouped(v: T, now: number, windowMs = 1000): void {
    if (this.#burstAt !== null && now - this.#burstAt < windowMs && this.#index > 0 && this.#index === this.#entries.length - 1) {
      this.#entries = [...this.#entries.slice(0, this.#index), v];
    } else this.push(v);
    this.#burstAt = now;
  }
  #burstAt: number | null = null;

  undo(): T | undefined {
    this.#burstAt = null;
    if (!this.canUndo) return undefined;
    this.#index -= 1;
    return this.current;
  }

  redo(): T | undefined {
    this.#burstAt = null;
    if (!this.canRedo) return undefined;
    this.#index += 1;
    return this.current;
  }

  /** Starts over from a value (a newly loaded scenario), with nothing to undo. */
  reset(v: T): void {
    this.#burstAt = null;
    this.#entries = [v];
    this.#index = 0;
  }
}
