/**
 * npm run lesson -- <lesson.json> [more.json …]    (or --all: every built-in lesson)
 *
 * Validates each lesson file (errors with file, JSON path and line) and checks it against
 * the simulator: every predict question's stated answer is what the run produces, every
 * position and highlight target exists, every task's solution reaches its goal.
 * Exit status: 0 all good, 1 a lesson loads but disagrees with the simulation, 2 bad input.
 */
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { formatLessonError, loadLesson, checkLesson } from '../teach/index';

function main(argv: string[]): number {
  let files = argv.filter((a) => !a.startsWith('--'));
  const unknown = argv.filter((a) => a.startsWith('--') && a !== '--all');
  if (unknown.length) {
    process.stderr.write(`lesson: unknown option ${unknown[0]}\n`);
    return 2;
  }
  if (argv.includes('--all')) {
    const dir = fileURLToPath(new URL('../teach/lessons/', import.meta.url));
    files = [
      ...files,
      ...readdirSync(dir)
        .filter((f) => f.endsWith('.json') && f !== 'track.json')
        .sort()
        .map((f) => join(dir, f)),
    ];
  }
  if (files.length === 0) {
    process.stderr.write('usage: npm run lesson -- <lesson.json> [more.json …] | --all\n');
    return 2;
  }
  let status = 0;
  for (const file of files) {
    let text: string;
    try {
      text = readFileSync(file, 'utf8');
    } catch (e) {
      process.stderr.write(`lesson: cannot read ${file}: ${(e as Error).message}\n`);
      status = 2;
      continue;
    }
    const loaded = loadLesson(text, file);
    if (!loaded.ok) {
      for (const e of loaded.errors) process.stderr.write(formatLessonError(e) + '\n');
      status = 2;
      continue;
    }
    const problems = checkLesson(loaded.lesson, { text, fileName: file });
    if (problems.length) {
      for (const e of problems) process.stderr.write(formatLessonError(e) + '\n');
      status = Math.max(status, 1);
      continue;
    }
    const l = loaded.lesson;
    const predicts = l.steps.filter((s) => s.predict).length;
    const tasks = l.steps.filter((s) => s.task).length;
    process.stdout.write(
      `${file}: ok — "${l.title}", ${l.steps.length} steps, ${predicts} predict question${predicts === 1 ? '' : 's'} and ${tasks} task${tasks === 1 ? '' : 's'} agree with the simulation\n`,
    );
  }
  return status;
}

process.exitCode = main(process.argv.slice(2));
