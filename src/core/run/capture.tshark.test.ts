/**
 * The exported captures, judged by Wireshark: several built-ins (plain, a PORT rewrite by
 * nf_nat_ftp behind MASQUERADE, a 227 rewrite behind DNAT, REJECT's ICMP errors, SYNs that
 * time out) run, every interface's .pcap written as pcapAt writes it, and dissected by
 * tshark. A teacher opens these beside a real capture, so:
 *  - no expert-info warning or error, nothing malformed, every IP and TCP checksum Good;
 *  - a SYN or SYN-ACK is a 74-byte Ethernet frame whose options are Linux's, in Linux's
 *    order (MSS 2, SACK_PERM 4, TS 8, NOP 1, WS 3); every later segment has a 32-byte
 *    header (NOP, NOP, TS) and full data segments carry 1448 bytes;
 *  - an ICMP error quotes the offending packet whole.
 * Skipped (with the reason printed) when tshark is missing, unless REQUIRE_TSHARK is set.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario } from '../scenario/load';
import { runScenario } from '../runScenario';
import { BUILTIN_SCENARIOS } from '../../scenarios/index';
import { capturePoints, pcapAt } from './capture';
import { TSHARK_CHECKSUMS } from '../../../tests/support/tshark';

const TSHARK = (process.env.PATH ?? '/usr/bin')
  .split(':')
  .map((d) => join(d, 'tshark'))
  .find((p) => existsSync(p));
if (!TSHARK && process.env.REQUIRE_TSHARK) {
  describe('tshark', () => it('is required (REQUIRE_TSHARK is set) but not on PATH', () => expect.fail('install tshark')));
} else if (!TSHARK) {
  console.warn('capture.tshark.test: skipped — tshark not found on PATH (set REQUIRE_TSHARK=1 to make this a failure)');
}

/** Built-ins, some with a larger file so full segments appear (the built-ins move at most a few hundred bytes). */
const CASES: Array<{ id: string; bigFile?: number; nat?: string }> = [
  { id: 'seed-passive-session' },
  { id: 'client-nat-active-helper', bigFile: 100_000, nat: 'PORT' },
  { id: 'server-nat-helper-rewrites-227', bigFile: 100_000, nat: '227' },
  { id: 'passive-server-firewall-reject' },
  { id: 'active-client-firewall-blocked' },
];

const FIELDS = [
  'frame.number',
  'frame.len',
  'ip.len',
  'icmp.type',
  'tcp.flags.syn',
  'tcp.flags.ack',
  'tcp.hdr_len',
  'tcp.len',
  'tcp.option_kind',
  'ip.checksum.status',
  'tcp.checksum.status',
  '_ws.expert.severity',
  '_ws.expert.message',
  '_ws.malformed',
];
/** Wireshark's PI_NOTE: notes ("connection closing", a retransmitted SYN) are what real captures show too. */
const PI_NOTE = 0x00400000;

type Row = Record<string, string[]>;

function scenarioJson(c: (typeof CASES)[number]): object {
  const b = BUILTIN_SCENARIOS.find((s) => s.id === c.id);
  if (!b) throw new Error(`no built-in ${c.id}`);
  const json = structuredClone(b.json) as { server: { files: Record<string, unknown> } };
  if (c.bigFile) json.server.files['/readme.txt'] = { size: c.bigFile };
  return json;
}

describe.skipIf(!TSHARK)('tshark reads the exported captures of built-ins', () => {
  const dir = mkdtempSync(join(tmpdir(), 'capture-tshark-'));
  afterAll(() => (process.env.KEEP_PCAP ? console.log(dir) : rmSync(dir, { recursive: true, force: true })));

  const dissect = (file: string): Row[] => {
    const out = execFileSync(TSHARK!, ['-r', file, ...TSHARK_CHECKSUMS, '-T', 'fields', '-E', 'occurrence=a', '-E', 'aggregator=|', ...FIELDS.flatMap((f) => ['-e', f])], {
      encoding: 'utf8',
      timeout: 60_000,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return out
      .split('\n')
      .filter((l) => l.trim() !== '')
      .map((line) => Object.fromEntries(line.split('\t').map((v, i) => [FIELDS[i]!, v === '' ? [] : v.split('|')])));
  };

  it.each(CASES)(
    '$id: no warnings, Linux options in Linux order, 74-byte SYNs, 1448-byte segments, whole ICMP quotes',
    (c) => {
      const loaded = loadScenario({ ...scenarioJson(c), seed: 1 }, `${c.id}.json`);
      if (!loaded.ok) throw new Error(`${c.id} does not load`);
      const run = runScenario(loaded.scenario);
      if (c.nat)
        expect(
          run.trace.events.some((e) => e.kind === 'nat' && (e as { what?: string }).what === 'ftp-payload'),
          `${c.id} rewrites the ${c.nat} line`,
        ).toBe(true);
      let syns = 0;
      let full = 0;
      let icmps = 0;
      for (const point of capturePoints(run.trace)) {
        const file = join(dir, `${c.id}-${point.replace(/[^\w-]/g, '_')}.pcap`);
        writeFileSync(file, pcapAt(run.trace, point));
        for (const r of dissect(file)) {
          const where = `${c.id} at ${point}, frame ${r['frame.number']![0]}`;
          expect(r['_ws.malformed'], where).toEqual([]);
          expect(r['ip.checksum.status']![0], where).toBe('1');
          const sev = r['_ws.expert.severity']!;
          sev.forEach((s, i) => expect(Number(s) <= PI_NOTE, `${where}: ${r['_ws.expert.message']![i]}`).toBe(true));
          if (r['icmp.type']!.length) {
            // Outer IP = 20 + 8 (ICMP) + the whole quoted packet: the SYN with its 20 option bytes.
            icmps++;
            const [outer, inner] = r['ip.len']!.map(Number);
            expect(outer, where).toBe(28 + inner!);
            expect(inner, where).toBe(60);
            expect(r['frame.len']![0], where).toBe(String(14 + 28 + 60));
            continue;
          }
          expect(r['tcp.checksum.status']![0], where).toBe('1');
          const syn = r['tcp.flags.syn']![0] === '1' || r['tcp.flags.syn']![0] === 'True';
          if (syn) {
            syns++;
            expect(r['frame.len']![0], where).toBe('74');
            expect(r['tcp.option_kind']!.join(','), where).toBe('2,4,8,1,3');
          } else {
            expect(r['tcp.hdr_len']![0], where).toBe('32');
            expect(r['tcp.option_kind']!.join(','), where).toBe('1,1,8');
            const len = Number(r['tcp.len']![0]);
            expect(len, where).toBeLessThanOrEqual(1448);
            if (len === 1448) full++;
          }
        }
      }
      expect(syns).toBeGreaterThan(0);
      // 100,000 bytes = 69 × 1448 + 88: 69 full segments per interface the file crosses.
      if (c.bigFile) expect(full % 69, `${c.id}: full segments come in files of 69`).toBe(0);
      if (c.bigFile) expect(full).toBeGreaterThanOrEqual(69 * 2);
      if (c.id === 'passive-server-firewall-reject') expect(icmps).toBeGreaterThan(0);
    },
    180_000,
  ); // tshark over every interface's file: ~20 s each on a loaded machine
});
