/**
 * runScenario(scenario) → { trace, verdict }: the core's one entry point for the UI, the CLI
 * and the tests. Deterministic: the same scenario and seed give a byte-identical trace.
 */
import type { Scenario } from '../scenario/types';
import type { Rule, Ruleset } from '../net/iptables/types';
import { effectivePasvRange } from '../ftp/vsftpd/conf';
import { parseScriptLine, type ScriptStep } from '../ftp/client/script';
import { simulate, type RunResult, type SimDevice, type SimInput } from './engine';

export type { RunResult } from './engine';

/** Default event budget: far above any built-in scenario, low enough to stop a runaway run. */
export const DEFAULT_BUDGET = 2_000_000;

export function toSimInput(s: Scenario, opts: { budget?: number } = {}): SimInput {
  const devices: SimDevice[] = [...s.hosts, ...s.routers].map((d) => ({
    id: d.id,
    kind: d.kind,
    ifaces: d.interfaces.map((i) => ({ name: i.name, ip: i.ip, prefix: i.prefix, net: i.network, segment: i.segment })),
    routes: [
      ...d.routes.filter((r) => r.via !== null).map((r) => ({ net: r.to, via: r.via! })),
      ...(d.kind === 'host' && d.gateway !== null ? [{ net: { network: 0 as never, prefix: 0 }, via: d.gateway }] : []),
    ],
    ruleset: d.firewall?.ruleset ?? null,
    helper: { ports: [...d.ftpHelper.ports], loose: d.ftpHelper.loose },
  }));
  const latencyUs: Record<string, number> = {};
  for (const seg of s.segments) latencyUs[seg.id] = Math.round(seg.latencyMs * 1000);
  const conf = s.server.vsftpd;
  const range = effectivePasvRange(conf);
  const files: Record<string, { size?: number; text?: string; dir?: boolean }> = {};
  for (const f of s.server.files) files[f.path] = f.dir ? { dir: true } : f.text !== null ? { text: f.text } : { size: f.size };
  const helperAttached: Record<string, boolean> = {};
  const helperRulePorts: Record<string, number[]> = {};
  for (const d of [...s.hosts, ...s.routers]) {
    const ct = ftpHelperRules(d.firewall?.ruleset ?? null);
    helperAttached[d.id] = ct.length > 0;
    helperRulePorts[d.id] = ct.flatMap((r) => r.matches.flatMap((m) => (m.kind === 'tcp' && m.dport && !m.dport.invert && m.dport.from === m.dport.to ? [m.dport.from] : [])));
  }
  return {
    seed: s.seed,
    synSchedule: s.tcp.synSchedule,
    devices,
    latencyUs,
    server: { host: s.server.host, conf, files, style: s.server.style },
    clients: s.clients.map((c) => ({
      id: c.id,
      host: c.host,
      profile: c.profile,
      mode: c.mode,
      dataPort: c.dataPort,
      connectTo: c.connectTo,
      serverPort: c.connectPort,
      controlPort: c.controlPort ?? undefined,
      user: c.user,
      password: c.password,
      script: c.script.map(parseScriptLine).flatMap((p): ScriptStep[] => (p.ok ? [p.step] : [])),
      tls: c.tls,
      connectTimeoutMs: c.connectTimeoutS === null ? null : c.connectTimeoutS * 1000,
    })),
    explain: {
      serverHost: s.server.host,
      controlPort: conf.listen_port,
      pasvMin: range.min,
      pasvMax: range.max,
      pasvAddress: conf.pasv_address ?? null,
      helperAttached,
      helperRulePorts,
    },
    budget: opts.budget ?? DEFAULT_BUDGET,
  };
}

/** The rules that attach the FTP helper (`-j CT --helper ftp`) in a device's ruleset. */
function ftpHelperRules(ruleset: Ruleset | null): Rule[] {
  if (!ruleset) return [];
  return ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules)).filter((r) => r.target.kind === 'CT' && r.target.helper?.startsWith('ftp'));
}

export function runScenario(s: Scenario, opts: { budget?: number } = {}): RunResult {
  return simulate(toSimInput(s, opts));
}
