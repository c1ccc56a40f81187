import { describe, expect, it } from 'vitest';
import { formatIpv4, type Ipv4 } from '../codec/addr';
import { encodeIcmpError } from '../codec/icmp';
import { decodePacket, encodeIcmpPacket, encodeTcpPacket } from '../codec/packet';
import { tcpChecksumOf, type TcpOption } from '../codec/tcp';
import { Netfilter, type NfEvent, type NfResult } from './netfilter';
import { conntrackList, Conversation, ip, rules, tcp } from './netfilter.testkit';

const dec = (b: Uint8Array) => {
  const d = decodePacket(b); // verifies IP, TCP and ICMP checksums
  if (!d.ok) throw new Error(`${d.error.kind}: ${d.error.message}`);
  return d.value;
};
const text = (b: Uint8Array) => new TextDecoder().decode(dec(b).tcp!.payload);
const ends = (b: Uint8Array) => {
  const p = dec(b);
  return `${formatIpv4(p.ip.header.src)}:${p.tcp?.srcPort} -> ${formatIpv4(p.ip.header.dst)}:${p.tcp?.dstPort}`;
};
const nats = (r: NfResult) => r.events.filter((e): e is Extract<NfEvent, { kind: 'nat' }> => e.kind === 'nat');
const cts = (r: NfResult) => r.events.filter((e) => e.kind === 'conntrack').map((e) => (e as { action: string }).action);

// ── client behind MASQUERADE (the measured setup: 192.168.1.100 → 198.51.100.1) ──
const MASQ = `*raw
-A PREROUTING -i eth0 -p tcp --dport 21 -j CT --helper ftp
COMMIT
*nat
-A POSTROUTING -s 192.168.1.0/24 -o eth1 -j MASQUERADE
COMMIT
*filter
:FORWARD DROP [0:0]
-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -i eth0 -o eth1 -j ACCEPT
COMMIT
`;
const clientRouter = () =>
  new Netfilter({
    device: 'crouter',
    ruleset: rules(MASQ),
    helper: { ports: [21], loose: false },
    interfaces: [
      { name: 'eth0', ip: ip('192.168.1.1'), prefix: 24 },
      { name: 'eth1', ip: ip('198.51.100.1'), prefix: 24 },
    ],
  });
const croute = (dst: Ipv4) => (formatIpv4(dst).startsWith('192.168.1.') ? 'eth0' : 'eth1');

function masqControl(nf: Netfilter, client = '192.168.1.100', cport = 40000) {
  const c = new Conversation(client, cport, '203.0.113.10', 21, { clientAs: ['198.51.100.1', cport] });
  const syn = nf.forward(c.syn(), 'eth0', croute, 0);
  nf.forward(c.synAck(), 'eth1', croute, 1);
  nf.forward(c.ack(), 'eth0', croute, 2);
  nf.forward(c.fromServer('220 ready\r\n'), 'eth1', croute, 3);
  nf.forward(c.fromClient('USER ftp\r\n'), 'eth0', croute, 4);
  nf.forward(c.fromServer('331 pass?\r\n'), 'eth1', croute, 5);
  return { c, syn };
}

describe('MASQUERADE and nf_nat_ftp on the client router', () => {
  it('the control SYN leaves with the public address, same port; replies come back translated', () => {
    const nf = clientRouter();
    const c = new Conversation('192.168.1.100', 40000, '203.0.113.10', 21, { clientAs: ['198.51.100.1', 40000] });
    const r = nf.forward(c.syn(), 'eth0', croute, 0);
    expect([r.verdict, r.outIface]).toEqual(['accept', 'eth1']);
    expect(ends(r.bytes)).toBe('198.51.100.1:40000 -> 203.0.113.10:21');
    const m = nats(r)[0]!;
    expect(m).toMatchObject({ what: 'MASQUERADE', rule: { index: 1, text: '-A POSTROUTING -s 192.168.1.0/24 -o eth1 -j MASQUERADE' } });
    expect(ends(m.before)).toBe('192.168.1.100:40000 -> 203.0.113.10:21');
    const back = nf.forward(c.synAck(), 'eth1', croute, 1);
    expect([back.verdict, back.outIface, ends(back.bytes)]).toEqual(['accept', 'eth0', '203.0.113.10:21 -> 192.168.1.100:40000']);
    expect(nats(back)[0]!.what).toBe('reply-translate');
  });

  it('PORT 192,168,1,100,50,60 becomes PORT 198,51,100,1,50,60; later seq/ack shift both ways; the data SYN follows', () => {
    const nf = clientRouter();
    const { c } = masqControl(nf);
    const seqBefore = c.cSeq;
    const r = nf.forward(c.fromClient('PORT 192,168,1,100,50,60\r\n'), 'eth0', croute, 10);
    expect(r.verdict).toBe('accept');
    expect(text(r.bytes)).toBe('PORT 198,51,100,1,50,60\r\n');
    const ftp = nats(r).find((e) => e.what === 'ftp-payload')!;
    expect(text(ftp.before)).toBe('PORT 192,168,1,100,50,60\r\n');
    expect(dec(r.bytes).tcp!.seq).toBe(seqBefore); // the rewritten segment itself keeps its seq
    expect(conntrackList(nf, 10).expectations.map((e) => [e.tuple, e.nat])).toEqual([['tcp 203.0.113.10:* -> 198.51.100.1:12860', 'to 192.168.1.100:12860']]);

    // The next client segment: one byte fewer went before it.
    const list = nf.forward(c.fromClient('LIST\r\n'), 'eth0', croute, 11);
    expect(dec(list.bytes).tcp!.seq).toBe(c.cSeq - 6 - 1);
    expect(nats(list).map((e) => e.what)).toContain('seq-adjust');
    // The server acks in its own (shifted) numbering; the client must see its own.
    const ok = tcp('203.0.113.10', 21, '198.51.100.1', 40000, { ack: true, psh: true }, c.sSeq, c.cSeq - 1, '200 PORT command successful.\r\n');
    const back = nf.forward(ok, 'eth1', croute, 12);
    expect(dec(back.bytes).tcp!.ack).toBe(c.cSeq);

    // The server's active-mode data connection from port 20 is RELATED and reaches the client.
    const data = nf.forward(tcp('203.0.113.10', 20, '198.51.100.1', 12860, { syn: true }), 'eth1', croute, 13);
    expect(cts(data)).toContain('expect-used');
    expect([data.verdict, data.outIface, ends(data.bytes)]).toEqual(['accept', 'eth0', '203.0.113.10:20 -> 192.168.1.100:12860']);
    const synAck = nf.forward(tcp('192.168.1.100', 12860, '203.0.113.10', 20, { syn: true, ack: true }, 9000, 1001), 'eth0', croute, 14);
    expect(ends(synAck.bytes)).toBe('198.51.100.1:12860 -> 203.0.113.10:20');
  });

  it('EPRT is rewritten to the public address too', () => {
    const nf = clientRouter();
    const { c } = masqControl(nf);
    const r = nf.forward(c.fromClient('EPRT |1|192.168.1.100|12860|\r\n'), 'eth0', croute, 10);
    expect(text(r.bytes)).toBe('EPRT |1|198.51.100.1|12860|\r\n');
  });

  it('a port another control connection already expects is not reused: the next one is', () => {
    const nf = clientRouter();
    const a = masqControl(nf, '192.168.1.100', 40000).c;
    const b = masqControl(nf, '192.168.1.101', 40002).c;
    nf.forward(a.fromClient('PORT 192,168,1,100,50,60\r\n'), 'eth0', croute, 10);
    const r = nf.forward(b.fromClient('PORT 192,168,1,101,50,60\r\n'), 'eth0', croute, 11);
    expect(text(r.bytes)).toBe('PORT 198,51,100,1,50,61\r\n');
    const d = nf.forward(tcp('203.0.113.10', 20, '198.51.100.1', 12861, { syn: true }), 'eth1', croute, 12);
    expect(ends(d.bytes)).toBe('203.0.113.10:20 -> 192.168.1.101:12860');
  });

  it('a second client using the same source port gets the next port on the public side', () => {
    const nf = clientRouter();
    masqControl(nf, '192.168.1.100', 40000);
    const c2 = new Conversation('192.168.1.101', 40000, '203.0.113.10', 21);
    expect(ends(nf.forward(c2.syn(), 'eth0', croute, 20).bytes)).toBe('198.51.100.1:40001 -> 203.0.113.10:21');
  });

  it('SACK blocks in an ACK after the PORT rewrite are shifted like the ack field (nf_ct_sack_adjust)', () => {
    const nf = clientRouter();
    const { c } = masqControl(nf);
    const portAt = c.cSeq;
    nf.forward(c.fromClient('PORT 192,168,1,100,50,60\r\n'), 'eth0', croute, 10); // one byte shorter on the wire
    nf.forward(c.fromClient('LIST\r\n'), 'eth0', croute, 11);
    // The server saw LIST at cSeq − 6 − 1 (its numbering) and reports a block after it, and one before the PORT line.
    const lateLeft = c.cSeq - 1 + 100;
    const early = { left: portAt - 50, right: portAt - 10 };
    const late = { left: lateLeft, right: lateLeft + 1448 };
    const ts: TcpOption[] = [{ kind: 'nop' }, { kind: 'nop' }, { kind: 'timestamps', tsval: 1, tsecr: 2 }];
    const dup = encodeTcpPacket(
      { src: ip('203.0.113.10'), dst: ip('198.51.100.1') },
      {
        srcPort: 21,
        dstPort: 40000,
        seq: c.sSeq,
        ack: c.cSeq - 1,
        flags: { ack: true },
        window: 502,
        options: [...ts, { kind: 'nop' }, { kind: 'nop' }, { kind: 'sack', blocks: [late, early] }],
      },
    );
    const back = nf.forward(dup, 'eth1', croute, 12);
    const t = dec(back.bytes).tcp!; // checksum verified by dec
    expect(t.ack).toBe(c.cSeq);
    expect(t.options.at(-1)).toEqual({ kind: 'sack', blocks: [{ left: late.left + 1, right: late.right + 1 }, early] });
    expect(t.options.slice(0, 3)).toEqual(ts);
  });

  it('an ICMP error about a translated flow is RELATED; its quoted header is translated back', () => {
    const nf = clientRouter();
    const c = new Conversation('192.168.1.100', 40000, '203.0.113.10', 21);
    const out = nf.forward(c.syn(), 'eth0', croute, 0).bytes;
    const err = encodeIcmpPacket({ src: ip('203.0.113.10'), dst: ip('198.51.100.1'), dontFragment: false }, encodeIcmpError(3, 10, out));
    const r = nf.forward(err, 'eth1', croute, 1);
    expect([r.verdict, r.outIface]).toEqual(['accept', 'eth0']);
    expect(cts(r)).toContain('related');
    const p = dec(r.bytes);
    expect(formatIpv4(p.ip.header.dst)).toBe('192.168.1.100');
    const o = p.icmp!.original!;
    expect([formatIpv4(o.header.src), o.srcPort, formatIpv4(o.header.dst), o.dstPort]).toEqual(['192.168.1.100', 40000, '203.0.113.10', 21]);
    // The whole SYN is quoted (icmp_send), so its TCP checksum is translated too: the quoted
    // segment is again the one the client sent, checksum included (tcp_manip_pkt).
    const sent = c.syn();
    const quotedTcp = p.icmp!.body.subarray(20);
    expect(quotedTcp).toEqual(sent.subarray(20));
    expect(tcpChecksumOf(quotedTcp, ip('192.168.1.100'), ip('203.0.113.10'))).toBe(0);
  });
});

// ── server behind DNAT (10.0.0.10 published as 203.0.113.1) ──
const DNAT = `*raw
-A PREROUTING -d 203.0.113.1/32 -i eth1 -p tcp -m tcp --dport 21 -j CT --helper ftp
COMMIT
*nat
-A PREROUTING -d 203.0.113.1/32 -i eth1 -p tcp -m tcp --dport 21 -j DNAT --to-destination 10.0.0.10
-A POSTROUTING -s 10.0.0.0/24 -o eth1 -j MASQUERADE
COMMIT
*filter
:FORWARD DROP [0:0]
-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT
-A FORWARD -d 10.0.0.10/32 -i eth1 -p tcp -m conntrack --ctstate NEW -m tcp --dport 21 -j ACCEPT
COMMIT
`;
const serverRouter = () =>
  new Netfilter({
    device: 'srouter',
    ruleset: rules(DNAT),
    helper: { ports: [21], loose: false },
    interfaces: [
      { name: 'eth0', ip: ip('10.0.0.1'), prefix: 24 },
      { name: 'eth1', ip: ip('203.0.113.1'), prefix: 24 },
    ],
  });
const sroute = (dst: Ipv4) => (formatIpv4(dst).startsWith('10.0.0.') ? 'eth0' : 'eth1');

function dnatControl(nf: Netfilter) {
  const c = new Conversation('198.51.100.7', 40000, '203.0.113.1', 21, { serverAs: ['10.0.0.10', 21] });
  const syn = nf.forward(c.syn(), 'eth1', sroute, 0);
  nf.forward(c.synAck(), 'eth0', sroute, 1);
  nf.forward(c.ack(), 'eth1', sroute, 2);
  nf.forward(c.fromServer('220 ready\r\n'), 'eth0', sroute, 3);
  nf.forward(c.fromClient('PASV\r\n'), 'eth1', sroute, 4);
  return { c, syn };
}

describe('DNAT and nf_nat_ftp on the server router', () => {
  it('the control connection is sent to 10.0.0.10 and its replies come from 203.0.113.1', () => {
    const nf = serverRouter();
    const { syn, c } = dnatControl(nf);
    expect([syn.verdict, syn.outIface, ends(syn.bytes)]).toEqual(['accept', 'eth0', '198.51.100.7:40000 -> 10.0.0.10:21']);
    expect(nats(syn)[0]).toMatchObject({ what: 'DNAT', rule: { index: 1, line: 5 } });
    const r = nf.forward(c.fromServer('200 ok\r\n'), 'eth0', sroute, 5);
    expect(ends(r.bytes)).toBe('203.0.113.1:21 -> 198.51.100.7:40000');
  });

  it('227 with the private address is rewritten to the public one, and the passive connection is DNATed to follow', () => {
    const nf = serverRouter();
    const { c } = dnatControl(nf);
    const r = nf.forward(c.fromServer('227 Entering Passive Mode (10,0,0,10,195,149).\r\n'), 'eth0', sroute, 10);
    expect(text(r.bytes)).toBe('227 Entering Passive Mode (203,0,113,1,195,149).\r\n');
    expect(ends(r.bytes)).toBe('203.0.113.1:21 -> 198.51.100.7:40000');
    // Two bytes longer: the client's next ack must be taken back by two on its way in.
    const list = tcp('198.51.100.7', 40000, '203.0.113.1', 21, { ack: true, psh: true }, c.cSeq, c.sSeq + 2, 'LIST\r\n');
    expect(dec(nf.forward(list, 'eth1', sroute, 11).bytes).tcp!.ack).toBe(c.sSeq);
    // The client connects to the public address it was given.
    const d = nf.forward(tcp('198.51.100.7', 40001, '203.0.113.1', 50069, { syn: true }), 'eth1', sroute, 12);
    expect([d.verdict, ends(d.bytes)]).toEqual(['accept', '198.51.100.7:40001 -> 10.0.0.10:50069']);
    expect(d.events.find((e) => e.kind === 'filter')).toMatchObject({ ctState: 'RELATED', rule: { index: 1 } });
  });

  it('229 carries no address: the text stays the same, the expectation is made', () => {
    const nf = serverRouter();
    const { c } = dnatControl(nf);
    const r = nf.forward(c.fromServer('229 Entering Extended Passive Mode (|||50070|)\r\n'), 'eth0', sroute, 10);
    expect(text(r.bytes)).toBe('229 Entering Extended Passive Mode (|||50070|)\r\n');
    expect(conntrackList(nf, 10).expectations.map((e) => e.tuple)).toEqual(['tcp 198.51.100.7:* -> 203.0.113.1:50070']);
  });

  it('helper + pasv_address: the 227 already names the public address, so no rewrite and no expectation', () => {
    const nf = serverRouter();
    const { c } = dnatControl(nf);
    const r = nf.forward(c.fromServer('227 Entering Passive Mode (203,0,113,1,195,149).\r\n'), 'eth0', sroute, 10);
    expect(text(r.bytes)).toBe('227 Entering Passive Mode (203,0,113,1,195,149).\r\n');
    expect(nats(r).some((e) => e.what === 'ftp-payload')).toBe(false);
    expect(cts(r)).toContain('helper-ignored');
    expect(conntrackList(nf, 10).expectations).toHaveLength(0);
    // Nothing translates the passive port: the SYN is NEW and for the router itself, not the server.
    const d = nf.forward(tcp('198.51.100.7', 40001, '203.0.113.1', 50069, { syn: true }), 'eth1', sroute, 12);
    expect([d.local, d.outIface, ends(d.bytes)]).toEqual([true, undefined, '198.51.100.7:40001 -> 203.0.113.1:50069']);
    expect(d.events.find((e) => e.kind === 'filter')).toMatchObject({ chain: 'INPUT', ctState: 'NEW' });
  });
});
