/**
 * Labels for what a device does, read from its iptables-save text only (a label, not a
 * decision): rules in *nat → NAT; rules or a DROP/REJECT policy in *filter, or DROP/REJECT
 * rules in *raw → filter; `-j CT … --helper ftp` → FTP helper. The words are the core
 * tokenizer's (through iptablesText), so a quoted --comment is never read as an option.
 */
import { chainsOf, optValue } from '../editors/iptablesText';

export type Badge = 'filter' | 'NAT' | 'FTP helper';

export function badgesOf(iptablesText: string | null | undefined): Badge[] {
  if (!iptablesText) return [];
  const chains = chainsOf(iptablesText);
  const rules = (table: string) => chains.filter((c) => c.table === table).flatMap((c) => c.rules);
  const target = (args: string[]) => optValue(args, '-j', '--jump');
  const out: Badge[] = [];
  const policyBlocks = chains.some((c) => c.table === 'filter' && (c.policy === 'DROP' || c.policy === 'REJECT'));
  if (rules('filter').length > 0 || policyBlocks || rules('raw').some((r) => ['DROP', 'REJECT'].includes(target(r.args) ?? ''))) out.push('filter');
  if (rules('nat').length > 0) out.push('NAT');
  if (chains.some((c) => c.rules.some((r) => target(r.args) === 'CT' && optValue(r.args, '--helper')?.startsWith('ftp')))) out.push('FTP helper');
  return out;
}
