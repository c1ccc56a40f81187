/**
 * npm run challenge -- <challenge.json> [solution-scenario.json] [--json]
 *
 * Without a solution, judges the challenge's own broken scenario (which should fail, and says why).
 * Exit status: 0 solved, 1 not solved, 2 bad input (the message names the file, the JSON path and the reason).
 */
import { readFileSync } from 'node:fs';
import { formatScenarioError, parseJsonText } from '../core/index';
import { loadChallenge } from '../teach/challenge';
import { checkSolution, formatCheck, runFile } from '../teach/checker';

async function main(argv: string[]): Promise<number> {
  const json = argv.includes('--json');
  const files = argv.filter((a) => a !== '--json');
  const bad = files.find((a) => a.startsWith('--'));
  if (bad || files.length < 1 || files.length > 2) {
    process.stderr.write(`challenge: ${bad ? `unknown option ${bad}\n` : ''}usage: npm run challenge -- <challenge.json> [solution-scenario.json] [--json]\n`);
    return 2;
  }
  const read = (f: string): string | null => {
    try {
      return readFileSync(f, 'utf8');
    } catch (e) {
      process.stderr.write(`challenge: cannot read ${f}: ${(e as Error).message}\n`);
      return null;
    }
  };
  const chText = read(files[0]!);
  if (chText === null) return 2;
  const ch = loadChallenge(chText, files[0]);
  if (!ch.ok) {
    for (const e of ch.errors) process.stderr.write(`${formatScenarioError(e)}\n`);
    return 2;
  }
  let learner: unknown = ch.challenge.scenarioFile;
  if (files[1] !== undefined) {
    const t = read(files[1]);
    if (t === null) return 2;
    const p = parseJsonText(t);
    if (!p.ok) {
      process.stderr.write(`${files[1]}: line ${p.line}:${p.column}: JSON syntax: ${p.message}\n`);
      return 2;
    }
    learner = p.value;
  }
  const r = await checkSolution(ch.challenge, learner, { run: runFile });
  if (r.loadErrors.length) {
    for (const e of r.loadErrors) process.stderr.write(`${formatScenarioError({ ...e, file: files[1] })}\n`);
    return 2;
  }
  if (json) process.stdout.write(JSON.stringify({ challenge: ch.challenge.id, solved: r.solved, runs: r.runs, items: r.items }, null, 2) + '\n');
  else process.stdout.write(formatCheck(ch.challenge, r).join('\n') + '\n');
  return r.solved ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e) => {
    process.stderr.write(`challenge: internal error: ${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(2);
  },
);
