/**
 * Lesson edits on a scenario file: the changes a lesson starts from or asks the learner to
 * make (switch the client's mode, set a vsftpd key, attach the FTP helper, add or remove a
 * firewall rule). Pure: returns a new file, or says what could not be done and where.
 */
import type { ScenarioFile } from '../core/index';
import type { Edit } from './schema';

export type EditResult = { ok: true; file: ScenarioFile } | { ok: false; message: string };

type Lines = string[];
const lines = (t: string | string[] | undefined): Lines => (t === undefined ? [] : typeof t === 'string' ? t.split('\n') : [...t]);

const CHAINS: Record<string, string[]> = {
  filter: ['INPUT', 'FORWARD', 'OUTPUT'],
  nat: ['PREROUTING', 'INPUT', 'OUTPUT', 'POSTROUTING'],
  raw: ['PREROUTING', 'OUTPUT'],
  mangle: ['PREROUTING', 'INPUT', 'FORWARD', 'OUTPUT', 'POSTROUTING'],
};

/** Inserts `rule` into `table` (before the line `before`, or at the end of the table). */
export function addRule(text: Lines, table: string, rule: string, before?: string): Lines | string {
  const out = [...text];
  if (before !== undefined) {
    const k = out.findIndex((l) => l.trim() === before.trim());
    if (k < 0) return `has no line "${before}" to insert before`;
    out.splice(k, 0, rule);
    return out;
  }
  const start = out.findIndex((l) => l.trim() === `*${table}`);
  if (start < 0) return [...out, `*${table}`, ...(CHAINS[table] ?? []).map((c) => `:${c} ACCEPT [0:0]`), rule, 'COMMIT'];
  const commit = out.findIndex((l, k) => k > start && l.trim() === 'COMMIT');
  if (commit < 0) return `its *${table} table has no COMMIT line`;
  out.splice(commit, 0, rule);
  return out;
}

function deviceOf(file: ScenarioFile, id: string): { iptables?: string | string[] } | null {
  return file.hosts.find((h) => h.id === id) ?? file.routers?.find((r) => r.id === id) ?? null;
}

export function applyEdit(input: ScenarioFile, edit: Edit | undefined): EditResult {
  if (!edit) return { ok: true, file: input };
  const file = structuredClone(input) as ScenarioFile;
  if (edit.seed !== undefined) file.seed = edit.seed;
  if (edit.clientMode !== undefined || edit.clientProfile !== undefined || edit.clientDataPort !== undefined) {
    if (!file.client) return { ok: false, message: 'the scenario has no "client" to change' };
    if (edit.clientMode !== undefined) file.client.mode = edit.clientMode;
    if (edit.clientProfile !== undefined) file.client.profile = edit.clientProfile;
    if (edit.clientDataPort !== undefined) file.client.dataPort = edit.clientDataPort;
  }
  if (edit.vsftpd) {
    if (!file.server) return { ok: false, message: 'the scenario has no "server" whose vsftpd.conf could change' };
    let conf = lines(file.server.vsftpd);
    for (const [key, value] of Object.entries(edit.vsftpd)) {
      const at = conf.findIndex((l) => l.trim().startsWith(`${key}=`));
      const line = value === null ? null : `${key}=${value === true ? 'YES' : value === false ? 'NO' : String(value)}`;
      if (at >= 0) conf = line === null ? conf.filter((_, k) => k !== at) : conf.map((l, k) => (k === at ? line : l));
      else if (line !== null) conf.push(line);
    }
    file.server.vsftpd = conf;
  }
  if (edit.helper) {
    const { device, on, port = 21 } = edit.helper;
    const dev = deviceOf(file, device);
    if (!dev) return { ok: false, message: `helper: no device "${device}"` };
    let text = lines(dev.iptables).filter((l) => !/-j CT --helper ftp\b/.test(l));
    if (on) {
      // The control connection enters a router or a server (PREROUTING); it leaves the client host (OUTPUT).
      const chain = file.client?.host === device ? 'OUTPUT' : 'PREROUTING';
      const r = addRule(text, 'raw', `-A ${chain} -p tcp -m tcp --dport ${port} -j CT --helper ftp`);
      if (typeof r === 'string') return { ok: false, message: `helper: device "${device}" ${r}` };
      text = r;
    }
    dev.iptables = text;
  }
  for (const [k, r] of (edit.rules ?? []).entries()) {
    const dev = deviceOf(file, r.device);
    if (!dev) return { ok: false, message: `rules[${k}]: no device "${r.device}"` };
    const text = lines(dev.iptables);
    if ('add' in r) {
      const out = addRule(text, r.table ?? 'filter', r.add, r.before);
      if (typeof out === 'string') return { ok: false, message: `rules[${k}]: device "${r.device}" ${out}` };
      dev.iptables = out;
    } else if ('remove' in r) {
      const at = text.findIndex((l) => l.trim() === r.remove.trim());
      if (at < 0) return { ok: false, message: `rules[${k}]: device "${r.device}" has no line "${r.remove}"` };
      dev.iptables = text.filter((_, j) => j !== at);
    } else {
      const at = text.findIndex((l) => l.trim() === r.replace.trim());
      if (at < 0) return { ok: false, message: `rules[${k}]: device "${r.device}" has no line "${r.replace}"` };
      dev.iptables = text.map((l, j) => (j === at ? r.with : l));
    }
  }
  return { ok: true, file };
}
