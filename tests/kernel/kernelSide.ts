/**
 * One scenario on the real kernel: namespaces, iptables-restore, vsftpd, captures, the real
 * client; then the comparable shape. Everything it starts is stopped by PID and every namespace
 * removed in `finally`, whatever happened.
 */
import { mkdirSync, readFileSync } from 'node:fs';
import { buildTopology, loadIptables, sh, teardown } from './netns';
import { startCaptures, stopCaptures, type Capture } from './capture';
import { clientCommand, HARNESS_KILL_S, leadingWait, runClient, splitTransfers, type ClientCommand, type RealTransfer } from './realClients';
import { observe, dataCause, pinnedPortRace, type Observation } from './observe';
import { confValue, type KClient, type KScenario } from './scenarioFile';
import { clientSays } from './compare';
import { prepareVsftpd, startVsftpd, stopProc, type VsftpdRun } from './vsftpd';

export interface TransferView {
  command: string;
  ok: boolean;
  /** ok, timeout, refused, icmp-unreachable, icmp-prohibited, illegal-port, client-refused, closed, ftp-NNN, or cause+NNN. */
  kind: string;
  detail: string;
  /** The client's own last error line, normalised (clientSays in compare.ts). */
  says?: string;
}

export interface WorldResult {
  transfers: TransferView[];
  obs: Observation;
  notes: string[];
  /** Seconds spent building the world (namespaces, rules, vsftpd, captures), running the clients, reading the captures. */
  phases?: { setup: number; clients: number; read: number };
  /** With FTTW_DEBUG: the clients' and vsftpd's output, printed with the world's other lines. */
  debug?: string;
  /** vsftpd refused a PASV/EPSV because an earlier session still listened on the pinned port (observe.ts pinnedPortRace). */
  pinRace?: boolean;
}

export type KernelOutcome = { ok: true; result: WorldResult } | { ok: false; notComparable: string } | { ok: false; error: string };

/** Kernel facts that decide whether a scenario's helper settings can be reproduced. */
export function helperPortsOnKernel(): number[] | null {
  try {
    return readFileSync('/sys/module/nf_conntrack_ftp/parameters/ports', 'utf8').trim().split(',').map(Number);
  } catch {
    return null;
  }
}

export function classifyReal(t: RealTransfer, cause: string | null): { kind: string; detail: string } {
  const text = t.lines.join('\n');
  // lftp tries AUTH TLS on every login and goes on in the clear when it is refused: that
  // refusal is not the transfer's failure.
  const afterAuth = (i: number) => t.lines[i]!.startsWith('<--- ') && /^---> AUTH /.test(t.lines[i - 1] ?? '');
  // BSD ftp prints a 421 of its own when it finds the connection closed: not the server's reply.
  const ownClose = /^421 Service not available, remote server has closed connection/;
  const replies = t.lines.map((l, i) => (afterAuth(i) ? '' : l.replace(/^(< |<--- )/, ''))).filter((l) => /^[45]\d\d[ -]/.test(l) && !ownClose.test(l));
  const last = replies[replies.length - 1];
  const detail = last ?? t.lines.filter((l) => /curl: \(|ftp: |Connection|timed out|No route|refused/i.test(l)).slice(-1)[0] ?? '';
  if (t.ok) return { kind: 'ok', detail: '' };
  // Still waiting when the harness's timeout(1) killed it (the simulator's client is killed at the same time).
  if (t.killed) return { kind: 'killed', detail: `killed by the harness at ${HARNESS_KILL_S} s${detail ? `; last: ${detail}` : ''}` };
  if (/Illegal (PORT|EPRT)/i.test(text)) return { kind: 'illegal-port', detail };
  if (/address mismatch/i.test(text)) return { kind: 'client-refused', detail: t.lines.find((l) => /address mismatch/i.test(l)) ?? detail };
  const code = last?.slice(0, 3);
  if (cause !== null) return { kind: code ? `${cause}+${code}` : cause, detail };
  // The server closed the session (421: idle time-out, too many failed logins) or the client
  // knows it has no connection: the step never ran ("closed", as the simulator's lost session).
  if (code === '421') return { kind: 'closed+421', detail };
  if (/Not connected|No control connection|remote server has closed connection/i.test(text)) return { kind: code ? `closed+${code}` : 'closed', detail };
  if (code) return { kind: `ftp-${code}`, detail };
  if (/Connection refused/i.test(text)) return { kind: 'refused', detail };
  if (/No route to host/i.test(text)) return { kind: 'icmp-prohibited', detail };
  // tnftp -q: "transfer aborted because stalled for 16 sec." is its own time-out.
  if (/timed out|Timeout|stalled for \d+ sec/i.test(text)) return { kind: 'timeout', detail };
  return { kind: 'other', detail: detail || t.lines.slice(-1)[0] || '(no output)' };
}

export async function runOnKernel(s: KScenario, prefix: string, workDir: string, pasvPort: number | null, literalPorts: Set<number>): Promise<KernelOutcome> {
  const notes: string[] = [];
  const kernelHelperPorts = helperPortsOnKernel();
  for (const d of s.devices) {
    const wanted = [...d.helperPorts].sort((a, b) => a - b).join(',');
    const have = kernelHelperPorts?.sort((a, b) => a - b).join(',') ?? '?';
    if (d.helperLoose) return { ok: false, notComparable: `${d.id} needs nf_conntrack_ftp loose=1; the kernel's module parameters are fixed (built-in, read-only) here` };
    if (wanted !== have && /--helper ftp/.test(d.iptables ?? '')) {
      // An explicit CT --helper assignment finds the helper by name, not by port: ports= only
      // matters for automatic assignment (off since 4.7). Run it, and say so.
      notes.push(
        `${d.id}: scenario sets nf_conntrack_ftp ports=${wanted}; the kernel's is ports=${have} (built-in, read-only, no modprobe); the helper is assigned explicitly by CT, which does not consult ports=`,
      );
    }
  }
  const client = s.clients[0];
  if (!client) return { ok: false, notComparable: 'scenario has no client' };
  mkdirSync(workDir, { recursive: true });
  // Every client of the scenario, each in its own folder, on its own host's namespace.
  const many = s.clients.length > 1;
  const cmds: { c: KClient; cmd: ClientCommand }[] = [];
  for (const c of s.clients) {
    const dir = many ? `${workDir}/${c.id}` : workDir;
    mkdirSync(dir, { recursive: true });
    const cmd = clientCommand(c, dir);
    if ('unsupported' in cmd) return { ok: false, notComparable: `client ${many ? `${c.id} (${c.profile})` : c.profile}: ${cmd.unsupported}` };
    cmds.push({ c, cmd });
    if (cmd.note) notes.push(cmd.note);
  }
  let topo: ReturnType<typeof buildTopology> | null = null;
  let vs: VsftpdRun | null = null;
  let caps: Capture[] = [];
  try {
    const t0 = Date.now();
    topo = buildTopology(s, prefix);
    for (const d of s.devices) {
      if (d.iptables === null) continue;
      const err = loadIptables(topo.ns.get(d.id)!, d.iptables);
      if (err !== null) return { ok: false, error: `iptables-restore on ${d.id}: ${err}` };
    }
    prepareVsftpd(s, topo, workDir, pasvPort);
    const listenPort = Number(confValue(s.server.conf, 'listen_port') ?? '21');
    vs = await startVsftpd(topo.ns.get(s.server.host)!, workDir, listenPort);
    caps = await startCaptures(topo.captures, workDir);
    // All clients at once; a script that begins with `wait N` starts its client N s later.
    const t1 = Date.now();
    const outs = await Promise.all(cmds.map(({ c, cmd }) => runClient(topo!.ns.get(c.host)!, cmd, HARNESS_KILL_S, leadingWait(c.script))));
    const t2 = Date.now();
    const packets = await stopCaptures(caps);
    caps = [];
    const transfers: TransferView[] = [];
    cmds.forEach(({ c }, i) => {
      for (const t of splitTransfers(c, outs[i]!)) {
        const cause = t.ok ? null : dataCause(s, packets, t.from, t.to, c.connectPort);
        const k = classifyReal(t, cause);
        transfers.push({ command: many ? `${c.id}: ${t.command}` : t.command, ok: t.ok, kind: k.kind, detail: k.detail, says: t.ok ? undefined : clientSays(t.lines) });
      }
    });
    const obs = observe(s, packets, literalPorts, client.connectPort, listenPort);
    const debug = process.env.FTTW_DEBUG ? [...outs.map((out) => out.lines.map((l) => l.text).join('\n')), vs.log()].join('\n') : undefined;
    const phases = { setup: (t1 - t0) / 1000, clients: (t2 - t1) / 1000, read: (Date.now() - t2) / 1000 };
    const pinRace = pasvPort !== null && pinnedPortRace(packets, listenPort, pasvPort);
    return { ok: true, result: { transfers, obs, notes, phases, ...(debug !== undefined ? { debug } : {}), ...(pinRace ? { pinRace } : {}) } };
  } catch (e) {
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  } finally {
    for (const c of caps) stopProc(c.proc, 'SIGKILL');
    if (vs) stopProc(vs.proc, 'SIGTERM', true);
    if (topo) teardown(topo);
  }
}

/** Is this machine able to run the kernel check at all? null = yes, else the one-line reason. */
export function kernelSkipReason(): string | null {
  if (process.platform !== 'linux') return `not Linux (${process.platform})`;
  if (typeof process.getuid === 'function' && process.getuid() !== 0) return 'not root (network namespaces need CAP_NET_ADMIN)';
  const need: [string, string[]][] = [
    ['ip', ['-V']],
    ['iptables-restore', ['--version']],
    ['tcpdump', ['--version']],
    ['timeout', ['--version']],
    ['stdbuf', ['--version']],
    ['curl', ['--version']],
    ['openssl', ['version']],
  ];
  for (const [cmd, args] of need) {
    const r = sh(cmd, args);
    if (r.code === -1) return `no ${cmd} (${r.err.trim()})`;
  }
  try {
    readFileSync('/usr/sbin/vsftpd');
  } catch {
    return 'no vsftpd (/usr/sbin/vsftpd)';
  }
  return null;
}
