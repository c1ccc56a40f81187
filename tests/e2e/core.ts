/** The core's own results for the built-ins, computed once per worker through tsx. */
import { execFileSync } from 'node:child_process';

export interface CoreResult {
  ok: boolean;
  summary: string;
  transfers: { command: string; ok: boolean }[];
  steps: number;
  connections: { role: 'control' | 'data'; opener: string; acceptor: string }[];
  /** The scenario's client machines, in order. */
  clientHosts: string[];
  error?: string[];
}

let cache: Record<string, CoreResult> | null = null;

export function coreResults(): Record<string, CoreResult> {
  cache ??= JSON.parse(
    execFileSync('npx', ['tsx', 'tests/e2e/core-verdicts.ts'], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, stdio: ['ignore', 'pipe', 'inherit'] }),
  ) as Record<string, CoreResult>;
  return cache;
}
