/**
 * iptables-restore's reader for iptables-save text: `*table`, `:CHAIN POLICY [p:b]`,
 * `-A CHAIN …`, `-N`, `-P`, `COMMIT`, `#` comments. Every bad line is reported with its line
 * (and column where it helps); nothing throws. A table that fails to load is kept in `partial`
 * with the rules that were good, so an editor can still show them.
 */
import { ruleText } from './canon';
import { chainNameProblem, checkJumpDepth } from './jumps';
import { parseRuleTokens } from './rule';
import { tokenizeLine, type Token } from './tokens';
import { BUILTIN_CHAINS, type Chain, type Diag, type Rule, type Ruleset, type Table, type TableName } from './types';

export type { Chain, CtStateName, Diag, Match, PortRange, PortSpec, RejectWith, Rule, Ruleset, Table, TableName, Target } from './types';
export { serializeIptablesSave, ruleText } from './canon';

export type ParseResult = { ok: true; ruleset: Ruleset; warnings: Diag[] } | { ok: false; errors: Diag[]; partial: Ruleset };

const TABLES: readonly TableName[] = ['raw', 'nat', 'filter', 'mangle'];

interface Open {
  table: Table;
  line: number;
  /** The table's chains by name (a lookup per line, so a text of many chains stays linear). */
  byName: Map<string, Chain>;
  /** Rules whose `-j NAME` is a user chain, checked at COMMIT when every chain is known. */
  jumps: { rule: Rule; col: number }[];
}

export function emptyTable(name: TableName): Table {
  return { name, chains: BUILTIN_CHAINS[name].map((c) => ({ name: c, builtin: true, policy: 'ACCEPT', rules: [] })), ignored: [] };
}

export function parseIptablesSave(text: string): ParseResult {
  const errors: Diag[] = [];
  const warnings: Diag[] = [];
  const ruleset: Ruleset = { tables: [] };
  let open: Open | null = null;
  const lines = text.split(/\r?\n/);
  const err = (line: number, message: string, column?: number) => errors.push(column === undefined ? { line, message } : { line, column, message });

  const close = (o: Open) => {
    commit(o, err, warnings);
    if (!ruleset.tables.some((t) => t.name === o.table.name)) ruleset.tables.push(o.table);
  };

  lines.forEach((raw, idx) => {
    const ln = idx + 1;
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;

    if (open?.table.name === 'mangle' && line !== 'COMMIT' && !line.startsWith('*')) {
      open.table.ignored.push(line);
      return;
    }
    if (line.startsWith('*')) {
      const name = line.slice(1).trim();
      if (open) {
        err(ln, `COMMIT expected before a new table: table "${open.table.name}" (line ${open.line}) is not committed`, 1);
        close(open);
      }
      if (!TABLES.includes(name as TableName)) {
        err(ln, `can't initialize iptables table "${name}": Table does not exist (raw, nat, filter${name === 'security' ? '' : ', mangle'})`, 2);
        open = null;
        return;
      }
      if (ruleset.tables.some((t) => t.name === name)) err(ln, `table "${name}" is given twice`, 2);
      const table = emptyTable(name as TableName);
      if (name === 'mangle') warnings.push({ line: ln, column: 2, message: 'the mangle table is not modelled: its lines are kept but have no effect' });
      open = { table, line: ln, byName: new Map(table.chains.map((c) => [c.name, c])), jumps: [] };
      return;
    }
    if (line === 'COMMIT') {
      if (!open) return err(ln, 'COMMIT without a table (missing "*filter"?)', 1);
      close(open);
      open = null;
      return;
    }
    if (!open) return err(ln, 'no table given: a "*raw", "*nat" or "*filter" line must come first', 1);

    const col0 = raw.length - raw.trimStart().length;
    const tk = tokenizeLine(raw);
    if (!tk.ok) return err(ln, tk.message, tk.col);
    const toks = tk.tokens;
    // `iptables-save -c` puts counters first: `[12:345] -A INPUT …`.
    if (toks[0] && /^\[\d+:\d+\]$/.test(toks[0].text)) toks.shift();
    const head = toks[0];
    if (!head) return;

    if (head.text.startsWith(':')) return declareChain(open, raw, col0, ln, err);
    switch (head.text) {
      case '-A':
      case '--append':
        return appendRule(open, toks, ln, err);
      case '-N':
      case '--new-chain':
        return newChain(open, toks, ln, err);
      case '-P':
      case '--policy':
        return setPolicy(open, toks[1], toks[2], ln, head, err);
      default:
        return err(ln, `unsupported command "${head.text}" (this reader takes -A, -N, -P and ":" chain lines)`, head.col);
    }
  });

  if (open !== null) {
    const o = open as Open;
    let last = lines.length;
    while (last > 1 && lines[last - 1]!.trim() === '') last--;
    err(last, `COMMIT expected at the end: table "${o.table.name}" (line ${o.line}) is never committed`);
    close(o);
  }
  errors.sort((a, b) => a.line - b.line || (a.column ?? 0) - (b.column ?? 0));
  return errors.length === 0 ? { ok: true, ruleset, warnings } : { ok: false, errors, partial: ruleset };
}

function declareChain(open: Open, raw: string, col0: number, ln: number, err: (l: number, m: string, c?: number) => void): void {
  const table = open.table;
  const m = /^:(\S+)\s+(\S+)(?:\s+\[(\d+):(\d+)\])?\s*$/.exec(raw.trim());
  if (!m) return err(ln, 'bad chain line: expected ":CHAIN POLICY [packets:bytes]"', col0 + 1);
  const [, name, policy] = m as unknown as [string, string, string];
  const builtin = BUILTIN_CHAINS[table.name].includes(name);
  if (!builtin) {
    if (policy !== '-')
      return err(ln, `Can't set policy "${policy}" on "${name}": Bad built-in chain name (not a built-in chain of ${table.name}; user chains take "-")`, col0 + 2);
    return addUserChain(open, name, ln, col0 + 2, err);
  }
  const chain = open.byName.get(name)!;
  if (policy === 'ACCEPT' || policy === 'DROP') chain.policy = policy;
  else if (policy !== '-') err(ln, `bad policy "${policy}" for ${name} (ACCEPT or DROP)`, col0 + name.length + 3);
}

/** `-N NAME`: exactly one name, and the same rule for it as a `:NAME - [0:0]` line. */
function newChain(open: Open, toks: Token[], ln: number, err: (l: number, m: string, c?: number) => void): void {
  const [head, name, extra] = toks as [Token, Token | undefined, Token | undefined];
  if (!name) return err(ln, `${head.text} needs a chain name`, head.col);
  if (extra) {
    if (extra.text === '-N' || extra.text === '--new-chain') return err(ln, 'Cannot use -N with -N (one chain per line)', extra.col);
    return err(ln, `Bad argument \`${extra.text}' (-N takes one chain name and nothing after it)`, extra.col);
  }
  addUserChain(open, name.text, ln, name.col, err);
}

function addUserChain(open: Open, name: string, ln: number, col: number, err: (l: number, m: string, c?: number) => void): void {
  const problem = chainNameProblem(name);
  if (problem) return err(ln, problem, col);
  if (open.byName.has(name)) return err(ln, `chain "${name}" already exists`, col);
  const chain: Chain = { name, builtin: false, policy: null, rules: [] };
  open.table.chains.push(chain);
  open.byName.set(name, chain);
}

function setPolicy(open: Open, name: Token | undefined, pol: Token | undefined, ln: number, head: Token, err: (l: number, m: string, c?: number) => void): void {
  const table = open.table;
  if (!name || !pol) return err(ln, '-P needs a chain and a policy', head.col);
  const chain = open.byName.get(name.text);
  if (!chain?.builtin) return err(ln, `Bad built-in chain name "${name.text}" in table ${table.name}`, name.col);
  if (pol.text !== 'ACCEPT' && pol.text !== 'DROP') return err(ln, `bad policy "${pol.text}" (ACCEPT or DROP)`, pol.col);
  chain.policy = pol.text;
}

function appendRule(open: Open, toks: Token[], ln: number, err: (l: number, m: string, c?: number) => void): void {
  const chainTok = toks[1];
  if (!chainTok) return err(ln, '-A needs a chain name', toks[0]!.col);
  const chain = open.byName.get(chainTok.text);
  if (!chain) {
    const hint = Object.entries(BUILTIN_CHAINS)
      .filter(([, cs]) => cs.includes(chainTok.text))
      .map(([t]) => t);
    return err(
      ln,
      `chain "${chainTok.text}" does not exist in table ${open.table.name}${hint.length ? ` (it is a built-in chain of ${hint.join(', ')})` : ` (declare it with ":${chainTok.text} - [0:0]")`}`,
      chainTok.col,
    );
  }
  const r = parseRuleTokens(toks.slice(2), open.table.name, chain.name);
  if (!r.ok) return err(ln, r.message, r.col);
  const rule: Rule = {
    table: open.table.name,
    chain: chain.name,
    index: chain.rules.length + 1,
    line: ln,
    text: ruleText(chain.name, r.rule.matches, r.rule.target),
    matches: r.rule.matches,
    target: r.rule.target,
  };
  chain.rules.push(rule);
  if (rule.target.kind === 'JUMP') open.jumps.push({ rule, col: r.rule.targetCol });
}

/** At COMMIT: jumps must name a declared user chain, and must not loop or nest too deep. */
function commit(open: Open, err: (l: number, m: string, c?: number) => void, warnings: Diag[]): void {
  const t = open.table;
  const bad = new Set<Rule>();
  for (const { rule, col } of open.jumps) {
    if (rule.target.kind !== 'JUMP') continue;
    const to = rule.target.chain;
    const chain = open.byName.get(to);
    if (!chain) {
      err(rule.line, `Couldn't load target "${to}": No such file or directory (no such target, nor a chain declared in ${t.name})`, col);
      bad.add(rule);
    } else if (chain.builtin) {
      err(rule.line, `cannot jump to the built-in chain "${to}"`, col);
      bad.add(rule);
    }
  }
  // Drop the bad rules from the partial result and renumber.
  for (const c of t.chains) {
    if (c.rules.some((r) => bad.has(r))) c.rules = c.rules.filter((r) => !bad.has(r)).map((r, i) => ({ ...r, index: i + 1 }));
  }
  const jumps = open.jumps.filter((j) => !bad.has(j.rule)).map((j) => ({ from: j.rule.chain, to: (j.rule.target as { chain: string }).chain, line: j.rule.line, col: j.col }));
  const tooDeep = checkJumpDepth(t, jumps);
  if (tooDeep) err(tooDeep.line, tooDeep.message, tooDeep.col);
  unreachableWarnings(t, warnings);
}

/** A rule after an unconditional ACCEPT/DROP/REJECT is dead: worth a warning, as people do this by mistake. */
function unreachableWarnings(t: Table, warnings: Diag[]): void {
  for (const c of t.chains) {
    const stop = c.rules.find((r) => r.matches.every((m) => m.kind === 'comment') && ['ACCEPT', 'DROP', 'REJECT'].includes(r.target.kind));
    if (!stop) continue;
    for (const r of c.rules.filter((x) => x.index > stop.index))
      warnings.push({ line: r.line, message: `rule ${r.index} of ${t.name}/${c.name} is never reached: rule ${stop.index} (${stop.text}) takes every packet first` });
  }
}
