/**
 * ScenarioFile (shape already checked by the schema) → Scenario: addresses parsed, defaults
 * filled, references resolved, embedded iptables and vsftpd texts parsed. Every problem is
 * collected with its JSON path; nothing here throws on bad content.
 */
import { formatCidr, formatIpv4, inCidr, parseCidr, parseIpv4, prefixMask, asPort, asIpv4, type Ipv4 } from '../codec/addr';
import { parseIptablesSave } from '../net/iptables/parse';
import { parseScriptLine } from '../ftp/client/script';
import { parseClientCommand, type CommandFields } from '../ftp/client/cmdline';
import { parseFzSettings, type FzSettings } from '../ftp/filezilla/settings';
import { uidOf } from '../ftp/vsftpd/accounts';
import { parseVsftpdConf, type VsftpdConf } from '../ftp/vsftpd/conf';
import { addressesOf, findPath } from './reach';
import {
  DEFAULT_LATENCY_MS,
  DEFAULT_SCRIPT,
  DEFAULT_SEED,
  type Client,
  type ClientProfileId,
  type ClientSpec,
  type Firewall,
  type FtpHelper,
  type FtpHelperSpec,
  type Host,
  type IfaceAddress,
  type Interface,
  type Route,
  type RouteSpecFile,
  type Router,
  type Scenario,
  type ScenarioError,
  type ScenarioFile,
  type Segment,
  type Server,
  type ServerFile,
  type TextOrLines,
} from './types';

export class Problems {
  readonly errors: ScenarioError[] = [];
  readonly warnings: ScenarioError[] = [];
  constructor(private readonly file: string | undefined) {}
  private make(path: string, message: string, line?: number, column?: number): ScenarioError {
    const e: ScenarioError = { path, message };
    if (this.file !== undefined) e.file = this.file;
    if (line !== undefined) e.line = line;
    if (column !== undefined) e.column = column;
    return e;
  }
  error(path: string, message: string, line?: number, column?: number): void {
    this.errors.push(this.make(path, message, line, column));
  }
  warn(path: string, message: string, line?: number, column?: number): void {
    this.warnings.push(this.make(path, message, line, column));
  }
}

export function joinText(t: TextOrLines | undefined): string {
  if (t === undefined) return '';
  return Array.isArray(t) ? t.map((l) => `${l}\n`).join('') : t;
}

/** "192.168.1.100/24" (or a bare address, meaning /24) → address, prefix and network. */
export function parseAddress(text: string): { ip: Ipv4; prefix: number } | string {
  const [addr, len, ...rest] = text.trim().split('/');
  if (rest.length > 0 || addr === undefined) return `"${text}" is not an address like 192.168.1.100/24`;
  const ip = parseIpv4(addr);
  if (ip === null) return `"${addr}" is not an IPv4 address (four numbers 0–255 separated by dots)`;
  if (len === undefined) return { ip, prefix: 24 };
  if (!/^\d{1,2}$/.test(len) || Number(len) > 32) return `"/${len}" is not a prefix length 0–32`;
  return { ip, prefix: Number(len) };
}

function makeInterface(name: string, ip: Ipv4, prefix: number, segment: string | undefined, extra: IfaceAddress[] = []): Interface {
  const a = ifaceAddress(ip, prefix);
  return { name, ...a, segment: segment ?? formatCidr(a.network), extra };
}

const ifaceAddress = (ip: Ipv4, prefix: number): IfaceAddress => ({ ip, prefix, network: { network: asIpv4(ip & prefixMask(prefix)), prefix } });

function checkHostAddress(p: Problems, path: string, ip: Ipv4, prefix: number): void {
  if (prefix >= 31) return;
  const net = asIpv4(ip & prefixMask(prefix));
  const bcast = asIpv4(net | (~prefixMask(prefix) >>> 0));
  if (ip === net) p.error(path, `${formatIpv4(ip)} is the network address of ${formatIpv4(net)}/${prefix}, not usable by a device`);
  else if (ip === bcast) p.error(path, `${formatIpv4(ip)} is the broadcast address of ${formatIpv4(net)}/${prefix}, not usable by a device`);
}

function buildRoutes(p: Problems, path: string, specs: RouteSpecFile[] | undefined, ifaces: Interface[]): Route[] {
  const out: Route[] = [];
  (specs ?? []).forEach((r, i) => {
    const rp = `${path}[${i}]`;
    const to = parseCidr(r.to);
    if (!to) return p.error(`${rp}.to`, `"${r.to}" is not a network like 10.0.0.0/8 (0.0.0.0/0 for the default route)`);
    const addrPart = parseIpv4(r.to.split('/')[0] ?? '');
    if (addrPart !== null && addrPart !== to.network) {
      return p.error(`${rp}.to`, `"${r.to}" has host bits set: the network is ${formatCidr(to)}`);
    }
    let via: Ipv4 | null = null;
    if (r.via !== undefined) {
      via = parseIpv4(r.via);
      if (via === null) return p.error(`${rp}.via`, `"${r.via}" is not an IPv4 address`);
      const v = via;
      if (!ifaces.some((f) => inCidr(v, f.network))) {
        return p.error(`${rp}.via`, `next hop ${r.via} is not on any directly connected network (${ifaces.map((f) => formatCidr(f.network)).join(', ')})`);
      }
    }
    if (r.dev !== undefined && !ifaces.some((f) => f.name === r.dev)) {
      return p.error(`${rp}.dev`, `no interface "${r.dev}" (interfaces: ${ifaces.map((f) => f.name).join(', ')})`);
    }
    if (via === null && r.dev === undefined) return p.error(rp, 'a route needs "via" (a next hop) or "dev" (an on-link interface)');
    out.push({ to, via, dev: r.dev ?? null });
  });
  return out;
}

function buildHelper(spec: FtpHelperSpec | undefined): FtpHelper {
  const ports = [...new Set(spec?.ports ?? [21])].map((n) => asPort(n));
  return { ports, loose: spec?.loose ?? false };
}

/** A rule naming an interface the device does not have never matches: almost always a typo. */
function checkInterfaceNames(p: Problems, path: string, text: string, ifaces: Interface[]): void {
  text.split('\n').forEach((line, i) => {
    if (!line.startsWith('-A ')) return;
    for (const m of line.matchAll(/(?:^|\s)(?:-i|-o|--in-interface|--out-interface)\s+!?\s*(\S+)/g)) {
      const name = m[1]!;
      const known = name.endsWith('+') ? ifaces.some((f) => f.name.startsWith(name.slice(0, -1))) : ifaces.some((f) => f.name === name);
      if (!known) p.warn(path, `interface "${name}" does not exist here (${ifaces.map((f) => f.name).join(', ')}): this rule never matches`, i + 1);
    }
  });
}

function buildFirewall(p: Problems, path: string, t: TextOrLines | undefined, ifaces: Interface[]): Firewall | null {
  if (t === undefined) return null;
  const text = joinText(t);
  checkInterfaceNames(p, path, text, ifaces);
  let r: ReturnType<typeof parseIptablesSave>;
  try {
    r = parseIptablesSave(text);
  } catch (e) {
    p.error(path, `the iptables reader failed on this text: ${e instanceof Error ? e.message : String(e)}`);
    return null;
  }
  if (!r.ok) {
    for (const e of r.errors) p.error(path, e.message, e.line, e.column);
    return null;
  }
  for (const w of r.warnings) p.warn(path, w.message, w.line, w.column);
  return { text, ruleset: r.ruleset };
}

/** Builds the scenario; returns null when any error was found (they are in `p`). */
export function buildScenario(f: ScenarioFile, p: Problems): Scenario | null {
  // ── devices ──
  const idPaths = new Map<string, string>();
  const claimId = (id: string, path: string) => {
    const prev = idPaths.get(id);
    if (prev !== undefined) p.error(`${path}.id`, `duplicate id "${id}" (already used by ${prev})`);
    else idPaths.set(id, path);
  };

  const hosts: Host[] = [];
  f.hosts.forEach((h, i) => {
    const path = `hosts[${i}]`;
    claimId(h.id, path);
    const a = parseAddress(h.ip);
    if (typeof a === 'string') return p.error(`${path}.ip`, a);
    checkHostAddress(p, `${path}.ip`, a.ip, a.prefix);
    const iface = makeInterface('eth0', a.ip, a.prefix, h.segment);
    let gateway: Ipv4 | null = null;
    if (h.gateway !== undefined) {
      gateway = parseIpv4(h.gateway);
      if (gateway === null) p.error(`${path}.gateway`, `"${h.gateway}" is not an IPv4 address`);
      else if (!inCidr(gateway, iface.network)) p.error(`${path}.gateway`, `gateway ${h.gateway} is not on the host's network ${formatCidr(iface.network)}`);
      else if (gateway === a.ip) p.error(`${path}.gateway`, `the gateway ${h.gateway} is the host's own address`);
    }
    const routes = buildRoutes(p, `${path}.routes`, h.routes, [iface]);
    const role = h.role ?? (f.server.host === h.id ? 'server' : [...(f.clients ?? []), ...(f.client ? [f.client] : [])].some((c) => c.host === h.id) ? 'client' : 'other');
    hosts.push({
      kind: 'host',
      id: h.id,
      label: h.label ?? h.id,
      role,
      interfaces: [iface],
      routes,
      gateway,
      firewall: buildFirewall(p, `${path}.iptables`, h.iptables, [iface]),
      ftpHelper: buildHelper(h.ftpHelper),
    });
  });

  const routers: Router[] = [];
  (f.routers ?? []).forEach((r, i) => {
    const path = `routers[${i}]`;
    claimId(r.id, path);
    const ifaces: Interface[] = [];
    const names = new Set<string>();
    r.interfaces.forEach((f2, j) => {
      const ip = `${path}.interfaces[${j}]`;
      if (names.has(f2.name)) p.error(`${ip}.name`, `duplicate interface name "${f2.name}"`);
      names.add(f2.name);
      const a = parseAddress(f2.ip);
      if (typeof a === 'string') return p.error(`${ip}.ip`, a);
      checkHostAddress(p, `${ip}.ip`, a.ip, a.prefix);
      const extra: IfaceAddress[] = [];
      (f2.addresses ?? []).forEach((text, k) => {
        const at = `${ip}.addresses[${k}]`;
        // `ip addr add` takes a bare address as /32 (a bare "ip" field means /24, as before).
        const b = parseAddress(text.includes('/') ? text : `${text}/32`);
        if (typeof b === 'string') return p.error(at, b);
        checkHostAddress(p, at, b.ip, b.prefix);
        const mine = [...ifaces.flatMap((x) => [x, ...x.extra]), a, ...extra];
        if (mine.some((x) => x.ip === b.ip)) return p.error(at, `${formatIpv4(b.ip)} is already an address of this router`);
        extra.push(ifaceAddress(b.ip, b.prefix));
      });
      ifaces.push(makeInterface(f2.name, a.ip, a.prefix, f2.segment, extra));
    });
    routers.push({
      kind: 'router',
      id: r.id,
      label: r.label ?? r.id,
      role: r.role ?? 'other',
      interfaces: ifaces,
      routes: buildRoutes(p, `${path}.routes`, r.routes, ifaces),
      firewall: buildFirewall(p, `${path}.iptables`, r.iptables, ifaces),
      ftpHelper: buildHelper(r.ftpHelper),
    });
  });
  const devices = [...hosts, ...routers];
  const devicePath = (id: string) => (hosts.some((h) => h.id === id) ? `hosts[${hosts.findIndex((h) => h.id === id)}]` : `routers[${routers.findIndex((r) => r.id === id)}]`);

  // ── segments ──
  const segments = buildSegments(f, devices, p);
  for (const h of hosts) {
    if (h.gateway === null) continue;
    const gw = h.gateway;
    const seg = h.interfaces[0]!.segment;
    if (!devices.some((d) => d !== h && d.interfaces.some((i) => i.segment === seg && addressesOf(i).some((x) => x.ip === gw)))) {
      p.error(`${devicePath(h.id)}.gateway`, `no router on segment "${seg}" has the gateway address ${formatIpv4(gw)}`);
    }
  }

  // ── server ──
  const hostIds = f.hosts.map((h) => h.id);
  const refHost = (path: string, id: string): Host | undefined => {
    const h = hosts.find((x) => x.id === id);
    // A host whose own fields were wrong is already reported; do not cascade.
    if (!h && !f.hosts.some((x) => x.id === id)) {
      const isRouter = routers.some((r) => r.id === id);
      p.error(path, isRouter ? `"${id}" is a router; it must be one of the hosts (${hostIds.join(', ')})` : `no host "${id}" (hosts: ${hostIds.join(', ')})`);
    }
    return h;
  };
  const serverHost = refHost('server.host', f.server.host);
  const vsftpdText = joinText(f.server.vsftpd);
  const vr = parseVsftpdConf(vsftpdText);
  const vsftpd: VsftpdConf = vr.ok ? vr.conf : vr.partial;
  if (!vr.ok) for (const e of vr.errors) p.error('server.vsftpd', e.message, e.line);
  else for (const w of vr.warnings) p.warn('server.vsftpd', w.message, w.line);
  const files = buildFiles(f, p);
  const kind = f.server.kind ?? 'vsftpd';
  let filezilla: FzSettings | null = null;
  if (kind === 'filezilla') {
    const fz = parseFzSettings(f.server.filezilla ?? {});
    for (const i of fz.issues) (i.severity === 'error' ? p.error : p.warn).call(p, i.path ? `server.filezilla.${i.path}` : 'server.filezilla', i.message);
    filezilla = fz.settings;
    checkFzFolders(p, fz.settings, files);
    if (f.server.vsftpd !== undefined) p.warn('server.vsftpd', 'the server is FileZilla Server (kind "filezilla"): vsftpd.conf is not read');
    if (f.server.users !== undefined) p.warn('server.users', "FileZilla Server's accounts are server.filezilla.users: server.users is not read");
  } else if (f.server.filezilla !== undefined) {
    p.warn('server.filezilla', 'FileZilla Server settings are read only with "kind": "filezilla"');
  }
  const serverPort = filezilla ? filezilla.ports[0]! : vsftpd.listen_port;
  const users = f.server.users ?? [];
  const userNames = new Set<string>();
  users.forEach((u, i) => {
    if (userNames.has(u.name)) p.error(`server.users[${i}].name`, `duplicate user "${u.name}"`);
    userNames.add(u.name);
    if (u.home !== undefined && !/^\/[^\r\n]*$/.test(u.home)) p.error(`server.users[${i}].home`, `"${u.home}" is not an absolute directory path like /home/${u.name}`);
    else if (u.home !== undefined && kind === 'vsftpd' && !treeDirs(files).has(u.home.replace(/(.)\/$/, '$1')))
      p.warn(`server.users[${i}].home`, `${u.home} is not a directory in server.files: vsftpd will answer ${u.name}'s login with 500 OOPS: cannot change directory:${u.home}`);
  });
  const accounts = buildAccounts(f, p, vsftpd, userNames);

  // ── clients ──
  const clients = buildClients(f, p, { refHost, serverHost, vsftpd, userNames, filezilla, serverPort });

  // ── routing, only on an otherwise sound topology ──
  if (p.errors.length === 0 && serverHost) {
    clients.forEach(({ client, path }) => checkReachability(p, path, devices, client, serverHost));
  }

  if (p.errors.length > 0 || !serverHost) return null;
  return {
    name: f.name,
    teaches: f.teaches,
    description: joinText(f.description).replace(/\n$/, ''),
    seed: f.seed ?? DEFAULT_SEED,
    tcp: { synSchedule: f.tcp?.synSchedule ?? 'linux' },
    segments,
    hosts,
    routers,
    server: { host: serverHost.id, kind, filezilla, port: serverPort, vsftpdText, vsftpd, style: f.server.style ?? 'vsftpd', files, users, accounts },
    clients: clients.map((c) => c.client),
    expect: f.expect ?? null,
  };
}

function buildSegments(f: ScenarioFile, devices: (Host | Router)[], p: Problems): Segment[] {
  const out = new Map<string, Segment>();
  (f.segments ?? []).forEach((s, i) => {
    if (out.has(s.id)) return p.error(`segments[${i}].id`, `duplicate segment "${s.id}"`);
    out.set(s.id, { id: s.id, label: s.label ?? s.id, latencyMs: s.latencyMs ?? DEFAULT_LATENCY_MS, members: [] });
  });
  const seen = new Map<string, string>();
  for (const d of devices) {
    for (const i of d.interfaces) {
      let seg = out.get(i.segment);
      if (!seg) {
        seg = { id: i.segment, label: i.segment, latencyMs: DEFAULT_LATENCY_MS, members: [] };
        out.set(i.segment, seg);
      }
      seg.members.push({ device: d.id, iface: i.name });
      for (const a of addressesOf(i)) {
        const key = `${i.segment} ${a.ip}`;
        const prev = seen.get(key);
        if (prev !== undefined && prev !== d.id)
          p.error(
            `${d.kind === 'host' ? 'hosts' : 'routers'}[${devices.filter((x) => x.kind === d.kind).indexOf(d)}]`,
            `address ${formatIpv4(a.ip)} on segment "${i.segment}" is also used by "${prev}"`,
          );
        else seen.set(key, d.id);
      }
    }
  }
  (f.segments ?? []).forEach((s, i) => {
    if (out.get(s.id)?.members.length === 0) p.error(`segments[${i}]`, `segment "${s.id}" has no host or router interface on it (name it in a "segment" field)`);
  });
  return [...out.values()];
}

/** Every directory of the tree: "/", the directories given, and the parents of every path. */
function treeDirs(files: ServerFile[]): Set<string> {
  const dirs = new Set<string>(['/']);
  for (const f of files) {
    if (f.dir) dirs.add(f.path);
    for (let i = f.path.lastIndexOf('/'); i > 0; i = f.path.lastIndexOf('/', i - 1)) dirs.add(f.path.slice(0, i));
  }
  return dirs;
}

/** vsftpd's account files: the user list, the chroot list and user_config_dir's files. */
function buildAccounts(f: ScenarioFile, p: Problems, conf: VsftpdConf, userNames: Set<string>): Server['accounts'] {
  const userList = f.server.userList ?? [];
  const chrootList = f.server.chrootList ?? [];
  if (f.server.userList !== undefined && !conf.userlist_enable) p.warn('server.userList', 'userlist_enable=NO: vsftpd does not read the user list');
  if (f.server.chrootList !== undefined && !conf.chroot_list_enable) p.warn('server.chrootList', 'chroot_list_enable=NO: vsftpd does not read the chroot list');
  const userConfig: Record<string, string> = {};
  for (const [name, t] of Object.entries(f.server.userConfig ?? {})) {
    const path = `server.userConfig[${JSON.stringify(name)}]`;
    const text = joinText(t);
    userConfig[name] = text;
    const r = parseVsftpdConf(text, conf);
    if (!r.ok) for (const e of r.errors) p.error(path, e.message, e.line);
    if (!userNames.has(name) && name !== 'ftp') p.warn(path, `"${name}" is not one of server.users (nor ftp, the anonymous user): nobody logs in with these settings`);
  }
  if (f.server.userConfig !== undefined && conf.user_config_dir === null)
    p.warn('server.userConfig', 'user_config_dir is not set in vsftpd.conf: vsftpd reads no per-user settings');
  return { userList, chrootList, userConfig };
}

function buildFiles(f: ScenarioFile, p: Problems): ServerFile[] {
  const specs = f.server.files ?? { '/readme.txt': { size: 1024 } };
  const out: ServerFile[] = [];
  for (const [path, spec] of Object.entries(specs)) {
    const fp = `server.files[${JSON.stringify(path)}]`;
    if (!path.startsWith('/') || path.split('/').some((s) => s === '..' || s === '.') || /\/\/|[\r\n]/.test(path) || path === '/') {
      p.error(fp, `"${path}" is not an absolute file path like /pub/readme.txt`);
      continue;
    }
    let mode: number | null = null;
    if (spec.mode !== undefined) {
      if (!/^0?[0-7]{3}$/.test(spec.mode)) p.error(`${fp}.mode`, `"${spec.mode}" is not a permission mode in octal like "755" or "0644"`);
      else mode = parseInt(spec.mode, 8);
    }
    const users = f.server.users ?? [];
    if (spec.owner !== undefined && uidOf(spec.owner, users) === null) {
      p.error(`${fp}.owner`, `no user "${spec.owner}" (use root, ftp or one of server.users: ${users.map((u) => u.name).join(', ') || 'none'})`);
    }
    const owner = spec.owner ?? null;
    if (spec.dir) {
      if (spec.size !== undefined || spec.text !== undefined) p.error(fp, 'a directory has no size or text');
      out.push({ path: path.replace(/\/$/, ''), dir: true, size: 0, text: null, owner, mode });
      continue;
    }
    const textBytes = spec.text === undefined ? undefined : utf8Length(spec.text);
    if (spec.size !== undefined && textBytes !== undefined && spec.size !== textBytes) {
      p.error(`${fp}.size`, `size ${spec.size} does not match the text, which is ${textBytes} bytes (leave size out)`);
    }
    out.push({ path: path.replace(/\/$/, ''), dir: false, size: textBytes ?? spec.size ?? 1024, text: spec.text ?? null, owner, mode });
  }
  return out;
}

function utf8Length(s: string): number {
  let n = 0;
  for (const ch of s) {
    const c = ch.codePointAt(0)!;
    n += c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
  }
  return n;
}

interface ClientCtx {
  refHost: (path: string, id: string) => Host | undefined;
  serverHost: Host | undefined;
  vsftpd: VsftpdConf;
  userNames: Set<string>;
  filezilla: FzSettings | null;
  serverPort: number;
}

/** Every FileZilla shared folder must be a directory of server.files (FileZilla refuses a folder that does not exist). */
function checkFzFolders(p: Problems, s: FzSettings, files: ServerFile[]): void {
  const dirs = new Set<string>(['/']);
  const fileSet = new Set<string>();
  for (const f of files) {
    if (f.dir) dirs.add(f.path);
    else fileSet.add(f.path);
    for (let i = f.path.lastIndexOf('/'); i > 0; i = f.path.lastIndexOf('/', i - 1)) dirs.add(f.path.slice(0, i));
  }
  const check = (folders: FzSettings['users'][number]['folders'], base: string) =>
    folders.forEach((f, i) => {
      if (dirs.has(f.path)) return;
      const what = fileSet.has(f.path) ? 'is a file, not a directory' : 'is not a directory of server.files (add a file below it, or { "dir": true })';
      p.error(`${base}.folders[${i}].path`, `"${f.path}" ${what}`);
    });
  s.users.forEach((u, i) => check(u.folders, `server.filezilla.users[${i}]`));
  s.groups.forEach((g, i) => check(g.folders, `server.filezilla.groups[${i}]`));
}

function buildClients(f: ScenarioFile, p: Problems, ctx: ClientCtx): { client: Client; path: string }[] {
  let specs: { spec: ClientSpec; path: string }[];
  if (f.client && f.clients) {
    p.error('clients', 'give either "client" or "clients", not both');
    return [];
  } else if (f.client) specs = [{ spec: f.client, path: 'client' }];
  else if (f.clients) specs = f.clients.map((spec, i) => ({ spec, path: `clients[${i}]` }));
  else {
    p.error('client', 'missing field "client" (or "clients" for several)');
    return [];
  }
  const ids = new Map<string, string>();
  const out: { client: Client; path: string }[] = [];
  for (const { spec: given, path } of specs) {
    const c = withCommand(given, path, p);
    if (c === null) continue;
    const host = ctx.refHost(`${path}.host`, c.host);
    const id = c.id ?? c.host;
    const prev = ids.get(id);
    if (prev !== undefined) p.error(`${path}.id`, `duplicate client id "${id}" (also ${prev}); give each client an "id"`);
    ids.set(id, path);
    if (host && ctx.serverHost && host === ctx.serverHost) p.error(`${path}.host`, 'the client must run on another host than the server');

    let connectTo: Ipv4 | null = ctx.serverHost?.interfaces[0]?.ip ?? null;
    if (c.connectTo !== undefined) {
      connectTo = parseIpv4(c.connectTo);
      if (connectTo === null) p.error(`${path}.connectTo`, `"${c.connectTo}" is not an IPv4 address`);
    }
    const mode = c.mode ?? 'auto';
    if (c.profile === 'windows' && (mode === 'pasv' || mode === 'epsv')) {
      p.error(`${path}.mode`, `Windows ftp.exe has no passive mode and cannot send ${mode.toUpperCase()}: use mode "active" or another profile`);
    } else if (c.profile === 'windows' && mode === 'passive') {
      p.warn(`${path}.mode`, 'Windows ftp.exe has no passive mode: it will use PORT');
    }
    const dataPort = c.dataPort ?? 'ephemeral';
    if (c.controlPort !== undefined) {
      if (c.controlPort < 1024) p.warn(`${path}.controlPort`, `control port ${c.controlPort} is privileged; clients use ephemeral ports ≥ 1024`);
      if (dataPort === 'control+1' && c.controlPort === 65535) p.error(`${path}.controlPort`, 'with dataPort "control+1" the control port must be below 65535');
    }
    const user = c.user ?? 'anonymous';
    const anonymous = user === 'anonymous' || user === 'ftp';
    if (ctx.filezilla) {
      if (c.tls) p.warn(`${path}.tls`, 'the FileZilla Server here has no TLS certificate: it refuses AUTH TLS');
      if (!ctx.filezilla.users.some((u) => u.name === user.toLowerCase())) p.warn(`${path}.user`, `"${user}" is not one of server.filezilla.users: this login will fail with 530`);
    } else {
      if (c.tls && !ctx.vsftpd.ssl_enable) p.warn(`${path}.tls`, 'the server has ssl_enable=NO: it will refuse AUTH TLS');
      if (anonymous && !ctx.vsftpd.anonymous_enable) p.warn(`${path}.user`, 'anonymous_enable=NO on the server: this login will fail with 530');
      if (!anonymous && !ctx.userNames.has(user)) p.warn(`${path}.user`, `"${user}" is not one of server.users: this login will fail with 530`);
      if (!anonymous && ctx.userNames.has(user) && !ctx.vsftpd.local_enable) p.warn(`${path}.user`, 'local_enable=NO on the server: local users cannot log in (530)');
    }

    const scriptPath = given.script ? `${path}.script` : c.script ? `${path}.command` : 'script';
    const script = c.script ?? f.script ?? DEFAULT_SCRIPT;
    script.forEach((line, i) => {
      const r = parseScriptLine(line);
      if (!r.ok) p.error(`${scriptPath}[${i}]`, r.message);
    });
    if (connectTo === null) continue;
    const port = c.connectPort ?? ctx.serverPort;
    const listening = ctx.filezilla ? ctx.filezilla.ports : [ctx.vsftpd.listen_port];
    if (connectTo === ctx.serverHost?.interfaces[0]?.ip && !listening.includes(port)) {
      p.warn(
        `${path}.connectPort`,
        `the client dials port ${port} but ${ctx.filezilla ? 'FileZilla Server' : 'vsftpd'} listens on ${listening.join(', ')}: the connection will be refused`,
      );
    }
    out.push({
      path,
      client: {
        id,
        host: c.host,
        profile: c.profile,
        mode,
        dataPort,
        connectTo,
        connectPort: asPort(port),
        controlPort: c.controlPort === undefined ? null : asPort(c.controlPort),
        connectTimeoutS: c.connectTimeoutS ?? null,
        user,
        password: c.password ?? (given.command !== undefined && anonymous ? (COMMAND_ANON_PASSWORD[c.profile] ?? 'guest@') : 'guest@'),
        tls: c.tls ?? false,
        pasvAddress: c.pasvAddress ?? null,
        script: [...script],
        command: given.command ?? null,
        maxTimeS: c.maxTimeS ?? null,
        stallTimeoutS: c.stallTimeoutS ?? null,
        lftpRetries: c.lftpRetries ?? null,
        ...(c.createDirs ? { createDirs: true } : {}),
      },
    });
  }
  return out;
}

/**
 * The password a program sends for an anonymous login it was given no password for, when the
 * client is given as its command line (no -u): curl's built-in `ftp@example.com`, lftp's
 * `ftp:anon-pass` default `lftp@` (both captured by the kernel check). Structured clients keep
 * the scenario default, guest@.
 */
const COMMAND_ANON_PASSWORD: Partial<Record<string, string>> = { curl: 'ftp@example.com', lftp: 'lftp@' };

/**
 * A client spec with its command line read into the structured fields. Both may be given; they
 * must not contradict (an error names the field and what the command line says). The command
 * line's own script (curl's URLs, lftp -e) replaces the scenario's top-level script but not a
 * client's own `script`, which is then an error.
 */
function withCommand(
  c: ClientSpec,
  path: string,
  p: Problems,
): (ClientSpec & { profile: ClientProfileId } & Pick<CommandFields, 'maxTimeS' | 'stallTimeoutS' | 'lftpRetries' | 'createDirs'>) | null {
  if (c.command === undefined) {
    if (c.profile === undefined) {
      p.error(`${path}.profile`, 'missing field "profile" (or give the client as a "command" line, like "curl ftp://203.0.113.10/readme.txt")');
      return null;
    }
    return { ...c, profile: c.profile };
  }
  const at = `${path}.command`;
  const r = parseClientCommand(c.command, c.profile);
  if (!r.ok) {
    for (const e of r.problems) p.error(at, e.message, 1, e.column);
    return null;
  }
  const cmd = r.fields;
  let bad = false;
  // A plain `ftp` is the scenario's profile when that is an ftp (parseClientCommand took the hint), else tnftp.
  if (c.profile !== undefined && c.profile !== cmd.profile) {
    p.error(`${path}.profile`, `the command line runs ${cmd.program} (profile "${cmd.profile}"), but "profile" is "${c.profile}"`);
    bad = true;
  }
  const same = (field: keyof ClientSpec & keyof CommandFields, what: string) => {
    const mine = c[field];
    const theirs = cmd[field];
    if (mine === undefined || theirs === undefined || mine === theirs) return;
    p.error(`${path}.${field}`, `"${field}" is ${JSON.stringify(mine)} but the command line says ${JSON.stringify(theirs)} (${what}): give it once, or make them agree`);
    bad = true;
  };
  same('mode', cmd.modeFrom ?? 'its options');
  same('pasvAddress', cmd.profile === 'curl' ? '--ftp-skip-pasv-ip / --no-ftp-skip-pasv-ip' : 'ftp:ignore-pasv-address / ftp:fix-pasv-address');
  same('connectTo', 'the server it names');
  same('connectPort', 'the port it names');
  same('user', 'its user');
  same('password', 'its password');
  same('connectTimeoutS', cmd.profile === 'lftp' ? 'set net:timeout' : '--connect-timeout');
  same('tls', '--ssl-reqd');
  if (c.script !== undefined && cmd.script !== undefined) {
    p.error(
      `${path}.script`,
      `the command line already says what to transfer (${cmd.profile === 'curl' ? 'its URLs' : 'its -e commands'}): leave "script" out, or the transfers out of the command line`,
    );
    bad = true;
  }
  if (bad) return null;
  if (cmd.program === 'lftp' && !/net:max-retries/.test(c.command)) {
    p.warn(
      at,
      'lftp retries a failed command up to 1000 times (net:max-retries), waiting up to 300 s between tries: a run that fails lasts days of simulated time. Add "set net:max-retries 3" to -e to keep it short.',
    );
  }
  return {
    ...c,
    profile: c.profile ?? cmd.profile,
    ...(cmd.mode !== undefined && c.mode === undefined ? { mode: cmd.mode } : {}),
    ...(cmd.pasvAddress !== undefined && c.pasvAddress === undefined ? { pasvAddress: cmd.pasvAddress } : {}),
    ...(cmd.connectTo !== undefined && c.connectTo === undefined ? { connectTo: cmd.connectTo } : {}),
    ...(cmd.connectPort !== undefined && c.connectPort === undefined ? { connectPort: cmd.connectPort } : {}),
    ...(cmd.user !== undefined && c.user === undefined ? { user: cmd.user } : {}),
    ...(cmd.password !== undefined && c.password === undefined ? { password: cmd.password } : {}),
    ...(cmd.connectTimeoutS !== undefined && c.connectTimeoutS === undefined ? { connectTimeoutS: cmd.connectTimeoutS } : {}),
    ...(cmd.tls !== undefined && c.tls === undefined ? { tls: cmd.tls } : {}),
    ...(cmd.script !== undefined ? { script: cmd.script } : {}),
    ...(cmd.maxTimeS !== undefined ? { maxTimeS: cmd.maxTimeS } : {}),
    ...(cmd.stallTimeoutS !== undefined ? { stallTimeoutS: cmd.stallTimeoutS } : {}),
    ...(cmd.lftpRetries !== undefined ? { lftpRetries: cmd.lftpRetries } : {}),
    ...(cmd.createDirs ? { createDirs: true } : {}),
  };
}

function checkReachability(p: Problems, path: string, devices: (Host | Router)[], c: Client, server: Host): void {
  const to = findPath(devices, c.host, c.connectTo);
  const at = `${path}.connectTo`;
  if (!to.ok) return p.error(at, `no route from "${c.host}" to ${formatIpv4(c.connectTo)}: ${to.message}`);
  const reached = devices.find((d) => d.id === to.reached)!;
  const serverIp = server.interfaces[0]!.ip;
  if (reached.kind === 'host' && reached !== server) {
    return p.error(at, `${formatIpv4(c.connectTo)} belongs to host "${reached.id}", not to the server "${server.id}"`);
  }
  if (reached.kind === 'router') {
    // DNAT: the client dials the router, which must then reach the server.
    const on = findPath(devices, reached.id, serverIp);
    if (!on.ok) return p.error(at, `the client reaches router "${reached.id}" but it cannot forward to the server ${formatIpv4(serverIp)}: ${on.message}`);
  }
  // Back: to the client itself, or to a router on the way that rewrites the source
  // (MASQUERADE/SNAT in its nat table): replies then go to that router.
  const client = devices.find((d) => d.id === c.host)!;
  const candidates: Ipv4[] = [client.interfaces[0]!.ip];
  for (const id of to.hops.slice(1)) {
    const d = devices.find((x) => x.id === id);
    if (d && d.kind === 'router' && /-j\s+(MASQUERADE|SNAT)\b/.test(d.firewall?.text ?? '')) candidates.push(...d.interfaces.map((i) => i.ip));
  }
  const back = candidates.map((ip) => findPath(devices, server.id, ip));
  if (!back.some((b) => b.ok)) {
    const first = back[0]!;
    p.error(at, `no route back from the server "${server.id}" to the client ${formatIpv4(client.interfaces[0]!.ip)} or any router on its way: ${first.ok ? '' : first.message}`);
  }
}
