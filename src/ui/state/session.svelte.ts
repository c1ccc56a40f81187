/**
 * The scenario being looked at and its last good run. Every change (opening, an editor
 * edit, an import, undo/redo) goes through here: the file is loaded by the core's loader
 * (at once, so errors show as the learner types); when it loads, it is run by the run
 * function — a Web Worker pool in the browser, a direct call in unit tests — and when the run
 * comes back, the trace and verdict are replaced whole. When it does not load, the errors are
 * shown and the last good run stays on screen.
 *
 * Runs are asynchronous in the browser: a newer change supersedes a run in flight (its result
 * is never shown; its worker is stopped), `running` says how far a run has got and `cancelRun`
 * stops it. Every run has the interactive budget (runner.ts) until the learner asks to
 * `runItAll`, which holds for this scenario until another one is opened. A run function that
 * answers synchronously (runDirect, work.ts) is applied synchronously, as before.
 */
import { loadScenario, type RunResult, type Scenario, type ScenarioError, type ScenarioFile } from '../../core/index';
import { Playback } from './playback.svelte';
import { INTERACTIVE_BUDGET, type RunFn, type RunOutcome, type RunRequest } from './runner';

export type CursorAfterRun = 'start' | 'end' | number;

/** A run in flight this long is shown as running (Session.runningLong). */
export const RUN_SHOWN_AFTER_MS = 150;

export class Session {
  /** The file as the user edits it (may be invalid; the editors show why). */
  file: ScenarioFile | null = $state.raw(null);
  /** Loader errors for `file`. */
  errors: ScenarioError[] = $state.raw([]);
  warnings: ScenarioError[] = $state.raw([]);
  /** Errors of the last import that was refused (the current scenario was kept). */
  importErrors: { fileName: string; errors: ScenarioError[] } | null = $state.raw(null);
  /** The last scenario that loaded and ran, and its run. */
  scenario: Scenario | null = $state.raw(null);
  run: RunResult | null = $state.raw(null);
  /** A failure inside the core while running (a bug to report, shown rather than crashing). */
  runError: string | null = $state(null);
  /** A run in flight: events simulated so far, and whether it has the full budget. */
  running: { events: number; full: boolean } | null = $state.raw(null);
  /**
   * The run in flight has taken RUN_SHOWN_AFTER_MS: only then does the page say it is running.
   * An edit's re-run is usually back sooner, and a bar shown and removed around it moved the
   * page under it twice on the way to the new verdict (docs/DECISIONS.md, "UI speed").
   */
  runningLong = $state(false);
  /** The run on screen was stopped by the interactive budget: "run it all" is offered. */
  stoppedEarly = $state(false);
  /** Name and purpose of the file that last loaded, known before its run comes back (the heading). */
  title: { name: string; teaches: string } | null = $state.raw(null);

  readonly playback = new Playback(() => this.run?.trace ?? null);
  readonly #runFn: RunFn;
  #token = 0;
  #longTimer: ReturnType<typeof setTimeout> | undefined;
  #controller: AbortController | null = null;
  #fullBudget = false;

  readonly #warm: ((req: RunRequest) => void) | undefined;

  /** `warm`: told of every file whose run came back, so an idle pool can warm its workers with it (runner.ts). */
  constructor(runFn: RunFn, warm?: (req: RunRequest) => void) {
    this.#runFn = runFn;
    this.#warm = warm;
  }

  /**
   * Replaces the file and runs it. Returns whether it loaded (its run may still be in flight).
   * `cursor` says where the playback goes when the run comes back: opening starts at step 1;
   * an edit jumps to the end so the new verdict and the packet that decided it are on screen.
   */
  setFile(file: ScenarioFile, cursor: CursorAfterRun, fileName?: string): boolean {
    this.file = file;
    // The run is asked for first, so the worker starts while this thread loads the file for its
    // errors and title (the worker loads it too; a file that does not load is dropped here).
    const loadedAs = this.#start(file, cursor);
    const loaded = loadScenario(file, fileName);
    if (!loaded.ok) {
      // Its run, and whatever was running for an older version of the file, are never shown.
      // The request just made is not cancelled: its worker answers "invalid" at once, and
      // ending a worker would throw away its compiled engine code (runner.ts, `warm`).
      this.#supersede(false);
      loadedAs(null);
      this.errors = loaded.errors;
      this.warnings = [];
      return false;
    }
    this.errors = [];
    this.warnings = loaded.warnings;
    this.title = { name: loaded.scenario.name, teaches: loaded.scenario.teaches };
    loadedAs(loaded.scenario);
    return true;
  }

  /**
   * Opens another scenario, with the interactive budget again. When it does not load, the run
   * on screen belonged to another scenario: it is cleared, so nothing claims to be "the last
   * run that worked" for this one.
   */
  open(file: ScenarioFile, cursor: CursorAfterRun, fileName?: string): boolean {
    this.#fullBudget = false;
    const ok = this.setFile(file, cursor, fileName);
    if (!ok) {
      this.playback.pause();
      this.run = null;
      this.scenario = null;
      this.title = null;
      this.stoppedEarly = false;
    }
    return ok;
  }

  /** Runs the current file again with the core's full budget (and keeps it for later edits). */
  runItAll(): void {
    this.#fullBudget = true;
    if (this.file) this.setFile(this.file, this.playback.cursor);
  }

  /** Stops the run in flight; the last run stays on screen. */
  cancelRun(): void {
    this.#supersede();
  }

  /** A file chosen by the user: JSON text. Refused files leave everything as it was. */
  importText(text: string, fileName: string): boolean {
    const loaded = loadScenario(text, fileName);
    if (!loaded.ok) {
      this.importErrors = { fileName, errors: loaded.errors };
      return false;
    }
    this.importErrors = null;
    return this.open(JSON.parse(text.replace(/^\uFEFF/, '')) as ScenarioFile, 'start', fileName);
  }

  dismissImportErrors(): void {
    this.importErrors = null;
  }

  #supersede(abort = true): void {
    this.#token++;
    if (abort) this.#controller?.abort();
    this.#controller = null;
    this.running = null;
    clearTimeout(this.#longTimer);
    this.runningLong = false;
  }

  /**
   * Starts the run; returns what to call once the file has loaded on this thread (with its
   * scenario, or null when it does not load): a run that answers at once is shown only then.
   */
  #start(file: ScenarioFile, cursor: CursorAfterRun): (scenario: Scenario | null) => void {
    this.#supersede();
    const token = this.#token;
    const controller = new AbortController();
    this.#controller = controller;
    const full = this.#fullBudget;
    this.running = { events: 0, full };
    this.#longTimer = setTimeout(() => {
      if (token === this.#token) this.runningLong = true;
    }, RUN_SHOWN_AFTER_MS);
    const req: RunRequest = { file, budget: full ? null : INTERACTIVE_BUDGET };
    const out = this.#runFn(req, {
      signal: controller.signal,
      onProgress: (events) => {
        if (token === this.#token) this.running = { events, full };
      },
    });
    let result: RunOutcome | null = out instanceof Promise ? null : out;
    let scenario: Scenario | null | undefined;
    const finish = () => {
      if (result && scenario) this.#finish(token, result, scenario, cursor, req);
    };
    if (out instanceof Promise)
      void out.then((o) => {
        result = o;
        finish();
      });
    return (s) => {
      scenario = s;
      finish();
    };
  }

  #finish(token: number, out: RunOutcome, scenario: Scenario, cursor: CursorAfterRun, req: RunRequest): void {
    if (token !== this.#token) return; // superseded by a newer change: never shown
    this.running = null;
    clearTimeout(this.#longTimer);
    this.runningLong = false;
    this.#controller = null;
    switch (out.kind) {
      case 'done':
        this.runError = null;
        this.playback.pause();
        this.scenario = scenario;
        this.run = out.run;
        this.stoppedEarly = out.stoppedEarly;
        if (cursor === 'start') this.playback.seek(0);
        else if (cursor === 'end') this.playback.toEnd();
        else this.playback.seek(cursor);
        this.#warm?.(req);
        return;
      case 'invalid':
        this.errors = out.errors;
        return;
      case 'error':
        this.runError = out.message;
        return;
      case 'verdict':
      case 'cancelled':
        return;
    }
  }
}
