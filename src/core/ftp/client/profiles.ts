/**
 * What each real FTP client does, as a table (docs/FIDELITY-NOTES.md, "Reference: clients"): its data
 * commands and fallbacks, how it treats a 227 address, and the commands it sends around a
 * transfer. The client machine reads this table; it has no per-client branches of its own
 * (messages.ts holds each client's words).
 */
export type ProfileId = 'curl' | 'classic' | 'inetutils' | 'tnftp' | 'filezilla' | 'lftp' | 'windows';
/** LPRT and LPSV (RFC 1639): inetutils ftp tries them after a refused PORT (on the same port) or PASV. */
export type DataCommand = 'PORT' | 'EPRT' | 'LPRT' | 'PASV' | 'EPSV' | 'LPSV';
export type ModeChoice = 'auto' | 'active' | 'passive' | 'port' | 'eprt' | 'pasv' | 'epsv';

/** How the client treats the address inside a 227 reply. */
export type PasvAddressPolicy =
  /** Connect where the 227 says (netkit ftp, Windows). */
  | 'trust'
  /** Ignore it, reuse the control connection's address (curl ≥ 7.74, Python ftplib ≥ 3.9.3). */
  | 'ignore'
  /** Refuse a 227 whose address is not the control peer's (inetutils ftp). */
  | 'refuse-mismatch'
  /** Replace a private (unroutable) address from a public server with the server's (FileZilla, lftp ftp:fix-pasv-address). */
  | 'fix-unroutable';

/** Sent once after each login, in order; any answer will do. SYST prints the system type (classic clients). */
export type LoginCommand = 'SYST' | 'FEAT' | 'PWD';

/**
 * TYPE, sent only when the server was last told another type: always I, or per transfer
 * (A for a listing, I for a file); for every transfer or for files only — downloads and
 * uploads, not listings (`downloads`: the name is older than uploads; captured for tnftp,
 * inetutils and lftp sending TYPE I before STOR, tests/kernel vsftpd-upload-553). An error reply
 * fails the transfer, or is ignored.
 */
export interface TypeCommand {
  verb: 'TYPE';
  type: 'I' | 'per-transfer';
  for: 'all' | 'downloads';
  onError: 'fail' | 'ignore';
}

/** SIZE of a download's file: a 550 ("no such file") ends the transfer (curl), or the answer only sizes a progress bar (tnftp). */
export interface SizeCommand {
  verb: 'SIZE';
  onError: 'fail-on-550' | 'ignore';
}

/** MDTM of a downloaded file, to set the local copy's time; any answer will do. */
export interface MdtmCommand {
  verb: 'MDTM';
}

/** The commands a client sends besides login, the data command and the transfer command itself. */
export interface CommandSequence {
  afterLogin: LoginCommand[];
  /** Before the data command (PASV/EPSV/PORT/EPRT) of a transfer (lftp asks MDTM there too). */
  beforeDataCommand: (TypeCommand | SizeCommand | MdtmCommand)[];
  /** Once the data connection is set up, before LIST/RETR/STOR. */
  beforeTransferCommand: (TypeCommand | SizeCommand)[];
  /** After a completed download. */
  afterDownload: MdtmCommand[];
}

export interface ClientProfile {
  id: ProfileId;
  /** Shown in the UI and transcripts. */
  label: string;
  /** Commands tried in order for each mode; a later one is tried when the earlier one fails as `fallbackOn` says. */
  active: DataCommand[];
  passive: DataCommand[];
  /** Mode when the scenario says "auto". */
  defaultMode: 'active' | 'passive';
  /** Can the client do passive mode at all? (Windows ftp.exe cannot.) */
  supportsPassive: boolean;
  pasvAddress: PasvAddressPolicy;
  /**
   * When to try the next command of the list: on an error reply to the command (500/502…),
   * and/or when the data connection it set up fails *at once* (ICMP/RST — curl does not fall
   * back after a time-out).
   */
  fallbackOnReply: boolean;
  fallbackOnFastConnectFailure: boolean;
  /**
   * curl also sends the next command after a data connect that timed out, but its connect
   * time-out covers both attempts: measured with curl 7.88, PASV is sent and answered, and
   * curl exits 28 without dialling again when the time is already used up.
   */
  fallbackOnConnectTimeout: boolean;
  /**
   * Passive mode failing — refused by reply, or a data connection that cannot be opened:
   * 'transfer': the transfer is tried again in active mode (FileZilla);
   * 'session-in-auto': in the client's default mode only, passive is off for the rest of the
   * session and the transfer goes on in active mode (tnftp's `passive auto`, captured: EPSV's
   * connect refused → EPRT; EPSV and PASV refused → PORT; the next transfer active at once).
   */
  activeFallback: 'none' | 'transfer' | 'session-in-auto';
  /**
   * An EPSV or EPRT refused by reply: 'both' turns both off for the connection (tnftp's epsv4,
   * captured); 'each' turns off the one refused (curl: "disabling EPRT usage", captured — the
   * next transfer on that connection starts with PORT); 'none' tries it again every time.
   */
  extendedOffAfterRefusal: 'both' | 'each' | 'none';
  /**
   * The next active command after a refused one announces the same listening port (tnftp's
   * EPRT → PORT, inetutils' PORT → LPRT: captured), not a new one.
   */
  reuseDataPortOnRetry: boolean;
  /**
   * After its first PORT refused (5xx), tnftp tries RFC 959's default data port — its control
   * connection's own, which is taken: "Can't bind for data connection: Address already in
   * use" (captured); from then on it only sends PORT.
   */
  defaultPortRetry: boolean;
  /** What it prints when that retry cannot bind (tnftp's words; netkit and inetutils perror "bind"). */
  bindFailureText: string;
  /** After refusing a 227 address it sends ABOR (inetutils: "Passive mode address mismatch.", ABOR, 225: captured). */
  aborAfterPasvRefusal: boolean;
  /**
   * lftp 4.9.2, as captured against vsftpd (tests/kernel): FEAT and AUTH TLS before logging in
   * (in the clear when AUTH is refused), its afterLogin commands after the first login only. A
   * data connection it cannot open, or a PORT refused, ends the command ("Fatal error:
   * max-retries exceeded", as with net:max-retries 1): after an error it still sends the
   * command and ABOR, then closes the control connection without QUIT; the next command logs
   * in again.
   */
  lftpSequence: boolean;
  /** What it sends around login and each transfer, in order (captured against vsftpd: tests/kernel). */
  commands: CommandSequence;
  /**
   * After an error curl counts as fatal for the connection — a data connection it could not
   * open (refused, unreachable, timed out: exit 7 or 28), or AUTH refused (exit 64) — the
   * client drops the control connection without QUIT and logs in again on a new one for its
   * next transfer, as curl with several URLs does (captured).
   */
  dropsControlAfterFatalError: boolean;
  /**
   * Does it read the control connection while a download's data connection is open? BSD ftp
   * (recvrequest) and curl read the data connection to its end first: a 426 the server sends
   * meanwhile waits unread while they wait for data that never comes (captured: tests/kernel
   * vsftpd-426-reset-mid-transfer — curl until --max-time, tnftp until -q, inetutils for ever).
   * lftp and FileZilla watch both at once and stop at the 426.
   */
  readsControlDuringTransfer: boolean;
  /** The AUTH argument for FTPS: curl asks for SSL first, the others for TLS. */
  authArg: 'TLS' | 'SSL';
  /** Default connect time-out in ms for its own sockets; null = the kernel's SYN time-out. */
  connectTimeoutMs: number | null;
  /**
   * Where the connect time-out of a data connection counts from: the start of the transfer
   * (curl: connect and login included, and EPSV's attempt and PASV's share it — captured), or
   * the transfer's first data connect attempt.
   */
  connectBudgetFrom: 'transfer' | 'data-connect';
  /**
   * Microseconds from reading QUIT's answer to the control socket's close, which comes with the
   * process's exit (absent: the same instant). tnftp's `disconnect` reads one reply, closes only
   * its writing stream (`cleanuppeer`: `fclose(cout)`; the socket stays open through `cin`) and
   * `quit` calls exit(0): the kernel closes the socket then. Measured on the kernel: 1.1–8.5 ms.
   * A reply that arrives meanwhile is never read, and Linux answers a close with unread data by
   * RST instead of FIN (tests/kernel vsftpd-426-reset-mid-transfer · tnftp).
   */
  exitAfterQuitUs?: number;
}

// The seeds' "standard FTP command line client" (netkit ftp -d): active unless `passive`.
const CLASSIC: ClientProfile = {
  id: 'classic',
  label: 'ftp (netkit, classic)',
  active: ['PORT'],
  passive: ['PASV'],
  defaultMode: 'active',
  supportsPassive: true,
  pasvAddress: 'trust',
  fallbackOnReply: false,
  fallbackOnFastConnectFailure: false,
  fallbackOnConnectTimeout: false,
  activeFallback: 'none',
  extendedOffAfterRefusal: 'none',
  // BSD ftp, after its first PORT refused: the default data port, which cannot bind.
  defaultPortRetry: true,
  reuseDataPortOnRetry: false,
  bindFailureText: 'ftp: bind: Address already in use',
  aborAfterPasvRefusal: false,
  lftpSequence: false,
  readsControlDuringTransfer: false,
  dropsControlAfterFatalError: false,
  authArg: 'TLS',
  connectTimeoutMs: null,
  connectBudgetFrom: 'data-connect',
  commands: {
    afterLogin: ['SYST'],
    // TYPE I before a download (captured from inetutils: LIST, then TYPE I, PORT, RETR).
    beforeDataCommand: [{ verb: 'TYPE', type: 'per-transfer', for: 'downloads', onError: 'fail' }],
    beforeTransferCommand: [],
    afterDownload: [],
  },
};

export const PROFILES: Record<ProfileId, ClientProfile> = {
  // curl: passive by default, EPSV then PASV; ignores the 227 address (--ftp-skip-pasv-ip is
  // the default since 7.74); -P - uses EPRT then PORT. Default connect time-out 300 s, so the
  // kernel's 134 s SYN time-out wins.
  curl: {
    id: 'curl',
    label: 'curl 7.88',
    active: ['EPRT', 'PORT'],
    passive: ['EPSV', 'PASV'],
    defaultMode: 'passive',
    supportsPassive: true,
    pasvAddress: 'ignore',
    fallbackOnReply: true,
    fallbackOnFastConnectFailure: true,
    fallbackOnConnectTimeout: true,
    activeFallback: 'none',
    extendedOffAfterRefusal: 'each',
    defaultPortRetry: false,
    reuseDataPortOnRetry: false,
    bindFailureText: '',
    aborAfterPasvRefusal: false,
    lftpSequence: false,
    readsControlDuringTransfer: false,
    dropsControlAfterFatalError: true,
    authArg: 'SSL',
    connectTimeoutMs: 300_000,
    connectBudgetFrom: 'transfer',
    commands: {
      afterLogin: ['PWD'],
      beforeDataCommand: [],
      beforeTransferCommand: [
        { verb: 'TYPE', type: 'per-transfer', for: 'all', onError: 'fail' },
        { verb: 'SIZE', onError: 'fail-on-550' },
      ],
      afterDownload: [],
    },
  },
  // netkit ftp (CLASSIC, above).
  classic: CLASSIC,
  // GNU inetutils ftp 2.4, captured: like classic, but refuses a 227 naming another host (then
  // ABOR), and after a refused PORT tries LPRT on the same port before the default-port retry.
  inetutils: {
    ...CLASSIC,
    id: 'inetutils',
    label: 'ftp (GNU inetutils)',
    pasvAddress: 'refuse-mismatch',
    active: ['PORT', 'LPRT'],
    // A refused PASV: LPSV, then "Passive mode refused." (captured: tests/kernel lftp-login-530, both 530).
    passive: ['PASV', 'LPSV'],
    fallbackOnReply: true,
    reuseDataPortOnRetry: true,
    aborAfterPasvRefusal: true,
  },
  // tnftp, Debian's `ftp` (NetBSD ftp): passive by default, EPSV then PASV (EPRT then PORT
  // when active), the next one after an error reply; refuses a 227 naming another host; in
  // its default mode, falls back to active for the session when passive fails.
  tnftp: {
    id: 'tnftp',
    label: "ftp (tnftp, Debian's ftp)",
    active: ['EPRT', 'PORT'],
    passive: ['EPSV', 'PASV'],
    defaultMode: 'passive',
    supportsPassive: true,
    pasvAddress: 'refuse-mismatch',
    fallbackOnReply: true,
    fallbackOnFastConnectFailure: false,
    fallbackOnConnectTimeout: false,
    activeFallback: 'session-in-auto',
    extendedOffAfterRefusal: 'both',
    defaultPortRetry: true,
    reuseDataPortOnRetry: true,
    bindFailureText: "ftp: Can't bind for data connection: Address already in use",
    aborAfterPasvRefusal: false,
    lftpSequence: false,
    readsControlDuringTransfer: false,
    dropsControlAfterFatalError: false,
    authArg: 'TLS',
    connectTimeoutMs: null,
    connectBudgetFrom: 'data-connect',
    exitAfterQuitUs: 3_000,
    commands: {
      afterLogin: ['SYST', 'FEAT'],
      beforeDataCommand: [
        { verb: 'TYPE', type: 'per-transfer', for: 'downloads', onError: 'fail' },
        { verb: 'SIZE', onError: 'ignore' },
      ],
      beforeTransferCommand: [],
      afterDownload: [{ verb: 'MDTM' }],
    },
  },
  // FileZilla on IPv4: PASV; an unroutable 227 address is replaced by the server's; falls
  // back to active when passive fails.
  filezilla: {
    id: 'filezilla',
    label: 'FileZilla 3',
    active: ['PORT'],
    passive: ['PASV'],
    defaultMode: 'passive',
    supportsPassive: true,
    pasvAddress: 'fix-unroutable',
    fallbackOnReply: false,
    fallbackOnFastConnectFailure: false,
    fallbackOnConnectTimeout: false,
    activeFallback: 'transfer',
    extendedOffAfterRefusal: 'none',
    defaultPortRetry: false,
    reuseDataPortOnRetry: false,
    bindFailureText: '',
    aborAfterPasvRefusal: false,
    lftpSequence: false,
    readsControlDuringTransfer: true,
    dropsControlAfterFatalError: false,
    authArg: 'TLS',
    connectTimeoutMs: 20_000,
    connectBudgetFrom: 'data-connect',
    commands: {
      afterLogin: ['SYST'],
      beforeDataCommand: [{ verb: 'TYPE', type: 'I', for: 'all', onError: 'ignore' }],
      beforeTransferCommand: [],
      afterDownload: [],
    },
  },
  // lftp 4.9.2: passive (PASV unless ftp:prefer-epsv); ftp:fix-pasv-address replaces a private
  // address; net:timeout 300 s. Modelled with net:max-retries 1: it gives up on the first failure
  // (its default retries for hours).
  lftp: {
    id: 'lftp',
    label: 'lftp 4.9',
    active: ['PORT'],
    passive: ['PASV'],
    defaultMode: 'passive',
    supportsPassive: true,
    pasvAddress: 'fix-unroutable',
    fallbackOnReply: false,
    fallbackOnFastConnectFailure: false,
    fallbackOnConnectTimeout: false,
    activeFallback: 'none',
    extendedOffAfterRefusal: 'none',
    defaultPortRetry: false,
    reuseDataPortOnRetry: false,
    bindFailureText: '',
    aborAfterPasvRefusal: false,
    lftpSequence: true,
    readsControlDuringTransfer: true,
    dropsControlAfterFatalError: true,
    authArg: 'TLS',
    connectTimeoutMs: 300_000,
    connectBudgetFrom: 'data-connect',
    commands: {
      afterLogin: ['PWD'],
      beforeDataCommand: [{ verb: 'TYPE', type: 'per-transfer', for: 'downloads', onError: 'fail' }, { verb: 'SIZE', onError: 'ignore' }, { verb: 'MDTM' }],
      beforeTransferCommand: [],
      afterDownload: [],
    },
  },
  // Windows ftp.exe (a BSD ftp descendant): the classic client without passive mode or SYST.
  windows: {
    ...CLASSIC,
    id: 'windows',
    label: 'Windows ftp.exe',
    defaultPortRetry: false,
    passive: [],
    supportsPassive: false,
    commands: { afterLogin: [], beforeDataCommand: [], beforeTransferCommand: [], afterDownload: [] },
  },
};

/** The data commands to try, in order, for a profile and the scenario's mode choice. */
export function dataCommandsFor(profile: ClientProfile, mode: ModeChoice): DataCommand[] {
  switch (mode) {
    case 'auto':
      return profile.defaultMode === 'active' ? profile.active : profile.passive;
    case 'active':
      return profile.active;
    case 'passive':
      return profile.supportsPassive ? profile.passive : profile.active;
    case 'port':
      return ['PORT'];
    case 'eprt':
      return ['EPRT'];
    case 'pasv':
      return ['PASV'];
    case 'epsv':
      return ['EPSV'];
  }
}

export const isPassive = (c: DataCommand): boolean => c === 'PASV' || c === 'EPSV' || c === 'LPSV';
