/**
 * The comparable shape, derived the same way for both worlds from the packets seen on each
 * segment (the kernel's pcap files, the simulator's 'send' events): the PORT/EPRT/227/229 texts
 * on each side of every NAT, and who opened each data connection to which address and port.
 * Ports that are random in both worlds (ephemeral ones) are named p1, p2… in order of first
 * appearance, so "the NAT kept the port" still compares; well-known and pinned ports stay literal.
 */
import type { Pkt } from './pcap';
import { deviceOfIp, type KScenario } from './scenarioFile';

export type SegmentPackets = Map<string, Pkt[]>;

export interface Observation {
  /** Segment id → the announcements seen there, in order (retransmissions removed). */
  texts: Record<string, string[]>;
  /**
   * Segment id → every FTP command and reply line on a control connection there, exactly, in
   * order: `c1> USER anonymous`, `c1< 230 Login successful.` (c1, c2… name the control
   * connections in order of appearance). Only what is random in both worlds is masked: ports
   * that are neither well-known nor pinned (p1, p2…) and the file time in MDTM's 213 reply.
   */
  lines: Record<string, string[]>;
  /** The FTP commands the client sent, in order, as seen on its own segment (PASS masked). */
  commands: string[];
  /** "opener → address:port" as the opener dialled it, in order. */
  data: string[];
  /**
   * Each client's control connections after its first: seconds from the client's close of its
   * previous control connection (its first FIN or RST there; else its last packet) to the new
   * one's first SYN (negative: opened before it closed the previous one), seen on the client's
   * own segment. How long a client waits
   * before it connects again (lftp's reconnect timer, curl's next URL).
   */
  reconnects?: { client: string; gapS: number }[];
}

export class PortNames {
  private readonly names = new Map<number, string>();
  constructor(private readonly literal: Set<number>) {}
  name(p: number): string {
    if (this.literal.has(p)) return String(p);
    let n = this.names.get(p);
    if (n === undefined) {
      n = `p${this.names.size + 1}`;
      this.names.set(p, n);
    }
    return n;
  }
}

/** One announcement line → "PORT a.b.c.d:port" etc., or null when the line is not one. */
export function announcement(line: string, names: PortNames): string | null {
  let m = line.match(/^PORT (\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/i);
  if (m) return `PORT ${m.slice(1, 5).join('.')}:${names.name(Number(m[5]) * 256 + Number(m[6]))}`;
  m = line.match(/^227 [^\d]*(\d+),(\d+),(\d+),(\d+),(\d+),(\d+)/);
  if (m) return `227 ${m.slice(1, 5).join('.')}:${names.name(Number(m[5]) * 256 + Number(m[6]))}`;
  m = line.match(/^EPRT \|1\|([\d.]+)\|(\d+)\|/i);
  if (m) return `EPRT ${m[1]}:${names.name(Number(m[2]))}`;
  m = line.match(/^229 .*\(\|\|\|(\d+)\|\)/);
  if (m) return `229 :${names.name(Number(m[1]))}`;
  return null;
}

/**
 * A command or reply line with its random ports named: the port inside PORT/EPRT/227/229 (its
 * p1,p2 or |port| form kept, the number replaced by its name when random in both worlds).
 */
export function maskLine(line: string, names: PortNames): string {
  let m = line.match(/^(PORT \d+,\d+,\d+,\d+,)(\d+),(\d+)(.*)$/i);
  if (m) return `${m[1]}${pair(Number(m[2]), Number(m[3]), names)}${m[4]}`;
  m = line.match(/^(227 [^\d]*\d+,\d+,\d+,\d+,)(\d+),(\d+)(.*)$/);
  if (m) return `${m[1]}${pair(Number(m[2]), Number(m[3]), names)}${m[4]}`;
  m = line.match(/^(EPRT \|1\|[\d.]+\|)(\d+)(\|.*)$/i);
  if (m) return `${m[1]}${names.name(Number(m[2]))}${m[3]}`;
  // inetutils' LPRT after a refused PORT: `LPRT 4,4,a,b,c,d,2,p1,p2` (RFC 1639), the same port.
  m = line.match(/^(LPRT 4,4,\d+,\d+,\d+,\d+,2,)(\d+),(\d+)(.*)$/i);
  if (m) return `${m[1]}${pair(Number(m[2]), Number(m[3]), names)}${m[4]}`;
  m = line.match(/^(229 .*\(\|\|\|)(\d+)(\|\).*)$/);
  if (m) return `${m[1]}${names.name(Number(m[2]))}${m[3]}`;
  // MDTM's answer is the file's time: the real file was written a moment ago.
  if (/^213 \d{14}(\.\d+)?$/.test(line)) return '213 <file time>';
  // lftp's SITE UTIME after an upload carries the local file's time, written a moment ago too.
  if (/^SITE UTIME /i.test(line)) return line.replace(/\b\d{14}\b/g, '<file time>');
  return line;
}

function pair(hi: number, lo: number, names: PortNames): string {
  const name = names.name(hi * 256 + lo);
  return /^\d+$/.test(name) ? `${hi},${lo}` : `{${name}}`;
}

interface Ev {
  t: number;
  order: number;
  apply: () => void;
}

/**
 * `controlPort` is the port the client dials, `serverPort` the one the server listens on (they
 * differ behind a port-forwarding router).
 */
export function observe(s: KScenario, packets: SegmentPackets, literalPorts: Set<number>, controlPort: number, serverPort = controlPort): Observation {
  const names = new PortNames(literalPorts);
  const texts: Record<string, string[]> = {};
  const data: string[] = [];
  const commands: string[] = [];
  const lines: Record<string, string[]> = {};
  const evs: Ev[] = [];
  let order = 0;
  // Each client's control connections (by its end): first SYN, the client's close (first FIN/RST), last packet it sent.
  type Control = { opened: number | null; closed: number | null; last: number };
  const controls = new Map<string, Map<string, Control>>();
  const segIfaceIps = new Map<string, Set<string>>();
  // Only hosts run FTP: a router's address on a segment is a NATed copy, not an opener.
  for (const d of s.devices)
    if (d.kind === 'host')
      for (const i of d.ifaces) {
        const set = segIfaceIps.get(i.segment) ?? new Set<string>();
        set.add(i.ip);
        segIfaceIps.set(i.segment, set);
      }
  for (const [seg, pkts] of packets) {
    texts[seg] = [];
    lines[seg] = [];
    const seen = new Set<string>();
    // Control connections on this segment (keyed by the client's end), and each direction's
    // unfinished line (a line may span segments).
    const conns = new Map<string, string>();
    const partial = new Map<string, string>();
    // Control connections the client closed first (its FIN seen here): what the server writes
    // into them afterwards reaches no program (the client's kernel answers RST), and the two
    // worlds stop recording at different times (the kernel 0.3 s after the client exits, the
    // simulator when nothing is left to happen): vsftpd's late 425 after lftp gave up on its
    // net:timeout is in one and not the other. Not compared.
    const left = new Set<string>();
    const local = segIfaceIps.get(seg) ?? new Set<string>();
    for (const p of pkts) {
      if (p.proto !== 'tcp') continue;
      if (p.fin && (p.dport === controlPort || p.dport === serverPort)) left.add(`${p.src}:${p.sport}`);
      if (local.has(p.src) && p.dport === controlPort) {
        const mine = controls.get(p.src) ?? new Map<string, Control>();
        controls.set(p.src, mine);
        const c = mine.get(`${p.sport}`) ?? { opened: null, closed: null, last: p.t };
        mine.set(`${p.sport}`, c);
        if (p.syn && !p.ack && c.opened === null) c.opened = p.t;
        if ((p.fin || p.rst) && c.closed === null) c.closed = p.t;
        c.last = Math.max(c.last, p.t);
      }
      if (p.payload.length > 0) {
        const key = `${p.src}:${p.sport}>${p.dst}:${p.dport}#${p.seq}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const text = Buffer.from(p.payload).toString('latin1');
        const toServer = p.dport === controlPort || p.dport === serverPort;
        if (toServer || p.sport === controlPort || p.sport === serverPort) {
          const clientEnd = toServer ? `${p.src}:${p.sport}` : `${p.dst}:${p.dport}`;
          let c = conns.get(clientEnd);
          if (c === undefined) {
            c = `c${conns.size + 1}`;
            conns.set(clientEnd, c);
          }
          const dir = `${c}${toServer ? '>' : '<'}`;
          if (!toServer && left.has(clientEnd)) continue;
          const parts = ((partial.get(dir) ?? '') + text).split('\r\n');
          partial.set(dir, parts.pop() ?? '');
          // vsftpd's privileged parent sometimes adds "500 OOPS: priv_sock_get_cmd" after its
          // session child died of a login OOPS (which process writes first is a race): not compared.
          for (const line of parts)
            if (!/^500 OOPS: priv_sock_get_cmd/.test(line)) evs.push({ t: p.t, order: order++, apply: () => lines[seg]!.push(`${dir} ${maskLine(line, names)}`) });
        }
        if (local.has(p.src) && p.dport === controlPort) {
          // The client's own command lines, before any NAT could rewrite them.
          for (const line of text.split('\r\n')) {
            const m = line.match(FTP_COMMAND);
            // PORT/EPRT carry a random port in both worlds: named like the announcements (p1, p2…).
            if (m) evs.push({ t: p.t, order: order++, apply: () => commands.push(m[1] === 'PASS' ? 'PASS ***' : (announcement(line, names) ?? maskLine(line.trim(), names))) });
          }
        }
        for (const line of text.split('\r\n')) {
          if (!/^(PORT|EPRT|227 |229 )/i.test(line)) continue;
          evs.push({
            t: p.t,
            order: order++,
            apply: () => {
              const a = announcement(line, names);
              if (a !== null) texts[seg]!.push(a);
            },
          });
        }
      } else if (p.syn && !p.ack && local.has(p.src) && !(p.dport === controlPort)) {
        // A data connection's first SYN, seen on the opener's own segment (before any NAT).
        const key = `${p.src}:${p.sport}>${p.dst}:${p.dport}`;
        if (seen.has(key)) continue;
        seen.add(key);
        const opener = deviceOfIp(s, p.src) ?? p.src;
        evs.push({ t: p.t, order: order++, apply: () => data.push(`${opener} → ${p.dst}:${names.name(p.dport)}`) });
      }
    }
  }
  evs.sort((a, b) => a.t - b.t || a.order - b.order);
  for (const e of evs) e.apply();
  const reconnects: { client: string; gapS: number }[] = [];
  for (const [ip, mine] of controls) {
    const opened = [...mine.values()].filter((c): c is Control & { opened: number } => c.opened !== null).sort((a, b) => a.opened - b.opened);
    for (let i = 1; i < opened.length; i++) {
      const prev = opened[i - 1]!;
      reconnects.push({ client: deviceOfIp(s, ip) ?? ip, gapS: opened[i]!.opened - (prev.closed ?? prev.last) });
    }
  }
  return { texts, lines, data, commands, reconnects };
}

/** Command verbs the clients here send (an encrypted control connection matches none). */
const FTP_COMMAND =
  /^(USER|PASS|ACCT|PWD|CWD|CDUP|SYST|FEAT|OPTS|TYPE|MODE|STRU|EPSV|PASV|LPSV|PORT|EPRT|LPRT|LIST|NLST|RETR|STOR|APPE|SIZE|MDTM|REST|QUIT|AUTH|PBSZ|PROT|ABOR|MKD|RMD|DELE|RNFR|RNTO)(?: .*)?$/;

/**
 * Why a data connection opened in [from, to] failed, read off the packets:
 * an answer to its SYN (RST, ICMP error) or none at all.
 */
export function dataCause(s: KScenario, packets: SegmentPackets, from: number, to: number, controlPort: number): string | null {
  let cause: string | null = null;
  for (const [seg, pkts] of packets) {
    const local = new Set(s.devices.filter((d) => d.kind === 'host').flatMap((d) => d.ifaces.filter((i) => i.segment === seg).map((i) => i.ip)));
    for (const p of pkts) {
      if (p.t < from - 0.05 || p.t > to + 0.05) continue;
      if (!(p.proto === 'tcp' && p.syn && !p.ack && local.has(p.src) && p.dport !== controlPort)) continue;
      const answers = pkts.filter(
        (q) =>
          q.t >= p.t &&
          ((q.proto === 'tcp' && q.src === p.dst && q.dst === p.src && q.sport === p.dport && q.dport === p.sport) ||
            (q.proto === 'icmp' && q.quoted !== null && q.quoted.sport === p.sport && q.quoted.dport === p.dport)),
      );
      const synack = answers.find((q) => q.proto === 'tcp' && q.syn && q.ack);
      if (synack) {
        cause = cause ?? null;
        continue;
      }
      const rst = answers.find((q) => q.proto === 'tcp' && q.rst);
      const icmp = answers.find((q) => q.proto === 'icmp' && q.icmpType === 3);
      if (rst) cause = 'refused';
      else if (icmp) cause = [9, 10, 13].includes(icmp.icmpCode) ? 'icmp-prohibited' : 'icmp-unreachable';
      else cause = 'timeout';
    }
  }
  return cause;
}

/**
 * The harness's pinned passive port met an earlier session still ending on it: vsftpd answered
 * a PASV/EPSV with `500 OOPS: vsf_sysutil_bind` while another control connection of the same
 * server had announced the pinned port (227/229), no data connection had been accepted on that
 * port since, the client had already closed that connection (its FIN or RST), and the server
 * had not yet (its FIN or RST comes later, or never): vsftpd's process for it had not yet read
 * the close and exited. The simulator's server ends such a session in the instant it reads
 * the close, so only the kernel can show this. (Two sessions both still in use on one pinned
 * port collide in both worlds alike: not this.) vsftpd retries a busy port (EADDRINUSE) with other draws from its range, so
 * with the scenario's own range (several ports) this would not happen: it is the pin's doing
 * (world.ts pinPassive). Seen on each segment on its own (the server's end is `serverPort`).
 */
export function pinnedPortRace(packets: SegmentPackets, serverPort: number, pinned: number): boolean {
  for (const pkts of packets.values()) {
    // Per control connection (keyed by the client's end as seen here): the server's close, its last announcement of the pinned port.
    const conns = new Map<string, { clientClose: number | null; serverClose: number | null; announced: number | null }>();
    const accepts: number[] = [];
    const oopses: { t: number; conn: string }[] = [];
    for (const p of pkts) {
      if (p.proto !== 'tcp') continue;
      if (p.sport === pinned && p.syn && p.ack) accepts.push(p.t);
      if (p.dport === serverPort && (p.fin || p.rst)) {
        const c = conns.get(`${p.src}:${p.sport}`) ?? { clientClose: null, serverClose: null, announced: null };
        conns.set(`${p.src}:${p.sport}`, c);
        c.clientClose ??= p.t;
      }
      if (p.sport !== serverPort) continue;
      const conn = `${p.dst}:${p.dport}`;
      const c = conns.get(conn) ?? { clientClose: null, serverClose: null, announced: null };
      conns.set(conn, c);
      if ((p.fin || p.rst) && c.serverClose === null) c.serverClose = p.t;
      if (p.payload.length === 0) continue;
      const text = Buffer.from(p.payload).toString('latin1');
      const m227 = /^227 .*\(\d+,\d+,\d+,\d+,(\d+),(\d+)\)/m.exec(text);
      const m229 = /^229 .*\(\|\|\|(\d+)\|\)/m.exec(text);
      const port = m227 ? Number(m227[1]) * 256 + Number(m227[2]) : m229 ? Number(m229[1]) : null;
      if (port === pinned) c.announced = p.t;
      if (/^500 OOPS: vsf_sysutil_bind/m.test(text)) oopses.push({ t: p.t, conn });
    }
    for (const o of oopses) {
      for (const [conn, c] of conns) {
        if (conn === o.conn || c.announced === null || c.announced > o.t) continue;
        const stillOpen = c.clientClose !== null && c.clientClose < o.t && (c.serverClose === null || c.serverClose > o.t);
        const announced = c.announced;
        const acceptedSince = accepts.some((t) => t > announced && t < o.t);
        if (stillOpen && !acceptedSince) return true;
      }
    }
  }
  return false;
}
