/**
 * The firewall toggles as text edits: the FTP helper assignment, "accept RELATED", NAT
 * MASQUERADE and port forwards. Each reads and writes iptables-save lines; what they do to
 * packets is the core's business (docs/FIDELITY-NOTES.md, "Reference: netfilter").
 */
import { type ScenarioFile, parseIpv4 } from '../../core/index';
import { addRule, chainsOf, hasOpt, optValue, removeRules, ruleLines, type RuleLine } from './iptablesText';
import { clientsOf, type DeviceRef } from './fileOps';
import { formConf } from './vsftpdForm';
import { textOf } from './fileOps';

/**
 * Where the helper must be attached: the chain the control connection's first packet
 * crosses. A router or the server sees it arrive (raw PREROUTING); a client host sends
 * it itself (raw OUTPUT) — measured on Linux 6.18, docs/FIDELITY-NOTES.md.
 */
export function helperChain(file: ScenarioFile, ref: DeviceRef): 'PREROUTING' | 'OUTPUT' {
  if (ref.kind === 'router') return 'PREROUTING';
  return clientsOf(file).some((c) => c.host === ref.id) ? 'OUTPUT' : 'PREROUTING';
}

/** The control port the client dials: its connectPort, else the server's listen_port. */
export function controlPort(file: ScenarioFile): number {
  return clientsOf(file)[0]?.connectPort ?? formConf(textOf(file.server.vsftpd)).listen_port;
}

const isHelperRule = (r: RuleLine) => r.table === 'raw' && hasOpt(r.args, '-j', 'CT') && hasOpt(r.args, '--helper', 'ftp');

export function helperOn(text: string, chain: string): boolean {
  return ruleLines(text).some((r) => isHelperRule(r) && r.chain === chain);
}

/**
 * Does an assignment in this chain cover the control port? A rule without --dport covers
 * every port; `--dport 21` does not see a server on 3069.
 */
export function helperCoversPort(text: string, chain: string, port: number): boolean {
  return ruleLines(text).some((r) => {
    if (!isHelperRule(r) || r.chain !== chain) return false;
    const d = optValue(r.args, '--dport', '--destination-port');
    if (d === undefined) return true;
    const [from, to = from] = d.split(':').map(Number);
    return port >= from! && port <= to!;
  });
}

/** On: one assignment in the right chain. Off: every ftp helper assignment goes. */
export function setHelper(text: string, on: boolean, chain: 'PREROUTING' | 'OUTPUT', port: number): string {
  const without = removeRules(text, isHelperRule);
  return on ? addRule(without, 'raw', chain, `-p tcp --dport ${port} -j CT --helper ftp`) : without;
}

/** The filter chain that sees the data connection: INPUT on a host, FORWARD on a router. */
export const relatedChain = (ref: DeviceRef): 'INPUT' | 'FORWARD' => (ref.kind === 'router' ? 'FORWARD' : 'INPUT');

/** Does a rule in that filter chain ACCEPT the RELATED state (`-m state` or `-m conntrack`)? */
export function acceptsRelated(text: string, chain: string): boolean {
  return ruleLines(text).some((r) => {
    if (r.table !== 'filter' || r.chain !== chain || !hasOpt(r.args, '-j', 'ACCEPT')) return false;
    const states = optValue(r.args, '--state', '--ctstate') ?? '';
    return states.toUpperCase().split(',').includes('RELATED');
  });
}

/**
 * Worth a hint only when the chain can refuse something (a DROP policy, or a DROP/REJECT
 * rule) and no rule accepts RELATED; an all-ACCEPT chain lets the data connection through.
 */
export function relatedHintNeeded(text: string, chain: string): boolean {
  const c = chainsOf(text).find((x) => x.table === 'filter' && x.chain === chain);
  if (!c) return false;
  const refuses = c.policy === 'DROP' || c.rules.some((r) => hasOpt(r.args, '-j', 'DROP') || hasOpt(r.args, '-j', 'REJECT'));
  return refuses && !acceptsRelated(text, chain);
}

export function addRelatedRule(text: string, chain: 'INPUT' | 'FORWARD'): string {
  return addRule(text, 'filter', chain, '-m conntrack --ctstate RELATED,ESTABLISHED -j ACCEPT', 'first');
}

// ─────────────── NAT ───────────────

const isMasquerade = (iface: string) => (r: RuleLine) => r.table === 'nat' && r.chain === 'POSTROUTING' && hasOpt(r.args, '-j', 'MASQUERADE') && optValue(r.args, '-o') === iface;

export function masqueradeOn(text: string, iface: string): boolean {
  return ruleLines(text).some(isMasquerade(iface));
}

export function setMasquerade(text: string, iface: string, on: boolean): string {
  const without = removeRules(text, isMasquerade(iface));
  return on ? addRule(without, 'nat', 'POSTROUTING', `-o ${iface} -j MASQUERADE`) : without;
}

export interface PortForward {
  /** Line index in the text, to remove it. */
  index: number;
  inIface: string;
  proto: string;
  dport: string;
  to: string;
}

export function portForwards(text: string): PortForward[] {
  return ruleLines(text)
    .filter((r) => r.table === 'nat' && r.chain === 'PREROUTING' && hasOpt(r.args, '-j', 'DNAT'))
    .map((r) => ({
      index: r.index,
      inIface: optValue(r.args, '-i') ?? 'any',
      proto: optValue(r.args, '-p') ?? 'all',
      dport: optValue(r.args, '--dport', '--destination-port') ?? 'any',
      to: optValue(r.args, '--to-destination', '--to') ?? '?',
    }));
}

export interface ForwardForm {
  inIface: string;
  dport: string;
  to: string;
}

/** The reason a forward form cannot be written, or null. */
export function checkForward(f: ForwardForm): string | null {
  const m = /^(\d{1,5})(?::(\d{1,5}))?$/.exec(f.dport.trim());
  const inRange = (s: string | undefined) => s === undefined || (Number(s) >= 1 && Number(s) <= 65535);
  if (!m || !inRange(m[1]) || !inRange(m[2])) return 'Port must be a port 1–65535 or a range like 3001:3300';
  if (m[2] !== undefined && Number(m[2]) < Number(m[1])) return 'In a port range the first port must not be above the last (3001:3300)';
  const [ip, port, extra] = f.to.trim().split(':');
  if (extra !== undefined || !ip || parseIpv4(ip) === null) return 'Destination must be an IPv4 address, optionally with :port (10.0.0.10 or 10.0.0.10:21)';
  if (port !== undefined && !(/^\d{1,5}$/.test(port) && Number(port) >= 1 && Number(port) <= 65535)) return 'The destination port must be 1–65535';
  if (!/^[A-Za-z0-9_.-]{1,15}$/.test(f.inIface)) return 'Choose the interface the connections arrive on';
  return null;
}

export function addPortForward(text: string, f: ForwardForm): string {
  return addRule(text, 'nat', 'PREROUTING', `-i ${f.inIface} -p tcp --dport ${f.dport.trim()} -j DNAT --to-destination ${f.to.trim()}`);
}

export function removeLine(text: string, index: number): string {
  return removeRules(text, (r) => r.index === index);
}
