/**
 * Fuzz properties for every parser that reads text, bytes or links from outside: each never
 * throws, answers within its time, says where when it refuses, and where it can print what it
 * read, reading the print gives the same thing (parse ∘ serialize). The unit suite runs them at
 * a size CI affords (tests/fuzz/fuzz.test.ts); `npm run fuzz -- --runs N` runs them long.
 */
import fc from 'fast-check';
import LZString from 'lz-string';
const { compressToEncodedURIComponent } = LZString;
import {
  decodePacket,
  describePacket,
  encodeTcpPacket,
  loadScenario,
  parse227,
  parse229,
  parseEprtArg,
  parseFtpCommand,
  parseFtpReply,
  parseIptablesSave,
  parseScriptLine,
  parseVsftpdConf,
  readPcap,
  serializeIptablesSave,
  serializeVsftpdConf,
  writePcap,
  type IptablesParse,
  type Ruleset,
} from '../../src/core/index';
import { parseRoute } from '../../src/ui/state/route';
import { decodeShare } from '../../src/ui/share/share';
import { ipArb, tcpBuildArb } from '../fixtures/codec/arbitraries.testkit';

export interface FuzzTarget {
  name: string;
  /** Runs the unit suite gives it (the suite must stay fast). */
  ciRuns: number;
  property: () => fc.IPropertyWithHooks<any>;
}

class FuzzFailure extends Error {}
function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new FuzzFailure(what);
}
/** A message a learner reads: never "undefined", never "[object Object]", never empty. */
function readable(message: string, where: string): void {
  check(typeof message === 'string' && message.trim() !== '', `${where}: empty message`);
  // Quoted text is the user's own (a key called "NaN" is theirs to name): look outside quotes.
  const ours = message.replace(/"[^"]*"|`[^`']*'|`[^`]*`/g, '""');
  check(!/\bundefined\b|\[object Object\]|\bNaN\b/.test(ours), `${where}: "${message}"`);
}

// ── iptables-save text ───────────────────────────────────────────────────────

/** Chain names iptables accepts or refuses, and ones near the edges of the rule. */
const chainName = fc.oneof(
  fc.constantFrom('ALLOW_FTP', 'LOGDROP', 'my-chain', 'X1', 'accept', 'a!b', 'a/b', 'é', 'ERROR', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ12'),
  fc.constantFrom('ACCEPT', 'LOG', '-A', '!x', 'ABCDEFGHIJKLMNOPQRSTUVWXYZ123', 'a"b', "a'b", 'a\\b', 'INPUT', 'FORWARD', 'PREROUTING'),
  fc.string({ unit: fc.constantFrom('A', 'b', '-', '_', '.', '!', 'é', '0', ':', '"', '['), minLength: 1, maxLength: 30 }),
);
const word = fc.constantFrom(
  '-p',
  'tcp',
  'udp',
  'icmp',
  'all',
  '--dport',
  '--sport',
  '21',
  '1024:65535',
  '40000:40100',
  '-m',
  'state',
  '--state',
  'NEW,ESTABLISHED',
  'RELATED,ESTABLISHED',
  'conntrack',
  '--ctstate',
  'multiport',
  '--dports',
  '21,20',
  'helper',
  '--helper',
  'ftp',
  'comment',
  '--comment',
  '"a b"',
  "'x'",
  '-s',
  '-d',
  '10.0.0.0/8',
  '203.0.113.10',
  '-i',
  '-o',
  'eth0',
  'eth+',
  '!',
  '-j',
  'ACCEPT',
  'DROP',
  'REJECT',
  'RETURN',
  'LOG',
  '--log-prefix',
  '--reject-with',
  'tcp-reset',
  'icmp-host-prohibited',
  'DNAT',
  'SNAT',
  'MASQUERADE',
  '--to-destination',
  '--to-source',
  '10.0.0.10:21',
  'CT',
  '--notrack',
  '--icmp-type',
  'echo-request',
  '--syn',
  '--tcp-flags',
  'SYN,ACK',
  'SYN',
  '[1:2]',
);
function iptablesLine(chains: string[]): fc.Arbitrary<string> {
  const chain = fc.oneof(fc.constantFrom('INPUT', 'FORWARD', 'OUTPUT', 'PREROUTING', 'POSTROUTING'), fc.constantFrom(...chains));
  return fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .tuple(chain, fc.array(word, { maxLength: 10 }), fc.option(fc.constantFrom(...chains, 'ACCEPT', 'DROP')))
        .map(([c, ws, j]) => `-A ${c} ${ws.join(' ')}${j ? ` -j ${j}` : ''}`),
    },
    { weight: 2, arbitrary: fc.tuple(chainName, fc.constantFrom('-', 'ACCEPT', 'DROP', 'bogus')).map(([c, p]) => `:${c} ${p} [0:0]`) },
    { weight: 2, arbitrary: fc.tuple(chainName, fc.option(fc.constantFrom('extra', '-N', 'x'))).map(([c, e]) => `-N ${c}${e ? ` ${e}` : ''}`) },
    { weight: 1, arbitrary: fc.tuple(chain, fc.constantFrom('ACCEPT', 'DROP', 'x')).map(([c, p]) => `-P ${c} ${p}`) },
    { weight: 1, arbitrary: fc.constantFrom('COMMIT', '*filter', '*nat', '*raw', '*mangle', '# comment', '', '   ', '*security') },
    { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
  );
}
/** Texts shaped like iptables-save output, with plausible mistakes. */
export const iptablesTextArb: fc.Arbitrary<string> = fc
  .tuple(fc.constantFrom('filter', 'nat', 'raw'), fc.uniqueArray(chainName, { maxLength: 5 }))
  .chain(([table, chains]) =>
    fc
      .tuple(fc.array(iptablesLine(chains.length ? chains : ['X1']), { maxLength: 25 }), fc.boolean(), fc.constantFrom('\n', '\r\n'))
      .map(([lines, commit, nl]) => [`*${table}`, ...chains.map((c) => `:${c} - [0:0]`), ...lines, ...(commit ? ['COMMIT'] : [])].join(nl)),
  );

const withoutLines = (r: Ruleset): unknown => r.tables.map((t) => ({ ...t, chains: t.chains.map((c) => ({ ...c, rules: c.rules.map((x) => ({ ...x, line: 0 })) })) }));

function checkIptables(text: string, r: IptablesParse): void {
  const lines = text.split(/\r?\n/).length;
  if (!r.ok) {
    for (const e of r.errors) {
      check(Number.isInteger(e.line) && e.line >= 1 && e.line <= lines, `error line ${e.line} of ${lines}: ${e.message}`);
      readable(e.message, `line ${e.line}`);
    }
    return;
  }
  // parse ∘ serialize: what the parser accepted prints as text it accepts again, to the same rules.
  const printed = serializeIptablesSave(r.ruleset);
  const again = parseIptablesSave(printed);
  check(again.ok, `the printed text is refused: ${!again.ok ? JSON.stringify(again.errors) : ''}\n${printed}`);
  check(JSON.stringify(withoutLines(again.ruleset)) === JSON.stringify(withoutLines(r.ruleset)), `the printed text reads back differently:\n${printed}`);
  check(serializeIptablesSave(again.ruleset) === printed, 'printing twice differs');
}

// ── vsftpd.conf ──────────────────────────────────────────────────────────────

const vsftpdLine = fc.oneof(
  fc
    .tuple(
      fc.constantFrom(
        'listen',
        'listen_port',
        'pasv_enable',
        'pasv_min_port',
        'pasv_max_port',
        'pasv_address',
        'port_enable',
        'connect_from_port_20',
        'ftpd_banner',
        'anonymous_enable',
        'max_clients',
        'max_per_ip',
        'ssl_enable',
        'pasv_promiscuous',
        'bogus_key',
        'LISTEN',
        ' listen',
        '#x',
      ),
      fc.constantFrom('=', ' = ', '=='),
      fc.oneof(fc.constantFrom('YES', 'NO', 'yes', '21', '0', '65535', '65536', '-1', '10.0.0.1', '', 'x y', '4294967296'), fc.string({ maxLength: 12 })),
    )
    .map(([k, eq, v]) => `${k}${eq}${v}`),
  fc.constantFrom('# comment', '', ' # indented', 'listen'),
  fc.string({ maxLength: 30 }),
);
export const vsftpdTextArb = fc.tuple(fc.array(vsftpdLine, { maxLength: 15 }), fc.constantFrom('\n', '\r\n')).map(([ls, nl]) => ls.join(nl));

// ── scenario files ───────────────────────────────────────────────────────────

export function validScenario(): Record<string, any> {
  return {
    name: 'Two LANs and a router',
    hosts: [
      { id: 'client', ip: '192.168.1.100/24', gateway: '192.168.1.1' },
      { id: 'srv', ip: '203.0.113.10/24', gateway: '203.0.113.1' },
    ],
    routers: [
      {
        id: 'edge',
        interfaces: [
          { name: 'eth0', ip: '192.168.1.1/24' },
          { name: 'eth1', ip: '203.0.113.1/24' },
        ],
        iptables: ['*filter', ':INPUT ACCEPT [0:0]', ':FORWARD DROP [0:0]', ':OUTPUT ACCEPT [0:0]', '-A FORWARD -m state --state RELATED,ESTABLISHED -j ACCEPT', 'COMMIT'],
      },
    ],
    server: { host: 'srv', vsftpd: 'pasv_min_port=3001\npasv_max_port=3300\n' },
    client: { host: 'client', profile: 'curl', script: ['login', 'ls', 'get a.txt'] },
    expect: { outcome: 'failure' },
  };
}

/** Paths to every value in a JSON tree (objects and arrays included). */
function allPaths(v: unknown, prefix: (string | number)[] = []): (string | number)[][] {
  const out: (string | number)[][] = [];
  const stack: [unknown, (string | number)[]][] = [[v, prefix]];
  while (stack.length) {
    const [x, p] = stack.pop()!;
    if (p.length) out.push(p);
    if (Array.isArray(x)) x.forEach((y, i) => stack.push([y, [...p, i]]));
    else if (x && typeof x === 'object') for (const [k, y] of Object.entries(x)) stack.push([y, [...p, k]]);
  }
  return out;
}
const SCENARIO_PATHS = allPaths(validScenario());

/** Edits of a text: insert, delete or replace a few characters anywhere. */
function mutatedText(text: string, alphabet: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const edit = fc.tuple(fc.nat({ max: text.length }), fc.nat({ max: 4 }), fc.string({ unit: alphabet, maxLength: 4 }));
  return fc.array(edit, { minLength: 1, maxLength: 4 }).map((edits) => {
    let t = text;
    for (const [at, del, ins] of edits) t = t.slice(0, Math.min(at, t.length)) + ins + t.slice(Math.min(at, t.length) + del);
    return t;
  });
}

function checkScenario(r: ReturnType<typeof loadScenario>): void {
  if (r.ok) return;
  check(r.errors.length > 0, 'refused without an error');
  for (const e of r.errors) readable(e.message, e.path ?? `line ${e.line}`);
}

// ── packets and captures ─────────────────────────────────────────────────────

const packetArb = fc.tuple(ipArb, ipArb, tcpBuildArb).map(([src, dst, tcp]) => encodeTcpPacket({ src, dst, ttl: 64, identification: 1, dontFragment: true, dscp: 0, ecn: 0 }, tcp));
const flipped = (bytes: Uint8Array) =>
  fc
    .tuple(fc.array(fc.tuple(fc.nat({ max: Math.max(0, bytes.length - 1) }), fc.integer({ min: 0, max: 255 })), { maxLength: 6 }), fc.nat({ max: bytes.length }))
    .map(([edits, cut]) => {
      const b = bytes.slice(0, Math.max(cut, 1));
      for (const [i, v] of edits) if (i < b.length) b[i] = v;
      return b;
    });

// ── the targets ──────────────────────────────────────────────────────────────

export const FUZZ_TARGETS: FuzzTarget[] = [
  {
    name: 'iptables',
    ciRuns: 300,
    property: () =>
      fc.property(
        fc.oneof(
          iptablesTextArb,
          iptablesTextArb.chain((t) => mutatedText(t, fc.constantFrom(' ', '-', '\n', ':', '!', '"', 'A', '0', '*', '['))),
        ),
        (text) => {
          checkIptables(text, parseIptablesSave(text));
        },
      ),
  },
  {
    name: 'vsftpd',
    ciRuns: 300,
    property: () =>
      fc.property(vsftpdTextArb, (text) => {
        const r = parseVsftpdConf(text);
        if (!r.ok) {
          for (const e of r.errors) readable(e.message, `line ${e.line}`);
          return;
        }
        const again = parseVsftpdConf(serializeVsftpdConf(r.conf));
        check(again.ok, `the printed text is refused:\n${serializeVsftpdConf(r.conf)}`);
        check(JSON.stringify(again.conf) === JSON.stringify(r.conf), 'the printed text reads back differently');
      }),
  },
  {
    name: 'scenario',
    ciRuns: 150,
    property: () => {
      const text = JSON.stringify(validScenario(), null, 2);
      const replaced = fc.tuple(fc.constantFrom(...SCENARIO_PATHS), fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.string(), fc.constant(undefined))).map(([path, value]) => {
        const f = validScenario();
        let cur: any = f;
        for (const k of path.slice(0, -1)) cur = cur[k];
        if (value === undefined) delete cur[path[path.length - 1]!];
        else cur[path[path.length - 1]!] = value;
        return f;
      });
      return fc.property(fc.oneof(replaced, mutatedText(text, fc.constantFrom('{', '}', '"', ',', ':', '[', ']', ' ', 'a', '1', '\n')), fc.string({ maxLength: 200 })), (input) => {
        checkScenario(loadScenario(input));
        if (typeof input !== 'string') checkScenario(loadScenario(JSON.stringify(input)));
      });
    },
  },
  {
    name: 'packet',
    ciRuns: 300,
    property: () =>
      fc.property(fc.oneof(fc.uint8Array({ maxLength: 120 }), packetArb.chain(flipped)), (bytes) => {
        const d = decodePacket(bytes);
        check(typeof d.ok === 'boolean', 'no answer');
        check(typeof describePacket(bytes) === 'string', 'no description');
      }),
  },
  {
    name: 'pcap',
    ciRuns: 200,
    property: () => {
      const pcapArb = fc.array(packetArb, { minLength: 1, maxLength: 3 }).map((ps) => writePcap(ps.map((bytes, i) => ({ timeUs: i * 1000, bytes }))));
      return fc.property(fc.oneof(fc.uint8Array({ maxLength: 80 }), pcapArb.chain(flipped)), (bytes) => {
        const r = readPcap(bytes);
        if (!r.ok) readable(r.error.message, 'pcap');
      });
    },
  },
  {
    name: 'link',
    ciRuns: 300,
    property: () => {
      const share = fc.jsonValue({ maxDepth: 2 }).map((v) => `#s=${compressToEncodedURIComponent(JSON.stringify(v))}&step=1`);
      const routeLike = fc
        .tuple(
          fc.constantFrom('#/scenario/', '#/custom/', '#/lesson/', '#/challenge/', '#/', '#s=', '#/scenario/a/step/'),
          fc.string({ maxLength: 30 }),
          fc.constantFrom('', '?mode=trainee', '?seed=4294967296', '?mode=x&seed=1'),
        )
        .map((p) => p.join(''));
      return fc.property(
        fc.oneof(
          share,
          share.chain((s) => mutatedText(s, fc.constantFrom('A', '+', '-', '$', '&', '=', '%'))),
          routeLike,
          fc.string({ maxLength: 60 }),
        ),
        (hash) => {
          const r = parseRoute(hash);
          if (!r.ok) readable(r.message, 'route');
          const d = decodeShare(hash);
          if (!d.ok) readable(d.message, 'share');
          else checkScenario(loadScenario(d.file));
        },
      );
    },
  },
  {
    name: 'ftp-text',
    ciRuns: 300,
    property: () =>
      fc.property(
        fc.oneof(
          fc.string({ maxLength: 60 }),
          fc
            .constantFrom('227 Entering Passive Mode (10,0,0,1,195,149)', '229 Entering Extended Passive Mode (|||50069|)', '|1|10.0.0.1|21|', 'PORT 10,0,0,1,4,1')
            .chain((t) => mutatedText(t, fc.constantFrom('(', ')', '|', ',', '9', ' ', '\r', '\n'))),
        ),
        (line) => {
          for (const r of [parseFtpCommand(line), parseFtpReply(line), parse227(line), parse229(line), parseEprtArg(line)]) check(typeof r.ok === 'boolean', 'no answer');
          const s = parseScriptLine(line);
          if (!s.ok) readable(s.message, 'script');
        },
      ),
  },
];
