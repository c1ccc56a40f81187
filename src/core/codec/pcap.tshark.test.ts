/**
 * The codec's bytes, judged by Wireshark: a full hand-built FTP session (passive LIST,
 * then active LIST from port 20) written as pcap and dissected by tshark. The command:
 *
 *   tshark -r FILE -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -o tcp.analyze_sequence_numbers:TRUE \
 *     -T json -e frame.number -e ip.checksum.status -e tcp.checksum.status -e tcp.analysis.flags \
 *     -e _ws.expert.severity -e _ws.expert.message -e _ws.malformed -e ftp.request.command -e ftp.request.arg -e ftp.response.code \
 *     -e ftp.passive.ip -e ftp.passive.port -e ftp.active.cip -e ftp.active.port -e ftp-data.setup-method
 *
 * Skipped (with the reason printed) when tshark is missing, unless REQUIRE_TSHARK is set.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseIpv4 } from './addr';
import { Capture, TcpFlow } from '../../../tests/fixtures/codec/tcpFlow.testkit';
import { encodeHostPort, format227 } from './hostport';
import { formatFtpCommand, formatFtpReply } from './ftp';
import { writePcap } from './pcap';
import { TSHARK_CHECKSUMS } from '../../../tests/support/tshark';

function findTool(name: string): string | null {
  for (const dir of (process.env.PATH ?? '/usr/bin').split(':')) {
    const p = join(dir, name);
    if (existsSync(p)) return p;
  }
  return null;
}
const TSHARK = findTool('tshark');
const CAPINFOS = findTool('capinfos');
const missing = !TSHARK || !CAPINFOS;
if (missing && process.env.REQUIRE_TSHARK) {
  describe('tshark', () => it('is required (REQUIRE_TSHARK is set) but tshark/capinfos are not on PATH', () => expect.fail('install tshark')));
} else if (missing) {
  console.warn('pcap.tshark.test: skipped — tshark/capinfos not found on PATH (set REQUIRE_TSHARK=1 to make this a failure)');
}

const CLIENT = parseIpv4('192.168.150.80')!;
const SERVER = parseIpv4('192.168.150.90')!;
const PASV_PORT = 50069; // (192,168,150,90,195,149) in the seed transcript
const ACTIVE_PORT = 3762; // PORT 192,168,150,80,14,178
const LISTING = 'drwx------ 3 slacker users 104 Jul 27 01:45 public_html\r\n';

/** The seed's `ftp -d` sessions (passive, then active), byte for byte through the codec. */
function buildSession(): { pcap: Uint8Array; packets: number; commands: Array<[string, string]>; codes: number[] } {
  const cap = new Capture();
  const ctrl = new TcpFlow(cap, { a: { ip: CLIENT, port: 3761, isn: 0x5f3a2c10 }, b: { ip: SERVER, port: 21, isn: 0x9c0e7a50 } });
  const commands: Array<[string, string]> = [];
  const codes: number[] = [];
  const cmd = (verb: string, arg = '') => (commands.push([verb, arg]), ctrl.send('a', formatFtpCommand(verb, arg)));
  const reply = (code: number, text: string) => (codes.push(code), ctrl.send('b', formatFtpReply(code, text)));

  ctrl.handshake('a');
  reply(220, 'testbox2.slacksite.com FTP server ready.');
  cmd('USER', 'slacker');
  reply(331, 'Password required for slacker.');
  cmd('PASS', 'XXXX');
  reply(230, 'User slacker logged in.');
  cmd('SYST');
  reply(215, 'UNIX Type: L8');

  // Passive: the client connects to the port the 227 announced.
  cmd('PASV');
  codes.push(227);
  ctrl.send('b', `${format227(SERVER, PASV_PORT)}\r\n`);
  const pdata = new TcpFlow(cap, { a: { ip: CLIENT, port: 3763, isn: 0x11223344 }, b: { ip: SERVER, port: PASV_PORT, isn: 0xfffffff0 } }); // server ISN wraps
  pdata.handshake('a');
  cmd('LIST');
  reply(150, 'Opening ASCII mode data connection for file list');
  pdata.send('b', LISTING);
  pdata.ack('a');
  pdata.close('b');
  reply(226, 'Transfer complete.');

  // Active: the server connects from port 20 to the PORT address.
  cmd('PORT', encodeHostPort(CLIENT, ACTIVE_PORT));
  reply(200, 'PORT command successful.');
  cmd('LIST');
  const adata = new TcpFlow(cap, { a: { ip: SERVER, port: 20, isn: 0x0badcafe }, b: { ip: CLIENT, port: ACTIVE_PORT, isn: 0x7eadbeef } });
  adata.handshake('a');
  reply(150, 'Opening ASCII mode data connection for file list.');
  adata.send('a', LISTING);
  adata.ack('b');
  adata.close('a');
  reply(226, 'Transfer complete.');

  cmd('QUIT');
  reply(221, 'Goodbye.');
  ctrl.close('b');
  return { pcap: writePcap(cap.records), packets: cap.records.length, commands, codes };
}

interface Frame {
  _source: { layers: Record<string, string[] | undefined> };
}

const FIELDS = [
  'frame.number',
  'ip.checksum.status',
  'tcp.checksum.status',
  'tcp.analysis.flags',
  '_ws.expert.severity',
  '_ws.expert.message',
  '_ws.malformed',
  'ftp.request.command',
  'ftp.request.arg',
  'ftp.response.code',
  'ftp.passive.ip',
  'ftp.passive.port',
  'ftp.active.cip',
  'ftp.active.port',
  'ftp-data.setup-method',
];
/** Wireshark's PI_CHAT severity: the level of "Connection establish request (SYN)". */
const PI_CHAT = 0x00200000;
const PI_NOTE = 0x00400000;
/** PROTO_CHECKSUM_E_GOOD in epan/proto.h (0 = bad, 2 = unverified). */
const CHECKSUM_GOOD = '1';

describe.skipIf(missing && !process.env.REQUIRE_TSHARK)('tshark reads the codec’s FTP session', () => {
  const session = buildSession();
  const dir = mkdtempSync(join(tmpdir(), 'codec-tshark-'));
  const file = join(dir, 'ftp-session.pcap');
  writeFileSync(file, session.pcap);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const run = (tool: string, args: string[]) => execFileSync(tool, args, { encoding: 'utf8', timeout: 30_000, stdio: ['ignore', 'pipe', 'pipe'] });
  const frames = (): Frame[] =>
    JSON.parse(run(TSHARK!, ['-r', file, ...TSHARK_CHECKSUMS, '-o', 'tcp.analyze_sequence_numbers:TRUE', '-T', 'json', ...FIELDS.flatMap((f) => ['-e', f])])) as Frame[];
  const all = (rows: Frame[], field: string) => rows.flatMap((r) => r._source.layers[field] ?? []);

  it('capinfos sees a pcap file of raw IP with every packet', () => {
    const info = run(CAPINFOS!, [file]);
    expect(info).toMatch(/File type:\s+.*- pcap\s*$/m);
    expect(info).toMatch(/File encapsulation:\s+Raw IP/);
    expect(info).toMatch(new RegExp(`Number of packets:\\s+${session.packets}\\s*$`, 'm'));
  });

  it('every IP and TCP checksum is Good, nothing malformed, no sequence-analysis problem', () => {
    const rows = frames();
    expect(rows.length).toBeGreaterThan(40);
    for (const r of rows) {
      const l = r._source.layers;
      const n = l['frame.number']?.[0];
      expect(l['ip.checksum.status'], `frame ${n}`).toEqual([CHECKSUM_GOOD]);
      expect(l['tcp.checksum.status'], `frame ${n}`).toEqual([CHECKSUM_GOOD]);
      expect(l['tcp.analysis.flags'], `frame ${n}`).toBeUndefined();
      expect(l['_ws.malformed'], `frame ${n}`).toBeUndefined();
      const messages = l['_ws.expert.message'] ?? [];
      (l['_ws.expert.severity'] ?? []).forEach((sev, i) => {
        // Chat ("Connection establish request (SYN)") is fine; the only Note allowed is
        // tshark 4's remark on an orderly FIN close; warnings and errors never.
        if (Number(sev) > PI_CHAT) expect(`${sev} ${messages[i]}`, `frame ${n}`).toMatch(new RegExp(`^${PI_NOTE} This frame (initiates|undergoes) the connection closing$`));
      });
    }
  });

  it('FTP commands, reply codes, PASV and PORT addresses are exactly what was encoded', () => {
    const rows = frames();
    expect(all(rows, 'ftp.request.command')).toEqual(session.commands.map(([v]) => v));
    expect(all(rows, 'ftp.request.arg')).toEqual(session.commands.filter(([, a]) => a !== '').map(([, a]) => a));
    expect(all(rows, 'ftp.response.code')).toEqual(session.codes.map(String));
    expect(all(rows, 'ftp.passive.ip')).toEqual(['192.168.150.90']);
    expect(all(rows, 'ftp.passive.port')).toEqual([String(PASV_PORT)]);
    expect(all(rows, 'ftp.active.cip')).toEqual(['192.168.150.80']);
    expect(all(rows, 'ftp.active.port')).toEqual([String(ACTIVE_PORT)]);
    // Wireshark followed both data connections from the control channel.
    expect(new Set(all(rows, 'ftp-data.setup-method'))).toEqual(new Set(['PASV', 'PORT']));
  });
});
