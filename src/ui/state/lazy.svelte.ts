/**
 * A part of the page loaded the first time it is shown (a chunk of its own), so the first
 * screen does not wait for it: the lesson and challenge screens, the glossary, the editors.
 *
 *   const editors = new Lazy(() => import('../editors/Editors.svelte'));
 *   {@const Editors = editors.get()}   <!-- null until it has arrived; starts the load -->
 *   {#if Editors}<Editors … />{:else if editors.error}<p role="alert">{editors.error}</p>{/if}
 *
 * See docs/DECISIONS.md, "Bundle size (issue 16)".
 */
export class Lazy<T> {
  /** The module's default export once loaded. */
  current: T | null = $state.raw(null);
  /** Why it could not be loaded (the network went away, the site was updated meanwhile). */
  error: string | null = $state(null);
  #started: Promise<void> | null = null;

  constructor(private readonly load: () => Promise<{ default: T }>) {}

  /** Starts loading (once) and resolves when it has arrived or failed. */
  preload(): Promise<void> {
    return (this.#started ??= this.load().then(
      (m) => {
        this.current = m.default;
      },
      (e: unknown) => {
        this.error = `This part of the page could not be loaded (${e instanceof Error ? e.message : String(e)}). Reload the page to try again.`;
      },
    ));
  }

  /** The loaded value, or null while it is on its way (the load starts on the first call). */
  get(): T | null {
    void this.preload();
    return this.current;
  }
}
