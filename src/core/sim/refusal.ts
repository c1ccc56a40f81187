/**
 * A refused packet's sentence, built from the drop's fields (never from another text): the
 * form that names the device ("Dropped by Server firewall, the FORWARD chain's policy"), and
 * the form for a line that has named the device already ("dropped by the FORWARD chain's
 * policy"). The caller passes the name: the canvas's label in the app, the id in the CLI and
 * JSON. The trace's own `reason` is the first form with the id.
 */
import type { DropFacts, DropHow, NetfilterVerdict, RuleRef } from './trace';

/** The fields a drop's sentences are built from (a trace's drop event is one). */
export type Refusal = { how: DropHow; rule: RuleRef | null } & DropFacts;

/** What in netfilter refused it: a rule (its number, chain and text), the chain's policy, or connection tracking's reason. */
function decider(w: NetfilterVerdict, rule: RuleRef | null): string {
  if (typeof w.by === 'number') return `rule ${w.by} of ${w.table}/${w.chain}${rule ? `: ${rule.text}` : ''}`;
  if (w.by === 'policy') return `the ${w.chain} chain's policy`;
  return w.why ?? 'connection tracking dropped it';
}

/** "port 2121", or "that port" when the packet had none to read. */
const portWords = (port: number | null): string => (port === null ? 'that port' : `port ${port}`);
const verb = (w: NetfilterVerdict): string => (w.target === 'REJECT' ? 'Rejected' : 'Dropped');

/** The sentence that names the device `name`: "Dropped by Server firewall, the FORWARD chain's policy", "Server router has no route to 10.0.0.10". */
export function refusalNamed(r: Refusal, name: string): string {
  if (r.where) return `${verb(r.where)} by ${name}, ${decider(r.where, r.rule)}`;
  const c = r.cause;
  switch (c.kind) {
    case 'no-route':
      return `${name} has no route to ${c.dst}`;
    case 'no-neighbour':
      return `${name} cannot reach its next hop ${c.nextHop}: nothing on ${c.segment} answers for it (ARP failed)`;
    case 'not-addressed':
      return `${name} is not ${c.dst} and does not forward`;
    case 'closed-port':
      return `nothing listens on ${name} at ${portWords(c.port)}, so it answers with RST (TCP) or ICMP port unreachable`;
    case 'ttl':
      return `TTL expired at ${name} (a routing loop?)`;
  }
}

/** The same reason for a line that names the device just before it ("Server firewall — dropped by the FORWARD chain's policy"). */
export function refusalAfterName(r: Refusal): string {
  if (r.where) return `${verb(r.where).toLowerCase()} by ${decider(r.where, r.rule)}`;
  const c = r.cause;
  switch (c.kind) {
    case 'no-route':
      return `no route to ${c.dst}`;
    case 'no-neighbour':
      return `cannot reach its next hop ${c.nextHop}: nothing on ${c.segment} answers for it (ARP failed)`;
    case 'not-addressed':
      return `not ${c.dst}, and it does not forward`;
    case 'closed-port':
      return `nothing listens at ${portWords(c.port)}, so it answers with RST (TCP) or ICMP port unreachable`;
    case 'ttl':
      return 'TTL expired (a routing loop?)';
  }
}

/** The same, capitalised: for a line that shows the device in a heading or label of its own ("Server firewall: Dropped by the FORWARD chain's policy"). */
export function refusalBesideName(r: Refusal): string {
  const t = refusalAfterName(r);
  return t.charAt(0).toUpperCase() + t.slice(1);
}
