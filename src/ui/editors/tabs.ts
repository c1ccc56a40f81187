/** Which editor tab a loader error belongs to, from its JSON path (`hosts[1].iptables`). */
export type EditorTab = 'firewall' | 'nat' | 'server' | 'client';

export function tabOfPath(path: string): EditorTab | null {
  if (/^(hosts|routers)\[\d+\]\.(iptables|ftpHelper)/.test(path)) return 'firewall';
  if (path.startsWith('server')) return 'server';
  if (/^(client|clients|script)\b/.test(path)) return 'client';
  return null;
}

/** Error counts per tab, for labels like "Firewalls (2 errors)". */
export function errorCounts(errors: { path: string }[]): Record<EditorTab, number> {
  const counts: Record<EditorTab, number> = { firewall: 0, nat: 0, server: 0, client: 0 };
  for (const e of errors) {
    const t = tabOfPath(e.path);
    if (t) counts[t] += 1;
  }
  return counts;
}
