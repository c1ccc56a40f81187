/**
 * A scenario's topology as Linux network namespaces: one namespace per host and router, a veth
 * pair per two-member segment, a bridge in its own namespace for any other segment. Nothing is
 * ever linked to the host's own interfaces, so the scenario's addresses stay inside.
 */
import { spawnSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { KScenario } from './scenarioFile';

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
    killInNamespace(n);
    sh('ip', ['netns', 'del', n]);
    rmSync(`/etc/netns/${n}`, { recursive: true, force: true });
    gone.push(n);
  }
  return gone;
}

/** Kills processes still inside a namespace (by the PIDs `ip netns pids` names). */
export function killInNamespace(ns: string): void {
  const pids = sh('ip', ['netns', 'pids', ns])
    .out.split('\n')
    .map((s) => s.trim())
    .filter((s) => /^\d+$/.test(s));
  for (const p of pids) {
    try {
      process.kill(Number(p), 'SIGKILL');
    } catch {
      // already gone
    }
  }
}

export function ipn(ns: string, args: string[]): string {
  return must('ip', ['-n', ns, ...args]);
}

export function nsExec(ns: string, cmd: string, args: string[], input?: string): ShResult {
  return sh('ip', ['netns', 'exec', ns, cmd, ...args], input);
}

/** Builds every namespace, link, address and route; loads no firewall yet. */
export function buildTopology(s: KScenario, prefix: string): Topology {
  const topo: Topology = { prefix, ns: new Map(), bridges: [], captures: [], etcDirs: [] };
  let i = 0;
  for (const d of s.devices) {
    const name = `${prefix}${i++}-${d.id}`.slice(0, 60);
    must('ip', ['netns', 'add', name]);
    topo.ns.set(d.id, name);
    ipn(name, ['link', 'set', 'lo', 'up']);
    // Short kernel SYN time-outs stand in for the client's short time-outs (compare kinds, not wall time).
    nsExec(name, 'sysctl', ['-q', '-w', `net.ipv4.ip_forward=${d.kind === 'router' ? 1 : 0}`]);
    // Measured: syn_retries=2 with linear_timeouts=4 sends 6 SYNs 1 s apart and fails at ~7 s:
    // after curl's own 5 s, before tnftp's -q 15.
    nsExec(name, 'sysctl', ['-q', '-w', 'net.ipv4.tcp_syn_retries=2']);
    nsExec(name, 'sysctl', ['-q', '-w', 'net.ipv4.tcp_syn_linear_timeouts=4']);
  }
  let b = 0;
  for (const [seg, members] of s.segments) {
    if (members.length === 2) {
      const [a, z] = members as [{ device: string; iface: string }, { device: string; iface: string }];
      const nsA = topo.ns.get(a.device)!;
      const nsZ = topo.ns.get(z.device)!;
      // Created directly inside the namespaces: it never exists in the host's.
      ipn(nsA, ['link', 'add', a.iface, 'type', 'veth', 'peer', 'name', z.iface, 'netns', nsZ]);
      topo.captures.push({ segment: seg, ns: nsA, iface: a.iface });
    } else {
      const br = `${prefix}br${b++}`;
      must('ip', ['netns', 'add', br]);
      topo.bridges.push(br);
      ipn(br, ['link', 'set', 'lo', 'up']);
      ipn(br, ['link', 'add', 'br0', 'type', 'bridge']);
      ipn(br, ['link', 'set', 'br0', 'up']);
      members.forEach((m, k) => {
        const nsM = topo.ns.get(m.device)!;
        ipn(br, ['link', 'add', `p${k}`, 'type', 'veth', 'peer', 'name', m.iface, 'netns', nsM]);
        ipn(br, ['link', 'set', `p${k}`, 'master', 'br0']);
        ipn(br, ['link', 'set', `p${k}`, 'up']);
      });
      topo.captures.push({ segment: seg, ns: br, iface: 'br0' });
    }
  }
  for (const d of s.devices) {
    const ns = topo.ns.get(d.id)!;
    for (const f of d.ifaces) {
      ipn(ns, ['addr', 'add', `${f.ip}/${f.prefix}`, 'dev', f.name]);
      ipn(ns, ['link', 'set', f.name, 'up']);
      // No segmentation or receive offloads: the capture shows the segments TCP really sent
      // (at most one MSS each) and the receiver ACKs what arrived, not what GRO merged.
      nsExec(ns, 'ethtool', ['-K', f.name, 'tso', 'off', 'gso', 'off', 'gro', 'off']);
      // No IPv6 chatter on the links: only the scenario's IPv4 traffic is captured.
      nsExec(ns, 'sysctl', ['-q', '-w', `net.ipv6.conf.${f.name}.disable_ipv6=1`]);
    }
    if (d.gateway !== null) ipn(ns, ['route', 'add', 'default', 'via', d.gateway]);
    for (const r of d.routes) {
      const to = r.to === '0.0.0.0/0' ? 'default' : r.to;
      const args = ['route', 'replace', to];
      if (r.via !== null) args.push('via', r.via);
      if (r.dev !== null) args.push('dev', r.dev);
      ipn(ns, args);
    }
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
  for (const ns of [...topo.ns.values(), ...topo.bridges]) {
    killInNamespace(ns);
    sh('ip', ['netns', 'del', ns]);
  }
  for (const d of topo.etcDirs) rmSync(d, { recursive: true, force: true });
}
