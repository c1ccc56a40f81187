/**
 * Labels for what a device does, read from its iptables-save text only (a label, not a
 * decision): rules in *nat → NAT; rules or a DROP/REJECT policy in *filter, or DROP
 * rules in *raw → filter; `-j CT … --helper ftp` → FTP helper.
 */
export type Badge = 'filter' | 'NAT' | 'FTP helper';

export function badgesOf(iptablesText: string | null | undefined): Badge[] {
  if (!iptablesText) return [];
  const tables = new Map<string, string[]>();
  let table = '';
  for (const raw of iptablesText.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('*')) table = line.slice(1);
    else if (table) tables.set(table, [...(tables.get(table) ?? []), line]);
  }
  const rules = (t: string) => (tables.get(t) ?? []).filter((l) => l.startsWith('-A '));
  const out: Badge[] = [];
  const filterLines = tables.get('filter') ?? [];
  const policyBlocks = filterLines.some((l) => /^:\S+\s+(DROP|REJECT)\b/.test(l));
  if (rules('filter').length > 0 || policyBlocks || rules('raw').some((l) => /-j (DROP|REJECT)\b/.test(l))) out.push('filter');
  if (rules('nat').length > 0) out.push('NAT');
  if (/-j CT\b[^\n]*--helper ftp/.test(iptablesText)) out.push('FTP helper');
  return out;
}
