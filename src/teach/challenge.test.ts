import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadChallenge } from './challenge';
import { checkSolution, runFile } from './checker';
import { challenge, Edit } from './testkit';

const base = {
  id: 'x',
  title: 'A title',
  scenario: 'seed-incident-pasv-range',
  symptom: 'it hangs',
  goal: {},
  constraints: [],
  editable: { devices: ['server-edge'] },
  hints: [],
  debrief: 'done',
};

describe('loadChallenge', () => {
  it('names the JSON path and the reason of every error', () => {
    const r = loadChallenge({ ...base, scenario: 'no-such', constraints: [{ kind: 'maxInboundPortsOpen', device: 'fw', max: -1 }] });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.errors.map((e) => e.path)).toEqual(['constraints[0].max']);
    const r2 = loadChallenge({ ...base, scenario: 'no-such' });
    expect(!r2.ok && r2.errors[0]).toMatchObject({ path: 'scenario', message: expect.stringMatching(/no built-in scenario "no-such"/) });
    const r3 = loadChallenge({ ...base, constraints: [{ kind: 'noAcceptAllNew', device: 'fw' }], editable: { devices: ['nope'] }, goal: { transfers: ['put x'] } });
    expect(!r3.ok && r3.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      expect.stringMatching(/^constraints\[0\]\.device: no device "fw" in the scenario/),
      expect.stringMatching(/^editable\.devices\[0\]: no device "nope"/),
      expect.stringMatching(/^goal\.transfers\[0\]: "put x" is not a line of the scenario's script/),
    ]);
  });
  it('reports an unknown constraint kind and JSON syntax with its line', () => {
    const r = loadChallenge({ ...base, constraints: [{ kind: 'openEverything' }] });
    expect(!r.ok && r.errors[0]!.path).toBe('constraints[0].kind');
    const s = loadChallenge('{\n  "id": "x",\n}', 'c.json');
    expect(!s.ok && s.errors[0]).toMatchObject({ file: 'c.json', line: 3 });
  });
  it("an inline scenario's errors point into it", () => {
    const r = loadChallenge({ ...base, scenario: { name: 'n', teaches: 't', hosts: [], server: { host: 'server' }, client: { host: 'client', profile: 'curl' } } });
    expect(!r.ok && r.errors.every((e) => e.path.startsWith('scenario'))).toBe(true);
  });
  it('refuses a hint that suggests passive mode to a client without it (Windows ftp.exe)', () => {
    const hints = ['Look at the firewall.', 'Switch the client to passive mode.', 'Or use a client with passive mode, such as curl.'];
    const r = loadChallenge({ ...base, hints, goal: { clients: [{ profile: 'windows' }] } });
    expect(!r.ok && r.errors.map((e) => `${e.path}: ${e.message}`)).toEqual([
      expect.stringMatching(/^hints\[1\]: this hint suggests passive mode, but Windows ftp\.exe has no passive mode/),
    ]);
    expect(loadChallenge({ ...base, hints, goal: { clients: [{ profile: 'curl' }] } }).ok).toBe(true);
  });
});

describe('checkSolution', () => {
  it('reports progress and a scenario that does not load', async () => {
    const ch = challenge('silent-hang');
    const seen: number[] = [];
    const r = await checkSolution(ch, ch.scenarioFile, { run: runFile, onProgress: (d) => seen.push(d) });
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(r.runs).toBe(10);
    const bad = await checkSolution(ch, new Edit(ch).iptables('server', (ls) => [...ls, '-A INPUT -j NOPE']).file, { run: runFile });
    expect(bad.solved).toBe(false);
    expect(bad.items[0]).toMatchObject({ kind: 'load', ok: false });
    expect(bad.loadErrors[0]!.path).toBe('hosts[1].iptables');
  });
  it('takes any run function (e.g. one that answers asynchronously, as a worker would)', async () => {
    const ch = challenge('mode-choice');
    const r = await checkSolution(ch, new Edit(ch).client({ mode: 'passive' }).file, { run: (f) => new Promise((ok) => setTimeout(() => ok(runFile(f)), 1)) });
    expect(r.solved).toBe(true);
  });
});

describe('npm run challenge (CLI)', () => {
  const cli = (...args: string[]) => {
    try {
      return { code: 0, out: execFileSync(process.execPath, ['--import', 'tsx', 'src/cli/challenge.ts', ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
    } catch (e) {
      const x = e as { status: number; stdout: string; stderr: string };
      return { code: x.status, out: x.stdout + x.stderr };
    }
  };
  it('exit 1 with the reason for the broken scenario, 0 for a fix, 2 for bad input', () => {
    const broken = cli('src/teach/challenges/mode-choice.json');
    expect(broken.code).toBe(1);
    expect(broken.out).toMatch(/NOT SOLVED \(5 runs\)[\s\S]*✗ .*[\s\S]*425 Failed to establish connection/);
    const dir = mkdtempSync(join(tmpdir(), 'challenge-'));
    const fix = join(dir, 'fix.json');
    writeFileSync(fix, JSON.stringify(new Edit(challenge('mode-choice')).client({ mode: 'passive' }).file));
    expect(cli('src/teach/challenges/mode-choice.json', fix)).toMatchObject({ code: 0, out: expect.stringMatching(/SOLVED/) });
    const bad = join(dir, 'bad.json');
    writeFileSync(bad, '{ "id": 3 }');
    const r = cli(bad);
    expect(r.code).toBe(2);
    expect(r.out).toMatch(/bad\.json: id: /);
    expect(cli('src/teach/challenges/mode-choice.json', join(dir, 'missing.json')).code).toBe(2);
  }, 60_000);
});
