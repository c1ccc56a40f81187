/**
 * One `-A` line as the fields a rules table edits, and back. Only the edited line is
 * rewritten, so the user's comments and layout survive; options the table does not show
 * (`! -s …`, `-m multiport --dports …`, `-m comment …`) are kept verbatim in `extra`.
 * Whether the result is valid iptables is still the core parser's decision.
 */
import { parseCidr, parseIpv4 } from '../../core/index';
import { tokenize } from './iptablesText';

export interface RuleFields {
  proto: string;
  src: string;
  dst: string;
  inIface: string;
  outIface: string;
  sport: string;
  dport: string;
  /** Comma list: NEW,ESTABLISHED,RELATED,INVALID. */
  states: string;
  /** `-m state --state` (older files, the seed) or `-m conntrack --ctstate`. */
  stateModule: 'state' | 'conntrack';
  /** Match options the table does not show, in order. */
  extra: string[];
  target: string;
  rejectWith: string;
  /** Target options other than --reject-with (--to-destination, --helper…). */
  targetExtra: string[];
}

export const TARGETS = ['ACCEPT', 'DROP', 'REJECT', 'RETURN', 'LOG', 'DNAT', 'SNAT', 'MASQUERADE', 'CT'] as const;
export const REJECT_WITH = [
  'icmp-port-unreachable',
  'icmp-host-prohibited',
  'icmp-net-unreachable',
  'icmp-host-unreachable',
  'icmp-admin-prohibited',
  'icmp-net-prohibited',
  'icmp-proto-unreachable',
  'tcp-reset',
] as const;
export const STATES = ['NEW', 'ESTABLISHED', 'RELATED', 'INVALID', 'UNTRACKED'] as const;
/** Only `-m conntrack --ctstate` knows these: the connection's source or destination was translated. */
export const CT_ONLY_STATES = ['DNAT', 'SNAT'] as const;

const FIELD_OPTS: Record<string, keyof RuleFields> = {
  '-p': 'proto',
  '--protocol': 'proto',
  '-s': 'src',
  '--source': 'src',
  '-d': 'dst',
  '--destination': 'dst',
  '-i': 'inIface',
  '--in-interface': 'inIface',
  '-o': 'outIface',
  '--out-interface': 'outIface',
  '--sport': 'sport',
  '--source-port': 'sport',
  '--dport': 'dport',
  '--destination-port': 'dport',
  '--state': 'states',
  '--ctstate': 'states',
};
/** Modules the table regenerates itself from the fields. */
const IMPLIED_MODULES = new Set(['tcp', 'udp', 'state', 'conntrack']);

export function emptyRule(): RuleFields {
  return {
    proto: '',
    src: '',
    dst: '',
    inIface: '',
    outIface: '',
    sport: '',
    dport: '',
    states: '',
    stateModule: 'conntrack',
    extra: [],
    target: 'ACCEPT',
    rejectWith: '',
    targetExtra: [],
  };
}

/** Fields of the words after `-A CHAIN`. */
export function fieldsOf(args: string[]): RuleFields {
  const f = emptyRule();
  f.target = '';
  const j = args.findIndex((a, i) => (a === '-j' || a === '--jump') && args[i - 1] !== '!');
  const matches = j < 0 ? args : args.slice(0, j);
  for (let i = 0; i < matches.length; i++) {
    const a = matches[i]!;
    const field = FIELD_OPTS[a];
    if (a === '!') {
      // A negated option and its value stay as written.
      f.extra.push(a, ...matches.slice(i + 1, i + 3));
      i += 2;
    } else if ((a === '-m' || a === '--match') && IMPLIED_MODULES.has(matches[i + 1] ?? '')) {
      if (matches[i + 1] === 'state') f.stateModule = 'state';
      i += 1;
    } else if (field && matches[i + 1] !== undefined) {
      (f[field] as string) = matches[i + 1]!;
      i += 1;
    } else {
      f.extra.push(a);
    }
  }
  if (j >= 0) {
    f.target = args[j + 1] ?? '';
    const rest = args.slice(j + 2);
    for (let i = 0; i < rest.length; i++) {
      if (rest[i] === '--reject-with' && rest[i + 1] !== undefined) f.rejectWith = rest[++i]!;
      else f.targetExtra.push(rest[i]!);
    }
  }
  return f;
}

const quote = (w: string) => (/^[^\s"'\\]+$/.test(w) ? w : `"${w.replace(/(["\\])/g, '\\$1')}"`);

/** The words after `-A CHAIN`, in iptables-save's order. */
export function argsOf(f: RuleFields): string {
  const out: string[] = [];
  const put = (opt: string, v: string) => v.trim() && out.push(opt, v.trim());
  put('-s', f.src);
  put('-d', f.dst);
  put('-i', f.inIface);
  put('-o', f.outIface);
  put('-p', f.proto);
  if ((f.sport.trim() || f.dport.trim()) && f.proto.trim()) out.push('-m', f.proto.trim());
  put('--sport', f.sport);
  put('--dport', f.dport);
  if (f.states.trim()) out.push('-m', f.stateModule, f.stateModule === 'state' ? '--state' : '--ctstate', f.states.trim().toUpperCase());
  // Other conntrack options (--ctstatus, --ctorigdst…) kept in `extra` need their module loaded.
  else if (f.extra.some((w) => w.startsWith('--ct'))) out.push('-m', 'conntrack');
  out.push(...f.extra);
  if (f.target.trim()) out.push('-j', f.target.trim());
  if (f.target === 'REJECT' && f.rejectWith) out.push('--reject-with', f.rejectWith);
  out.push(...f.targetExtra);
  return out.map(quote).join(' ');
}

export function fieldsOfLine(line: string): RuleFields {
  return fieldsOf(tokenize(line.trim()).slice(2));
}

/** The first problem with the fields, in words, or null. The parser has the last word. */
export function checkFields(f: RuleFields): string | null {
  const addr = (v: string) => v === '' || parseCidr(v) !== null || parseIpv4(v) !== null;
  const port = (v: string) => v === '' || (/^\d{1,5}(:\d{1,5})?$/.test(v) && v.split(':').every((p) => Number(p) >= 0 && Number(p) <= 65535));
  const iface = (v: string) => v === '' || /^[A-Za-z0-9_.+-]{1,15}$/.test(v);
  if (!addr(f.src.trim())) return `source "${f.src}" is not an address or network like 10.0.0.0/8`;
  if (!addr(f.dst.trim())) return `destination "${f.dst}" is not an address or network like 10.0.0.0/8`;
  if (!iface(f.inIface.trim()) || !iface(f.outIface.trim())) return 'an interface name is 1–15 letters or digits, like eth0 (eth+ matches all)';
  if (!port(f.sport.trim()) || !port(f.dport.trim())) return 'a port is 0–65535, or a range like 3001:3100';
  if ((f.sport.trim() || f.dport.trim()) && !['tcp', 'udp'].includes(f.proto.trim())) return 'ports need protocol tcp or udp';
  const known: readonly string[] = f.stateModule === 'conntrack' ? [...STATES, ...CT_ONLY_STATES] : STATES;
  const bad = f.states
    .split(',')
    .map((s) => s.trim().toUpperCase())
    .filter((s) => s && !known.includes(s));
  if (bad.length > 0) return `unknown connection state ${bad.join(', ')} (use ${known.join(', ')})`;
  if (!f.target.trim()) return 'choose a target (ACCEPT, DROP, REJECT…)';
  return null;
}
