/**
 * simulate(scenario) → { trace, reports }: the scenario's model turned into the engine's
 * input, and run. Deterministic: the same scenario and seed give a byte-identical trace.
 */
import { addressEntries, routesOf } from '../scenario/reach';
import type { Scenario } from '../scenario/types';
import { parseScriptLine, type ScriptStep } from '../ftp/client/script';
import { uidOf } from '../ftp/vsftpd/accounts';
import type { FileSpec } from '../ftp/server/files';
import { runEngine, type SimDevice, type SimInput, type Simulation } from './engine';

export type { ClientReport, RunReports, Simulation } from './engine';

/** Default event budget: far above any built-in scenario, low enough to stop a runaway run. */
export const DEFAULT_BUDGET = 2_000_000;

export interface SimulateOptions {
  budget?: number;
  /** See SimInput.interrupt: asked after every event; true stops the run. */
  interrupt?: (events: number) => boolean;
}

export function toSimInput(s: Scenario, opts: SimulateOptions = {}): SimInput {
  const devices: SimDevice[] = [...s.hosts, ...s.routers].map((d) => ({
    id: d.id,
    kind: d.kind,
    // One entry per address: an interface with extra addresses appears once per address, under its name.
    ifaces: addressEntries(d.interfaces).map((i) => ({ name: i.name, ip: i.ip, prefix: i.prefix, network: i.network, segment: i.segment })),
    routes: routesOf(d),
    ruleset: d.firewall?.ruleset ?? null,
    helper: { ports: [...d.ftpHelper.ports], loose: d.ftpHelper.loose },
  }));
  const latencyUs: Record<string, number> = {};
  for (const seg of s.segments) latencyUs[seg.id] = Math.round(seg.latencyMs * 1000);
  const conf = s.server.vsftpd;
  const files: Record<string, FileSpec> = {};
  for (const f of s.server.files) {
    const uid = f.owner === null ? null : uidOf(f.owner, s.server.users);
    const perm = { ...(uid !== null ? { owner: { uid, gid: uid } } : {}), ...(f.mode !== null ? { mode: f.mode } : {}) };
    files[f.path] = f.dir ? { dir: true, ...perm } : f.text !== null ? { text: f.text, ...perm } : { size: f.size, ...perm };
  }
  return {
    seed: s.seed,
    synSchedule: s.tcp.synSchedule,
    ...(s.tcp.synRetries !== undefined ? { synRetries: s.tcp.synRetries } : {}),
    devices,
    latencyUs,
    server: { host: s.server.host, conf, files, style: s.server.style, filezilla: s.server.filezilla, users: s.server.users, accounts: s.server.accounts },
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
      ...(c.pasvAddress !== null ? { pasvAddress: c.pasvAddress } : {}),
      ...(c.maxTimeS !== null ? { maxTimeMs: Math.round(c.maxTimeS * 1000) } : {}),
      ...(c.stallTimeoutS !== null ? { stallTimeoutMs: Math.round(c.stallTimeoutS * 1000) } : {}),
      ...(c.lftpRetries !== null ? { lftpRetries: c.lftpRetries } : {}),
      ...(c.createDirs ? { createDirs: true } : {}),
      ...(c.killAfterS !== undefined ? { killAfterMs: Math.round(c.killAfterS * 1000) } : {}),
    })),
    budget: opts.budget ?? DEFAULT_BUDGET,
    ...(opts.interrupt ? { interrupt: opts.interrupt } : {}),
  };
}

/** simulate(scenario) → { trace, reports }: the run, without its verdict (see explain/). */
export function simulate(s: Scenario, opts: SimulateOptions = {}): Simulation {
  return runEngine(toSimInput(s, opts));
}
