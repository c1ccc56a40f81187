/**
 * A scenario's topology as Linux network namespaces: one namespace per host and router, a veth
 * pair per two-member segment, a bridge in its own namespace for any other segment. Nothing is
 * ever linked to the host's own interfaces, so the scenario's addresses stay inside.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { KScenario } from './scenarioFile';

/** tcp_syn_retries in every namespace (with tcp_syn_linear_timeouts=4); the simulator side runs with the same (simSide). */
export const KERNEL_SYN_RETRIES = 2;

export interface ShResult {
  code: number;
  out: string;
  err: string;
}

/** Runs a command synchronously (bounded to 20 s); never throws. */
export function sh(cmd: string, args: string[], input?: string): ShResult {
  const r = spawnSync(cmd, args, { input, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: (r.stderr ?? '') + (r.error ? String(r.error) : '') };
}

export function must(cmd: string, args: string[], input?: string): string {
  const r = sh(cmd, args, input);
  if (r.code !== 0) throw new Error(`${cmd} ${args.join(' ')} failed (${r.code}): ${r.err.trim() || r.out.trim()}`);
  return r.out;
}

/** Where a segment is captured: the namespace and interface that see all its frames. */
export interface CapturePoint {
  segment: string;
  ns: string;
  iface: string;
}

export interface Topology {
  prefix: string;
  /** Device id → namespace name. */
  ns: Map<string, string>;
  /** Bridge namespaces (segments with other than two members). */
  bridges: string[];
  captures: CapturePoint[];
  /** Per-namespace /etc overlay folders created (ip netns exec binds /etc/netns/NAME/*). */
  etcDirs: string[];
}

export const RUN_PREFIX_ROOT = 'fttw-';

export function listNamespaces(): string[] {
  const r = sh('ip', ['netns', 'list']);
  return r.out
    .split('\n')
    .map((l) => l.trim().split(/\s+/)[0] ?? '')
    .filter((n) => n !== '');
}

/** Is the run that made namespace `fttw-PID-…` still going (another run in parallel)? */
function ownerAlive(ns: string): boolean {
  const pid = Number(ns.slice(RUN_PREFIX_ROOT.length).split('-')[0]);
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Removes namespaces (and /etc/netns overlays) left by an earlier run that died; a live run's are kept. */
export function cleanupStale(keepPrefix?: string): string[] {
  const gone: string[] = [];
  for (const n of listNamespaces()) {
    if (!n.startsWith(RUN_PREFIX_ROOT)) continue;
    if (keepPrefix !== undefined && n.startsWith(keepPrefix)) continue;
    if (ownerAlive(n)) continue;
    gone.push(n);
  }
  removeNamespaces(gone);
  return gone;
}

function killPids(text: string): void {
  for (const p of text.split('\n').map((x) => x.trim())) {
    if (!/^\d+$/.test(p)) continue;
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

/**
 * Stops every process inside these namespaces and removes them with their /etc/netns overlays,
 * in three process starts whatever their number (names are ours: fttw-…, no shell quoting needed).
 */
export function removeNamespaces(names: string[]): void {
  if (names.length === 0) return;
  killPids(sh('sh', ['-c', 'for n in "$@"; do ip netns pids "$n"; done', 'sh', ...names]).out);
  sh('ip', ['-force', '-batch', '-'], names.map((n) => `netns del ${n}`).join('\n') + '\n');
  for (const n of names) rmSync(`/etc/netns/${n}`, { recursive: true, force: true });
}

export function ipn(ns: string, args: string[]): string {
  return must('ip', ['-n', ns, ...args]);
}

export function nsExec(ns: string, cmd: string, args: string[], input?: string): ShResult {
  return sh('ip', ['netns', 'exec', ns, cmd, ...args], input);
}

/**
 * `ip -batch` inside a namespace: many link, address and route commands for one process (each
 * process start costs, and costs much more when several worlds are built at once).
 */
function ipBatch(ns: string, lines: string[]): void {
  if (lines.length > 0) must('ip', ['-n', ns, '-batch', '-'], lines.join('\n') + '\n');
}

/** Several commands in a namespace for one `ip netns exec` (sysctl, ethtool); stops at the first that fails. */
function nsScript(ns: string, cmds: string[][]): void {
  if (cmds.length === 0) return;
  const quote = (a: string) => (/^[\w.=/:-]+$/.test(a) ? a : `'${a.replace(/'/g, `'\\''`)}'`);
  const r = nsExec(ns, 'sh', ['-ec', cmds.map((c) => c.map(quote).join(' ')).join('\n')]);
  if (r.code !== 0) throw new Error(`in ${ns}: ${r.err.trim() || r.out.trim() || `exit ${r.code}`}`);
}

/** Builds every namespace, link, address and route; loads no firewall yet. */
export function buildTopology(s: KScenario, prefix: string): Topology {
  const topo: Topology = { prefix, ns: new Map(), bridges: [], captures: [], etcDirs: [] };
  let i = 0;
  for (const d of s.devices) topo.ns.set(d.id, `${prefix}${i++}-${d.id}`.slice(0, 60));
  let b = 0;
  const bridgeOf = new Map<string, string>();
  for (const [seg, members] of s.segments) if (members.length !== 2) bridgeOf.set(seg, `${prefix}br${b++}`);
  topo.bridges = [...bridgeOf.values()];
  // Every namespace in one process, then each one's links in one batch run inside it.
  must('ip', ['-batch', '-'], [...topo.ns.values(), ...topo.bridges].map((n) => `netns add ${n}`).join('\n') + '\n');
  const links = new Map<string, string[]>([...topo.ns.values(), ...topo.bridges].map((n) => [n, ['link set lo up']]));
  for (const [seg, members] of s.segments) {
    if (members.length === 2) {
      const [a, z] = members as [{ device: string; iface: string }, { device: string; iface: string }];
      const nsA = topo.ns.get(a.device)!;
      // Created directly inside the namespaces: it never exists in the host's.
      links.get(nsA)!.push(`link add ${a.iface} type veth peer name ${z.iface} netns ${topo.ns.get(z.device)!}`);
      topo.captures.push({ segment: seg, ns: nsA, iface: a.iface });
    } else {
      const br = bridgeOf.get(seg)!;
      const l = links.get(br)!;
      l.push('link add br0 type bridge', 'link set br0 up');
      members.forEach((m, k) => {
        l.push(`link add p${k} type veth peer name ${m.iface} netns ${topo.ns.get(m.device)!}`, `link set p${k} master br0`, `link set p${k} up`);
      });
      topo.captures.push({ segment: seg, ns: br, iface: 'br0' });
    }
  }
  for (const [ns, l] of links) ipBatch(ns, l);
  for (const d of s.devices) {
    const ns = topo.ns.get(d.id)!;
    const cmds: string[] = [];
    const inside: string[][] = [
      // Short kernel SYN time-outs stand in for the client's short time-outs (compare kinds, not wall time).
      // Measured: syn_retries=2 with linear_timeouts=4 sends 6 SYNs 1 s apart and fails at ~7 s:
      // after curl's own 5 s, before tnftp's -q 15.
      ['sysctl', '-q', '-w', `net.ipv4.ip_forward=${d.kind === 'router' ? 1 : 0}`, `net.ipv4.tcp_syn_retries=${KERNEL_SYN_RETRIES}`, 'net.ipv4.tcp_syn_linear_timeouts=4'],
    ];
    for (const f of d.ifaces) {
      cmds.push(`addr add ${f.ip}/${f.prefix} dev ${f.name}`);
      for (const x of f.extra) cmds.push(`addr add ${x} dev ${f.name}`);
      cmds.push(`link set ${f.name} up`);
      // No segmentation or receive offloads: the capture shows the segments TCP really sent
      // (at most one MSS each) and the receiver ACKs what arrived, not what GRO merged.
      inside.push(['ethtool', '-K', f.name, 'tso', 'off', 'gso', 'off', 'gro', 'off']);
      // No IPv6 chatter on the links: only the scenario's IPv4 traffic is captured.
      inside.push(['sysctl', '-q', '-w', `net.ipv6.conf.${f.name}.disable_ipv6=1`]);
    }
    if (d.gateway !== null) cmds.push(`route add default via ${d.gateway}`);
    for (const r of d.routes) {
      const to = r.to === '0.0.0.0/0' ? 'default' : r.to;
      cmds.push(['route', 'replace', to, ...(r.via !== null ? ['via', r.via] : []), ...(r.dev !== null ? ['dev', r.dev] : [])].join(' '));
    }
    nsScript(ns, inside);
    ipBatch(ns, cmds);
  }
  return topo;
}

/** Loads a device's iptables-save text inside its namespace; returns the error text or null. */
export function loadIptables(ns: string, text: string): string | null {
  const r = nsExec(ns, 'iptables-restore', [], text.endsWith('\n') ? text : text + '\n');
  return r.code === 0 ? null : r.err.trim() || r.out.trim() || `exit ${r.code}`;
}

/** Files that `ip netns exec NS` binds over /etc/NAME (used to give vsftpd local accounts). */
export function writeEtcOverlay(topo: Topology, ns: string, files: Record<string, string>): void {
  const dir = `/etc/netns/${ns}`;
  mkdirSync(dir, { recursive: true });
  for (const [name, text] of Object.entries(files)) writeFileSync(`${dir}/${name}`, text, { mode: name === 'shadow' ? 0o640 : 0o644 });
  topo.etcDirs.push(dir);
}

export function teardown(topo: Topology): void {
  removeNamespaces([...topo.ns.values(), ...topo.bridges]);
  for (const d of topo.etcDirs) rmSync(d, { recursive: true, force: true });
}
