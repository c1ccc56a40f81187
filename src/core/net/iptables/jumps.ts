/**
 * Chain names and jumps between chains, checked as iptables-restore (nf_tables, Debian's
 * default backend) checks them. Nothing here recurses: a text with tens of thousands of chains
 * is walked with explicit work lists, in time linear in its size.
 */
import { BUILTIN_CHAINS, type Table } from './types';

/** iptables' XT_EXTENSION_MAXNAMELEN is 29 with the terminating NUL: 28 bytes of name. */
export const MAX_CHAIN_NAME_BYTES = 28;

/** nf_tables' NFT_JUMP_STACK_SIZE: entering a chain 16 jumps below a built-in chain fails. */
export const JUMP_STACK_SIZE = 16;

/** Target extensions iptables 1.8.9 ships (libxt_*, libipt_*) and the standard verdicts: a user
 * chain may not take one of these names ("chain name may not clash with target name").
 * Case matters, as in iptables: `accept` is a fine chain name. */
const TARGET_NAMES = new Set([
  'ACCEPT',
  'DROP',
  'RETURN',
  'QUEUE',
  'AUDIT',
  'CHECKSUM',
  'CLASSIFY',
  'CLUSTERIP',
  'CONNMARK',
  'CONNSECMARK',
  'CT',
  'DNAT',
  'DSCP',
  'ECN',
  'HMARK',
  'IDLETIMER',
  'LED',
  'LOG',
  'MARK',
  'MASQUERADE',
  'NAT',
  'NETMAP',
  'NFLOG',
  'NFQUEUE',
  'NOTRACK',
  'RATEEST',
  'REDIRECT',
  'REJECT',
  'SECMARK',
  'SET',
  'SNAT',
  'SYNPROXY',
  'TCPMSS',
  'TCPOPTSTRIP',
  'TEE',
  'TOS',
  'TPROXY',
  'TRACE',
  'TTL',
  'ULOG',
]);

const encoder = new TextEncoder();
// eslint-disable-next-line no-control-regex
const utf8Length = (s: string): number => (/^[\u0000-\u007f]*$/.test(s) ? s.length : encoder.encode(s).length);

/**
 * Why `name` cannot be a user chain, in iptables' words where it has some; null when it can.
 * One rule for `:NAME - [0:0]` and `-N NAME` (and for anything that creates a chain). Beyond
 * iptables: no quotes or backslash (iptables-save would print them back unquoted, and a
 * reader that honours quotes would not read the same name) and no control characters.
 */
export function chainNameProblem(name: string): string | null {
  if (name === '') return 'a chain needs a name';
  if (name[0] === '-' || name[0] === '!') return `chain name not allowed to start with \`${name[0]}' ("${name}")`;
  if (TARGET_NAMES.has(name)) return `chain name may not clash with target name ("${name}" is a target)`;
  // eslint-disable-next-line no-control-regex
  if (/[\s\u0000-\u001f\u007f]/.test(name)) return `Invalid chain name \`${name.replace(/[\u0000-\u001f\u007f]/g, '?')}' (no blanks or control characters)`;
  if (/["'\\]/.test(name)) return `chain name "${name}" has a quote or backslash: this simulator takes letters, digits and punctuation other than " ' \\`;
  const bytes = utf8Length(name);
  if (bytes > MAX_CHAIN_NAME_BYTES) return `chain name \`${name}' too long (must be under ${MAX_CHAIN_NAME_BYTES + 1} chars; it has ${bytes})`;
  return null;
}

export interface Jump {
  from: string;
  to: string;
  line: number;
  col: number;
}

/**
 * nf_tables checks each rule as it is appended, in the text's order: a rule fails when, with it
 * and every rule before it in place, some chain is entered 16 jumps below a built-in chain. A
 * loop that a built-in chain reaches is such a nesting (it never ends); a loop nothing reaches is
 * accepted, as the kernel does. iptables-nft-restore 1.8.9 reports the rule's line:
 * `line 36: RULE_APPEND failed (Too many links): rule in chain C14`.
 *
 * Each chain keeps the deepest level at which a built-in chain reaches it, capped at 16; a level
 * only grows, so each chain is raised at most 17 times and the whole check is linear in the
 * number of chains and jumps. Returns the first failing rule (later ones are counted in it).
 */
export function checkJumpDepth(t: Table, jumps: readonly Jump[]): { line: number; col: number; message: string } | null {
  const builtins = new Set(BUILTIN_CHAINS[t.name]);
  const depth = new Map<string, number>();
  const parent = new Map<string, string>();
  const out = new Map<string, string[]>();
  for (const b of builtins) depth.set(b, 0);
  const level = (c: string): number => depth.get(c) ?? -1;
  let first: { jump: Jump; message: string } | null = null;
  let more = 0;
  const work: [string, number, string][] = [];
  for (const j of jumps) {
    let list = out.get(j.from);
    if (!list) out.set(j.from, (list = []));
    list.push(j.to);
    if (level(j.from) < 0) continue;
    let failed = false;
    let deepest = '';
    work.push([j.to, level(j.from) + 1, j.from]);
    while (work.length > 0) {
      const [c, d0, via] = work.pop()!;
      const d = Math.min(d0, JUMP_STACK_SIZE);
      if (d <= level(c)) continue;
      depth.set(c, d);
      parent.set(c, via);
      if (d >= JUMP_STACK_SIZE) {
        if (!failed) deepest = c;
        failed = true;
        continue;
      }
      for (const next of out.get(c) ?? []) work.push([next, d + 1, c]);
    }
    // A rule from a chain already at the limit fails even when it raises nothing.
    if (!failed && level(j.from) + 1 >= JUMP_STACK_SIZE) {
      failed = true;
      deepest = j.to;
    }
    if (!failed) continue;
    if (first) more++;
    else first = { jump: j, message: describe(j, deepest, builtins, out, parent) };
  }
  if (!first) return null;
  const tail = more > 0 ? ` (and ${more.toLocaleString('en-US')} more rules after it fail the same way)` : '';
  return { line: first.jump.line, col: first.jump.col, message: first.message + tail };
}

/** The first failure in words: the loop it closes, or the path 16 jumps deep. */
function describe(j: Jump, deepest: string, builtins: Set<string>, out: Map<string, string[]>, parent: Map<string, string>): string {
  const head = `RULE_APPEND failed (Too many links): rule in chain ${j.from}`;
  const loop = findReachableLoop(builtins, out);
  if (loop) return `${head}: it makes the chain loop ${loop.join(' -> ')} reachable, and a packet in it would never come out; iptables-restore refuses the rule`;
  const path = [deepest];
  for (let c = deepest, n = 0; parent.has(c) && !builtins.has(c) && n <= JUMP_STACK_SIZE; n++) {
    c = parent.get(c)!;
    path.unshift(c);
  }
  const shown = path.length > 8 ? [...path.slice(0, 4), '…', ...path.slice(-3)] : path;
  return `${head}: chains would nest ${path.length - 1} jumps deep (${shown.join(' -> ')}); iptables (nf_tables) allows at most ${JUMP_STACK_SIZE - 1} user chains below a built-in chain, so iptables-restore refuses the rule`;
}

/** A cycle reachable from a built-in chain, as its chain names (first repeated at the end); iterative DFS. */
function findReachableLoop(builtins: Set<string>, out: Map<string, string[]>): string[] | null {
  const state = new Map<string, 1 | 2>(); // 1 on the current path, 2 done
  for (const root of builtins) {
    if (state.has(root)) continue;
    const path: string[] = [root];
    const next: number[] = [0];
    state.set(root, 1);
    while (path.length > 0) {
      const c = path[path.length - 1]!;
      const edges = out.get(c) ?? [];
      const i = next[next.length - 1]!;
      if (i >= edges.length) {
        state.set(c, 2);
        path.pop();
        next.pop();
        continue;
      }
      next[next.length - 1] = i + 1;
      const to = edges[i]!;
      const s = state.get(to);
      if (s === 1) return [...path.slice(path.indexOf(to)), to];
      if (s === 2) continue;
      state.set(to, 1);
      path.push(to);
      next.push(0);
    }
  }
  return null;
}
