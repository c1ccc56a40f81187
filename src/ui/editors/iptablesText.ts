/**
 * Small, format-preserving edits of iptables-save text: add or remove whole `-A` lines
 * inside a `*table … COMMIT` section, creating the section when it is missing. Used by the
 * toggles (FTP helper, MASQUERADE, port forwards) so a user's own layout and comments stay
 * as written. Whether a text is valid is still the core parser's call.
 */
import { BUILTIN_CHAINS, tokenizeIptablesLine, type TableName } from '../../core/index';

/** Built-in chains, declared when a section is created (iptables-save always lists them). */
const BUILTIN: Record<string, readonly string[]> = BUILTIN_CHAINS;

export interface RuleLine {
  /** 0-based index in the text's lines. */
  index: number;
  table: string;
  chain: string;
  /** The words after `-A CHAIN`, quotes removed. */
  args: string[];
  text: string;
}

/**
 * The words of a line, split by the core's tokenizer (the one iptables-restore's reader and
 * the simulator use: double or single quotes group). After an unterminated quote the rest of
 * the line is one word, as written; the core parser reports the error.
 */
export function tokenize(line: string): string[] {
  const t = tokenizeIptablesLine(line);
  if (t.ok) return t.tokens.map((w) => w.text);
  return [...tokenize(line.slice(0, t.col - 1)), line.slice(t.col - 1)];
}

function linesOf(text: string): string[] {
  const lines = text.split('\n');
  if (lines[lines.length - 1] === '') lines.pop();
  return lines;
}

function join(lines: string[]): string {
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Every `-A` line with the table it sits in. */
export function ruleLines(text: string): RuleLine[] {
  const out: RuleLine[] = [];
  let table = '';
  linesOf(text).forEach((line, index) => {
    const t = line.trim();
    if (t.startsWith('*')) table = t.slice(1).trim();
    else if (t === 'COMMIT') table = '';
    else if (t.startsWith('-A ')) {
      const [, chain, ...args] = tokenize(t);
      if (chain) out.push({ index, table, chain, args, text: line });
    }
  });
  return out;
}

/** The value after an option (`--dport` → "21"), or undefined; `-p tcp -m tcp` both count. */
export function optValue(args: string[], ...names: string[]): string | undefined {
  for (let i = 0; i < args.length - 1; i++) if (names.includes(args[i]!)) return args[i + 1];
  return undefined;
}

export function hasOpt(args: string[], name: string, value?: string): boolean {
  return args.some((a, i) => a === name && (value === undefined || args[i + 1]?.toLowerCase() === value.toLowerCase()));
}

/** Adds `-A chain args` at the end (or start) of the chain's rules in that table. */
export function addRule(text: string, table: TableName, chain: string, args: string, where: 'first' | 'last' = 'last'): string {
  const lines = linesOf(text);
  const ruleText = `-A ${chain} ${args}`;
  const start = lines.findIndex((l) => l.trim() === `*${table}`);
  if (start < 0) {
    const builtin = BUILTIN[table] ?? [];
    const chains = builtin.includes(chain) ? builtin : [...builtin, chain];
    const decl = chains.map((c) => (builtin.includes(c) ? `:${c} ACCEPT [0:0]` : `:${c} - [0:0]`));
    return join([...lines, `*${table}`, ...decl, ruleText, 'COMMIT']);
  }
  let end = lines.findIndex((l, i) => i > start && l.trim() === 'COMMIT');
  if (end < 0) end = lines.length;
  const inChain = ruleLines(text).filter((r) => r.index > start && r.index < end && r.chain === chain);
  const declIndex = lines.findIndex((l, i) => i > start && i < end && l.trim().startsWith(`:${chain} `));
  let at: number;
  if (where === 'first' && inChain[0]) at = inChain[0].index;
  else if (where === 'last' && inChain.length > 0) at = inChain[inChain.length - 1]!.index + 1;
  else {
    // No rule in this chain yet: after the other rules (iptables-save order), before COMMIT.
    at = end;
    if (declIndex < 0 && !(BUILTIN[table] ?? []).includes(chain)) {
      lines.splice(start + 1, 0, `:${chain} - [0:0]`);
      at += 1;
    }
  }
  lines.splice(at, 0, ruleText);
  return join(lines);
}

/** Removes every `-A` line for which keep returns false. */
export function removeRules(text: string, drop: (r: RuleLine) => boolean): string {
  const gone = new Set(
    ruleLines(text)
      .filter(drop)
      .map((r) => r.index),
  );
  return join(linesOf(text).filter((_, i) => !gone.has(i)));
}

export interface ChainView {
  table: string;
  chain: string;
  /** ACCEPT/DROP for a built-in chain, null for a user chain ("-"). */
  policy: string | null;
  /** Line index of the `:CHAIN POLICY [0:0]` declaration, -1 when undeclared. */
  declIndex: number;
  rules: RuleLine[];
}

/** Tables and chains in the order the text declares them, with their rules. */
export function chainsOf(text: string): ChainView[] {
  const out: ChainView[] = [];
  const find = (table: string, chain: string) => out.find((c) => c.table === table && c.chain === chain);
  let table = '';
  linesOf(text).forEach((line, index) => {
    const t = line.trim();
    if (t.startsWith('*')) table = t.slice(1).trim();
    else if (t === 'COMMIT') table = '';
    else if (t.startsWith(':')) {
      const [name, policy] = t.slice(1).split(/\s+/);
      if (name && !find(table, name)) out.push({ table, chain: name, policy: policy && policy !== '-' ? policy : null, declIndex: index, rules: [] });
    }
  });
  for (const r of ruleLines(text)) {
    const c = find(r.table, r.chain) ?? out[out.push({ table: r.table, chain: r.chain, policy: null, declIndex: -1, rules: [] }) - 1]!;
    c.rules.push(r);
  }
  return out;
}

/** Replaces one whole line. */
export function replaceLine(text: string, index: number, line: string): string {
  const lines = linesOf(text);
  if (index < 0 || index >= lines.length) return text;
  lines[index] = line;
  return join(lines);
}

export function setPolicy(text: string, declIndex: number, policy: 'ACCEPT' | 'DROP'): string {
  const lines = linesOf(text);
  const m = /^(\s*:\S+\s+)\S+(.*)$/.exec(lines[declIndex] ?? '');
  return m ? replaceLine(text, declIndex, `${m[1]}${policy}${m[2]}`) : text;
}

/** Swaps a rule with its neighbour in the same chain; comments stay where they are. */
export function moveRule(text: string, rules: RuleLine[], at: number, dir: -1 | 1): string {
  const a = rules[at];
  const b = rules[at + dir];
  if (!a || !b) return text;
  return replaceLine(replaceLine(text, a.index, b.text), b.index, a.text);
}
