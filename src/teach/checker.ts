/**
 * The checker: judges a learner's scenario against a challenge by what the network does.
 * It runs the scenario at several seeds (other ephemeral and passive ports each time) for
 * every way of running the clients the goal lists, probes the firewalls the constraints name
 * with synthetic SYNs through the core's own netfilter, and compares the parts the learner
 * was not allowed to change. Any fix that meets the goal and every constraint passes; each
 * failed item says in words and numbers what broke it.
 *
 * Pure: the run function is passed in (runFile in the CLI and tests; the page passes one
 * that asks its pool of Web Workers).
 */
import {
  ALL_PORTS,
  formatIpv4,
  loadScenario,
  parseIpv4,
  parseJsonText,
  probeInboundTcp,
  runScenario,
  serializeIptablesSave,
  type ClientSpec,
  type Device,
  type ScenarioFile,
  type InboundProbe,
  type Ipv4,
  type PortRun,
  type RunResult,
  type Scenario,
  type ScenarioError,
  type TransferResult,
} from '../core/index';
import type { Challenge, ClientVariant, Constraint } from './challenge';

/** Runs one scenario file (the checker writes each variant and seed into its own copy). */
export type RunFn = (file: ScenarioFile) => RunResult | Promise<RunResult>;

export interface CheckItem {
  /** Stable within one challenge: "goal-0", "constraint-2", "editable". */
  id: string;
  kind: 'goal' | 'constraint' | 'editable' | 'load';
  /** What is required, in words (neutral: it never names the fault). */
  label: string;
  ok: boolean;
  /** What the check found, in words and numbers. */
  detail: string;
}

export interface CheckResult {
  solved: boolean;
  items: CheckItem[];
  /** Simulation runs made. */
  runs: number;
  /** Errors when the learner's scenario did not load (then nothing else was judged). */
  loadErrors: ScenarioError[];
}

/** The outside address the probe's SYNs come from: a benchmark-range address no scenario uses (RFC 2544). */
export const PROBE_SOURCE = '198.18.0.1';

const n = (x: number) => x.toLocaleString('en-US');
const plural = (k: number, one: string, many = `${one}s`) => `${n(k)} ${k === 1 ? one : many}`;

// ───────────────────────── describing things ─────────────────────────

export function describeVariant(v: ClientVariant, s: Scenario): string {
  const who = v.client ?? (s.clients.length === 1 ? null : 'every client');
  const parts: string[] = [];
  if (v.profile) parts.push(v.profile);
  if (v.mode) parts.push(`${v.mode} mode`);
  if (v.tls !== undefined) parts.push(v.tls ? 'FTPS' : 'plain FTP');
  if (!parts.length) return who ? `${who}, as you set ${s.clients.length === 1 ? 'it' : 'them'}` : 'the client as you set it';
  return (who ? `${who}: ` : '') + parts.join(', ');
}

const FAILURE_WORDS: Record<string, string> = {
  // Its opener gave up: the client, or the server for an active data connection (then a 425).
  'syn-timeout': 'got no answer: its SYN was sent again and again until its opener gave up',
  refused: 'was refused (a TCP RST answered the SYN)',
  'icmp-unreachable': 'was answered by an ICMP "destination unreachable"',
  'icmp-prohibited': 'was answered by an ICMP "administratively prohibited"',
  'ftp-error': 'ended with an FTP error reply from the server',
  'illegal-port': 'was refused by the server: "500 Illegal PORT command."',
  'client-refused': "was refused by the client itself (it did not accept the server's reply)",
  'client-timeout': "ran into the client's own time-out",
  stalled: 'stalled: a packet was dropped in the middle of the connection',
  budget: 'did not finish: the run went on too long',
};

function describeFailure(t: TransferResult, run: RunResult): string {
  const f = t.failure;
  if (!f) return `\`${t.command}\` failed`;
  const ev = run.trace.events[f.step];
  const connId = ev && 'conn' in ev ? ev.conn : undefined;
  const conn = connId ? run.trace.connections.find((c) => c.id === connId) : undefined;
  const what = conn ? `the ${conn.role} connection to ${conn.dialled}` : 'the transfer';
  const last = f.clientSees[f.clientSees.length - 1];
  const says = last ? ` The client said: "${last}"` : '';
  return `\`${t.command}\`: ${what} ${FAILURE_WORDS[f.kind] ?? f.kind}.${says}`;
}

function describeRun(r: PortRun): string {
  const range = r.from === r.to ? `port ${r.from}` : `ports ${r.from}–${r.to}`;
  const size = r.to - r.from + 1;
  if (r.by.rule) return `rule ${r.by.rule.index} of ${r.by.chain} (\`${r.by.rule.text}\`) opens ${range} (${plural(size, 'port')})`;
  if (r.by.policy === 'no firewall') return `with no firewall, ${range} are open (${plural(size, 'port')})`;
  return `the ${r.by.chain} chain's policy ${r.by.policy} admits ${range} (${plural(size, 'port')})`;
}

function listRuns(p: InboundProbe, max = 3): string {
  const runs = [...p.admitted].sort((a, b) => b.to - b.from - (a.to - a.from));
  const shown = runs.slice(0, max).map(describeRun);
  return shown.join('; ') + (runs.length > max ? `; and ${plural(runs.length - max, 'more run')} of ports` : '');
}

function listPorts(p: InboundProbe): string {
  if (p.count === 0) return 'none';
  const parts = p.admitted.map((r) => (r.from === r.to ? String(r.from) : `${r.from}–${r.to}`));
  return parts.length > 6 ? `${parts.slice(0, 6).join(', ')}, …` : parts.join(', ');
}

// ───────────────────────── comparing the learner's scenario ─────────────────────────

const deviceOf = (s: Scenario, id: string): Device | undefined => [...s.hosts, ...s.routers].find((d) => d.id === id);

function firewallKey(d: Device | undefined): string {
  if (!d) return 'absent';
  const rules = d.firewall ? serializeIptablesSave(d.firewall.ruleset) : 'none';
  return JSON.stringify([rules, [...d.ftpHelper.ports].sort((a, b) => a - b), d.ftpHelper.loose]);
}

function topologyKey(s: Scenario): string {
  const dev = (d: Device) => ({ id: d.id, kind: d.kind, i: d.interfaces, r: d.routes, g: d.kind === 'host' ? d.gateway : null });
  return JSON.stringify({ seg: s.segments.map((g) => [g.id, g.latencyMs, g.members]), d: [...s.hosts, ...s.routers].map(dev), sh: s.server.host, syn: s.tcp.synSchedule });
}

/** vsftpd settings that differ, as "key old → new". */
export function serverChanges(a: Scenario, b: Scenario): string[] {
  const x = a.server.vsftpd as unknown as Record<string, unknown>;
  const y = b.server.vsftpd as unknown as Record<string, unknown>;
  const flat = (o: Record<string, unknown>): Record<string, unknown> => ({ ...o, ...((o.other as Record<string, unknown>) ?? {}), other: undefined });
  const fx = flat(x);
  const fy = flat(y);
  const keys = [...new Set([...Object.keys(fx), ...Object.keys(fy)])].filter((k) => k !== 'other');
  const show = (v: unknown) => (v === undefined || v === null || v === '' ? '(unset)' : v === true ? 'YES' : v === false ? 'NO' : String(v));
  const out = keys.filter((k) => JSON.stringify(fx[k]) !== JSON.stringify(fy[k])).map((k) => `${k} ${show(fx[k])} → ${show(fy[k])}`);
  const rest = (v: Scenario) => [v.server.files, v.server.users, v.server.accounts, v.server.style, v.server.kind, v.server.filezilla];
  if (JSON.stringify(rest(a)) !== JSON.stringify(rest(b))) out.push("the server's files, users, account lists, reply style or FileZilla Server settings");
  return out;
}

const CLIENT_FIELDS = ['profile', 'mode', 'tls', 'dataPort', 'connectTo', 'connectPort', 'user', 'password', 'script', 'connectTimeoutS', 'host'] as const;

/** Client fields that differ, as "client: mode passive → active". */
export function clientChanges(a: Scenario, b: Scenario): string[] {
  const out: string[] = [];
  const ids = [...new Set([...a.clients.map((c) => c.id), ...b.clients.map((c) => c.id)])];
  for (const id of ids) {
    const x = a.clients.find((c) => c.id === id);
    const y = b.clients.find((c) => c.id === id);
    if (!x || !y) {
      out.push(`client ${id} ${x ? 'removed' : 'added'}`);
      continue;
    }
    for (const f of CLIENT_FIELDS) {
      const vx = f === 'connectTo' ? formatIpv4(x.connectTo) : x[f];
      const vy = f === 'connectTo' ? formatIpv4(y.connectTo) : y[f];
      if (JSON.stringify(vx) !== JSON.stringify(vy)) out.push(`${ids.length > 1 ? `${id}: ` : ''}${f} ${JSON.stringify(vx)} → ${JSON.stringify(vy)}`);
    }
  }
  return out;
}

function editableItem(ch: Challenge, s: Scenario): CheckItem {
  const o = ch.scenario;
  const broken: string[] = [];
  if (topologyKey(o) !== topologyKey(s)) broken.push('the network itself (devices, addresses, links or routes)');
  const ids = [...new Set([...o.hosts, ...o.routers, ...s.hosts, ...s.routers].map((d) => d.id))];
  for (const id of ids) {
    if (ch.editable.devices.includes(id)) continue;
    if (firewallKey(deviceOf(o, id)) !== firewallKey(deviceOf(s, id))) broken.push(`the firewall or FTP helper of ${deviceOf(o, id)?.label ?? id} (${id})`);
  }
  const covered = new Set(ch.constraints.map((k) => k.kind));
  if (!ch.editable.server && !covered.has('serverSettingsUnchanged')) {
    const c = serverChanges(o, s);
    if (c.length) broken.push(`the server's settings (${c.join(', ')})`);
  }
  if (!ch.editable.client && !covered.has('clientUnchanged')) {
    const c = clientChanges(o, s);
    if (c.length) broken.push(`the client (${c.join(', ')})`);
  }
  const label = editableLabel(ch);
  return broken.length
    ? { id: 'editable', kind: 'editable', label, ok: false, detail: `You changed ${broken.join('; ')}, which is not yours to change here.` }
    : { id: 'editable', kind: 'editable', label, ok: true, detail: 'Only the parts you may edit were changed.' };
}

// ───────────────────────── the probe, per constraint ─────────────────────────

/** Where a constraint's probe aims: its `to` (a device's first address or an IPv4), else a host's own address, else the address clients dial when the router owns it, else the server. */
export function probeTarget(s: Scenario, deviceId: string, to?: string): Ipv4 | null {
  if (to !== undefined) {
    const d = deviceOf(s, to);
    return d ? (d.interfaces[0]?.ip ?? null) : parseIpv4(to);
  }
  const d = deviceOf(s, deviceId);
  if (!d) return null;
  if (d.kind === 'host') return d.interfaces[0]?.ip ?? null;
  const front = s.clients.map((c) => c.connectTo).find((ip) => d.interfaces.some((i) => i.ip === ip));
  if (front !== undefined) return front;
  return deviceOf(s, s.server.host)?.interfaces[0]?.ip ?? null;
}

export function probeDevice(s: Scenario, deviceId: string, to?: string): InboundProbe | { error: string } {
  const d = deviceOf(s, deviceId);
  if (!d) return { error: `there is no device ${deviceId}` };
  const target = probeTarget(s, deviceId, to);
  if (target === null) return { error: `no address to probe behind ${deviceId}` };
  return probeInboundTcp({ ...d, gateway: d.kind === 'host' ? d.gateway : null }, { to: target, from: parseIpv4(PROBE_SOURCE)! });
}

// ───────────────────────── the check ─────────────────────────

interface VariantRuns {
  variant: ClientVariant;
  runs: { seed: number; run: RunResult }[];
}

const PASSIVE = ['passive', 'pasv', 'epsv'];
const ACTIVE = ['active', 'port', 'eprt'];

/** A constraint in words, as the learner reads it before checking (with its reason when the challenge gives one). */
export function constraintLabel(s: Scenario, k: Constraint): string {
  const label = (dev: string) => deviceOf(s, dev)?.label ?? dev;
  const text = {
    maxInboundPortsOpen: () =>
      `At most ${plural((k as { max: number }).max, 'port')} open to new connections from the internet through ${label((k as { device: string }).device)}.`,
    noAcceptAllNew: () => `${label((k as { device: string }).device)} must not accept every new connection.`,
    clientUnchanged: () => 'Leave the client as it is.',
    serverSettingsUnchanged: () => "Leave the server's settings as they are.",
    keepMode: () => `Keep ${(k as { mode: string }).mode} mode.`,
    keepTls: () => 'Keep FTPS (TLS on the control connection).',
  }[k.kind]();
  return k.why ? `${text} ${k.why}` : text;
}

/** A goal variant in words. */
export function goalLabel(ch: Challenge, v: ClientVariant): string {
  const wanted = ch.goal.transfers;
  const what = wanted ? wanted.map((t) => `\`${t}\``).join(' and ') : 'every transfer';
  return `${what} ${wanted && wanted.length === 1 ? 'succeeds' : 'succeed'} — ${describeVariant(v, ch.scenario)} — in all ${plural(ch.goal.seeds, 'run')} (each run picks other ports).`;
}

/** What the learner may change, in words. */
export function editableLabel(ch: Challenge): string {
  const o = ch.scenario;
  const allowed = [
    ...ch.editable.devices.map((d) => `the firewall of ${deviceOf(o, d)?.label ?? d}`),
    ...(ch.editable.server ? ["the server's settings"] : []),
    ...(ch.editable.client ? ['the client'] : []),
  ];
  return `Change only what this challenge lets you change: ${allowed.length ? allowed.join(', ') : 'nothing'}.`;
}

function constraintItem(ch: Challenge, s: Scenario, k: Constraint, i: number, runs: VariantRuns[]): CheckItem {
  const id = `constraint-${i}`;
  const item = (ok: boolean, detail: string): CheckItem => ({ id, kind: 'constraint', label: constraintLabel(ch.scenario, k), ok, detail });
  switch (k.kind) {
    case 'maxInboundPortsOpen': {
      const p = probeDevice(s, k.device, k.to);
      if ('error' in p) return item(false, `Could not probe: ${p.error}.`);
      const target = formatIpv4(p.to);
      if (p.count <= k.max)
        return item(true, `A new connection from the internet gets through to ${target} on ${plural(p.count, 'port')} (${listPorts(p)}), within the ${n(k.max)} allowed.`);
      return item(
        false,
        `${plural(p.count, 'port')} of ${target} accept a new connection from the internet — ${n(p.count - k.max)} more than the ${n(k.max)} allowed: ${listRuns(p)}.`,
      );
    }
    case 'noAcceptAllNew': {
      const p = probeDevice(s, k.device, k.to);
      if ('error' in p) return item(false, `Could not probe: ${p.error}.`);
      const target = formatIpv4(p.to);
      if (p.count < ALL_PORTS)
        return item(
          true,
          `${plural(ALL_PORTS - p.count, 'port')} of ${target} stay closed to new connections from the internet (${n(ALL_PORTS)} ports in all − ${n(p.count)} open).`,
        );
      const big = [...p.admitted].sort((a, b) => b.to - b.from - (a.to - a.from))[0]!;
      const who = big.by.rule
        ? `Rule ${big.by.rule.index} of ${big.by.chain} (\`${big.by.rule.text}\`) accepts`
        : big.by.policy === 'no firewall'
          ? 'With no firewall, the device accepts'
          : `The ${big.by.chain} chain's policy ${big.by.policy} accepts`;
      return item(false, `${who} every new connection to ${target}: ${n(ALL_PORTS)} ports exposed.`);
    }
    case 'clientUnchanged': {
      const c = clientChanges(ch.scenario, s);
      return item(c.length === 0, c.length ? `You changed the client: ${c.join(', ')}.` : 'The client is unchanged.');
    }
    case 'serverSettingsUnchanged': {
      const c = serverChanges(ch.scenario, s);
      return item(c.length === 0, c.length ? `You changed vsftpd.conf: ${c.join(', ')}.` : "The server's settings are unchanged.");
    }
    case 'keepMode': {
      const fam = k.mode === 'passive' ? PASSIVE : ACTIVE;
      const other = k.mode === 'passive' ? ['PORT', 'EPRT'] : ['PASV', 'EPSV'];
      const wrong = s.clients.filter((c) => !fam.includes(c.mode) && c.mode !== ch.scenario.clients.find((o) => o.id === c.id)?.mode);
      if (wrong.length) return item(false, `The client is set to mode ${wrong.map((c) => `"${c.mode}"`).join(', ')}, not ${k.mode}.`);
      let used = 0;
      let total = 0;
      for (const v of runs)
        for (const r of v.runs) {
          total++;
          if (r.run.trace.events.some((e) => e.kind === 'ftp' && e.dir === 'command' && other.includes(e.text.split(' ')[0]!.toUpperCase()))) used++;
        }
      if (used) return item(false, `In ${n(used)} of ${plural(total, 'run')} the client sent ${other.join(' or ')}: it used ${k.mode === 'passive' ? 'active' : 'passive'} mode.`);
      return item(true, `No run used ${k.mode === 'passive' ? 'active' : 'passive'} mode (${other.join('/')}).`);
    }
    case 'keepTls': {
      const dropped = ch.scenario.clients.filter((o) => o.tls && s.clients.find((c) => c.id === o.id)?.tls !== true);
      if (dropped.length) return item(false, `You turned TLS off for ${dropped.map((c) => c.id).join(', ')}.`);
      if (ch.scenario.server.vsftpd.ssl_enable && !s.server.vsftpd.ssl_enable) return item(false, 'You set ssl_enable=NO on the server.');
      let plain = 0;
      let total = 0;
      for (const v of runs)
        for (const r of v.runs) {
          total++;
          const tlsClients = s.clients.filter((c) => (v.variant.tls ?? c.tls) && (!v.variant.client || v.variant.client === c.id)).length;
          const started = r.run.trace.events.filter((e) => e.kind === 'ftp' && e.dir === 'reply' && /^234\b/.test(e.text)).length;
          if (started < tlsClients || tlsClients === 0) plain++;
        }
      if (plain) return item(false, `In ${n(plain)} of ${plural(total, 'run')} the control connection was not encrypted (no "234" answer to AUTH).`);
      return item(true, `Every run encrypted its control connection (the server answered AUTH with 234).`);
    }
  }
}

function goalItems(ch: Challenge, s: Scenario, runs: VariantRuns[]): CheckItem[] {
  const wanted = ch.goal.transfers;
  return runs.map((v, i) => {
    const label = goalLabel(ch, v.variant);
    const failed: { seed: number; why: string }[] = [];
    for (const { seed, run } of v.runs) {
      const bad: string[] = [];
      for (const c of s.clients) {
        if (v.variant.client && v.variant.client !== c.id) continue;
        const lines = wanted ?? run.verdict.transfers.filter((t) => t.client === c.id).map((t) => t.command);
        for (const line of lines) {
          const t = run.verdict.transfers.find((x) => x.client === c.id && x.command === line);
          if (!t) bad.push(`\`${line}\` never ran${s.clients.length > 1 ? ` for ${c.id}` : ''}`);
          else if (!t.ok) bad.push(describeFailure(t, run));
        }
        if (!wanted && !run.verdict.ok && bad.length === 0) bad.push(run.verdict.summary);
      }
      if (bad.length) failed.push({ seed, why: bad[0]! });
    }
    const total = v.runs.length;
    if (!failed.length) return { id: `goal-${i}`, kind: 'goal', label, ok: true, detail: `${n(total)} of ${plural(total, 'run')} succeeded.` };
    const seeds = failed.map((f) => f.seed);
    const which =
      failed.length === total
        ? 'every run'
        : `${n(failed.length)} of ${plural(total, 'run')} (seed${seeds.length > 1 ? 's' : ''} ${seeds.slice(0, 8).join(', ')}${seeds.length > 8 ? ', …' : ''})`;
    return { id: `goal-${i}`, kind: 'goal', label, ok: false, detail: `Fails in ${which}. With seed ${failed[0]!.seed}: ${failed[0]!.why}` };
  });
}

/**
 * The scenario file as one goal variant at one seed runs it: the seed set, and the variant's
 * profile/mode/TLS written into the client(s) it names (a client's id defaults to its host).
 */
export function variantFile(file: ScenarioFile, v: ClientVariant, seed: number): ScenarioFile {
  const f = structuredClone(file);
  f.seed = seed;
  const apply = (c: ClientSpec): ClientSpec =>
    v.client && v.client !== (c.id ?? c.host)
      ? c
      : { ...c, ...(v.profile ? { profile: v.profile } : {}), ...(v.mode ? { mode: v.mode } : {}), ...(v.tls !== undefined ? { tls: v.tls } : {}) };
  if (f.client) f.client = apply(f.client);
  if (f.clients) f.clients = f.clients.map(apply);
  return f;
}

/** The run function for the CLI and tests: load the file and run it in this thread. */
export const runFile: RunFn = (file) => {
  const l = loadScenario(file);
  if (!l.ok) throw new Error(`the scenario does not load: ${l.errors[0]?.path ?? ''} ${l.errors[0]?.message ?? ''}`);
  return runScenario(l.scenario);
};

/**
 * Judges `learner` (a scenario file: JSON text or value) against the challenge. Runs
 * goal.clients × goal.seeds simulations through `run`, all requested at once (a pool of
 * workers may run them side by side); `onProgress` counts them as they finish.
 */
export async function checkSolution(ch: Challenge, learner: unknown, opts: { run: RunFn; onProgress?: (done: number, total: number) => void }): Promise<CheckResult> {
  let value: unknown = learner;
  if (typeof learner === 'string') {
    const p = parseJsonText(learner);
    value = p.ok ? p.value : learner;
  }
  const loaded = loadScenario(value);
  if (!loaded.ok) {
    return {
      solved: false,
      runs: 0,
      loadErrors: loaded.errors,
      items: [
        {
          id: 'load',
          kind: 'load',
          label: 'The scenario loads.',
          ok: false,
          detail: `It has ${plural(loaded.errors.length, 'error')}; fix ${loaded.errors.length === 1 ? 'it' : 'them'} first: ${loaded.errors[0]!.path ? `${loaded.errors[0]!.path}: ` : ''}${loaded.errors[0]!.message}`,
        },
      ],
    };
  }
  const s = loaded.scenario;
  const file = value as ScenarioFile;
  const total = ch.goal.clients.length * ch.goal.seeds;
  let done = 0;
  const seeds = Array.from({ length: ch.goal.seeds }, (_, i) => i + 1);
  const runs: VariantRuns[] = await Promise.all(
    ch.goal.clients.map(async (variant) => ({
      variant,
      runs: await Promise.all(
        seeds.map(async (seed) => {
          const run = await opts.run(variantFile(file, variant, seed));
          done++;
          opts.onProgress?.(done, total);
          return { seed, run };
        }),
      ),
    })),
  );
  const items = [...goalItems(ch, s, runs), ...ch.constraints.map((k, i) => constraintItem(ch, s, k, i, runs)), editableItem(ch, s)];
  return { solved: items.every((i) => i.ok), items, runs: done, loadErrors: [] };
}

/** The result as lines of text (the CLI prints them; tests read them). */
export function formatCheck(ch: Challenge, r: CheckResult): string[] {
  const out = [`${ch.title}: ${r.solved ? 'SOLVED' : 'NOT SOLVED'} (${plural(r.runs, 'run')})`];
  for (const i of r.items) out.push(`  ${i.ok ? '✓' : '✗'} ${i.label}`, `      ${i.detail}`);
  for (const e of r.loadErrors.slice(1)) out.push(`      ${e.path ? `${e.path}: ` : ''}${e.line !== undefined ? `line ${e.line}: ` : ''}${e.message}`);
  return out;
}
