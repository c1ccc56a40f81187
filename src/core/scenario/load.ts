/**
 * The one entry point for scenario files, built-in or the user's: JSON text (or an already
 * parsed value) → a normalized Scenario, or every error found, each with its JSON path and,
 * where it applies, a line and column. Never throws.
 */
import { parseJsonText } from './jsonText';
import { stripBom } from './textBytes';
import { issueToErrors } from './issues';
import { scenarioFileSchema } from './schema';
import { buildScenario, Problems } from './build';
import type { Scenario, ScenarioError, ScenarioFile } from './types';

export type LoadResult = { ok: true; scenario: Scenario; warnings: ScenarioError[] } | { ok: false; errors: ScenarioError[] };

export function loadScenario(input: string | unknown, fileName?: string): LoadResult {
  try {
    return load(input, fileName);
  } catch (e) {
    // A bug of ours must still come out as an error the user can report, not a crash.
    const message = `internal error while loading the scenario: ${e instanceof Error ? e.message : String(e)}`;
    return { ok: false, errors: [fileName === undefined ? { path: '', message } : { file: fileName, path: '', message }] };
  }
}

function load(input: unknown, fileName: string | undefined): LoadResult {
  let value: unknown = input;
  if (typeof input === 'string') {
    const parsed = parseJsonText(stripBom(input));
    if (!parsed.ok) {
      const e: ScenarioError = { path: '', line: parsed.line, column: parsed.column, message: `JSON syntax: ${parsed.message}` };
      if (fileName !== undefined) e.file = fileName;
      return { ok: false, errors: [e] };
    }
    value = parsed.value;
  }
  const shape = scenarioFileSchema.safeParse(value);
  if (!shape.success) {
    return { ok: false, errors: shape.error.issues.flatMap((i) => issueToErrors(i, value, fileName)) };
  }
  const problems = new Problems(fileName);
  const scenario = buildScenario(shape.data as ScenarioFile, problems);
  if (!scenario) return { ok: false, errors: problems.errors };
  return { ok: true, scenario, warnings: problems.warnings };
}

/** "file: path: line 3:5: message", for terminals and logs. */
export function formatScenarioError(e: ScenarioError): string {
  const where = [e.file, e.path || undefined, e.line !== undefined ? `line ${e.line}${e.column !== undefined ? `:${e.column}` : ''}` : undefined];
  return `${where.filter((w) => w !== undefined).join(': ')}${where.some((w) => w !== undefined) ? ': ' : ''}${e.message}`;
}
