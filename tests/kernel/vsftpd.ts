/**
 * A real vsftpd in the server's namespace with the scenario's vsftpd.conf, plus only what it
 * needs to run in the foreground here: its own anon_root and secure_chroot_dir, a throw-away
 * certificate when ssl_enable=YES, and local accounts given through /etc/netns overlays (ip
 * netns exec binds them over /etc/passwd, /etc/shadow, /etc/group for that namespace only).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { confValue, type KScenario } from './scenarioFile';
import { must, nsExec, writeEtcOverlay, type Topology } from './netns';

/** Keys the harness sets itself (the scenario's values for them are replaced, saying so). */
const OVERRIDDEN = new Set([
  'listen',
  'listen_ipv6',
  'background',
  'secure_chroot_dir',
  'anon_root',
  'local_root',
  'rsa_cert_file',
  'rsa_private_key_file',
  'seccomp_sandbox',
  'pam_service_name',
  'pasv_min_port',
  'pasv_max_port',
  'xferlog_enable',
  'vsftpd_log_file',
  'isolate',
  'isolate_network',
  'userlist_file',
]);

export interface VsftpdRun {
  proc: ChildProcess;
  pid: number;
  conf: string;
  log: () => string;
}

function patternContent(size: number): Buffer {
  const b = Buffer.alloc(size);
  for (let i = 0; i < size; i++) b[i] = 0x41 + (i % 26);
  return b;
}

/** Numeric owners for the tree: root, the anonymous user (ftp) and the scenario's users. */
export type Owners = Map<string, { uid: number; gid: number }>;

/**
 * The scenario's files and directories under `root`, each with its owner and mode when the
 * scenario gives them (`"owner": "slacker", "mode": "755"`); without, root's 0755/0644. `"/"`
 * itself may be given too.
 */
function writeTree(root: string, files: KScenario['server']['files'], owners: Owners): void {
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  const perms: [string, KScenario['server']['files'][number]][] = [];
  for (const f of files) {
    const p = f.path === '/' ? root : `${root}${f.path.startsWith('/') ? '' : '/'}${f.path}`;
    if (f.dir || f.path === '/') {
      mkdirSync(p, { recursive: true });
      chmodSync(p, 0o755);
    } else {
      mkdirSync(p.slice(0, p.lastIndexOf('/')), { recursive: true });
      writeFileSync(p, f.text !== null ? Buffer.from(f.text) : patternContent(f.size), { mode: 0o644 });
      chmodSync(p, 0o644);
    }
    if (f.owner !== null || f.mode !== null) perms.push([p, f]);
  }
  for (const [p, f] of perms) {
    const o = owners.get(f.owner ?? 'root');
    if (o === undefined) throw new Error(`file ${f.path}: owner "${f.owner}" is not root, ftp or one of server.users`);
    chownSync(p, o.uid, o.gid);
    if (f.mode !== null) chmodSync(p, parseInt(f.mode, 8));
  }
}

/**
 * Writes the real vsftpd.conf. `pasvPort` pins pasv_min_port = pasv_max_port (the comparison
 * pins the simulator to the same port).
 */
export function prepareVsftpd(s: KScenario, topo: Topology, dir: string, pasvPort: number | null): string {
  const ns = topo.ns.get(s.server.host)!;
  mkdirSync(`${dir}/empty`, { recursive: true });
  chmodSync(`${dir}/empty`, 0o755);
  const passwd = readFileSync('/etc/passwd', 'utf8').trimEnd().split('\n');
  const idsOf = (name: string) => {
    const f = passwd.find((l) => l.startsWith(`${name}:`))?.split(':');
    return f ? { uid: Number(f[2]), gid: Number(f[3]) } : null;
  };
  const owners: Owners = new Map([['root', { uid: 0, gid: 0 }]]);
  const ftp = idsOf('ftp');
  if (ftp) owners.set('ftp', ftp);
  s.server.users.forEach((u, k) => owners.set(u.name, { uid: 64100 + k, gid: 64100 + k }));
  // A /home/NAME the scenario gives no owner is its user's, mode 755 (useradd -m; the model's rule).
  const files = s.server.files.map((f) => {
    const u = s.server.users.find((x) => f.path === `/home/${x.name}`);
    return u && f.owner === null && f.mode === null ? { ...f, owner: u.name, mode: '755' } : f;
  });
  writeTree(`${dir}/root`, files, owners);
  const rootHomes = s.server.users.length > 0 && s.server.users.every((u) => u.home === '/');
  const kept = s.server.conf.filter((l) => {
    if (l.startsWith('#') || l.trim() === '') return false;
    const key = l.replace(/^\s+/, '').split('=')[0] ?? '';
    return !OVERRIDDEN.has(key) && !(rootHomes && (key === 'chroot_local_user' || key === 'allow_writeable_chroot'));
  });
  const extra = [
    'listen=YES',
    'listen_ipv6=NO',
    'background=NO',
    `secure_chroot_dir=${dir}/empty`,
    `anon_root=${dir}/root`,
    'seccomp_sandbox=NO',
    'xferlog_enable=NO',
    'pam_service_name=vsftpd',
    // Sandboxing only: with YES, session processes leave the namespace (CLONE_NEWNET/NEWPID)
    // and `ip netns pids` could not find them to stop them.
    'isolate=NO',
    'isolate_network=NO',
  ];
  const min = confValue(s.server.conf, 'pasv_min_port');
  const max = confValue(s.server.conf, 'pasv_max_port');
  if (pasvPort !== null) extra.push(`pasv_min_port=${pasvPort}`, `pasv_max_port=${pasvPort}`);
  else {
    if (min !== null) extra.push(`pasv_min_port=${min}`);
    if (max !== null) extra.push(`pasv_max_port=${max}`);
  }
  if (/^YES$/i.test(confValue(s.server.conf, 'ssl_enable') ?? '')) {
    must('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=fttw-test', '-keyout', `${dir}/key.pem`, '-out', `${dir}/cert.pem`]);
    extra.push(`rsa_cert_file=${dir}/cert.pem`, `rsa_private_key_file=${dir}/key.pem`);
  }
  if (s.server.users.length > 0) {
    // Local accounts exist only inside the server's namespace (overlay files). A home of "/" (the
    // model's for a user the tree has no /home/NAME for) is the tree itself, seen as "/" through
    // chroot_local_user; homes under /home are the tree's /home, bind-mounted over /home for vsftpd
    // alone (startVsftpd), so PWD names the same path in both worlds.
    const shadow = readFileSync('/etc/shadow', 'utf8').trimEnd().split('\n');
    const group = readFileSync('/etc/group', 'utf8').trimEnd().split('\n');
    const rootHomes = s.server.users.every((u) => u.home === '/');
    s.server.users.forEach((u, k) => {
      const uid = 64100 + k;
      const hash = must('openssl', ['passwd', '-6', u.password]).trim();
      passwd.push(`${u.name}:x:${uid}:${uid}::${u.home === '/' ? `${dir}/root` : u.home}:/bin/sh`);
      shadow.push(`${u.name}:${hash}:19000:0:99999:7:::`);
      group.push(`${u.name}:x:${uid}:`);
    });
    writeEtcOverlay(topo, ns, {
      passwd: passwd.join('\n') + '\n',
      shadow: shadow.join('\n') + '\n',
      group: group.join('\n') + '\n',
    });
    if (rootHomes) extra.push('chroot_local_user=YES', 'allow_writeable_chroot=YES');
    else if (!s.server.users.every((u) => u.home.startsWith('/home/'))) throw new Error('users with homes both at / and outside /home are not set up by the harness');
  }
  // The scenario's user list (server.userList), or an empty one, where userlist_file points.
  const userList = ((s.raw.server as { userList?: string[] }).userList ?? []).join('\n');
  writeFileSync(`${dir}/user_list`, userList === '' ? '' : userList + '\n');
  extra.push(`userlist_file=${dir}/user_list`);
  const conf = [...kept, ...extra].join('\n') + '\n';
  writeFileSync(`${dir}/vsftpd.conf`, conf, { mode: 0o600 });
  return conf;
}

export async function startVsftpd(ns: string, dir: string, port: number): Promise<VsftpdRun> {
  // Own process group: stopping it by -PID also stops the per-session children.
  // The tree's /home over /home, in a mount namespace of vsftpd's own (private: the host's /home is untouched).
  const args = existsSync(`${dir}/root/home`)
    ? ['netns', 'exec', ns, 'unshare', '-m', '--propagation', 'private', 'sh', '-c', 'mount --bind "$1/root/home" /home && exec /usr/sbin/vsftpd "$1/vsftpd.conf"', 'sh', dir]
    : ['netns', 'exec', ns, '/usr/sbin/vsftpd', `${dir}/vsftpd.conf`];
  const proc = spawn('ip', args, { stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  let log = '';
  proc.stdout?.on('data', (d: Buffer) => (log += d.toString()));
  proc.stderr?.on('data', (d: Buffer) => (log += d.toString()));
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline) {
    if (proc.exitCode !== null) throw new Error(`vsftpd exited at start (${proc.exitCode}): ${log.trim()}`);
    const ss = nsExec(ns, 'ss', ['-Hltn', `sport = :${port}`]).out;
    if (ss.trim() !== '') return { proc, pid: proc.pid!, conf: `${dir}/vsftpd.conf`, log: () => log };
    await new Promise((r) => setTimeout(r, 100));
  }
  stopProc(proc);
  throw new Error(`vsftpd did not listen on ${port} within 15 s: ${log.trim()}`);
}

/** Stops a process we started, by its PID. */
export function stopProc(proc: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', group = false): void {
  if (proc.pid !== undefined && proc.exitCode === null && proc.signalCode === null) {
    try {
      process.kill(group ? -proc.pid : proc.pid, signal);
    } catch {
      // already gone
    }
  }
}
