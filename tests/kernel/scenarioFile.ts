/**
 * The scenario as the real-kernel run needs it, read straight from the JSON file.
 * Deliberately independent of src/core/scenario/load: the reality check must not inherit a
 * loader bug, and it must run while the simulator is still being built. Only the fields a
 * namespace topology, vsftpd and a real client need are read; defaults follow
 * docs/scenario-format.md.
 */
import { parseClientCommand, type ScenarioFile, type TextOrLines } from '../../src/core/index';

export interface KIface {
  name: string;
  ip: string;
  prefix: number;
  segment: string;
  /** Further addresses on the interface (`ip addr add 203.0.113.10/32 dev wan`), as written. */
  extra: string[];
}

export interface KRoute {
  to: string;
  via: string | null;
  dev: string | null;
}

export interface KDevice {
  id: string;
  kind: 'host' | 'router';
  ifaces: KIface[];
  gateway: string | null;
  routes: KRoute[];
  iptables: string | null;
  helperPorts: number[];
  helperLoose: boolean;
}

export interface KClient {
  id: string;
  host: string;
  profile: string;
  mode: string;
  dataPort: string;
  connectTo: string;
  connectPort: number;
  user: string;
  password: string;
  tls: boolean;
  /** The client's own connect time-out in seconds, or null for the profile's. */
  connectTimeoutS: number | null;
  /** How it treats a 227 address, or null for the program's default. */
  pasvAddress: string | null;
  script: string[];
  /** The command line the scenario gives the client as (client.command), run as written; else null. */
  command: string | null;
}

export interface KScenario {
  id: string;
  name: string;
  devices: KDevice[];
  /** Segment id → its members, in declaration order. */
  segments: Map<string, { device: string; iface: string }[]>;
  server: {
    host: string;
    /** vsftpd.conf lines as written. */
    conf: string[];
    files: { path: string; dir: boolean; size: number; text: string | null; owner: string | null; mode: string | null }[];
    /** Local accounts; `home` as the model resolves it (given, else /home/NAME when the tree has it, else /). */
    users: { name: string; password: string; home: string }[];
  };
  clients: KClient[];
  raw: ScenarioFile;
}

const DEFAULT_SCRIPT = ['login', 'ls', 'get readme.txt', 'quit'];

export function joinText(t: TextOrLines | undefined): string | null {
  if (t === undefined) return null;
  return Array.isArray(t) ? t.join('\n') : t;
}

/** Last value of a vsftpd key (vsftpd keeps the last one), or null. */
export function confValue(conf: string[], key: string): string | null {
  let v: string | null = null;
  for (const line of conf) {
    if (line.startsWith('#')) continue;
    const body = line.replace(/^\s+/, '');
    const eq = body.indexOf('=');
    if (eq > 0 && body.slice(0, eq) === key) v = body.slice(eq + 1);
  }
  return v;
}

function splitAddr(text: string): { ip: string; prefix: number } {
  const [ip, p] = text.split('/');
  return { ip: ip ?? text, prefix: p === undefined ? 24 : Number(p) };
}

function networkOf(ip: string, prefix: number): string {
  const n = ip.split('.').reduce((a, o) => (a << 8) | Number(o), 0) >>> 0;
  const mask = prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
  const m = (n & mask) >>> 0;
  return `${m >>> 24}.${(m >>> 16) & 255}.${(m >>> 8) & 255}.${m & 255}/${prefix}`;
}

export function readScenario(id: string, file: ScenarioFile): KScenario {
  const devices: KDevice[] = [];
  for (const h of file.hosts) {
    const a = splitAddr(h.ip);
    devices.push({
      id: h.id,
      kind: 'host',
      ifaces: [{ name: 'eth0', ip: a.ip, prefix: a.prefix, segment: h.segment ?? networkOf(a.ip, a.prefix), extra: [] }],
      gateway: h.gateway ?? null,
      routes: (h.routes ?? []).map((r) => ({ to: r.to, via: r.via ?? null, dev: r.dev ?? null })),
      iptables: joinText(h.iptables),
      helperPorts: h.ftpHelper?.ports ?? [21],
      helperLoose: h.ftpHelper?.loose ?? false,
    });
  }
  for (const r of file.routers ?? []) {
    devices.push({
      id: r.id,
      kind: 'router',
      ifaces: r.interfaces.map((i) => {
        const a = splitAddr(i.ip);
        const extra = ((i as { addresses?: string[] }).addresses ?? []).map((x) => (x.includes('/') ? x : `${x}/32`));
        return { name: i.name, ip: a.ip, prefix: a.prefix, segment: i.segment ?? networkOf(a.ip, a.prefix), extra };
      }),
      gateway: null,
      routes: (r.routes ?? []).map((x) => ({ to: x.to, via: x.via ?? null, dev: x.dev ?? null })),
      iptables: joinText(r.iptables),
      helperPorts: r.ftpHelper?.ports ?? [21],
      helperLoose: r.ftpHelper?.loose ?? false,
    });
  }
  // Declared segments first (they are listed client side to server side), then the rest.
  const segments = new Map<string, { device: string; iface: string }[]>();
  for (const seg of file.segments ?? []) segments.set(seg.id, []);
  for (const d of devices)
    for (const i of d.ifaces) {
      const list = segments.get(i.segment) ?? [];
      list.push({ device: d.id, iface: i.name });
      segments.set(i.segment, list);
    }
  for (const [id, list] of segments) if (list.length === 0) segments.delete(id);
  const conf = (joinText(file.server.vsftpd) ?? '').split('\n').map((l) => l.replace(/\r$/, ''));
  const serverDev = devices.find((d) => d.id === file.server.host);
  const serverIp = serverDev?.ifaces[0]?.ip ?? '0.0.0.0';
  const listenPort = Number(confValue(conf, 'listen_port') ?? '21');
  const files = Object.entries(file.server.files ?? { '/readme.txt': { size: 1024 } }).map(([path, f]) => ({
    path,
    dir: f.dir ?? false,
    size: f.text !== undefined ? Buffer.byteLength(f.text) : (f.size ?? 1024),
    text: f.text ?? null,
    owner: f.owner ?? null,
    mode: f.mode ?? null,
  }));
  const specs = file.clients ?? (file.client ? [file.client] : []);
  const clients: KClient[] = specs.map((spec) => {
    // A client given as a command line: its fields as the loader reads them (fields written out win; the loader refuses a contradiction).
    const cmd = spec.command !== undefined ? parseClientCommand(spec.command, spec.profile) : null;
    const fromCmd = cmd?.ok ? cmd.fields : undefined;
    const c = { ...fromCmd, ...spec, profile: spec.profile ?? fromCmd?.profile ?? 'curl', script: spec.script ?? fromCmd?.script };
    return {
      id: c.id ?? c.host,
      host: c.host,
      profile: c.profile,
      mode: c.mode ?? 'auto',
      dataPort: c.dataPort ?? 'ephemeral',
      connectTo: c.connectTo ?? serverIp,
      connectPort: c.connectPort ?? listenPort,
      user: c.user ?? 'anonymous',
      password: c.password ?? 'guest@',
      tls: c.tls ?? false,
      connectTimeoutS: c.connectTimeoutS ?? null,
      pasvAddress: c.pasvAddress ?? null,
      script: c.script ?? file.script ?? DEFAULT_SCRIPT,
      command: spec.command ?? null,
    };
  });
  return {
    id,
    name: file.name,
    devices,
    segments,
    server: {
      host: file.server.host,
      conf,
      files,
      users: (file.server.users ?? []).map((u) => ({
        name: u.name,
        password: u.password,
        home: (u as { home?: string }).home ?? (files.some((f) => f.path === `/home/${u.name}` && f.dir) ? `/home/${u.name}` : '/'),
      })),
    },
    clients,
    raw: file,
  };
}

/** Device id owning an address (first match), for naming who opened a connection. */
export function deviceOfIp(s: KScenario, ip: string): string | null {
  for (const d of s.devices) for (const i of d.ifaces) if (i.ip === ip) return d.id;
  return null;
}

/** The script's transfers in order: ls/dir → LIST, get → RETR, put → STOR, append → APPE. */
export function transfersOf(script: string[]): string[] {
  return script.filter((l) => TRANSFER.test(l.trim())).map((l) => l.trim());
}

const TRANSFER = /^(ls|dir|list|get|retr|put|stor|append|appe)\b/i;
const COMMAND = /^(cd|cwd|pwd|mkdir|mkd|rmdir|rmd|delete|dele|rm|rename)\b/i;

/** Is this script line one whose outcome is reported (a transfer, or a command on the server's tree)? */
export function isStepLine(line: string, profile: string): boolean {
  const t = line.trim();
  return TRANSFER.test(t) || (profile !== 'curl' && COMMAND.test(t));
}

/**
 * The steps whose outcome each world reports, named as the simulator names them (`put FILE`
 * without the size): transfers, and for the clients typed at a prompt also cd, pwd, mkdir,
 * rmdir, delete and rename (curl turns a cd into the URL's path and reports only the URLs).
 */
export function stepsOf(profile: string, script: string[]): string[] {
  return script.filter((l) => isStepLine(l, profile)).map((l) => stepName(l));
}

export function stepName(line: string): string {
  const [verb = '', ...args] = line.trim().split(/\s+/);
  const v = verb.toLowerCase();
  const canon: Record<string, string> = { dir: 'ls', list: 'ls', retr: 'get', stor: 'put', appe: 'append', cwd: 'cd', mkd: 'mkdir', rmd: 'rmdir', dele: 'delete', rm: 'delete' };
  const name = canon[v] ?? v;
  if (name === 'put' || name === 'append') return `${name} ${args[0] ?? ''}`;
  return [name, ...args].join(' ');
}
