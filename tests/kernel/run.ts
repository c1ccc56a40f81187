/**
 * npm run test:kernel [scenario.json …] — every built-in scenario (or the files given) on a real
 * Linux kernel (namespaces, iptables-restore, vsftpd, curl/tnftp), compared with the simulator.
 * Prints the agreement table, writes test-results/kernel.json, exits 1 on any disagreement or
 * harness error. Skips with one line where it cannot run (not Linux, not root, a tool missing).
 *
 * Options: --kernel-only (no simulator), --only ID[,ID…], --no-variants (each scenario's own client
 * only, not also curl, tnftp, inetutils ftp and lftp), --client PROGRAM[,…] (only the runs with
 * these real clients), --variants-for ID[,…] (every scenario with its own client, these also with
 * the other real clients: CI's subset), FTTW_DEBUG=1 (client and vsftpd output).
 */
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import type { ClientSpec, ScenarioFile } from '../../src/core/index';
import { CLIENT_TIMEOUT_S } from './realClients';
import { cleanupStale, killInNamespace, listNamespaces, sh } from './netns';
import { kernelSkipReason, runOnKernel, type WorldResult } from './kernelSide';
import { runOnSimulator } from './simSide';
import { compareWorlds, formatTable, type Row } from './compare';
import { confValue, readScenario } from './scenarioFile';

const ROOT = resolve(import.meta.dirname, '../..');
const RESULTS = `${ROOT}/test-results/kernel.json`;
const prefix = `fttw-${process.pid}-`;
const workRoot = `/tmp/${prefix}work`;

function writeSummary(rows: Row[], extra: Record<string, unknown>): { passed: number; failed: number; skipped: number } {
  const passed = rows.filter((r) => r.status === 'agree').length;
  const failed = rows.filter((r) => r.status === 'disagree' || r.status === 'error').length;
  const skipped = rows.filter((r) => r.status === 'not-comparable').length + Number(extra.skippedAll ?? 0);
  try {
    mkdirSync(`${ROOT}/test-results`, { recursive: true });
    writeFileSync(RESULTS, JSON.stringify({ passed, failed, skipped, ...extra, rows }, null, 2) + '\n');
  } catch (e) {
    console.log(`could not write ${RESULTS}: ${e instanceof Error ? e.message : String(e)}`);
  }
  return { passed, failed, skipped };
}

/** Removes everything this run created; safe to call twice. */
function cleanupOwn(): void {
  for (const n of listNamespaces()) {
    if (!n.startsWith(prefix)) continue;
    killInNamespace(n);
    sh('ip', ['netns', 'del', n]);
    rmSync(`/etc/netns/${n}`, { recursive: true, force: true });
  }
  if (!process.env.FTTW_KEEP) rmSync(workRoot, { recursive: true, force: true });
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
  const fix = (c: ClientSpec): ClientSpec => ((c.profile === 'curl' || c.profile === 'lftp') && c.connectTimeoutS === undefined ? { ...c, connectTimeoutS: CLIENT_TIMEOUT_S } : c);
  return { ...file, ...(file.client ? { client: fix(file.client) } : {}), ...(file.clients ? { clients: file.clients.map(fix) } : {}) };
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

/** The four real clients the harness can run, by the profile that models each. */
const REAL_CLIENTS = ['curl', 'tnftp', 'inetutils', 'lftp'] as const;
const realProgramOf = (profile: string): string => (profile === 'classic' ? 'inetutils' : profile === 'filezilla' ? 'lftp' : profile);

/** The scenario with every client's profile replaced (same mode, host, script). */
function withProfile(file: ScenarioFile, profile: ClientSpec['profile']): ScenarioFile {
  const swap = (c: ClientSpec): ClientSpec => {
    const out: ClientSpec = { ...c, profile };
    if (profile !== 'curl' && profile !== 'lftp') delete out.connectTimeoutS;
    return out;
  };
  return withClientTimeouts({ ...file, ...(file.client ? { client: swap(file.client) } : {}), ...(file.clients ? { clients: file.clients.map(swap) } : {}) });
}

async function main(): Promise<number> {
  const argv = process.argv.slice(2);
  const kernelOnly = argv.includes('--kernel-only');
  // Every scenario is also run with the other real clients (--no-variants: its own client only).
  const variants = !argv.includes('--no-variants');
  // --variants-for ID[,ID…]: every scenario with its own client, and these also with every other real client.
  const vfArg = argv.find((a) => a.startsWith('--variants-for'));
  const variantsFor = vfArg ? (vfArg.includes('=') ? vfArg.split('=')[1]! : (argv[argv.indexOf(vfArg) + 1] ?? '')).split(',') : null;
  const onlyArg = argv.find((a) => a.startsWith('--only'));
  const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1]! : (argv[argv.indexOf(onlyArg) + 1] ?? '')).split(',') : null;
  const files = argv.filter((a) => a.endsWith('.json'));
  // --client NAME[,NAME]: only the runs with these real programs (curl, tnftp, inetutils, lftp).
  const clientArg = argv.find((a) => a.startsWith('--client'));
  const onlyClients = clientArg ? (clientArg.includes('=') ? clientArg.split('=')[1]! : (argv[argv.indexOf(clientArg) + 1] ?? '')).split(',') : null;
  const skip = kernelSkipReason();
  if (skip !== null) {
    console.log(`test:kernel skipped: ${skip}`);
    writeSummary([], { skippedAll: 1, skipReason: skip });
    return 0;
  }
  const stale = cleanupStale(prefix);
  if (stale.length > 0) console.log(`removed ${stale.length} stale namespace(s) from an earlier run: ${stale.join(' ')}`);
  const onSignal = (sig: string) => {
    console.log(`\n${sig}: removing this run's namespaces`);
    cleanupOwn();
    process.exit(130);
  };
  process.on('SIGINT', () => onSignal('SIGINT'));
  process.on('SIGTERM', () => onSignal('SIGTERM'));

  const paths =
    files.length > 0
      ? files.map((f) => resolve(f))
      : [
          ...readdirSync(`${ROOT}/src/scenarios`)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => `${ROOT}/src/scenarios/${f}`),
          // Worlds the built-ins do not show but the comparison should cover (cd in the script).
          ...readdirSync(`${ROOT}/tests/kernel/scenarios`)
            .filter((f) => f.endsWith('.json'))
            .sort()
            .map((f) => `${ROOT}/tests/kernel/scenarios/${f}`),
        ];
  const rows: Row[] = [];
  const t0 = Date.now();
  let n = 0;
  /** One scenario (or a client variant of it) on the kernel and the simulator. */
  const runOne = async (label: string, file: ScenarioFile, primaryProfile: string | undefined): Promise<void> => {
    const notSetUp = notComparableScenario(label, file);
    if (notSetUp) {
      rows.push({ scenario: label, check: 'kernel run', status: 'not-comparable', kernel: notSetUp, sim: '' });
      console.log(`${label}: not comparable: ${notSetUp}`);
      return;
    }
    const started = Date.now();
    const idle = shortIdle(withClientTimeouts(file));
    const pin = pinPassive(idle.file);
    const ks = readScenario(label, pin.file);
    const listen = Number(confValue(ks.server.conf, 'listen_port') ?? '21');
    const ctl = ks.clients[0]?.connectPort ?? listen;
    const literal = new Set([20, 21, listen, ctl, ...(pin.port !== null ? [pin.port] : [])]);
    const kernel = await runOnKernel(ks, `${prefix}${n++}-`, `${workRoot}/${label.replace(/[^\w.-]+/g, '_')}`, pin.port, literal);
    const secs = ((Date.now() - started) / 1000).toFixed(1);
    if (!kernel.ok) {
      const nc = 'notComparable' in kernel;
      rows.push({ scenario: label, check: 'kernel run', status: nc ? 'not-comparable' : 'error', kernel: nc ? kernel.notComparable : kernel.error, sim: '' });
      console.log(`${label}: ${nc ? 'not comparable' : 'ERROR'} (${secs} s): ${nc ? kernel.notComparable : kernel.error}`);
      return;
    }
    const k = kernel.result;
    const notes = [...(pin.note ? [pin.note] : []), ...(idle.note ? [idle.note] : []), ...k.notes];
    console.log(`${label}: kernel ${secs} s — ${k.transfers.map((t) => `${t.command}: ${t.kind}`).join('; ')}`);
    if (kernelOnly) {
      rows.push(...kernelRows(label, k, 'kernel only (--kernel-only)'));
      return;
    }
    const sim = await runOnSimulator(ks, JSON.stringify(pin.file), literal, ctl);
    if (!sim.ok) {
      rows.push(...kernelRows(label, k, sim.error, sim.phase === 'run' ? 'error' : 'not-comparable'));
      return;
    }
    const codesOnly = { replyCodesOnly: (file.server.style ?? 'vsftpd') !== 'vsftpd' };
    const r = compareWorlds(label, k, sim.result, codesOnly);
    markSubstitutes(r, primaryProfile);
    if (notes.length > 0 && r[0]) r[0].note = notes.join('; ');
    rows.push(...r);
  };
  for (const path of paths) {
    const id = basename(path, '.json');
    if (only && !only.includes(id)) continue;
    let file: ScenarioFile;
    try {
      file = JSON.parse(readFileSync(path, 'utf8')) as ScenarioFile;
    } catch (e) {
      rows.push({ scenario: id, check: 'load', status: 'error', kernel: String(e), sim: '' });
      continue;
    }
    const own = file.client?.profile ?? file.clients?.[0]?.profile;
    if (!onlyClients || onlyClients.includes(realProgramOf(own ?? 'curl'))) await runOne(id, file, own);
    // The same world with each other real client, compared with that client's model.
    const tls = [file.client, ...(file.clients ?? [])].some((c) => c?.tls);
    if (!variants || tls || (variantsFor && !variantsFor.includes(id))) continue;
    for (const other of REAL_CLIENTS) {
      if (own !== undefined && realProgramOf(own) === other) continue;
      if (onlyClients && !onlyClients.includes(other)) continue;
      await runOne(`${id} · ${other}`, withProfile(file, other), other);
    }
  }
  const elapsed = ((Date.now() - t0) / 1000).toFixed(1);
  console.log('\n' + formatTable(rows));
  const sum = writeSummary(rows, { seconds: Number(elapsed), kernel: sh('uname', ['-r']).out.trim() });
  console.log(`\nkernel: ${sum.passed} passed, ${sum.failed} failed, ${sum.skipped} skipped (${elapsed} s) → test-results/kernel.json`);
  cleanupOwn();
  return sum.failed > 0 ? 1 : 0;
}

/** Kernel facts recorded as rows when there is nothing to compare them with. */
function kernelRows(id: string, k: WorldResult, why: string, status: Row['status'] = 'not-comparable'): Row[] {
  const rows: Row[] = k.transfers.map((t) => ({ scenario: id, check: `outcome ${t.command}`, status, kernel: `${t.kind}${t.detail ? ` (${t.detail})` : ''}`, sim: '', note: why }));
  for (const [seg, list] of Object.entries(k.obs.texts)) rows.push({ scenario: id, check: `text @${seg}`, status, kernel: list.join(', ') || '—', sim: '', note: why });
  rows.push({ scenario: id, check: 'data opener → target', status, kernel: k.obs.data.join(', ') || '—', sim: '', note: why });
  return rows;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(e);
    cleanupOwn();
    process.exit(1);
  },
);

/**
 * Scenarios the real-kernel world cannot build, and why: FileZilla Server is a Windows program
 * (its model is checked against its source: docs/FIDELITY-NOTES.md).
 */
function notComparableScenario(_label: string, file: ScenarioFile): string | null {
  const server = (file as { server?: { kind?: string } }).server;
  if (server?.kind === 'filezilla') return 'FileZilla Server does not run on Linux; its model is checked against its source (docs/FIDELITY-NOTES.md)';
  return null;
}
