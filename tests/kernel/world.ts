/**
 * One world of the kernel check — a scenario (or a client variant of it) on the real kernel and
 * in the simulator, compared — as a job that shares nothing with the jobs running beside it:
 * its namespaces carry its own prefix, its work folder (vsftpd.conf, tree, captures, client
 * files) is its own, and it reports its rows and log lines as one result. run.ts plans the jobs
 * and runs them, several at a time, each in a worker thread (worker.ts).
 */
import { parseClientCommand, type ClientSpec, type ScenarioFile } from '../../src/core/index';
import { CLIENT_TIMEOUT_S } from './realClients';
import { withHarnessBounds } from './commandLine';
import { runOnKernel, type WorldResult } from './kernelSide';
import { runOnSimulator } from './simSide';
import { compareWorlds, type Row } from './compare';
import { confValue, readScenario } from './scenarioFile';

/** One world to run: everything it needs, none of it shared with another job. */
export interface WorldJob {
  /** Position in the plan: the table lists results in this order, whatever order they finish in. */
  index: number;
  /** "scenario" or "scenario · client". */
  label: string;
  file: ScenarioFile;
  /** The profile this world's client is compared with (the scenario's own, or the variant's). */
  primaryProfile: string | undefined;
  /** Namespace prefix, unique to this job (`fttw-PID-N-`). */
  nsPrefix: string;
  /** Work folder, unique to this job. */
  workDir: string;
  kernelOnly: boolean;
}

export interface WorldOutcome {
  index: number;
  label: string;
  rows: Row[];
  /** What the job has to say, printed together when it finishes. */
  log: string[];
  seconds: number;
}

/** Runs one world. Never throws: a failure is an `error` row. */
export async function runWorld(job: WorldJob): Promise<WorldOutcome> {
  const started = Date.now();
  const log: string[] = [];
  const rows: Row[] = [];
  const { label, file } = job;
  const done = (): WorldOutcome => ({ index: job.index, label, rows, log, seconds: (Date.now() - started) / 1000 });
  try {
    const notSetUp = notComparableScenario(label, file);
    if (notSetUp) {
      rows.push({ scenario: label, check: 'kernel run', status: 'not-comparable', kernel: notSetUp, sim: '' });
      log.push(`${label}: not comparable: ${notSetUp}`);
      return done();
    }
    const bounded = clientTimeouts(file);
    const idle = shortIdle(bounded.file);
    const pin = pinPassive(idle.file);
    const ks = readScenario(label, pin.file);
    const listen = Number(confValue(ks.server.conf, 'listen_port') ?? '21');
    const ctl = ks.clients[0]?.connectPort ?? listen;
    const literal = new Set([20, 21, listen, ctl, ...(pin.port !== null ? [pin.port] : [])]);
    let run = await runOnKernel(ks, job.nsPrefix, job.workDir, pin.port, literal);
    // The pin's own race (pinnedPortRace): the kernel runs again, at most twice, and the row says so.
    let raced = 0;
    while (pin.note !== null && run.ok && run.result.pinRace && raced < PIN_RACE_RERUNS) {
      raced++;
      log.push(`${label}: the kernel's vsftpd hit the pinned port's race (500 OOPS: vsf_sysutil_bind); running the kernel side again`);
      // A fresh folder: the first run's uploads and new directories must not be there.
      run = await runOnKernel(ks, job.nsPrefix, `${job.workDir}/again${raced}`, pin.port, literal);
    }
    const kernel = run;
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (!kernel.ok) {
      const nc = 'notComparable' in kernel;
      rows.push({ scenario: label, check: 'kernel run', status: nc ? 'not-comparable' : 'error', kernel: nc ? kernel.notComparable : kernel.error, sim: '' });
      log.push(`${label}: ${nc ? 'not comparable' : 'ERROR'} (${secs} s): ${nc ? kernel.notComparable : kernel.error}`);
      return done();
    }
    const k = kernel.result;
    const raceNote =
      raced === 0
        ? []
        : [
            `kernel run ${raced + 1} times: in ${raced === 1 ? 'the first' : `the first ${raced}`} vsftpd's earlier session still listened on the pinned port ${pin.port} when the next session's PASV/EPSV came (500 OOPS: vsf_sysutil_bind), which the scenario's range would have avoided${k.pinRace ? '; in the last one too (its rows stand)' : ''}`,
          ];
    const notes = [...(bounded.note ? [bounded.note] : []), ...(pin.note ? [pin.note] : []), ...raceNote, ...(idle.note ? [idle.note] : []), ...k.notes];
    const ph = k.phases ? ` (set-up ${k.phases.setup.toFixed(1)}, clients ${k.phases.clients.toFixed(1)}, reading ${k.phases.read.toFixed(1)})` : '';
    log.push(`${label}: kernel ${secs} s${ph} — ${k.transfers.map((t) => `${t.command}: ${t.kind}`).join('; ')}`);
    if (process.env.FTTW_DEBUG && k.debug) log.push(k.debug);
    if (job.kernelOnly) {
      rows.push(...kernelRows(label, k, 'kernel only (--kernel-only)'));
      return done();
    }
    const sim = await runOnSimulator(ks, JSON.stringify(pin.file), literal, ctl);
    if (!sim.ok) {
      rows.push(...kernelRows(label, k, sim.error, sim.phase === 'run' ? 'error' : 'not-comparable'));
      return done();
    }
    const codesOnly = { replyCodesOnly: (file.server.style ?? 'vsftpd') !== 'vsftpd' };
    const r = compareWorlds(label, k, sim.result, codesOnly);
    markSubstitutes(r, job.primaryProfile);
    if (notes.length > 0 && r[0]) r[0].note = notes.join('; ');
    rows.push(...r);
  } catch (e) {
    rows.push({ scenario: label, check: 'kernel run', status: 'error', kernel: e instanceof Error ? e.message : String(e), sim: '' });
    log.push(`${label}: ERROR: ${e instanceof Error ? e.message : String(e)}`);
  }
  return done();
}

/** The four real clients the harness can run, by the profile that models each. */
export const REAL_CLIENTS = ['curl', 'tnftp', 'inetutils', 'lftp'] as const;
export const realProgramOf = (profile: string): string => (profile === 'classic' ? 'inetutils' : profile === 'filezilla' ? 'lftp' : profile);

export interface PlanOptions {
  only: string[] | null;
  onlyClients: string[] | null;
  /** Run every scenario also with the other real clients. */
  variants: boolean;
  /** With variants: only these scenarios get them (CI's subset); null = all. */
  variantsFor: string[] | null;
  /** With variants: these scenarios get none (each still runs with its own client). */
  variantsExcept: string[] | null;
  kernelOnly: boolean;
  /** The run's namespace prefix (`fttw-PID-`) and work root. */
  prefix: string;
  workRoot: string;
}

/**
 * The run's worlds in table order: each scenario with its own client, then with each other real
 * client. Each job gets a namespace prefix and work folder of its own.
 */
export function planWorlds(scenarios: { id: string; file: ScenarioFile }[], o: PlanOptions): WorldJob[] {
  const jobs: WorldJob[] = [];
  const add = (label: string, file: ScenarioFile, primaryProfile: string | undefined) => {
    const index = jobs.length;
    jobs.push({
      index,
      label,
      file,
      primaryProfile,
      nsPrefix: `${o.prefix}${index}-`,
      workDir: `${o.workRoot}/${index}-${label.replace(/[^\w.-]+/g, '_')}`,
      kernelOnly: o.kernelOnly,
    });
  };
  for (const { id, file } of scenarios) {
    if (o.only && !o.only.includes(id)) continue;
    const first = file.client ?? file.clients?.[0];
    const parsed = first?.command !== undefined ? parseClientCommand(first.command, first.profile) : null;
    const own = first?.profile ?? (parsed?.ok ? parsed.fields.profile : undefined);
    if (!o.onlyClients || o.onlyClients.includes(realProgramOf(own ?? 'curl'))) add(id, file, own);
    // The same world with each other real client, compared with that client's model.
    const tls = [file.client, ...(file.clients ?? [])].some((c) => c?.tls);
    // A world the kernel cannot build (FileZilla Server) is one "not comparable" row, not one per
    // client; a client given as a command line is that program (the line names it), run as written.
    const asCommand = [file.client, ...(file.clients ?? [])].some((c) => c?.command !== undefined);
    if (!o.variants || tls || asCommand || (o.variantsFor && !o.variantsFor.includes(id)) || o.variantsExcept?.includes(id) || notComparableScenario(id, file) !== null) continue;
    for (const other of REAL_CLIENTS) {
      if (own !== undefined && realProgramOf(own) === other) continue;
      if (o.onlyClients && !o.onlyClients.includes(other)) continue;
      add(`${id} · ${other}`, withProfile(file, other), other);
    }
  }
  return jobs;
}

/**
 * vsftpd draws passive ports at random: both worlds are pinned to one port (the top of the
 * range: for the seed incident that is a port the firewall does not open), never papered over.
 */
function pinPassive(file: ScenarioFile): { file: ScenarioFile; port: number | null; note: string | null } {
  const conf = (Array.isArray(file.server.vsftpd) ? file.server.vsftpd.join('\n') : (file.server.vsftpd ?? '')).split('\n');
  const min = Number(confValue(conf, 'pasv_min_port') ?? '0');
  const max = Number(confValue(conf, 'pasv_max_port') ?? '0');
  const lo = min > 1024 && min <= 65535 ? min : 1024;
  const hi = max >= lo && max < 65535 ? max : 65535;
  if (lo === hi) return { file, port: lo, note: null };
  if (min === 0 && max === 0) return { file, port: null, note: null };
  const kept = conf.filter((l) => !/^\s*pasv_(min|max)_port=/.test(l));
  const pinned: ScenarioFile = { ...file, server: { ...file.server, vsftpd: [...kept, `pasv_min_port=${hi}`, `pasv_max_port=${hi}`] } };
  return { file: pinned, port: hi, note: `passive range ${lo}–${hi} pinned to ${hi} in both worlds` };
}

/**
 * How many times a world's kernel side runs again when the pin raced (kernelSide pinRace): a
 * client's next session asked PASV/EPSV while vsftpd's previous session, which the client had
 * already left, still listened on the one pinned port. With the scenario's range vsftpd would
 * draw another port (it retries a busy one), so the refusal is the harness's, not the world's.
 */
const PIN_RACE_RERUNS = 2;

/** The idle time-out both worlds run with when a script waits (seconds). */
const SHORT_IDLE_S = 4;

/**
 * A script that waits (to meet vsftpd's idle_session_timeout) is run in both worlds with the
 * time-out shortened to SHORT_IDLE_S and each wait scaled with it, on the same side of the
 * time-out as before (wait 90 with 60 s → wait 6 with 4 s): minutes of idling cost seconds.
 */
function shortIdle(file: ScenarioFile): { file: ScenarioFile; note: string | null } {
  const scripts = [file.script, file.client?.script, ...(file.clients ?? []).map((c) => c.script)];
  if (!scripts.some((sc) => sc?.some((l) => /^\s*(wait|sleep)\s/i.test(l)))) return { file, note: null };
  const conf = (Array.isArray(file.server.vsftpd) ? file.server.vsftpd.join('\n') : (file.server.vsftpd ?? '')).split('\n');
  const idle = Number(confValue(conf, 'idle_session_timeout') ?? '300');
  const waits = scripts.flatMap((sc) => sc ?? []).map((l) => Number(l.match(/^\s*(?:wait|sleep)\s+(\d+(?:\.\d+)?)/i)?.[1] ?? '0'));
  // Short waits (a second client starting a moment later) run as written.
  if (!(idle > SHORT_IDLE_S) || Math.max(...waits) <= 2 * SHORT_IDLE_S) return { file, note: null };
  const scale = (sc: string[] | undefined) =>
    sc?.map((l) => {
      const m = l.match(/^\s*(wait|sleep)\s+(\d+(?:\.\d+)?)\s*$/i);
      if (!m) return l;
      const w = Number(m[2]);
      const scaled =
        w > idle
          ? Math.max(SHORT_IDLE_S + 2, Math.round((w * SHORT_IDLE_S) / idle))
          : w < idle
            ? Math.max(1, Math.min(SHORT_IDLE_S - 2, Math.round((w * SHORT_IDLE_S) / idle)))
            : SHORT_IDLE_S;
      return `${m[1]} ${scaled}`;
    });
  const kept = conf.filter((l) => !/^\s*idle_session_timeout=/.test(l));
  const out: ScenarioFile = {
    ...file,
    server: { ...file.server, vsftpd: [...kept, `idle_session_timeout=${SHORT_IDLE_S}`] },
    ...(file.script ? { script: scale(file.script) } : {}),
    ...(file.client ? { client: { ...file.client, ...(file.client.script ? { script: scale(file.client.script) } : {}) } } : {}),
    ...(file.clients ? { clients: file.clients.map((c) => ({ ...c, ...(c.script ? { script: scale(c.script) } : {}) })) } : {}),
  };
  return { file: out, note: `idle_session_timeout ${idle} s shortened to ${SHORT_IDLE_S} s in both worlds, waits scaled with it` };
}

/**
 * The real curl runs with --connect-timeout CLIENT_TIMEOUT_S and lftp with net:timeout; the
 * simulator is given the same time-out (connectTimeoutS) where the scenario sets none, so both
 * worlds race the same timers.
 */
function withClientTimeouts(file: ScenarioFile): ScenarioFile {
  return clientTimeouts(file).file;
}

/**
 * withClientTimeouts, saying what it added to a command line: a client given as a command line
 * gets the harness's time-outs in the line itself (commandLine.ts withHarnessBounds), which both
 * worlds then run.
 */
function clientTimeouts(file: ScenarioFile): { file: ScenarioFile; note: string | null } {
  const added: string[] = [];
  const fix = (c: ClientSpec): ClientSpec => {
    if (c.command !== undefined) {
      const b = withHarnessBounds(c.command);
      added.push(...b.added);
      return { ...c, command: b.command };
    }
    return (c.profile === 'curl' || c.profile === 'lftp') && c.connectTimeoutS === undefined ? { ...c, connectTimeoutS: CLIENT_TIMEOUT_S } : c;
  };
  const out = { ...file, ...(file.client ? { client: fix(file.client) } : {}), ...(file.clients ? { clients: file.clients.map(fix) } : {}) };
  return { file: out, note: added.length > 0 ? `the command line run with ${added.join(', ')} added (the harness's bounds) in both worlds` : null };
}

/**
 * The classic profile models netkit ftp, which trusts a 227 address; its stand-in here, GNU
 * inetutils ftp, refuses one that is not the control peer's ("Passive mode address
 * mismatch."). Where that refusal decided the real run, the rows it changed say nothing about
 * netkit: not comparable (the "· inetutils" variant compares the same run exactly).
 */
function markSubstitutes(rows: Row[], profile: string | undefined): void {
  if (profile !== 'classic') return;
  // inetutils retries a refused PORT as LPRT and sends ABOR after refusing a 227; netkit
  // (the classic model) does neither — the "· inetutils" variant compares those exactly.
  if (rows.some((r) => /\b(LPRT|ABOR)\b/.test(r.kernel))) {
    for (const r of rows) {
      if (r.status !== 'disagree' || !/^(lines @|client commands|client says )/.test(r.check)) continue;
      r.status = 'not-comparable';
      r.note = `${r.sim !== '' ? `kernel: ${r.kernel} | sim: ${r.sim}` : r.kernel} — inetutils ftp (stand-in for netkit ftp) sends LPRT after a refused PORT and ABOR after a refused 227; netkit does not`;
    }
  }
  // inetutils prints its own errors through error(3) on stderr, with the program's name ("ftp:
  // Login failed.", "ftp: No control connection for command"); netkit prints them bare on
  // stdout, so which line comes last differs too.
  for (const r of rows) {
    if (r.status !== 'disagree' || !r.check.startsWith('client says ') || !r.kernel.startsWith('ftp: ')) continue;
    r.status = 'not-comparable';
    r.note = `${r.sim !== '—' ? `sim: ${r.sim} — ` : ''}inetutils ftp (stand-in for netkit ftp) prints its own errors with the program's name on stderr; netkit prints them bare`;
  }
  if (!rows.some((r) => r.check.startsWith('kind ') && r.kernel.startsWith('client-refused'))) return;
  for (const r of rows) {
    if (r.status !== 'disagree' || !/^(kind |data |lines @|client says |client commands)/.test(r.check)) continue;
    r.status = 'not-comparable';
    r.note = `${r.sim !== '' ? `kernel: ${r.kernel} | sim: ${r.sim} — ` : ''}inetutils ftp (stand-in for netkit ftp) checks the 227 address, netkit does not`;
    if (r.sim === '') r.note = `${r.kernel} — ${r.note}`;
  }
}

/** The scenario with every client's profile replaced (same mode, host, script). */
function withProfile(file: ScenarioFile, profile: ClientSpec['profile']): ScenarioFile {
  const swap = (c: ClientSpec): ClientSpec => {
    const out: ClientSpec = { ...c, profile };
    if (profile !== 'curl' && profile !== 'lftp') delete out.connectTimeoutS;
    return out;
  };
  return withClientTimeouts({ ...file, ...(file.client ? { client: swap(file.client) } : {}), ...(file.clients ? { clients: file.clients.map(swap) } : {}) });
}

/** Kernel facts recorded as rows when there is nothing to compare them with. */
function kernelRows(id: string, k: WorldResult, why: string, status: Row['status'] = 'not-comparable'): Row[] {
  const rows: Row[] = k.transfers.map((t) => ({ scenario: id, check: `outcome ${t.command}`, status, kernel: `${t.kind}${t.detail ? ` (${t.detail})` : ''}`, sim: '', note: why }));
  for (const [seg, list] of Object.entries(k.obs.texts)) rows.push({ scenario: id, check: `text @${seg}`, status, kernel: list.join(', ') || '—', sim: '', note: why });
  rows.push({ scenario: id, check: 'data opener → target', status, kernel: k.obs.data.join(', ') || '—', sim: '', note: why });
  return rows;
}

/**
 * Scenarios the real-kernel world cannot build, and why: FileZilla Server is a Windows program
 * (its model is checked against its source: docs/FIDELITY-NOTES.md).
 */
export function notComparableScenario(_label: string, file: ScenarioFile): string | null {
  const server = (file as { server?: { kind?: string } }).server;
  if (server?.kind === 'filezilla') return 'FileZilla Server does not run on Linux; its model is checked against its source (docs/FIDELITY-NOTES.md)';
  return null;
}
