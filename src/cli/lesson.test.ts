/** npm run lesson as an author runs it: exit 0/1/2 and located messages. */
import { describe, expect, it } from 'vitest';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const tsx = join(process.cwd(), 'node_modules', '.bin', 'tsx');
const cli = join(process.cwd(), 'src', 'cli', 'lesson.ts');
const run = (...args: string[]) => spawnSync(tsx, [cli, ...args], { encoding: 'utf8', timeout: 120_000 });
const lesson = (id: string) => join(process.cwd(), 'src', 'teach', 'lessons', `${id}.json`);

describe('npm run lesson', () => {
  it('exit 0 and a summary for a good lesson', () => {
    const r = run(lesson('passive-mode'));
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/passive-mode\.json: ok — "Passive mode: the client connects", 4 steps, 3 predict questions/);
  });
  it('exit 1 when a stated answer disagrees with the simulation, naming file, path and line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lesson-'));
    const file = join(dir, 'passive-mode.json');
    const text = readFileSync(lesson('passive-mode'), 'utf8').replace('"answer": "client"', '"answer": "server"');
    writeFileSync(file, text);
    const r = run(file);
    expect(r.status).toBe(1);
    const line = text.split('\n').findIndex((l) => l.includes('"answer": "server"')) + 1;
    expect(r.stderr).toContain(`${file}: steps[2].predict.answer: line ${line}:`);
    expect(r.stderr).toContain('states "server", but the simulation gives "client"');
  });
  it('exit 2 for a file that is not a lesson', () => {
    const dir = mkdtempSync(join(tmpdir(), 'lesson-'));
    const file = join(dir, 'bad.json');
    writeFileSync(file, '{\n  "id": "bad",\n  "title": 5\n}\n');
    const r = run(file);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/bad\.json: title: line 3:\d+: expected string/);
    expect(run().status).toBe(2);
    expect(run(join(dir, 'missing.json')).status).toBe(2);
  });
});
