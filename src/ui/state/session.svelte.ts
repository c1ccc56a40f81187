/**
 * The scenario being looked at and its last good run. Every change (opening, an editor
 * edit, an import, undo/redo) goes through here: the file is loaded by the core's
 * loader; when it loads, the core runs it and the trace and verdict are replaced whole.
 * When it does not load, the errors are shown and the last good run stays on screen.
 */
import { loadScenario, runScenario, type RunResult, type Scenario, type ScenarioError, type ScenarioFile } from '../../core/index';
import { Playback } from './playback.svelte';

export type CursorAfterRun = 'start' | 'end' | number;

export class Session {
  /** The file as the user edits it (may be invalid; the editors show why). */
  file: ScenarioFile | null = $state.raw(null);
  /** Loader errors for `file`. */
  errors: ScenarioError[] = $state.raw([]);
  warnings: ScenarioError[] = $state.raw([]);
  /** Errors of the last import that was refused (the current scenario was kept). */
  importErrors: { fileName: string; errors: ScenarioError[] } | null = $state.raw(null);
  /** The last scenario that loaded, and its run. */
  scenario: Scenario | null = $state.raw(null);
  run: RunResult | null = $state.raw(null);
  /** A failure inside the core while running (a bug to report, shown rather than crashing). */
  runError: string | null = $state(null);

  readonly playback = new Playback(() => this.run?.trace ?? null);

  /**
   * Replaces the file and re-runs it. Returns whether it loaded. `cursor` says where the
   * playback goes after a successful run: opening starts at step 1; an edit jumps to the
   * end so the new verdict and the packet that decided it are on screen.
   */
  setFile(file: ScenarioFile, cursor: CursorAfterRun, fileName?: string): boolean {
    this.file = file;
    return this.#loadAndRun(file, cursor, fileName);
  }

  /**
   * Opens another scenario. When it does not load, the run on screen belonged to another
   * scenario: it is cleared, so nothing claims to be "the last run that worked" for this one.
   */
  open(file: ScenarioFile, cursor: CursorAfterRun, fileName?: string): boolean {
    const ok = this.setFile(file, cursor, fileName);
    if (!ok) {
      this.playback.pause();
      this.run = null;
      this.scenario = null;
    }
    return ok;
  }

  /** A file chosen by the user: JSON text. Refused files leave everything as it was. */
  importText(text: string, fileName: string): boolean {
    const loaded = loadScenario(text, fileName);
    if (!loaded.ok) {
      this.importErrors = { fileName, errors: loaded.errors };
      return false;
    }
    this.importErrors = null;
    return this.setFile(JSON.parse(text) as ScenarioFile, 'start', fileName);
  }

  dismissImportErrors(): void {
    this.importErrors = null;
  }

  #loadAndRun(input: unknown, cursor: CursorAfterRun, fileName?: string): boolean {
    const loaded = loadScenario(input, fileName);
    if (!loaded.ok) {
      this.errors = loaded.errors;
      this.warnings = [];
      return false;
    }
    this.errors = [];
    this.warnings = loaded.warnings;
    let run: RunResult;
    try {
      run = runScenario(loaded.scenario);
    } catch (e) {
      this.runError = `The simulator failed on this scenario: ${e instanceof Error ? e.message : String(e)}`;
      return false;
    }
    this.runError = null;
    this.playback.pause();
    this.scenario = loaded.scenario;
    this.run = run;
    if (cursor === 'start') this.playback.seek(0);
    else if (cursor === 'end') this.playback.toEnd();
    else this.playback.seek(cursor);
    return true;
  }
}
