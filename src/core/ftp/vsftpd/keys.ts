/**
 * Every key vsftpd 3.0.x accepts (its parseconf.c tables), by value kind. A key outside
 * these lists makes vsftpd refuse to start ("unrecognised variable in config file"), so
 * the simulator refuses it too. Only the keys in MODELLED_DEFAULTS change the simulation;
 * the others are accepted and kept as text so a real distribution file pastes in whole.
 */

export type VsftpdKind = 'bool' | 'uint' | 'str';

const BOOL_KEYS = [
  'anonymous_enable',
  'local_enable',
  'pasv_enable',
  'port_enable',
  'chroot_local_user',
  'write_enable',
  'anon_upload_enable',
  'anon_mkdir_write_enable',
  'anon_other_write_enable',
  'chown_uploads',
  'connect_from_port_20',
  'xferlog_enable',
  'dirmessage_enable',
  'anon_world_readable_only',
  'async_abor_enable',
  'ascii_upload_enable',
  'ascii_download_enable',
  'one_process_model',
  'xferlog_std_format',
  'pasv_promiscuous',
  'deny_email_enable',
  'chroot_list_enable',
  'setproctitle_enable',
  'text_userdb_names',
  'ls_recurse_enable',
  'log_ftp_protocol',
  'guest_enable',
  'userlist_enable',
  'userlist_deny',
  'use_localtime',
  'check_shell',
  'hide_ids',
  'listen',
  'port_promiscuous',
  'passwd_chroot_enable',
  'no_anon_password',
  'tcp_wrappers',
  'use_sendfile',
  'force_dot_files',
  'listen_ipv6',
  'dual_log_enable',
  'syslog_enable',
  'background',
  'virtual_use_local_privs',
  'session_support',
  'download_enable',
  'dirlist_enable',
  'chmod_enable',
  'secure_email_list_enable',
  'run_as_launching_user',
  'no_log_lock',
  'ssl_enable',
  'allow_anon_ssl',
  'force_local_logins_ssl',
  'force_local_data_ssl',
  'ssl_sslv2',
  'ssl_sslv3',
  'ssl_tlsv1',
  'tilde_user_enable',
  'enable_iconv',
  'force_anon_logins_ssl',
  'force_anon_data_ssl',
  'mdtm_write',
  'lock_upload_files',
  'pasv_addr_resolve',
  'debug_ssl',
  'require_cert',
  'validate_cert',
  'strict_ssl_read_eof',
  'strict_ssl_write_shutdown',
  'ssl_request_cert',
  'delete_failed_uploads',
  'implicit_ssl',
  'ptrace_sandbox',
  'require_ssl_reuse',
  'isolate',
  'isolate_network',
  'ftp_enable',
  'http_enable',
  'seccomp_sandbox',
  'allow_writeable_chroot',
] as const;

const UINT_KEYS = [
  'accept_timeout',
  'connect_timeout',
  'local_umask',
  'anon_umask',
  'ftp_data_port',
  'idle_session_timeout',
  'data_connection_timeout',
  'pasv_min_port',
  'pasv_max_port',
  'anon_max_rate',
  'local_max_rate',
  'listen_port',
  'max_clients',
  'file_open_mode',
  'max_per_ip',
  'trans_chunk_size',
  'delay_failed_login',
  'delay_successful_login',
  'max_login_fails',
  'chown_upload_mode',
] as const;

const STR_KEYS = [
  'secure_chroot_dir',
  'ftp_username',
  'chown_username',
  'xferlog_file',
  'vsftpd_log_file',
  'message_file',
  'nopriv_user',
  'ftpd_banner',
  'banned_email_file',
  'chroot_list_file',
  'pam_service_name',
  'guest_username',
  'userlist_file',
  'anon_root',
  'local_root',
  'banner_file',
  'pasv_address',
  'listen_address',
  'user_config_dir',
  'listen_address6',
  'cmds_allowed',
  'hide_file',
  'deny_file',
  'user_sub_token',
  'email_password_file',
  'rsa_cert_file',
  'dsa_cert_file',
  'ssl_ciphers',
  'local_charset',
  'remote_charset',
  'rsa_private_key_file',
  'dsa_private_key_file',
  'ca_certs_file',
  'cmds_denied',
] as const;

const KIND = new Map<string, VsftpdKind>([
  ...BOOL_KEYS.map((k) => [k, 'bool'] as const),
  ...UINT_KEYS.map((k) => [k, 'uint'] as const),
  ...STR_KEYS.map((k) => [k, 'str'] as const),
]);

/** The kind of a vsftpd key, or undefined when vsftpd does not know it. */
export function vsftpdKeyKind(key: string): VsftpdKind | undefined {
  return KIND.get(key);
}

/**
 * The keys the simulator models, with vsftpd 3.0.x's compiled-in defaults (tunables.c),
 * which is what applies when a key is absent. Distribution files differ: Debian's and
 * Red Hat's shipped vsftpd.conf set connect_from_port_20=YES, and Debian's sets
 * anonymous_enable=NO, local_enable=YES — write those keys to get that behaviour.
 */
export const MODELLED_DEFAULTS = {
  /** Control port the server listens on. */
  listen_port: 21,
  /** Address to listen on; null = all. */
  listen_address: null as string | null,
  /** Answer PASV/EPSV at all. */
  pasv_enable: true,
  /**
   * Lowest passive port. The man page says "0 (use any port)", but the compiled default is
   * 5001, so an unset range really is 5001–65535. Values ≤ 1024 are ignored (1024 is used).
   */
  pasv_min_port: 5001,
  /** Highest passive port; 0 (or a value below the minimum) means 65535. */
  pasv_max_port: 0,
  /** Address written in the 227 reply; null = the control connection's local address. */
  pasv_address: null as string | null,
  /** pasv_address is a host name to resolve (no DNS here: refused). */
  pasv_addr_resolve: false,
  /** Accept a passive data connection from another IP than the control peer's. */
  pasv_promiscuous: false,
  /** Accept PORT/EPRT at all. */
  port_enable: true,
  /** Accept PORT/EPRT naming another IP than the control peer's, or a port below 1024. */
  port_promiscuous: false,
  /** Active data connections leave from ftp_data_port (else from an ephemeral port). */
  connect_from_port_20: false,
  /** Source port of active data connections when connect_from_port_20=YES. */
  ftp_data_port: 20,
  /** Seconds to wait for the client's passive data connection. */
  accept_timeout: 60,
  /** Seconds to wait for the server's active data connection to be accepted. */
  connect_timeout: 60,
  /** Seconds a data transfer may stall. */
  data_connection_timeout: 300,
  /** Seconds between commands before the session is closed. */
  idle_session_timeout: 300,
  /** Anonymous logins ("anonymous"/"ftp", any password). */
  anonymous_enable: true,
  /** Logins of the scenario's server users. */
  local_enable: false,
  /** Any write command (STOR, MKD, DELE…). */
  write_enable: false,
  /** Anonymous uploads (also needs write_enable). */
  anon_upload_enable: false,
  /** Anonymous MKD (also needs write_enable). */
  anon_mkdir_write_enable: false,
  /** Anonymous users log in without a password prompt. */
  no_anon_password: false,
  /** LIST/NLST allowed. */
  dirlist_enable: true,
  /** RETR allowed. */
  download_enable: true,
  /** Text after "220 " in the greeting; null = "(vsFTPd 3.0.3)". */
  ftpd_banner: null as string | null,
  /** AUTH TLS (FTPS) accepted. */
  ssl_enable: false,
  /** Anonymous users may use TLS (else "530 Anonymous sessions may not use encryption."). */
  allow_anon_ssl: false,
  /** Local users must use TLS for the login. */
  force_local_logins_ssl: true,
  /** Local users must use TLS on data connections. */
  force_local_data_ssl: true,
  /** Anonymous users must use TLS for the login. */
  force_anon_logins_ssl: false,
  /** Anonymous users must use TLS on data connections. */
  force_anon_data_ssl: false,
  /** Anonymous users may also delete, rename, append and overwrite (with write_enable). */
  anon_other_write_enable: false,
  /** Permission bits removed from what local users create (files: file_open_mode, directories: 0777). */
  local_umask: 0o77,
  /** The same for anonymous uploads. */
  anon_umask: 0o77,
  /** The mode uploads are created with, before the umask. */
  file_open_mode: 0o666,
  /** Failed logins after which the session is closed. */
  max_login_fails: 3,
  /** Seconds vsftpd waits before answering a failed login. */
  delay_failed_login: 1,
  /** Names (pattern: *, ?, {a,b}) refused with "550 Permission denied."; null = none. */
  deny_file: null as string | null,
  /** Names (same patterns) left out of listings; null = none. */
  hide_file: null as string | null,
  /** Comma list of the only commands allowed after login; null = all. */
  cmds_allowed: null as string | null,
  /** Comma list of commands refused after login; null = none. */
  cmds_denied: null as string | null,
  /** Local users are chroot()ed into their home (or local_root): "/" is the home. */
  chroot_local_user: false,
  /** The users in chroot_list_file are the exception to chroot_local_user (chroot()ed when it is NO, not when YES). */
  chroot_list_enable: false,
  /** Where the chroot list is (the scenario's server.chrootList holds its lines). */
  chroot_list_file: '/etc/vsftpd.chroot_list' as string | null,
  /** Let a user into a chroot() whose root they can write to (else "500 OOPS: vsftpd: refusing to run with writable root inside chroot()"). */
  allow_writeable_chroot: false,
  /** Check USER against userlist_file (the scenario's server.userList) before asking for the password. */
  userlist_enable: false,
  /** YES: the names in the list are refused ("530 Permission denied."); NO: only they may log in. */
  userlist_deny: true,
  /** Where the user list is (its lines are the scenario's server.userList). */
  userlist_file: '/etc/vsftpd.user_list' as string | null,
  /** Directory of per-user settings files named after the user (the scenario's server.userConfig); null = none. */
  user_config_dir: null as string | null,
  /** The directory local users start in (and are chroot()ed to) instead of their home; null = the home. */
  local_root: null as string | null,
  /** Session limit; 0 = unlimited. */
  max_clients: 2000,
  /** Sessions per client IP; 0 = unlimited. */
  max_per_ip: 50,
};

export type ModelledKey = keyof typeof MODELLED_DEFAULTS;

export const MODELLED_KEYS = Object.keys(MODELLED_DEFAULTS) as ModelledKey[];

export function isModelledKey(key: string): key is ModelledKey {
  return Object.prototype.hasOwnProperty.call(MODELLED_DEFAULTS, key);
}
