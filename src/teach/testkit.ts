/** Test helpers: a challenge by id, and small edits of its scenario file as a learner would make them. */
import type { ScenarioFile } from '../core/index';
import { loadChallenge, type Challenge } from './challenge';
import { checkSolution, runFile, type CheckResult } from './checker';
import { BUILTIN_CHALLENGES } from './challenges/index';

export function challenge(id: string): Challenge {
  const raw = BUILTIN_CHALLENGES.find((c) => (c as { id: string }).id === id);
  const r = loadChallenge(raw, `${id}.json`);
  if (!r.ok) throw new Error(JSON.stringify(r.errors));
  return r.challenge;
}

type Lines = (lines: string[]) => string[];
const lines = (t: string | string[] | undefined): string[] => (t === undefined ? [] : Array.isArray(t) ? [...t] : t.split('\n').filter((l) => l !== ''));

/** A copy of the challenge's broken scenario with edits applied. */
export class Edit {
  readonly file: ScenarioFile;
  constructor(ch: Challenge) {
    this.file = structuredClone(ch.scenarioFile);
  }
  #device(id: string) {
    const d = [...this.file.hosts, ...(this.file.routers ?? [])].find((x) => x.id === id);
    if (!d) throw new Error(`no device ${id}`);
    return d;
  }
  iptables(device: string, f: Lines): this {
    const d = this.#device(device);
    d.iptables = f(lines(d.iptables));
    return this;
  }
  /** Replaces the one line equal to `from` (it must exist). */
  replaceRule(device: string, from: string, to: string): this {
    return this.iptables(device, (ls) => {
      const i = ls.indexOf(from);
      if (i < 0) throw new Error(`no line ${from} on ${device}`);
      ls[i] = to;
      return ls;
    });
  }
  /** Inserts `rules` into `*table` just before its COMMIT, creating the table when absent. */
  addRules(device: string, table: string, chains: string[], rules: string[]): this {
    return this.iptables(device, (ls) => {
      const start = ls.indexOf(`*${table}`);
      if (start < 0) return [`*${table}`, ...chains.map((c) => `:${c} ACCEPT [0:0]`), ...rules, 'COMMIT', ...ls];
      const commit = ls.indexOf('COMMIT', start);
      ls.splice(commit, 0, ...rules);
      return ls;
    });
  }
  helper(device: string, ports: number[]): this {
    this.#device(device).ftpHelper = { ports };
    return this;
  }
  vsftpd(f: Lines): this {
    this.file.server.vsftpd = f(lines(this.file.server.vsftpd));
    return this;
  }
  client(fields: Record<string, unknown>): this {
    Object.assign(this.file.client!, fields);
    return this;
  }
}

export const check = (ch: Challenge, file: unknown): Promise<CheckResult> => checkSolution(ch, file, { run: runFile });

/** The failed items' details, one string (for toMatch). */
export const failures = (r: CheckResult): string =>
  r.items
    .filter((i) => !i.ok)
    .map((i) => `[${i.kind}] ${i.detail}`)
    .join('\n');
