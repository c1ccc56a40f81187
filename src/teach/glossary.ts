/**
 * The glossary: every term the app and the lessons use, in words for a beginner. Text uses
 * the lesson markup (*em*, `code`, [[term]] links; see markup.ts). Ids are what links and
 * `#/glossary/<id>` use; `match` lists the spellings under which the term appears in the
 * app (the verdict, the inspector, the client picker), for linking it where it appears.
 */

export interface GlossaryEntry {
  id: string;
  /** As a heading: "PASV", "Passive mode". */
  term: string;
  /** One or two sentences. */
  text: string;
  /** Other spellings that mean this term, as they appear in the app. */
  match?: string[];
  see?: string[];
}

import { parseCodeSpans, parseMarkup, type Token } from './markup';

const TERMS: GlossaryEntry[] = [
  // The two connections and the two modes
  {
    id: 'control-connection',
    term: 'Control connection',
    match: ['control'],
    text: "The first TCP connection of an FTP session, from the client to the server's port 21 (or another port the server listens on). Commands (`USER`, `PASV`, `LIST`) go one way, numbered [[reply-code|replies]] come back. It stays open for the whole session. No file data travels on it.",
    see: ['data-connection'],
  },
  {
    id: 'data-connection',
    term: 'Data connection',
    match: ['data'],
    text: 'A separate TCP connection opened for each listing or file, and closed when it is done. *Which side opens it* and *to which port* is decided on the control connection: by [[port]] in [[active-mode]], by [[pasv]] in [[passive-mode]]. A firewall sees it as a brand new connection.',
    see: ['control-connection'],
  },
  {
    id: 'active-mode',
    term: 'Active mode',
    match: ['active'],
    text: "The client listens on a port and tells the server with [[port]] (or [[eprt]]); the *server* then opens the [[data-connection]] back to the client. Trouble comes on the client's side: a firewall or NAT there sees a connection coming *in*.",
    see: ['passive-mode', 'port'],
  },
  {
    id: 'passive-mode',
    term: 'Passive mode',
    match: ['passive'],
    text: "The client asks with [[pasv]] (or [[epsv]]); the server picks a port, listens, and says which in its [[227]] (or [[229]]) reply; the *client* then opens the [[data-connection]] to the server. Trouble comes on the server's side: its firewall must let that connection in.",
    see: ['active-mode', 'passive-range'],
  },
  {
    id: 'port',
    term: 'PORT',
    match: ['PORT'],
    text: "The client's command in [[active-mode]]: `PORT h1,h2,h3,h4,p1,p2` names its address and the port it listens on. The port is written as two bytes: port = p1×256+p2. `PORT 192,168,1,100,50,60` means 192.168.1.100, port 50×256+60 = 12860.",
    see: ['eprt', '227'],
  },
  {
    id: 'eprt',
    term: 'EPRT',
    match: ['EPRT'],
    text: 'The newer form of [[port]]: `EPRT |1|192.168.1.100|12860|`. The port is written out as one number, and it also works with IPv6 (`|2|`).',
    see: ['port', 'epsv'],
  },
  {
    id: 'pasv',
    term: 'PASV',
    match: ['PASV'],
    text: 'The client\'s command for [[passive-mode]]: "please listen on a port for me". The server answers [[227]] with the address and port to connect to.',
    see: ['epsv', '227'],
  },
  {
    id: 'epsv',
    term: 'EPSV',
    match: ['EPSV'],
    text: 'The newer form of [[pasv]]. The server answers [[229]] with a port only; the client connects to the same address it already uses for the [[control-connection]]. curl asks `EPSV` first and falls back to `PASV` when it fails.',
    see: ['pasv', '229'],
  },
  {
    id: '227',
    term: '227 Entering Passive Mode',
    match: ['227'],
    text: 'The server\'s answer to [[pasv]]: `227 Entering Passive Mode (192,168,150,90,195,149)` means "connect to 192.168.150.90, port 195×256+149 = 50069". The first four numbers are the address, the last two the port (p1×256+p2). Behind NAT the address may be a private one the client cannot reach (see [[pasv_address]]).',
    see: ['pasv', '229'],
  },
  {
    id: '229',
    term: '229 Entering Extended Passive Mode',
    match: ['229'],
    text: 'The server\'s answer to [[epsv]]: `229 Entering Extended Passive Mode (|||50044|)` means "connect to port 50044 at the address you already talk to". No address inside, so a private server address cannot leak into it.',
    see: ['epsv', '227'],
  },
  {
    id: 'ephemeral-port',
    term: 'Ephemeral port',
    match: ['ephemeral'],
    text: 'A port the operating system picks for the client side of a connection from a high range (on Linux 32768–60999). It changes from one connection to the next. Most FTP clients (curl among them) also pick their active-mode listening port this way; the old netkit client used its control port + 1 instead.',
  },
  {
    id: 'port-20',
    term: 'Port 20 (ftp-data)',
    match: ['connect_from_port_20'],
    text: "In [[active-mode]] a server may open the data connection *from* port 20 (vsftpd's `connect_from_port_20=YES`). That is the only case where port 20 appears. In [[passive-mode]] the data connection goes to a port the server picked, never 20.",
  },
  {
    id: 'passive-range',
    term: 'Passive port range',
    match: ['pasv_min_port', 'pasv_max_port'],
    text: 'The ports a server may pick for passive data connections (vsftpd: `pasv_min_port`, `pasv_max_port`). A firewall in front of it must let these in, or rely on the [[helper]]. Keep it small: every port in it is open to anyone, and a firewall rule that covers only part of it fails for the rest.',
  },
  {
    id: 'pasv_address',
    term: 'pasv_address',
    match: ['pasv_address'],
    text: "vsftpd's setting for the address it writes in its [[227]] reply. Behind [[nat]] the server only knows its private address; `pasv_address` makes it announce the public one instead, which the client can reach.",
  },
  {
    id: 'port_promiscuous',
    term: 'port_promiscuous',
    match: ['port_promiscuous'],
    text: "vsftpd's setting (off by default) that would accept a [[port]] naming an address other than the one the control connection comes from. Off, vsftpd answers `500 Illegal PORT command.` — which is what a client behind [[nat]] without a [[helper]] gets.",
  },
  { id: 'connect_from_port_20', term: 'connect_from_port_20', text: "vsftpd's setting: in [[active-mode]], open the data connection from source port 20. See [[port-20]]." },
  {
    id: 'chroot',
    term: 'chroot (chroot_local_user)',
    match: ['chroot', 'chroot_local_user'],
    text: "Locking a user into one directory, which then looks like `/` to them: with vsftpd's `chroot_local_user=YES` a user's home. vsftpd 3 refuses to do it when the user may write to that directory (`500 OOPS: vsftpd: refusing to run with writable root inside chroot()`): make the home read-only (mode 555) with a writable folder inside, or set `allow_writeable_chroot=YES`.",
  },
  {
    id: 'unix-permissions',
    term: 'Unix permissions (owner, mode)',
    text: 'Every file and directory has an owner and three sets of rights — owner, group, others — each *r* (read), *w* (write), *x* (enter a directory), written as digits: `755` is rwx for the owner, r-x for the rest. vsftpd acts as the logged-in user: creating a file needs w and x on its directory, or the answer is `553 Could not create file.`',
  },
  // Firewall and conntrack
  {
    id: 'firewall',
    term: 'Firewall',
    match: ['firewall'],
    text: "Rules that decide, packet by packet, what may pass a device. Here they are Linux iptables rules, grouped into chains (`INPUT` for packets to the device, `FORWARD` for packets it routes, `OUTPUT` for its own). The first rule that matches decides; if none does, the chain's policy decides.",
    see: ['stateful-firewall', 'drop', 'reject'],
  },
  {
    id: 'stateful-firewall',
    term: 'Stateful firewall',
    match: ['stateful'],
    text: 'A [[firewall]] that remembers connections ([[conntrack]]) and decides by their state: let replies in ([[established]]), let new connections in only where a rule says so ([[new]]). The usual policy: everything out, only replies in.',
  },
  {
    id: 'conntrack',
    term: 'Conntrack (connection tracking)',
    match: ['conntrack', 'Conntrack'],
    text: 'The part of Linux that remembers every connection passing a device, so the [[firewall]] can ask "is this packet part of something we have already seen?". Each packet gets a state: [[new]], [[established]], [[related]] or INVALID. The Conntrack tab shows the table at the current step.',
  },
  {
    id: 'new',
    term: 'NEW',
    match: ['NEW'],
    text: 'The [[conntrack]] state of a packet that starts a connection nobody expected (the first [[syn]]). A stateful firewall usually lets NEW in only to a few ports (21, 22).',
  },
  {
    id: 'established',
    term: 'ESTABLISHED',
    match: ['ESTABLISHED'],
    text: 'The [[conntrack]] state of packets of a connection that has already been seen in both directions: replies and the rest of a conversation. Letting ESTABLISHED in is what makes "only replies come in" work.',
  },
  {
    id: 'related',
    term: 'RELATED',
    match: ['RELATED'],
    text: 'The [[conntrack]] state of a new connection that was *expected* because of another one. For FTP only the [[helper]] creates that expectation, by reading [[port]] or [[227]] on the control connection. Without the helper the data connection is just [[new]].',
  },
  {
    id: 'helper',
    term: 'FTP helper (nf_conntrack_ftp)',
    match: ['helper', 'nf_conntrack_ftp'],
    text: 'A Linux module that reads the FTP [[control-connection]], finds [[port]], [[eprt]], [[227]] and [[229]], and tells [[conntrack]] to expect the data connection, which then arrives [[related]]. Since Linux 4.7 loading the module is *not enough*: a rule must attach it to the control connection, e.g. `-t raw -A PREROUTING -p tcp --dport 21 -j CT --helper ftp`. It cannot read an encrypted ([[ftps]]) control connection.',
    see: ['ct-helper', 'nf_nat_ftp'],
  },
  {
    id: 'ct-helper',
    term: 'CT --helper ftp',
    match: ['CT --helper ftp'],
    text: 'The iptables rule (raw table) that attaches the [[helper]] to connections to a port: `-A PREROUTING -p tcp --dport 21 -j CT --helper ftp`. It must name the port the control connection really uses: a server on port 3069 needs `--dport 3069`.',
  },
  {
    id: 'nf_nat_ftp',
    term: 'nf_nat_ftp',
    text: 'The NAT half of the [[helper]]: on a router that does [[nat]] it rewrites the address inside [[port]] or [[227]] to the public one. The text changes length, so it also shifts the TCP sequence and acknowledgement numbers of later packets on that connection.',
    see: ['sequence-number'],
  },
  {
    id: 'drop',
    term: 'DROP',
    match: ['DROP', 'drop'],
    text: 'A [[firewall]] verdict: throw the packet away and say nothing. The sender cannot tell a DROP from a lost packet: it sends its [[syn]] again and again, waiting longer each time ([[retransmission]]), until it gives up — about two minutes for a Linux connect.',
    see: ['reject'],
  },
  {
    id: 'reject',
    term: 'REJECT',
    match: ['REJECT', 'reject'],
    text: 'A [[firewall]] verdict: throw the packet away and answer with an error ([[icmp]] "prohibited", or a [[rst]]). The sender learns at once: the failure takes milliseconds, not minutes.',
    see: ['drop'],
  },
  {
    id: 'policy',
    term: 'Chain policy',
    match: ['policy'],
    text: 'What a [[firewall]] chain does with a packet no rule matched: `ACCEPT` or `DROP` (`:FORWARD DROP` in iptables-save text).',
  },
  // NAT
  {
    id: 'nat',
    term: 'NAT (network address translation)',
    match: ['NAT'],
    text: 'A router rewriting addresses and ports of packets as they pass: many private addresses share one public one ([[masquerade]]), or a public port is forwarded to a private server ([[dnat]]). NAT is *not* a [[firewall]]: it blocks unrequested connections only as a side effect, because it does not know where to send them. And it does not read FTP text unless the [[nf_nat_ftp]] helper does.',
  },
  {
    id: 'masquerade',
    term: 'MASQUERADE',
    match: ['MASQUERADE'],
    text: "A kind of [[snat]]: packets leaving through an interface get that interface's address as their source. The usual home/office router: 192.168.1.100 goes out as 198.51.100.1.",
  },
  {
    id: 'snat',
    term: 'SNAT',
    match: ['SNAT'],
    text: 'Source NAT: a router replaces the *source* address (and maybe port) of outgoing packets, and undoes it on the replies. [[masquerade]] is one form.',
    see: ['nat', 'dnat'],
  },
  {
    id: 'dnat',
    term: 'DNAT (port forwarding)',
    match: ['DNAT'],
    text: 'Destination NAT: a router replaces the *destination* of incoming packets, e.g. 203.0.113.1 port 21 → the private server 10.0.0.10 port 21. A server behind NAT needs it for port 21 and for its [[passive-range]] (or the [[helper]]).',
    see: ['nat', 'snat'],
  },
  {
    id: 'private-address',
    term: 'Private address',
    match: ['private'],
    text: 'Addresses in 10.0.0.0/8, 172.16.0.0/12 and 192.168.0.0/16: usable inside a network, never routed on the internet. A [[227]] naming one sends the client somewhere the internet drops.',
  },
  // TCP and ICMP
  {
    id: 'syn',
    term: 'SYN',
    match: ['SYN'],
    text: 'The first packet of a TCP connection: "I would like to connect to this port". The answer is SYN-ACK (yes), a [[rst]] (nobody listens there) — or nothing, when a firewall [[drop|drops]] it, and the SYN is sent again.',
  },
  {
    id: 'rst',
    term: 'RST',
    match: ['RST'],
    text: 'A TCP reset: "no connection here". The answer to a [[syn]] for a port nobody listens on; the client reports *Connection refused* at once.',
  },
  {
    id: 'icmp',
    term: 'ICMP',
    match: ['ICMP'],
    text: 'The network\'s error messages: "destination unreachable", "administratively prohibited" (what a [[reject]] rule sends), and so on. A client that gets one fails at once.',
  },
  {
    id: 'retransmission',
    term: 'Retransmission',
    match: ['retransmit'],
    text: 'Sending a packet again because no answer came. A [[syn]] that a firewall [[drop|drops]] is sent again with longer and longer gaps until the connect gives up (about two minutes on Linux).',
  },
  {
    id: 'sequence-number',
    term: 'Sequence and acknowledgement numbers',
    match: ['seq', 'ack'],
    text: 'TCP numbers every byte it sends (seq) and says which it received (ack). When [[nf_nat_ftp]] makes a line shorter or longer, it must shift these numbers on every later packet of that connection, or the two ends would disagree.',
  },
  // Encryption and the rest
  {
    id: 'ftps',
    term: 'FTPS (FTP over TLS)',
    match: ['FTPS', 'TLS', 'AUTH TLS'],
    text: 'FTP with the control connection encrypted after `AUTH TLS` (or `AUTH SSL`). Good for passwords, but the [[helper]] can no longer read [[227]] or [[port]], so it expects nothing: a firewall that relies on [[related]] blocks the data connection. Open the [[passive-range]] instead.',
  },
  {
    id: 'seed',
    term: 'Seed (of a run)',
    match: ['seed'],
    text: "The number that drives the simulation's random choices (which ephemeral port, which passive port). The same scenario with the same seed gives the same run, packet for packet; another seed may pick other ports.",
  },
  {
    id: 'control-port',
    term: 'Control port',
    match: ['controlPort'],
    text: 'The port the server listens on for the [[control-connection]]: 21 by default. A server on another port (3069 here) needs a [[ct-helper]] rule for that port too.',
  },
  {
    id: 'client-profile',
    term: 'Client (curl, classic ftp, …)',
    match: ['profile'],
    text: 'Each FTP client behaves its own way: curl asks [[epsv]] first and ignores the address in [[227]]; the classic netkit `ftp` trusts it and listens on its control port + 1 in active mode; FileZilla and tnftp fall back to active mode when passive fails.',
  },
  {
    id: 'reply-code',
    term: 'Reply codes',
    match: ['reply'],
    text: 'Every server reply starts with three digits. The first says how it went: *1xx* wait, more is coming; *2xx* done; *3xx* send the next part (e.g. the password); *4xx* failed this time, may work later; *5xx* refused, do not repeat as is. Common ones: [[220]], [[227]], [[230]], [[425]], [[500]], [[530]].',
  },
];

/** The reply-code table, each in a beginner's words. */
const CODES: [string, string][] = [
  ['110', 'Restart marker: where a restarted transfer picks up.'],
  ['120', 'The service will be ready in a few minutes.'],
  ['125', 'The data connection is already open; the transfer starts.'],
  ['150', 'File status okay; the server is about to open (or accept) the data connection.'],
  ['200', 'Command okay (e.g. after [[port]]: "PORT command successful").'],
  ['202', 'Command not needed here; nothing done.'],
  ['211', 'System status or help.'],
  ['212', 'Directory status.'],
  ['213', 'File status (e.g. its size).'],
  ['214', 'Help text for a human.'],
  ['215', 'The server\'s system type (e.g. "UNIX Type: L8").'],
  ['220', 'The server is ready for a new user: the greeting when the control connection opens.'],
  ['221', 'Goodbye: the server closes the control connection.'],
  ['225', 'Data connection open, no transfer in progress.'],
  ['226', 'Transfer complete; the data connection is closed.'],
  ['230', 'Logged in.'],
  ['234', 'Go ahead with TLS (after `AUTH TLS`): from here on the control connection is encrypted ([[ftps]]).'],
  ['250', 'Requested file action done (e.g. a directory change).'],
  ['257', 'A path name: the current or newly made directory.'],
  ['331', 'User name okay, now send the password.'],
  ['332', 'An account is needed to log in.'],
  ['350', 'Pending: send the next command (e.g. the new name after RNFR).'],
  ['421', 'Service not available, closing: too many users, or a time-out.'],
  ['425', "Can't open data connection: the server could not connect (active) or nobody connected in time (passive). A firewall or NAT is the usual cause."],
  [
    '426',
    'The data connection broke after it opened; transfer aborted (vsftpd: `426 Failure writing network stream.`, FileZilla Server: `426 Connection closed; aborted transfer of …`) — a reset from a firewall or the other side, not a refused connection (that is 425).',
  ],
  ['450', 'File unavailable right now (busy).'],
  ['451', 'Aborted: a local error on the server.'],
  ['452', 'Not enough storage space.'],
  ['500', "Syntax error, command unrecognised — or, in vsftpd, `500 Illegal PORT command.`: the [[port]] named an address other than the client's (see [[port_promiscuous]])."],
  ['501', 'Syntax error in the parameters.'],
  ['502', 'Command not implemented.'],
  ['503', 'Bad sequence of commands (e.g. PASS before USER).'],
  ['504', 'Command not implemented for that parameter.'],
  ['522', 'The server does not support that network protocol in [[eprt]].'],
  ['530', 'Not logged in (wrong user or password).'],
  ['532', 'An account is needed to store files.'],
  ['550', 'Not done: file unavailable (not found, no permission).'],
  ['551', 'Aborted: page type unknown.'],
  [
    '552',
    "Aborted: storage allocation exceeded (a quota). Neither vsftpd nor FileZilla Server sends it: on a full disk vsftpd answers `451 Failure writing to local file.`, FileZilla Server `550 can't access file.`",
  ],
  ['553', 'Not done: file name not allowed.'],
];

export const GLOSSARY: readonly GlossaryEntry[] = [
  ...TERMS,
  ...CODES.filter(([c]) => c !== '227' && c !== '229').map(([code, text]) => ({ id: code, term: `Reply ${code}`, text, see: ['reply-code'] })),
];

const BY_ID = new Map(GLOSSARY.map((e) => [e.id, e]));

export function glossaryEntry(id: string): GlossaryEntry | undefined {
  return BY_ID.get(id);
}

export function hasTerm(id: string): boolean {
  return BY_ID.has(id);
}

const INLINE: Record<string, string> = {
  port: 'PORT',
  eprt: 'EPRT',
  pasv: 'PASV',
  epsv: 'EPSV',
  new: 'NEW',
  established: 'ESTABLISHED',
  related: 'RELATED',
  masquerade: 'MASQUERADE',
  snat: 'SNAT',
  dnat: 'DNAT',
  nat: 'NAT',
  drop: 'DROP',
  reject: 'REJECT',
  syn: 'SYN',
  rst: 'RST',
  icmp: 'ICMP',
  ftps: 'FTPS',
  'ct-helper': 'CT --helper ftp',
  'port-20': 'port 20',
};

/** The words a bare [[term]] link shows in running text: "PASV", "active mode", "pasv_address". */
export function termLabel(id: string): string {
  return INLINE[id] ?? (id.includes('_') ? id : id.replace(/-/g, ' '));
}

/** Lesson and glossary text → tokens, bare term links shown in words. */
export function markup(text: string | readonly string[]): Token[] {
  return parseMarkup(text, termLabel);
}

/** The glossary id for a reply line's code ("425 Failed to establish connection." → "425"), if it has one. */
export function replyCodeTerm(line: string): string | null {
  const m = /^(\d{3})[ -]/.exec(line);
  return m && BY_ID.has(m[1]!) ? m[1]! : null;
}

/**
 * Words linked to the glossary where they appear in the app's own text (the verdict, the
 * inspector, the caption): distinctive spellings only, so prose is not littered with links.
 * Case-sensitive; longer phrases first.
 */
const AUTO_LINK: [string, string][] = [
  ['passive mode', 'passive-mode'],
  ['active mode', 'active-mode'],
  ['Passive mode', 'passive-mode'],
  ['Active mode', 'active-mode'],
  ['passive range', 'passive-range'],
  ['control connection', 'control-connection'],
  ['data connection', 'data-connection'],
  ['FTP helper', 'helper'],
  ['nf_conntrack_ftp', 'helper'],
  ['nf_nat_ftp', 'nf_nat_ftp'],
  ['CT --helper ftp', 'ct-helper'],
  ['pasv_address', 'pasv_address'],
  ['port_promiscuous', 'port_promiscuous'],
  ['connect_from_port_20', 'connect_from_port_20'],
  ['pasv_min_port', 'passive-range'],
  ['pasv_max_port', 'passive-range'],
  ['conntrack', 'conntrack'],
  ['ESTABLISHED', 'established'],
  ['RELATED', 'related'],
  ['NEW', 'new'],
  ['MASQUERADE', 'masquerade'],
  ['SNAT', 'snat'],
  ['DNAT', 'dnat'],
  ['NAT', 'nat'],
  ['DROP', 'drop'],
  ['REJECT', 'reject'],
  ['SYN', 'syn'],
  ['RST', 'rst'],
  ['ICMP', 'icmp'],
  ['FTPS', 'ftps'],
  ['EPSV', 'epsv'],
  ['EPRT', 'eprt'],
  ['PASV', 'pasv'],
  ['PORT', 'port'],
  ['227', '227'],
  ['229', '229'],
  ['425', '425'],
  ['500', '500'],
  ['ephemeral', 'ephemeral-port'],
  ['retransmi', 'retransmission'],
];

/**
 * Plain text → tokens with the first appearance of each glossary word as a term link. The
 * text itself is never markup (a scenario or verdict text is data): only these words link.
 */
export function linkTerms(text: string): Token[] {
  const hits: { at: number; len: number; id: string }[] = [];
  const used = new Set<string>();
  const taken = (a: number, b: number) => hits.some((h) => a < h.at + h.len && h.at < b);
  for (const [word, id] of AUTO_LINK) {
    if (used.has(id)) continue;
    let from = 0;
    while (from <= text.length) {
      const at = text.indexOf(word, from);
      if (at < 0) break;
      const before = text[at - 1];
      const after = text[at + word.length];
      const wordChar = (c: string | undefined) => c !== undefined && /[A-Za-z0-9_]/.test(c);
      // Whole words only (a stem such as "retransmi" may go on: retransmits, retransmission).
      if (!wordChar(before) && (word === 'retransmi' || !wordChar(after)) && !taken(at, at + word.length)) {
        hits.push({ at, len: word.length, id });
        used.add(id);
        break;
      }
      from = at + 1;
    }
  }
  hits.sort((a, b) => a.at - b.at);
  const out: Token[] = [];
  let pos = 0;
  for (const h of hits) {
    if (h.at > pos) out.push({ kind: 'text', text: text.slice(pos, h.at) });
    out.push({ kind: 'term', term: h.id, text: text.slice(h.at, h.at + h.len) });
    pos = h.at + h.len;
  }
  if (pos < text.length) out.push({ kind: 'text', text: text.slice(pos) });
  return out;
}

/** Verdict text: `code` spans, and glossary words linked in the plain parts (never inside code). */
export function verdictTokens(text: string): Token[] {
  return parseCodeSpans(text).flatMap((t) => (t.kind === 'text' ? linkTerms(t.text) : [t]));
}
