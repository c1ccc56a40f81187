/**
 * Why a transfer failed, read after the run: explain(scenario, trace, reports) → Verdict.
 * Each client reported what it experienced (a symptom); this module reads the trace to find
 * the packet that was lost or refused, the device and rule (or the setting) responsible, and
 * proposes the smallest change that would make it work.
 */
import { decodePacket } from '../codec/packet';
import { CURL_ACTIVE_STALE_ERROR } from '../ftp/client/messages';
import { formatIpv4 } from '../codec/addr';
import type { RejectWith, Rule, Ruleset } from '../net/iptables/types';
import type { Symptom, TransferReport } from '../ftp/client/transfer';
import { effectivePasvRange } from '../ftp/vsftpd/conf';
import type { RunReports } from '../run/engine';
import type { Scenario } from '../scenario/types';
import type { Trace, TraceEvent } from '../sim/trace';
import type { Culprit, CulpritDrop, FailureKind, TransferResult, Verdict } from './verdict';
import { refusalNamed } from '../sim/refusal';
import { ALL_CAPABILITIES, clientCapabilities, passiveSuggestion, type ClientCapabilities } from './capabilities';

/** Facts about the scenario the explanations refer to. */
export interface ExplainContext {
  serverHost: string;
  controlPort: number;
  pasvMin: number;
  pasvMax: number;
  pasvAddress: string | null;
  /** vsftpd, or FileZilla Server (its settings have other names: "Passive IP", folder rights). */
  serverKind?: 'vsftpd' | 'filezilla';
  tls: boolean;
  /** Display names of the devices by id (the scenario's labels): the texts name devices as the canvas does. */
  names?: Readonly<Record<string, string>>;
  /** What the failing transfer's client program can do: a fix suggests nothing it cannot (default: everything). */
  client?: ClientCapabilities;
  /** Devices whose ruleset attaches the FTP helper (a CT --helper ftp rule). */
  helperAttached: Record<string, boolean>;
  /** The --dport values of each device's CT --helper ftp rules (empty when a rule names no port). */
  helperRulePorts: Record<string, number[]>;
  /** Every DNAT/REDIRECT rule's destination ports (null: any port) and the port it rewrites them to (null: kept). */
  portForwards: { from: { from: number; to: number } | null; to: { from: number; to: number } | null }[];
}

/** Whether a SYN to `port` can reach a port the server listens on: its own, or one a NAT rule turns into it. */
function reachesListenPort(ctx: ExplainContext, port: number): boolean {
  if (port === ctx.controlPort) return true;
  return ctx.portForwards.some((f) => {
    if (f.from && (port < f.from.from || port > f.from.to)) return false;
    return f.to ? ctx.controlPort >= f.to.from && ctx.controlPort <= f.to.to : port === ctx.controlPort;
  });
}

const isFz = (ctx: Pick<ExplainContext, 'serverKind'>): boolean => ctx.serverKind === 'filezilla';
/** A device as the texts name it: its display name ("Server firewall"), else its id. */
const nameOf = (ctx: Pick<ExplainContext, 'names'>, id: string): string => ctx.names?.[id] ?? id;
/** What a REJECT's answer is, for a beginner: the packet the rule sends back instead of the dropped one. */
const REJECT_ANSWER: Record<RejectWith, string> = {
  'tcp-reset': 'a TCP RST (reset), which ends the connection at once (a SYN answered so is "connection refused")',
  'icmp-port-unreachable': 'an ICMP error "port unreachable" (type 3 code 3)',
  'icmp-net-unreachable': 'an ICMP error "network unreachable" (type 3 code 0)',
  'icmp-host-unreachable': 'an ICMP error "host unreachable" (type 3 code 1)',
  'icmp-proto-unreachable': 'an ICMP error "protocol unreachable" (type 3 code 2)',
  'icmp-net-prohibited': 'an ICMP error "network prohibited" (type 3 code 9)',
  'icmp-host-prohibited': 'an ICMP error "host prohibited" (type 3 code 10)',
  'icmp-admin-prohibited': 'an ICMP error "administratively prohibited" (type 3 code 13)',
};

/**
 * Why a packet was dropped or refused, said for a learner with its device named once, as the
 * canvas names it. A firewall's decision is built from the event's fields (the chain, the rule
 * number or the policy, the target and its answer); a packet addressed to a router itself is
 * said for a beginner: the router received it, no program there listens on the port, so it
 * refused the connection. Other reasons (no route, TTL) are the drop's sentence (sim/refusal.ts) with the name.
 */
function reasonOf(ctx: Pick<ExplainContext, 'names'>, e: DropEvent): string {
  const name = nameOf(ctx, e.device);
  if (e.how === 'no-socket')
    return `it was addressed to ${name} itself (no rule there forwards that port on), and no program on the router listens on that port, so the router refused it`;
  const w = e.where;
  if (!w) return refusalNamed(e, name);
  const chain = `its ${w.chain} chain${w.table === 'filter' ? '' : ` in the ${w.table} table`}`;
  if (w.by === 'conntrack') return `${name} dropped it: ${w.why ?? 'connection tracking dropped it'}`;
  if (w.by === 'policy') return `${name} dropped it: no rule of ${chain} accepted it, so the chain's policy (DROP) applied`;
  const rule = `rule ${w.by} of ${chain}${e.rule ? `, \`${e.rule.text}\`,` : ''} matched it`;
  return w.target === 'REJECT'
    ? `${name} refused it: ${rule}, and REJECT answers the sender with ${REJECT_ANSWER[w.rejectWith ?? 'icmp-port-unreachable']}`
    : `${name} dropped it: ${rule}, and DROP discards it without any answer`;
}
/** The setting that puts an address in the 227: vsftpd's pasv_address, FileZilla Server's Passive IP. */
const pasvName = (ctx: Pick<ExplainContext, 'serverKind'>): string => (isFz(ctx) ? 'Passive IP' : 'pasv_address');
/** How to set it to `ip` (or to "the public address"). */
function setPasv(ctx: Pick<ExplainContext, 'serverKind'>, ip: string | null): string {
  return isFz(ctx)
    ? `Enter ${ip ?? "the server's public address"} as the Passive IP in FileZilla Server (Edit > Settings > Passive mode settings, "Use the following IP")`
    : ip
      ? `Set pasv_address=${ip} in vsftpd.conf`
      : `Set pasv_address to the server's public address in vsftpd.conf`;
}

/** vsftpd's answer when it cannot bind a data socket. */
const BIND_FIX =
  'The server could not bind a data port: widen pasv_min_port–pasv_max_port (every port in the range was taken by other sessions), or with port_promiscuous=YES set connect_from_port_20=NO.';

type DropEvent = Extract<TraceEvent, { kind: 'drop' }>;

/** First drop/refusal in the trace for connections matching `connPrefix`, at or after `fromStep`. */
function findDrop(trace: Trace, conn: string | ((c: string) => boolean), fromStep: number): { step: number; e: DropEvent } | null {
  const match = typeof conn === 'string' ? (c: string) => c === conn : conn;
  for (let i = fromStep; i < trace.events.length; i++) {
    const e = trace.events[i]!;
    if (e.kind === 'drop' && e.conn !== undefined && match(e.conn)) return { step: i, e };
  }
  return null;
}

/** Each packet's first appearance on a link (index of its first send/recv), built once per trace. */
const firstStepOf = new WeakMap<Trace, Map<number, number>>();

/** The packet as its sender put it on the wire (before any NAT on the way), decoded. */
function firstSeen(trace: Trace, packetId: number) {
  let index = firstStepOf.get(trace);
  if (!index) {
    const built = new Map<number, number>();
    trace.events.forEach((e, i) => {
      if ((e.kind === 'send' || e.kind === 'recv') && !built.has(e.packetId)) built.set(e.packetId, i);
    });
    firstStepOf.set(trace, built);
    index = built;
  }
  const step = index.get(packetId);
  const e = step === undefined ? undefined : trace.events[step];
  if (!e || (e.kind !== 'send' && e.kind !== 'recv')) return null;
  const p = decodePacket(e.bytes);
  return p.ok ? p.value : null;
}

function packetSummary(trace: Trace, packetId: number): string {
  const p = firstSeen(trace, packetId);
  if (!p) return 'a packet';
  const h = p.ip.header;
  if (p.tcp) {
    const t = p.tcp;
    const flags = t.flags.syn ? (t.flags.ack ? 'SYN-ACK' : 'SYN') : t.flags.rst ? 'RST' : 'segment';
    return `the ${flags} from ${formatIpv4(h.src)}:${t.srcPort} to ${formatIpv4(h.dst)}:${t.dstPort}`;
  }
  return `the packet from ${formatIpv4(h.src)} to ${formatIpv4(h.dst)}`;
}

/** Destination port of the dropped packet, if it was TCP. */
function droppedPort(trace: Trace, packetId: number): number | null {
  return firstSeen(trace, packetId)?.tcp?.dstPort ?? null;
}

/** The address a connection dialled (its first SYN's destination), or null if it never opened. */
function dialledIp(trace: Trace, conn: string): string | null {
  const c = trace.connections.find((x) => x.id === conn);
  return c ? c.dialled.split(':')[0]! : null;
}

/** The device and rule of a drop, with the drop's fields (its sentences are built from them); `policy`/`setting` keep its sentence with the device's id for the JSON. */
function culpritOf(d: DropEvent): Culprit {
  const drop: CulpritDrop = d.where ? { how: d.how, where: d.where } : { how: d.how, cause: d.cause };
  if (d.rule) return { device: d.device, rule: d.rule, drop };
  if (d.how === 'drop' || d.how === 'helper') return { device: d.device, rule: null, policy: d.reason, drop };
  return { device: d.device, rule: null, setting: d.reason, drop };
}

function fixForDataDrop(ctx: ExplainContext, d: DropEvent, port: number | null, role: 'control' | 'data', active: boolean): string {
  if (d.how === 'no-socket' && role === 'data' && !active)
    return `${nameOf(ctx, d.device)} does not forward port ${port ?? '?'} to the server: forward the passive range (\`-t nat -A PREROUTING -p tcp --dport ${ctx.pasvMin}:${ctx.pasvMax} -j DNAT --to-destination <server>\`). The FTP helper would do it by itself only for a 227 that carries the server's own address${ctx.pasvAddress ? ` — with ${pasvName(ctx)} set, it ignores the reply` : ''}.`;
  if (d.how === 'no-route' || d.how === 'no-socket') {
    if (role === 'data' && !active && ctx.pasvAddress === null) return `${setPasv(ctx, null)}, or use a client that ignores the 227 address (curl, lftp, FileZilla).`;
    return `Give ${nameOf(ctx, d.device)} a route to the destination.`;
  }
  if (role === 'control') return `Allow TCP to port ${ctx.controlPort} on ${nameOf(ctx, d.device)}.`;
  // The chain that refused the packet (a router's FORWARD, a host's INPUT), and where a new
  // ACCEPT goes: before the refusing rule, or anywhere when the chain's policy refused it.
  const chain = d.rule?.chain ?? d.where?.chain ?? 'INPUT';
  const where = d.rule ? ' before the rule that refused it' : `; the ${chain} policy refused it`;
  const accept = (ports: string) => `\`-A ${chain} -p tcp --dport ${ports} -j ACCEPT\`${where}`;
  const helper = `attach the FTP helper on ${nameOf(ctx, d.device)} (\`-t raw -A PREROUTING -p tcp --dport ${ctx.controlPort} -j CT --helper ftp\`) and accept RELATED (\`-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT\`)`;
  if (ctx.tls) {
    return active
      ? `The helper cannot read an encrypted control connection: allow the active data connection explicitly on ${nameOf(ctx, d.device)}, or ${passiveSuggestion(ctx.client ?? ALL_CAPABILITIES, 'use')} with the passive range opened.`
      : `The helper cannot read an encrypted control connection: open the passive range ${ctx.pasvMin}:${ctx.pasvMax} on ${nameOf(ctx, d.device)} (${accept(`${ctx.pasvMin}:${ctx.pasvMax}`)}).`;
  }
  const ctPorts = ctx.helperRulePorts[d.device] ?? [];
  if (ctx.helperAttached[d.device] && ctPorts.length > 0 && !ctPorts.includes(ctx.controlPort))
    return `The CT --helper ftp rule on ${nameOf(ctx, d.device)} matches port ${ctPorts.join(', ')}, but the control connection uses port ${ctx.controlPort}: the helper never sees it. Attach the helper to --dport ${ctx.controlPort}.`;
  if (active) return `${capitalise(helper)}; or ${passiveSuggestion(ctx.client ?? ALL_CAPABILITIES)}.`;
  if (ctx.pasvMin > 0 && port !== null && port >= ctx.pasvMin && port <= ctx.pasvMax)
    return `Open the whole passive range ${ctx.pasvMin}:${ctx.pasvMax} on ${nameOf(ctx, d.device)} (${accept(`${ctx.pasvMin}:${ctx.pasvMax}`)}), or narrow pasv_min_port/pasv_max_port to the ports ${nameOf(ctx, d.device)} allows; or ${helper}.`;
  return `${capitalise(helper)}; or allow TCP to port ${port ?? '?'} on ${nameOf(ctx, d.device)} (${accept(String(port ?? '?'))}).`;
}

const capitalise = (t: string): string => t.charAt(0).toUpperCase() + t.slice(1);

/**
 * What happened on the wire to a connection another host opened (the server's active data
 * connection): its SYN dropped in silence (a SYN time-out), or answered — RST, or an ICMP
 * error from a REJECT rule or from a router without a route.
 */
function wireKindOf(d: DropEvent): FailureKind {
  switch (d.how) {
    case 'drop':
    case 'helper':
      return 'syn-timeout';
    case 'no-socket':
      return 'refused';
    case 'no-route':
    case 'ttl':
      return 'icmp-unreachable';
    case 'reject': {
      const w = d.where?.rejectWith ?? 'icmp-port-unreachable';
      return w === 'tcp-reset' ? 'refused' : /prohibited/.test(w) ? 'icmp-prohibited' : 'icmp-unreachable';
    }
  }
}

/** The clause for what the wire showed, as the explanation says it. */
function wireText(ctx: Pick<ExplainContext, 'names'>, kind: FailureKind, d: DropEvent, waitedS: number | null): string {
  switch (kind) {
    case 'syn-timeout':
      return `the server's SYN got no answer: it resent it until it gave up${waitedS !== null ? ` ${waitedS} s later` : ''} (a SYN time-out)`;
    case 'refused':
      return "the server's SYN was answered with a TCP RST (connection refused): it gave up at once";
    default:
      return `the server's SYN was answered by an ICMP error (${d.how === 'no-route' ? `${nameOf(ctx, d.device)} has no route there: network unreachable` : d.how === 'reject' ? 'from a REJECT rule' : 'unreachable'}): it gave up at once`;
  }
}

/** Seconds between a packet's first appearance and the first later 'ftp' event on the client's control connection. */
function waitedFor(trace: Trace, packetId: number, client: string): number | null {
  const from = trace.events.findIndex((e) => (e.kind === 'send' || e.kind === 'recv') && e.packetId === packetId);
  if (from < 0) return null;
  for (let i = from; i < trace.events.length; i++) {
    const e = trace.events[i]!;
    if (e.kind === 'ftp' && e.client === client && e.dir === 'reply') return Math.round((e.t - trace.events[from]!.t) / 1e6);
  }
  return null;
}

/** The first segment the server sent from `fromStep` on whose text starts with `prefix` (the packet carrying a reply). */
function replySendStep(trace: Trace, server: string, prefix: string, fromStep: number): number | null {
  for (let i = fromStep; i < trace.events.length; i++) {
    const e = trace.events[i]!;
    if (e.kind !== 'send' || e.device !== server) continue;
    const p = decodePacket(e.bytes);
    if (p.ok && p.value.tcp && new TextDecoder('latin1').decode(p.value.tcp.payload).startsWith(prefix)) return i;
  }
  return null;
}

function failureKindFor(s: Symptom): FailureKind {
  if (s.kind === 'connect') {
    switch (s.err.kind) {
      case 'timeout':
        return 'syn-timeout';
      case 'client-timeout':
        return 'client-timeout';
      case 'refused':
        return 'refused';
      case 'reset':
        return 'stalled';
      case 'icmp':
        return [9, 10, 13].includes(s.err.code) ? 'icmp-prohibited' : 'icmp-unreachable';
    }
  }
  // A 425 whose cause is on the wire is named by it (explainTransfer); without one, an FTP error.
  if (s.kind === 'reply') return s.code === 500 && /Illegal (PORT|EPRT)/.test(s.text) ? 'illegal-port' : 'ftp-error';
  if (s.kind === 'client-refused') return 'client-refused';
  if (s.kind === 'max-time') return 'client-timeout';
  if (s.kind === 'unfinished' && s.budget) return 'budget';
  return 'stalled';
}

/** How a connect attempt ended, as a clause: "was refused with a TCP RST". */
function connectErrText(err: Extract<Symptom, { kind: 'connect' }>['err']): string {
  switch (err.kind) {
    case 'timeout':
      return `went unanswered (${err.synCount} SYNs over ${Math.round(err.elapsedUs / 1e6)} s)`;
    case 'refused':
      return 'was refused with a TCP RST';
    case 'icmp':
      return `was answered by ICMP type ${err.type} code ${err.code} from ${formatIpv4(err.from)}`;
    case 'client-timeout':
      return "went unanswered until the client's own time-out";
    default:
      return 'was reset';
  }
}

/**
 * curl names its control connection's port when a data connection fails ("Failed to connect
 * to … port 21"): say so, or the line on screen contradicts the explanation.
 */
function curlPortNote(clientSees: string[], target: string): string {
  const [dataIp, dataPort] = target.split(':');
  const m = clientSees.map((l) => /^curl: \(\d+\) Failed to connect to (\S+) port (\d+) after/.exec(l)).find((x) => x !== null);
  if (!m || (m[2] === dataPort && m[1] === dataIp)) return '';
  const names = m[1] !== dataIp ? `${m[1]} port ${m[2]}` : `port ${m[2]}`;
  return ` (curl's message names ${names}, its control connection's, not the data connection's ${m[1] !== dataIp ? `${dataIp}:${dataPort}` : `port ${dataPort}`}.)`;
}

/** The last packet on one of `client`'s connections, or FTP line of its session, in the trace. */
function lastStepOf(trace: Trace, client: string): number | null {
  const mine = `${client}/`;
  for (let i = trace.events.length - 1; i >= 0; i--) {
    const e = trace.events[i]!;
    if ((e.kind === 'send' || e.kind === 'recv') && e.conn?.startsWith(mine)) return i;
    if (e.kind === 'ftp' && e.client === client) return i;
  }
  return null;
}

/** The server's last reply to `client` before `beforeStep` (a 221 Goodbye aside), with the command it answered. */
function lastServerReply(trace: Trace, server: string, client: string, beforeStep: number): { step: number; text: string; command: string | null } | null {
  for (let i = Math.min(beforeStep, trace.events.length) - 1; i >= 0; i--) {
    const e = trace.events[i]!;
    // The client's own QUIT after the refusal is not why the session ended.
    if (e.kind !== 'ftp' || e.host !== server || e.client !== client || e.dir !== 'reply' || e.text.startsWith('221')) continue;
    let command: string | null = null;
    for (let j = i - 1; j >= 0 && command === null; j--) {
      const c = trace.events[j]!;
      if (c.kind === 'ftp' && c.host === server && c.client === client && c.dir === 'command') command = c.text.split(' ')[0]!.toUpperCase();
    }
    return { step: i, text: e.text, command };
  }
  return null;
}

/** vsftpd's answers to a new connection in place of its greeting, and what to change. */
function greetingRefusal(text: string): { setting: string; explanation: string; fix: string } | null {
  if (/^500 OOPS: vsftpd: both local and anonymous access disabled!/.test(text))
    return {
      setting: 'anonymous_enable=NO, local_enable=NO',
      explanation: 'With anonymous logins and local (user) logins both turned off, nobody could log in, so vsftpd refuses every connection before any login.',
      fix: "Turn one way of logging in on: anonymous_enable=YES for anonymous logins, or local_enable=YES for the server's users.",
    };
  if (/^421 There are too many connected users/.test(text))
    return {
      setting: 'max_clients',
      explanation: 'vsftpd already had as many clients connected as max_clients allows.',
      fix: 'Raise max_clients (0 means no limit), or connect again once another client has left.',
    };
  if (/^421 There are too many connections from your internet address/.test(text))
    return {
      setting: 'max_per_ip',
      explanation: 'vsftpd already had as many connections from this address as max_per_ip allows (behind NAT, many users share one address).',
      fix: 'Raise max_per_ip (0 means no limit), or close the other connections from this address first.',
    };
  return null;
}

/** vsftpd's session-ending replies of the account model, and what to change. */
function sessionEndFix(text: string): { setting: string; explanation: string; fix: string } | null {
  if (/^500 OOPS: vsftpd: refusing to run with writable root inside chroot\(\)/.test(text))
    return {
      setting: 'chroot_local_user=YES, allow_writeable_chroot=NO',
      explanation: 'vsftpd locks the user into the home directory (chroot), and refuses to when the user may write to that directory.',
      fix: "Take the write permission off the user's home (mode 555 in the server's files) and give the user a folder inside it to upload into, or set allow_writeable_chroot=YES.",
    };
  const cd = /^500 OOPS: cannot change directory:(.*)$/.exec(text);
  if (cd)
    return {
      setting: `home ${cd[1]}`,
      explanation: `vsftpd could not enter ${cd[1]}, the user's home (or local_root).`,
      fix: `Create ${cd[1]} in the server's files (a directory the user may enter), or give the user a home that exists.`,
    };
  if (/^530 Permission denied\./.test(text))
    return {
      setting: 'userlist_enable=YES',
      explanation: 'The user list refused the name before asking for a password.',
      fix: 'Take the user out of server.userList (with userlist_deny=YES, the list names who may NOT log in), or add it (userlist_deny=NO: only the listed may), or set userlist_enable=NO.',
    };
  if (/^530 Login incorrect\./.test(text))
    return {
      setting: 'local_enable / server.users',
      explanation: 'The user name or password was wrong (or local_enable=NO for a local user, anonymous_enable=NO for anonymous).',
      fix: "Log in with a user and password in the server's users, with local_enable=YES (or anonymous with anonymous_enable=YES).",
    };
  return null;
}

/**
 * The server's refusal of the client's last MKD before the CWD that failed (curl
 * --ftp-create-dirs: MKD, then the same CWD again), as the client saw it; null when it sent no
 * MKD or the MKD was answered 2xx.
 */
function mkdRefusedBefore(clientSees: readonly string[]): string | null {
  let at = -1;
  clientSees.forEach((l, i) => {
    if (/^---> MKD /.test(l)) at = i;
  });
  if (at < 0) return null;
  const reply = clientSees.slice(at + 1).find((l) => /^\d{3} /.test(l));
  return reply && Number(reply.slice(0, 3)) >= 400 ? reply : null;
}

/** FileZilla Server's refusals, and what to change in its settings. */
function fzReplyFix(code: number, text: string): string {
  if (code === 530)
    return /disabled/.test(text) ? 'Enable the account (Edit > Users > General, "Enable account").' : 'Log in with an account and password FileZilla Server knows (Edit > Users).';
  if (code === 550 && /Permission denied|permission/i.test(text))
    return "Give the folder the right this needs in the user's Shared folders (Edit > Users > Shared folders): Write for an upload, Read for a download, Create/Delete for directories, List to list — on that folder, or on a folder above it with +Subdirs.";
  if (code === 550) return "Use a file or directory that exists inside the user's shared folders.";
  if (code === 553) return 'Choose a new name that does not exist yet.';
  return 'See the reply text.';
}

/** The address the client's first data connection of this run went to. */
function dialledDataIp(trace: Trace, isData: (conn: string) => boolean): string | null {
  const c = trace.connections.find((x) => isData(x.id));
  return c ? c.dialled.split(':')[0]! : null;
}

export function explainTransfer(trace: Trace, r: TransferReport, startStep: number, ctx: ExplainContext, clientSees: string[]): TransferResult {
  if (r.ok) return { client: r.client, command: r.command, ok: true, bytes: r.bytes };
  const s = r.symptom ?? { kind: 'control-lost' as const };
  const dataOf = (c: string) => c.startsWith(`${r.client}/data`);
  let drop: { step: number; e: DropEvent } | null = null;
  let culprit: Culprit | null = null;
  let explanation = '';
  let fix = '';
  /** What the wire showed, when it says more than the reply (a 425 after a dropped SYN). */
  let wireKind: FailureKind | null = null;
  /** The packet carrying the decisive reply, when no packet was dropped (500 Illegal PORT). */
  let replyStep: number | null = null;
  const active = r.dataCommand === 'PORT' || r.dataCommand === 'EPRT';

  const dialledPort = s.kind === 'connect' ? Number(s.target.split(':').pop()) : NaN;
  if (s.kind === 'connect' && s.role === 'control' && Number.isInteger(dialledPort) && !reachesListenPort(ctx, dialledPort)) {
    // The client dials a port nothing listens on: whatever stopped the SYN on the way, opening
    // that port (or the server's) in a firewall would not make it work. Say so first.
    drop = findDrop(trace, s.conn, startStep);
    const errText = connectErrText(s.err);
    const how = drop ? `: ${packetSummary(trace, drop.e.packetId)} — ${reasonOf(ctx, drop.e)}` : '';
    culprit = drop ? culpritOf(drop.e) : { device: ctx.serverHost, rule: null, setting: `nothing listens on ${dialledPort}; the server listens on ${ctx.controlPort}` };
    explanation = `Nothing listens on port ${dialledPort}; the server listens on ${ctx.controlPort}. The client dialled ${s.target}, and the connection ${errText}${how}.`;
    fix = `Connect to port ${ctx.controlPort}, where the server listens (the client's connectPort is ${dialledPort}; set it to ${ctx.controlPort} or remove it). Opening port ${dialledPort} in a firewall would not help: nothing listens there.`;
  } else if (s.kind === 'connect') {
    drop = findDrop(trace, s.conn, startStep);
    const errText = connectErrText(s.err);
    const controlIp = dialledIp(trace, `${r.client}/control`);
    const dataIp = s.target.split(':')[0];
    if (s.role === 'data' && !active && controlIp !== null && dataIp !== controlIp) {
      // The client trusted a 227 that named another address than the server it talks to:
      // the server's private address behind NAT, which the path does not reach.
      culprit = { device: ctx.serverHost, rule: null, setting: ctx.pasvAddress === null ? `${pasvName(ctx)} unset` : `${pasvName(ctx)}=${ctx.pasvAddress}` };
      const how = drop ? `: ${packetSummary(trace, drop.e.packetId)} — ${reasonOf(ctx, drop.e)}` : '';
      explanation =
        `The 227 reply named ${dataIp}, not ${controlIp}, the address the client is connected to` +
        (ctx.pasvAddress === null
          ? ` (the server's private address: behind NAT, ${isFz(ctx) ? 'FileZilla Server without a Passive IP' : 'vsftpd without pasv_address'} announces its own)`
          : '') +
        `. This client trusts the 227 address, so the data connection went to ${s.target} and ${errText}${how}.`;
      fix =
        ctx.pasvAddress === null
          ? `${setPasv(ctx, controlIp)}, or attach the FTP helper on the server's NAT router so it rewrites the 227, or use a client that ignores the 227 address (curl, lftp, FileZilla).`
          : `${setPasv(ctx, controlIp)} — the address clients connect to — or use a client that ignores the 227 address (curl, lftp, FileZilla).`;
    } else if (drop) {
      culprit = culpritOf(drop.e);
      explanation = `The ${s.role} connection to ${s.target} ${errText}: ${packetSummary(trace, drop.e.packetId)} — ${reasonOf(ctx, drop.e)}.`;
      fix = fixForDataDrop(ctx, drop.e, droppedPort(trace, drop.e.packetId), s.role, false);
    } else if (s.err.kind === 'refused') {
      culprit = { device: ctx.serverHost, rule: null, setting: `nothing listens on ${s.target}` };
      explanation = `The ${s.role} connection to ${s.target} was refused: nothing listens there, so the host answered the SYN with RST.`;
      fix = s.role === 'control' ? `Connect to the port the server listens on (listen_port).` : `Check that the server listens on the announced data port.`;
    } else {
      explanation = `The ${s.role} connection to ${s.target} ${errText}.`;
      fix = 'Look at the ladder for where the SYN stopped.';
    }
    if (s.role === 'data') explanation += curlPortNote(clientSees, s.target);
  } else if (s.kind === 'reply') {
    if (s.code === 500 && /Illegal (PORT|EPRT)/.test(s.text)) {
      replyStep = replySendStep(trace, ctx.serverHost, '500 Illegal', startStep);
      culprit = { device: ctx.serverHost, rule: null, setting: 'port_promiscuous=NO' };
      explanation = `The server refused ${s.verb}: the address in it is not the address the control connection comes from (the client is behind NAT and nothing rewrote the ${s.verb} text), and vsftpd with port_promiscuous=NO refuses a data address other than the control peer's.`;
      fix = `Attach the FTP helper on the client's NAT router (\`-t raw -A PREROUTING -p tcp --dport ${ctx.controlPort} -j CT --helper ftp\`) so nf_nat_ftp rewrites ${s.verb}${r.passiveFailure ? '' : `, or ${passiveSuggestion(ctx.client ?? ALL_CAPABILITIES, 'use')}`}.`;
    } else if (s.code === 425) {
      drop = findDrop(trace, dataOf, startStep);
      if (/Bad IP|IP addresses of control and data connection do not match/.test(s.text)) {
        culprit = { device: ctx.serverHost, rule: null, setting: isFz(ctx) ? 'data connection IP check' : 'pasv_promiscuous=NO' };
        explanation = isFz(ctx)
          ? `The data connection came from another address than the control connection, and FileZilla Server refuses it (it checks the data connection's address against the control connection's).`
          : `The data connection came from another address than the control connection, and vsftpd (pasv_promiscuous=NO) refuses it.`;
        fix = isFz(ctx) ? `Make both connections leave through the same NAT address.` : `Make both connections leave through the same NAT address, or set pasv_promiscuous=YES.`;
      } else if (drop) {
        culprit = culpritOf(drop.e);
        wireKind = wireKindOf(drop.e);
        const waited = wireKind === 'syn-timeout' ? waitedFor(trace, drop.e.packetId, r.client) : null;
        explanation =
          `The server could not open the data connection: ${packetSummary(trace, drop.e.packetId)} — ${reasonOf(ctx, drop.e)}. ` +
          `On the wire, ${wireText(ctx, wireKind, drop.e, waited)}. The client sees only what the server then answered: ${s.text}`;
        fix = fixForDataDrop(ctx, drop.e, droppedPort(trace, drop.e.packetId), 'data', active);
      } else {
        explanation = `The server could not establish the data connection and answered ${s.text}`;
        fix = 'Look at the ladder for the data connection.';
      }
    } else if (s.code === 426 && (drop = findDrop(trace, dataOf, startStep)) !== null) {
      // The data connection was up (the 150 went out) and broke under the transfer.
      culprit = culpritOf(drop.e);
      // The kind stays the 426 (ftp-error): "refused" names a connection that never opened.
      const reset = wireKindOf(drop.e) === 'refused';
      explanation =
        `The data connection opened and the transfer started, then broke: ${packetSummary(trace, drop.e.packetId)} — ${reasonOf(ctx, drop.e)}. ` +
        (reset ? `The TCP reset went back to the sender, whose next write failed` : `The data stopped flowing`) +
        `, so the server answered ${s.text.split('\n')[0]}`;
      fix = drop.e.rule
        ? `Remove or narrow the rule on ${nameOf(ctx, drop.e.device)} that ${reset ? 'resets' : 'stops'} the data connection once data flows (${drop.e.rule.table}/${drop.e.rule.chain} rule ${drop.e.rule.index}).`
        : `Let the data connection through ${nameOf(ctx, drop.e.device)} for the whole transfer, not only its handshake.`;
    } else if (s.verb === '') {
      // No command was sent: the server answered the connection itself, instead of greeting.
      const why = greetingRefusal(s.text);
      culprit = { device: ctx.serverHost, rule: null, setting: why?.setting ?? `reply ${s.code} to a new connection` };
      explanation = `The server did not let the client in: it answered the new connection with "${s.text.split('\n')[0]}" instead of its 220 greeting, and closed it.${why ? ` ${why.explanation}` : ''}`;
      fix = why?.fix ?? 'See the reply text.';
    } else if (s.verb === 'AUTH') {
      culprit = { device: ctx.serverHost, rule: null, setting: 'ssl_enable=NO' };
      explanation = `The server refused AUTH with ${s.text.split('\n')[0]} — what vsftpd answers when FTPS is off (ssl_enable=NO). The client requires FTPS, so it gives up before logging in.`;
      fix = 'Turn FTPS on in vsftpd.conf (ssl_enable=YES, with a certificate), or turn it off in the client.';
    } else {
      culprit = { device: ctx.serverHost, rule: null, setting: `reply ${s.code} to ${s.verb}` };
      explanation = `The server answered ${s.verb} with ${s.text.split('\n')[0]}`;
      const mkd = s.verb === 'CWD' && !isFz(ctx) ? mkdRefusedBefore(clientSees) : null;
      if (mkd)
        explanation = `${explanation.replace(/\.?$/, '.')} The client had asked the server to make that directory first (MKD, curl --ftp-create-dirs), and the server refused that too: ${mkd}`;
      fix = /OOPS: vsf_sysutil_bind/.test(s.text)
        ? BIND_FIX
        : isFz(ctx)
          ? fzReplyFix(s.code, s.text)
          : s.code === 530
            ? 'Log in with an account the server accepts (anonymous_enable / local_enable).'
            : s.code === 550 && s.verb === 'CWD'
              ? mkd
                ? "The directory is not there and this user may not make it: make it on the server, or let the user write to the directory above it (write_enable=YES and w for its owner, group or others in the server's files; anonymous users also need anon_mkdir_write_enable=YES)."
                : "Use a directory that exists and the user may enter (x for its owner, group or others in the server's files)."
              : s.code === 550
                ? 'Use a file that exists and the server lets you read or write (write_enable for uploads).'
                : s.code === 553
                  ? "vsftpd could not create the file: upload into a directory that exists and that the user may write to and enter (w and x for its owner, group or others in the server's files); anonymous uploads also need anon_upload_enable=YES."
                  : 'See the reply text.';
    }
  } else if (s.kind === 'max-time') {
    // curl --max-time: the limit covers the whole transfer; say where the time went when a packet was lost.
    drop = findDrop(trace, dataOf, startStep) ?? findDrop(trace, `${r.client}/control`, startStep);
    const limit = s.limit ? `${s.limit.replace(/^lftp /, '')} ${s.seconds}` : `--max-time ${s.seconds}`;
    culprit = drop ? culpritOf(drop.e) : { device: r.client, rule: null, setting: limit };
    explanation =
      (s.limit
        ? s.limit.startsWith('tnftp')
          ? `The client's own time-out (${s.limit} ${s.seconds}: more than ${s.seconds} s without data on the data connection) ran out while it waited for the file`
          : `The client's own time-out (${s.limit} ${s.seconds}: ${s.seconds} s with nothing arriving on the control connection) ran out while it waited for the server's answer`
        : `The client's own limit on the whole transfer (curl --max-time ${s.seconds}: ${s.seconds} s from the start of this transfer, connecting and logging in included) ran out before the transfer finished`) +
      (drop
        ? `; the time went waiting for an answer: ${packetSummary(trace, drop.e.packetId)} — ${reasonOf(ctx, drop.e)}.`
        : s.lastReply
          ? `; the last reply was "${s.lastReply.split('\n')[0]}".`
          : '.');
    const more = s.limit ? `a larger ${s.limit.replace(/^lftp /, '')}` : 'a larger --max-time';
    fix = drop ? `Let the lost packet through (the rule above), or give the transfer more time (${more}).` : `Give the transfer more time (${more}), or make the link faster.`;
  } else if (s.kind === 'client-refused') {
    culprit = { device: ctx.serverHost, rule: null, setting: `${pasvName(ctx)} unset` };
    explanation = `The 227 reply named an address other than the server the client is connected to (the server's private address behind NAT), and this client refuses it: "${s.text}"`;
    fix = `${setPasv(ctx, null)}, or attach the FTP helper on the server's NAT router so it rewrites the 227.`;
  } else if (s.kind === 'unfinished' && s.killedAfterS !== undefined) {
    explanation = `The client was still waiting in state ${s.state} when it was killed ${s.killedAfterS} s after it started (timeout ${s.killedAfterS} around the program); the kernel closed its connections.`;
    fix = 'Look at the ladder for the last packet each side sent: what the client was waiting for never came.';
  } else if (s.kind === 'unfinished') {
    explanation = s.budget
      ? `The run reached its event budget while the client was still in state ${s.state}.`
      : `Nothing was left to happen, but the client was still waiting in state ${s.state}: the conversation stalled.`;
    fix = s.budget ? 'Shorten the script or the files, or raise the budget.' : 'Look at the ladder for the last packet each side sent.';
  } else if (s.kind === 'control-lost' && s.during && (drop = findDrop(trace, dataOf, startStep)) !== null) {
    // The client was still trying to open the data connection when the server gave up on the
    // control connection (its idle time-out is shorter than the client's SYN time-out).
    culprit = culpritOf(drop.e);
    const dataIp = dialledDataIp(trace, dataOf);
    const controlIp = dialledIp(trace, `${r.client}/control`);
    const privateTarget = !active && dataIp !== null && controlIp !== null && dataIp !== controlIp;
    explanation =
      `The data connection never opened: ${packetSummary(trace, drop.e.packetId)} — ${reasonOf(ctx, drop.e)}. ` +
      (privateTarget ? `The client went to ${dataIp}, the address in the 227 reply, not ${controlIp}, the server it is connected to. ` : '') +
      `While the client kept retrying, the server closed the control connection` +
      (isFz(ctx) ? ` when its connection time-out ran out (FileZilla Server: 120 s without a command by default, shorter than the client's SYN retries)` : '') +
      `.`;
    fix = privateTarget
      ? `${setPasv(ctx, controlIp)}, or use a client that ignores the 227 address (curl, lftp, FileZilla).`
      : fixForDataDrop(ctx, drop.e, droppedPort(trace, drop.e.packetId), 'data', active);
  } else if (s.kind === 'control-lost' && s.during) {
    culprit = { device: ctx.serverHost, rule: null, setting: s.lastReply ? `reply: ${s.lastReply.split('\n')[0]}` : 'control connection closed' };
    explanation = `The control connection was ${s.err?.kind === 'reset' ? 'reset' : 'closed'} by the server during this command${s.lastReply ? `; its last reply was "${s.lastReply.split('\n')[0]}"` : ''}.`;
    fix = /OOPS: vsf_sysutil_bind/.test(s.lastReply ?? '') ? BIND_FIX : "See the server's last reply.";
  } else {
    // What the server said last on this client's control connection tells why the session ended
    // (a refused login, a vsftpd OOPS), when the client printed nothing more useful.
    // (The lines after a lost session are reported at its end: the last reply is the one that ended it.)
    const last = lastServerReply(trace, ctx.serverHost, r.client, trace.events.length);
    // These texts only ever answer a new connection.
    const greeting = last ? greetingRefusal(last.text) : null;
    const why = last ? sessionEndFix(last.text) : null;
    if (last && greeting) {
      culprit = { device: ctx.serverHost, rule: null, setting: greeting.setting };
      replyStep = last.step;
      wireKind = 'ftp-error';
      explanation = `The session ended before this command ran: the server answered the connection with "${last.text.split('\n')[0]}" instead of its 220 greeting, and closed it. ${greeting.explanation}`;
      fix = greeting.fix;
    } else if (last && why) {
      culprit = { device: ctx.serverHost, rule: null, setting: why.setting };
      replyStep = last.step;
      // A refusal in words, not a stall: the kind is the server's error reply.
      wireKind = 'ftp-error';
      explanation = `The session ended before this command ran: the server answered ${last.command ?? 'the login'} with "${last.text.split('\n')[0]}". ${why.explanation}`;
      fix = why.fix;
    } else {
      explanation = 'An earlier failure ended the session before this command ran.';
      fix = 'Fix the first failure.';
    }
  }
  // The client fell back to active mode after a passive data connection failed: that failure
  // is why active mode was tried at all, so it comes first, and so does its fix.
  const pf = r.passiveFailure;
  let first: { step: number; e: DropEvent } | null = null;
  if (pf) {
    first = findDrop(trace, pf.conn, startStep);
    const how = first ? `: ${packetSummary(trace, first.e.packetId)} — ${reasonOf(ctx, first.e)}` : '';
    explanation = `Passive mode failed first: the data connection to ${pf.target} ${connectErrText(pf.err)}${how}. The client then fell back to active mode. ${explanation}`;
    if (first) fix = `${fixForDataDrop(ctx, first.e, droppedPort(trace, first.e.packetId), 'data', false)} Or, for active mode: ${fix}`;
  }
  // curl 7.88 -P - prints a stale lookup error for any failure of the transfer: say so.
  if (clientSees.some((l) => l.includes(CURL_ACTIVE_STALE_ERROR)))
    explanation += ` (curl's last line, "${CURL_ACTIVE_STALE_ERROR}", is a leftover from looking up its own address for -P -: curl 7.88 prints it for any failure after an active-mode announcement. The server's reply above is what failed.)`;
  // "Jump to the failure" goes to the refused packet: this failure's, else the passive one's,
  // else the server's refusing reply.
  // A session that stalled or was ended by an earlier failure: where it stopped, its own last
  // packet or FTP line (the run's last event may belong to another client).
  const kind = wireKind ?? failureKindFor(s);
  const stopped = kind === 'stalled' ? lastStepOf(trace, r.client) : null;
  const step = drop?.step ?? first?.step ?? replyStep ?? stopped ?? Math.max(0, trace.events.length - 1);
  return {
    client: r.client,
    command: r.command,
    ok: false,
    bytes: r.bytes,
    failure: { kind, step, culprit, clientSees, explanation, fix, ...(s.kind === 'unfinished' && s.killedAfterS !== undefined ? { killedAfterS: s.killedAfterS } : {}) },
  };
}

/** The facts of a scenario the explanations refer to (all but `tls`, which is per client). */
export function explainContext(s: Scenario): Omit<ExplainContext, 'tls'> {
  const conf = s.server.vsftpd;
  const fz = s.server.filezilla;
  const range = fz ? (fz.passive.range ?? { min: 49152, max: 65534 }) : effectivePasvRange(conf);
  const helperAttached: Record<string, boolean> = {};
  const helperRulePorts: Record<string, number[]> = {};
  for (const d of [...s.hosts, ...s.routers]) {
    const ct = ftpHelperRules(d.firewall?.ruleset ?? null);
    helperAttached[d.id] = ct.length > 0;
    helperRulePorts[d.id] = ct.flatMap((r) => r.matches.flatMap((m) => (m.kind === 'tcp' && m.dport && !m.dport.invert && m.dport.from === m.dport.to ? [m.dport.from] : [])));
  }
  const portForwards: ExplainContext['portForwards'] = [];
  for (const d of s.routers.map((r) => r.firewall?.ruleset ?? null).concat(s.hosts.map((h) => h.firewall?.ruleset ?? null))) {
    for (const r of d?.tables.find((t) => t.name === 'nat')?.chains.flatMap((c) => c.rules) ?? []) {
      if (r.target.kind !== 'DNAT' && r.target.kind !== 'REDIRECT') continue;
      const tcp = r.matches.find((m) => m.kind === 'tcp');
      const multi = r.matches.find((m) => m.kind === 'multiport');
      const to = r.target.kind === 'DNAT' ? (r.target.to.ports ?? null) : (r.target.ports ?? null);
      if (tcp?.kind === 'tcp' && tcp.dport && !tcp.dport.invert) portForwards.push({ from: { from: tcp.dport.from, to: tcp.dport.to }, to });
      else if (multi?.kind === 'multiport' && !multi.invert && multi.dir !== 'sports') for (const p of multi.ranges) portForwards.push({ from: p, to });
      else portForwards.push({ from: null, to });
    }
  }
  return {
    names: Object.fromEntries([...s.hosts, ...s.routers].map((d) => [d.id, d.label])),
    serverHost: s.server.host,
    controlPort: s.server.port,
    serverKind: s.server.kind,
    portForwards,
    pasvMin: range.min,
    pasvMax: range.max,
    pasvAddress: fz ? fz.passive.ip : (conf.pasv_address ?? null),
    helperAttached,
    helperRulePorts,
  };
}

/** The rules that attach the FTP helper (`-j CT --helper ftp`) in a device's ruleset. */
function ftpHelperRules(ruleset: Ruleset | null): Rule[] {
  if (!ruleset) return [];
  return ruleset.tables.flatMap((t) => t.chains.flatMap((c) => c.rules)).filter((r) => r.target.kind === 'CT' && r.target.helper?.startsWith('ftp'));
}

/** The verdict on a finished run: every reported transfer explained, and a one-line summary. */
export function explain(scenario: Scenario, trace: Trace, reports: RunReports): Verdict {
  const ctx = explainContext(scenario);
  const transfers: TransferResult[] = reports.transfers.map(({ report: r, startStep, printed }) => {
    const client = scenario.clients.find((c) => c.id === r.client);
    return explainTransfer(
      trace,
      r,
      startStep,
      { ...ctx, tls: client?.tls ?? false, client: clientCapabilities(client?.profile) },
      printed.filter((l) => !l.startsWith('ftp> ')).slice(-6),
    );
  });
  const { budgetExhausted, budget } = reports;
  const failed = transfers.filter((t) => !t.ok);
  const ok = !budgetExhausted && transfers.length > 0 && failed.length === 0;
  const summary =
    reports.interruptedAfter !== undefined
      ? `The run was stopped after ${reports.interruptedAfter.toLocaleString('en-US')} events, before every transfer finished.`
      : budgetExhausted
        ? `The run stopped after its budget of ${budget} events.`
        : transfers.length === 0
          ? 'No transfer ran.'
          : transfersSummary(transfers);
  return { ok, transfers, budgetExhausted, endTime: reports.endTime, summary };
}

/**
 * The summary of a run whose transfers all ended: "All 2 transfers succeeded.", or "2 of 2
 * transfers failed: ls — syn-timeout." with the first failure's kind as `kind` says it (the
 * code by default; the app says it in words).
 */
export function transfersSummary(transfers: readonly TransferResult[], kind: (k: FailureKind) => string = (k) => k): string {
  const failed = transfers.filter((t) => !t.ok);
  const n = `${transfers.length} transfer${transfers.length > 1 ? 's' : ''}`;
  if (failed.length === 0) return `All ${n} succeeded.`;
  const f = failed[0]!.failure;
  return `${failed.length} of ${n} failed: ${failed[0]!.command} — ${f ? kind(f.kind) : 'undefined'}.`;
}
