/**
 * The scenario file: what a user writes (ScenarioFile, JSON) and what the simulator reads
 * (Scenario, after loadScenario has validated it and filled every default).
 * docs/scenario-format.md is the user-facing description of the same fields.
 */
import type { Cidr, Ipv4, Port } from '../codec/addr';
import type { Ruleset } from '../net/iptables/parse';
import type { StaticRoute } from '../net/routing';
import type { FzSettings, FzSettingsSpec } from '../ftp/filezilla/settings';
import type { VsftpdConf } from '../ftp/vsftpd/conf';
import type { LftpRetries } from '../ftp/client/cmdline';

// ───────────────────────── shared vocabularies ─────────────────────────

/** Real FTP clients the simulator imitates (docs/FIDELITY-NOTES.md, "Reference: clients"). */
export const CLIENT_PROFILES = ['curl', 'classic', 'inetutils', 'tnftp', 'filezilla', 'lftp', 'windows'] as const;
export type ClientProfileId = (typeof CLIENT_PROFILES)[number];

/**
 * auto = the profile's own default and fallbacks; active/passive = the profile's flavour of
 * that mode (curl: EPRT then PORT / EPSV then PASV); port/eprt/pasv/epsv = exactly that command.
 */
export const CLIENT_MODES = ['auto', 'active', 'passive', 'port', 'eprt', 'pasv', 'epsv'] as const;
export type ClientMode = (typeof CLIENT_MODES)[number];

/**
 * How the client treats the address inside a 227 reply, when the scenario overrides its
 * profile: trust it (curl --no-ftp-skip-pasv-ip, netkit), ignore it and reuse the control
 * address (curl's default, lftp ftp:ignore-pasv-address), refuse one that is not the control
 * peer's (tnftp, inetutils), or replace a private one from a public server (lftp's default
 * ftp:fix-pasv-address, FileZilla).
 */
export const PASV_ADDRESS_POLICIES = ['trust', 'ignore', 'refuse-mismatch', 'fix-unroutable'] as const;
export type PasvAddressChoice = (typeof PASV_ADDRESS_POLICIES)[number];

/** Where an active-mode client listens: a fresh ephemeral port, or its control port + 1 (the seeds' classic client). */
export const DATA_PORT_CHOICES = ['ephemeral', 'control+1'] as const;
export type DataPortChoice = (typeof DATA_PORT_CHOICES)[number];

/** SYN retransmission gaps: linux = 1,1,1,1,1,2,4,8,16,32 s (6.x with tcp_syn_linear_timeouts=4); exponential = 1,2,4,8,16,32 s (older kernels). */
export const SYN_SCHEDULES = ['linux', 'exponential'] as const;
export type SynSchedule = (typeof SYN_SCHEDULES)[number];

export const HOST_ROLES = ['client', 'server', 'other'] as const;
export type HostRole = (typeof HOST_ROLES)[number];

/** Where a router sits in the picture; the UI lays the canvas out from left (client) to right (server). */
export const ROUTER_ROLES = ['client-edge', 'internet', 'server-edge', 'other'] as const;
export type RouterRole = (typeof ROUTER_ROLES)[number];

/** Reply texts of the simulated server: vsftpd's, or ProFTPD's (the seeds' transcripts). */
export const SERVER_STYLES = ['vsftpd', 'proftpd'] as const;

/** The server program: vsftpd 3.0.3 or FileZilla Server 0.9.60. */
export const SERVER_KINDS = ['vsftpd', 'filezilla'] as const;
export type ServerKind = (typeof SERVER_KINDS)[number];
export type ServerStyle = (typeof SERVER_STYLES)[number];

export const OUTCOMES = ['success', 'failure'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** Multi-line texts (iptables, vsftpd.conf, description) may be one string or an array of lines. */
export type TextOrLines = string | string[];

// ───────────────────────── the file, as written ─────────────────────────

/** nf_conntrack_ftp module parameters on one machine. */
export interface FtpHelperSpec {
  /** Control ports the helper parses (`ports=`). Default [21]. */
  ports?: number[];
  /** `loose=1`: also expect data connections to an address other than the sender's. Default false. */
  loose?: boolean;
}

/** A static route. */
export interface RouteSpecFile {
  /** Destination network in CIDR form, `0.0.0.0/0` for the default route. */
  to: string;
  /** Next-hop address on a directly connected network. Omit for an on-link route (then give `dev`). */
  via?: string;
  /** Outgoing interface name; only needed for an on-link route without `via`. */
  dev?: string;
}

/** An L2 segment (a LAN or a link). Segments are created by naming them on interfaces; list one here only to set its latency or label. */
export interface SegmentSpec {
  /** The name used in `segment` fields, e.g. "internet" or "192.168.1.0/24". */
  id: string;
  /** Shown on the canvas. Default: the id. */
  label?: string;
  /** One-way delay across the segment in milliseconds. Default 0.5. */
  latencyMs?: number;
}

export interface HostSpec {
  /** Unique among hosts and routers; other fields refer to it. */
  id: string;
  /** Shown on the canvas. Default: the id. */
  label?: string;
  /** client, server or other (a bystander). Default: taken from the client/server sections, else other. */
  role?: HostRole;
  /** Address with prefix, `192.168.1.100/24`; a bare address means /24. */
  ip: string;
  /** Default gateway; must be on the host's network. Omit for a host that only talks on its LAN. */
  gateway?: string;
  /** The L2 segment the host's eth0 is on. Default: its network in CIDR form ("192.168.1.0/24"). */
  segment?: string;
  /** Extra static routes. */
  routes?: RouteSpecFile[];
  /** The host's own firewall as `iptables-save` text. Default: none (everything accepted, no conntrack helper). */
  iptables?: TextOrLines;
  /** nf_conntrack_ftp parameters on this host. Default ports [21], loose false. */
  ftpHelper?: FtpHelperSpec;
}

export interface InterfaceSpec {
  /** Interface name as iptables `-i`/`-o` see it: eth0, eth1… */
  name: string;
  /** Address with prefix, `198.51.100.1/24`. */
  ip: string;
  /**
   * Further addresses on the same interface, as `ip addr add 203.0.113.10/32 dev wan` adds them
   * (a router publishing a second public address for DNAT). `ip` stays the primary address.
   */
  addresses?: string[];
  /** The L2 segment. Default: the network in CIDR form. */
  segment?: string;
}

export interface RouterSpec {
  /** Unique among hosts and routers. */
  id: string;
  /** Shown on the canvas. Default: the id. */
  label?: string;
  /** Where it sits: client-edge, internet, server-edge, other. Default other. */
  role?: RouterRole;
  /** At least one interface. Connected networks are routed automatically. */
  interfaces: InterfaceSpec[];
  /** Static routes (the default route is `{ "to": "0.0.0.0/0", "via": … }`). */
  routes?: RouteSpecFile[];
  /** raw, nat and filter tables as `iptables-save` text. Default: none (forwards everything, no NAT). */
  iptables?: TextOrLines;
  /** nf_conntrack_ftp parameters on this router. Default ports [21], loose false. */
  ftpHelper?: FtpHelperSpec;
}

/** A file or directory the server offers. */
export interface FileSpec {
  /** Size in bytes of generated content (a repeating pattern). Default 1024, or the length of `text`. */
  size?: number;
  /** Exact content. */
  text?: string;
  /** A directory (listed with `d` permissions; size and text not allowed). */
  dir?: boolean;
  /** vsftpd: the Unix owner — "root" (default), "ftp" (the anonymous user) or one of server.users. */
  owner?: string;
  /** vsftpd: the permission bits in octal, "755" or "0644". Default 644 for files, 755 for directories. */
  mode?: string;
}

/** A local account (vsftpd `local_enable=YES`). */
export interface UserSpec {
  name: string;
  password: string;
  /** vsftpd: the home directory (an absolute path of the tree). Default /home/<name> when the tree has it, else "/". */
  home?: string;
}

export interface ServerSpec {
  /** The host running the FTP server. */
  host: string;
  /** Which server: vsftpd (default, configured by `vsftpd`) or FileZilla Server 0.9.60 (configured by `filezilla`). */
  kind?: ServerKind;
  /** FileZilla Server's settings (ports, passive mode, users and groups with folder rights, limits, autoban). Only with kind "filezilla". */
  filezilla?: FzSettingsSpec;
  /** vsftpd.conf text. Default: empty (vsftpd's compiled-in defaults). */
  vsftpd?: TextOrLines;
  /** Reply texts: vsftpd (default) or proftpd. */
  style?: ServerStyle;
  /** Files by absolute path. Default: { "/readme.txt": { "size": 1024 } }. */
  files?: Record<string, FileSpec>;
  /** Local accounts. Default none. */
  users?: UserSpec[];
  /** vsftpd: the lines of userlist_file (read with userlist_enable=YES). */
  userList?: string[];
  /** vsftpd: the lines of chroot_list_file (read with chroot_list_enable=YES). */
  chrootList?: string[];
  /** vsftpd: user_config_dir's files — each user's own vsftpd.conf settings, by user name. */
  userConfig?: Record<string, TextOrLines>;
}

export interface ClientSpec {
  /** Unique client id. Default: the host id. */
  id?: string;
  /** The host the client runs on. */
  host: string;
  /**
   * The client as its user runs it: `curl -v --ftp-port - ftp://203.0.113.10/readme.txt`,
   * `ftp -p 203.0.113.10`, `lftp -e 'set ftp:passive-mode off; get readme.txt' 203.0.113.10`.
   * Read into the fields below; a field given as well must say the same.
   */
  command?: string;
  /** curl, classic (netkit ftp -d), inetutils, filezilla, lftp, windows. Required unless `command` gives it. */
  profile?: ClientProfileId;
  /** Data connection mode. Default auto. */
  mode?: ClientMode;
  /** Active-mode listening port. Default ephemeral. */
  dataPort?: DataPortChoice;
  /** The address the client dials (e.g. the server router's public address when the server is behind DNAT). Default: the server host's address. */
  connectTo?: string;
  /** The port the client dials. Default: the server's listen_port. */
  connectPort?: number;
  /** Pin the client's ephemeral control port (to reproduce a transcript exactly). Default: drawn from the seed. */
  controlPort?: number;
  /** The client's own connect time-out in seconds. Default: the profile's (curl 300 s, FileZilla 20 s, else the kernel's SYN time-out). */
  connectTimeoutS?: number;
  /** Login name. Default anonymous. */
  user?: string;
  /** Password. Default guest@ (a client given as a command line without one: the program's own, curl ftp@example.com, lftp lftp@). */
  password?: string;
  /** Explicit FTPS: AUTH TLS after the greeting. Default false. */
  tls?: boolean;
  /** How it treats the address in a 227 reply. Default: the profile's (see PASV_ADDRESS_POLICIES). */
  pasvAddress?: PasvAddressChoice;
  /** This client's own script; default the scenario's `script`. */
  script?: string[];
}

/** What the scenario is expected to show, for tests and for the scenario picker. */
export interface ExpectSpec {
  outcome: Outcome;
  /** One line on what the user sees. */
  note?: string;
}

export interface ScenarioFile {
  /** Title shown in the scenario picker. */
  name: string;
  /** One line on what the scenario teaches, shown in the picker. */
  teaches: string;
  /** Longer text (plain, may be several lines). */
  description?: TextOrLines;
  /** Seed for every random choice (ephemeral ports, passive port, ISNs). Default 1. */
  seed?: number;
  /** TCP behaviour. */
  tcp?: { synSchedule?: SynSchedule };
  /** Latency and labels for named segments. */
  segments?: SegmentSpec[];
  hosts: HostSpec[];
  /** Default none (all hosts on one segment). */
  routers?: RouterSpec[];
  server: ServerSpec;
  /** Exactly one of client / clients. */
  client?: ClientSpec;
  clients?: ClientSpec[];
  /** What each client does: login, ls, get FILE, put FILE [SIZE], quit. Default ["login", "ls", "get readme.txt", "quit"]. */
  script?: string[];
  /** Expected outcome (informative; tests check the simulator against it). */
  expect?: ExpectSpec;
}

// ───────────────────────── the normalized scenario ─────────────────────────

/** One address of an interface, with its prefix and connected network. */
export interface IfaceAddress {
  ip: Ipv4;
  prefix: number;
  /** The connected network (address masked). */
  network: Cidr;
}

export interface Interface extends IfaceAddress {
  name: string;
  segment: string;
  /** Addresses after the primary one (`ip addr add … dev NAME`); usually none. */
  extra: IfaceAddress[];
}

/** A static route: to, via (null on-link), dev (the outgoing interface, when given). */
export type Route = StaticRoute;

export interface FtpHelper {
  ports: Port[];
  loose: boolean;
}

export interface Firewall {
  /** The iptables-save text as written (lines joined). */
  text: string;
  ruleset: Ruleset;
}

interface DeviceBase {
  id: string;
  label: string;
  interfaces: Interface[];
  routes: Route[];
  /** null when the device has no iptables text. */
  firewall: Firewall | null;
  ftpHelper: FtpHelper;
}

export interface Host extends DeviceBase {
  kind: 'host';
  role: HostRole;
  /** Exactly one interface, eth0. */
  gateway: Ipv4 | null;
}

export interface Router extends DeviceBase {
  kind: 'router';
  role: RouterRole;
}

export type Device = Host | Router;

export interface Segment {
  id: string;
  label: string;
  latencyMs: number;
  /** Device and interface names on this segment. */
  members: { device: string; iface: string }[];
}

export interface ServerFile {
  path: string;
  dir: boolean;
  size: number;
  /** Exact content, or null for generated content of `size` bytes. */
  text: string | null;
  /** Unix owner's name and permission bits (vsftpd), null = root / the default mode. */
  owner: string | null;
  mode: number | null;
}

export interface Server {
  host: string;
  kind: ServerKind;
  /** FileZilla Server's settings (defaults filled); null for vsftpd. */
  filezilla: FzSettings | null;
  /** The control port clients dial by default: vsftpd's listen_port or FileZilla's first port. */
  port: number;
  /** vsftpd.conf text as written (lines joined). */
  vsftpdText: string;
  vsftpd: VsftpdConf;
  style: ServerStyle;
  files: ServerFile[];
  users: UserSpec[];
  /** vsftpd's account files: userlist_file's and chroot_list_file's lines, user_config_dir's texts by user. */
  accounts: { userList: string[]; chrootList: string[]; userConfig: Record<string, string> };
}

export interface Client {
  id: string;
  host: string;
  profile: ClientProfileId;
  mode: ClientMode;
  dataPort: DataPortChoice;
  connectTo: Ipv4;
  connectPort: Port;
  controlPort: Port | null;
  /** null = the profile's default. */
  connectTimeoutS: number | null;
  user: string;
  password: string;
  tls: boolean;
  /** null = the profile's policy. */
  pasvAddress: PasvAddressChoice | null;
  script: string[];
  /** The command line it was given, if any (shown as written). */
  command: string | null;
  /** curl --max-time: the whole transfer's limit in seconds; null = none. */
  maxTimeS: number | null;
  /** tnftp -q: a transfer with no data for longer than this is aborted (seconds); null = never. */
  stallTimeoutS: number | null;
  /** Not in the file format: the program is killed this many seconds after it starts, as timeout(1) around it would (the kernel check sets it). */
  killAfterS?: number;
  /** lftp's net:max-retries and net:reconnect-interval-*; null = lftp's defaults. */
  lftpRetries: LftpRetries | null;
  /** curl --ftp-create-dirs (only from a command line): a directory of the URL it cannot change to is made (MKD), then changed to again. */
  createDirs?: boolean;
}

export interface Scenario {
  name: string;
  teaches: string;
  description: string;
  seed: number;
  /**
   * synRetries: tcp_syn_retries for every host (the schedule's own when absent). Not in the file
   * format: the kernel check sets it to match the sysctl its namespaces run with.
   */
  tcp: { synSchedule: SynSchedule; synRetries?: number };
  segments: Segment[];
  hosts: Host[];
  routers: Router[];
  server: Server;
  clients: Client[];
  expect: ExpectSpec | null;
}

/** One problem found while loading; paths are JSON paths like `routers[0].iptables`. */
export interface ScenarioError {
  file?: string;
  /** JSON path of the field ("" for the file itself). */
  path: string;
  /** Line within the embedded text (iptables, vsftpd) or, for JSON syntax errors, within the file. 1-based. */
  line?: number;
  /** 1-based column, when known. */
  column?: number;
  message: string;
}

export const DEFAULT_SCRIPT = ['login', 'ls', 'get readme.txt', 'quit'];
export const DEFAULT_LATENCY_MS = 0.5;
export const DEFAULT_SEED = 1;
