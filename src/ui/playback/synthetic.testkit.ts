/**
 * A small hand-built trace for the UI's own tests (and a dev harness): one passive FTP
 * session client → server through two routers whose data SYN is dropped at the server's
 * firewall. It exercises every step kind; it is not a claim about network behaviour —
 * real runs come from the core's runScenario.
 */
import { encodeTcpPacket, parseIpv4, refusalNamed, type Ipv4, type Refusal, type Trace, type TraceEvent, type TraceEventInput, type Verdict } from '../../core/index';

const ip = (s: string) => parseIpv4(s) as Ipv4;
const enc = new TextEncoder();

export function syntheticRun(): { trace: Trace; verdict: Verdict } {
  const events: TraceEvent[] = [];
  let t = 0;
  const emit = (e: TraceEventInput) => {
    events.push({ ...e, t } as TraceEvent);
    t += 5000;
    return events.length - 1;
  };
  const path = ['client', 'crouter', 'internet', 'srouter', 'server'];
  let packetId = 1;
  const hop = (from: number, to: number, bytes: Uint8Array, conn: string, drop?: { at: number; how: 'drop' | 'reject' }) => {
    const id = packetId++;
    const dir = to > from ? 1 : -1;
    for (let i = from; i !== to; i += dir) {
      if (drop && i === drop.at) {
        emit({ kind: 'recv', device: path[i]!, iface: 'eth1', packetId: id, conn, bytes, from: path[i - dir]! });
        const refusal: Refusal =
          drop.how === 'reject'
            ? {
                how: 'reject',
                rule: { table: 'filter', chain: 'FORWARD', index: 3, line: 9, text: '-A FORWARD -j REJECT --reject-with icmp-host-prohibited' },
                where: { table: 'filter', chain: 'FORWARD', by: 3, target: 'REJECT', rejectWith: 'icmp-host-prohibited' },
              }
            : { how: 'drop', rule: null, where: { table: 'filter', chain: 'FORWARD', by: 'policy', target: 'DROP' } };
        return emit({ kind: 'drop', device: path[i]!, packetId: id, conn, ...refusal, reason: refusalNamed(refusal, path[i]!) });
      }
      if (i !== from) emit({ kind: 'recv', device: path[i]!, iface: 'eth0', packetId: id, conn, bytes, from: path[i - dir]! });
      emit({ kind: 'send', device: path[i]!, iface: 'eth0', packetId: id, conn, bytes, to: path[i + dir]! });
    }
    return emit({ kind: 'recv', device: path[to]!, iface: 'eth0', packetId: id, conn, bytes, from: path[to - dir]! });
  };
  const C = ip('192.168.1.100');
  const S = ip('203.0.113.10');
  const seg = (src: Ipv4, dst: Ipv4, sp: number, dp: number, flags: object, seq: number, ack: number, text?: string) =>
    encodeTcpPacket(
      { src, dst },
      { srcPort: sp, dstPort: dp, seq, ack, flags, window: 64240, payload: text ? enc.encode(text) : undefined, options: text ? [] : [{ kind: 'mss', value: 1460 }] },
    );
  const connections: Trace['connections'] = [
    { id: 'c1-control', role: 'control', opener: 'client', acceptor: 'server', dialled: '203.0.113.10:21', client: 'client', firstStep: 0 },
  ];
  hop(0, 4, seg(C, S, 40000, 21, { syn: true }, 100, 0), 'c1-control');
  emit({ kind: 'conntrack', device: 'srouter', packetId: 1, action: 'new', tuple: 'tcp 192.168.1.100:40000 → 203.0.113.10:21', note: 'SYN_SENT' });
  hop(4, 0, seg(S, C, 21, 40000, { syn: true, ack: true }, 500, 101), 'c1-control');
  emit({ kind: 'ftp', host: 'server', client: 'client', conn: 'c1-control', dir: 'reply', text: '227 Entering Passive Mode (203,0,113,10,195,80).' });
  hop(4, 0, seg(S, C, 21, 40000, { psh: true, ack: true }, 501, 101, '227 Entering Passive Mode (203,0,113,10,195,80).\r\n'), 'c1-control');
  emit({ kind: 'console', client: 'client', text: '---> PASV' });
  emit({ kind: 'console', client: 'client', text: '227 Entering Passive Mode (203,0,113,10,195,80).' });
  const before = seg(C, S, 40001, 50000, { syn: true }, 900, 0);
  emit({
    kind: 'nat',
    device: 'crouter',
    packetId: 99,
    what: 'SNAT 192.168.1.100:40001 → 198.51.100.1:40001',
    before,
    after: seg(ip('198.51.100.1'), S, 40001, 50000, { syn: true }, 900, 0),
    rule: null,
    note: 'MASQUERADE',
  });
  connections.push({ id: 'c1-data-1', role: 'data', opener: 'client', acceptor: 'server', dialled: '203.0.113.10:50000', client: 'client', firstStep: events.length });
  const dropAt = hop(0, 4, before, 'c1-data-1', { at: 3, how: 'reject' });
  emit({ kind: 'console', client: 'client', text: 'ftp: connect: No route to host' });
  emit({ kind: 'transfer', client: 'client', command: 'ls', ok: false, bytes: 0, note: 'No route to host' });
  const verdict: Verdict = {
    ok: false,
    budgetExhausted: false,
    endTime: t,
    summary: '1 of 1 transfers failed',
    transfers: [
      {
        client: 'client',
        command: 'ls',
        ok: false,
        bytes: 0,
        failure: {
          kind: 'icmp-prohibited',
          step: dropAt,
          culprit: { device: 'srouter', rule: null, policy: 'FORWARD policy DROP' },
          clientSees: ['ftp: connect: No route to host'],
          explanation: 'The data SYN was refused by srouter.',
          fix: 'Open the passive range.',
        },
      },
    ],
  };
  return { trace: { events, connections, devices: path }, verdict };
}
