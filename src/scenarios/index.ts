/**
 * The built-in scenarios, in teaching order. They are plain JSON files loaded by the same
 * loadScenario() that reads a user's file; `id` is the file name without .json.
 */
import seedActiveSession from './seed-active-session.json';
import seedPassiveSession from './seed-passive-session.json';
import activeClientFirewallBlocked from './active-client-firewall-blocked.json';
import activeClientFirewallHelper from './active-client-firewall-helper.json';
import passiveServerFirewallReject from './passive-server-firewall-reject.json';
import passiveServerFirewallDrop from './passive-server-firewall-drop.json';
import passiveServerFirewallHelper from './passive-server-firewall-helper.json';
import seedIncidentPasvRange from './seed-incident-pasv-range.json';
import seedIncidentPasvRangeFixed from './seed-incident-pasv-range-fixed.json';
import clientNatActiveNoHelper from './client-nat-active-no-helper.json';
import clientNatActiveHelper from './client-nat-active-helper.json';
import serverNatClassicNoPasvAddress from './server-nat-classic-no-pasv-address.json';
import serverNatCurlNoPasvAddress from './server-nat-curl-no-pasv-address.json';
import serverNatPasvAddress from './server-nat-pasv-address.json';
import serverNatHelperRewritesX227 from './server-nat-helper-rewrites-227.json';
import serverNatHelperAndPasvAddress from './server-nat-helper-and-pasv-address.json';
import serverNatCtstateDnat from './server-nat-ctstate-dnat.json';
import serverNatSecondAddress from './server-nat-second-address.json';
import serverNatCurlTrusts227 from './server-nat-curl-trusts-227.json';
import lftpRetriesPassiveReject from './lftp-retries-passive-reject.json';
import port3069HelperWrongPort from './port-3069-helper-wrong-port.json';
import port3069HelperFixed from './port-3069-helper-fixed.json';
import ftpsHelperBlind from './ftps-helper-blind.json';
import ftpsPassiveRangeOpened from './ftps-passive-range-opened.json';
import filezillaSeed003Port3069 from './filezilla-seed-003-port-3069.json';
import filezillaUploadNeedsWrite from './filezilla-upload-needs-write.json';
import vsftpdUpload553 from './vsftpd-upload-553.json';
import filezillaNatNoPassiveIp from './filezilla-nat-no-passive-ip.json';
import filezillaNatPassiveIp from './filezilla-nat-passive-ip.json';
import filezillaClassPerIpLimit from './filezilla-class-per-ip-limit.json';
import filezillaAutoban from './filezilla-autoban.json';
import filezillaIdleTimeout from './filezilla-idle-timeout.json';
import vsftpdIdleTimeout from './vsftpd-idle-timeout.json';
import vsftpdLoginFails from './vsftpd-login-fails.json';
import vsftpd426ResetMidTransfer from './vsftpd-426-reset-mid-transfer.json';
import vsftpdChrootWritableRoot from './vsftpd-chroot-writable-root.json';
import vsftpdChrootUploadFolder from './vsftpd-chroot-upload-folder.json';

export const BUILTIN_SCENARIOS: { id: string; json: unknown }[] = [
  { id: 'seed-active-session', json: seedActiveSession },
  { id: 'seed-passive-session', json: seedPassiveSession },
  { id: 'active-client-firewall-blocked', json: activeClientFirewallBlocked },
  { id: 'active-client-firewall-helper', json: activeClientFirewallHelper },
  { id: 'passive-server-firewall-reject', json: passiveServerFirewallReject },
  { id: 'passive-server-firewall-drop', json: passiveServerFirewallDrop },
  { id: 'passive-server-firewall-helper', json: passiveServerFirewallHelper },
  { id: 'seed-incident-pasv-range', json: seedIncidentPasvRange },
  { id: 'seed-incident-pasv-range-fixed', json: seedIncidentPasvRangeFixed },
  { id: 'client-nat-active-no-helper', json: clientNatActiveNoHelper },
  { id: 'client-nat-active-helper', json: clientNatActiveHelper },
  { id: 'server-nat-classic-no-pasv-address', json: serverNatClassicNoPasvAddress },
  { id: 'server-nat-curl-no-pasv-address', json: serverNatCurlNoPasvAddress },
  { id: 'server-nat-pasv-address', json: serverNatPasvAddress },
  { id: 'server-nat-helper-rewrites-227', json: serverNatHelperRewritesX227 },
  { id: 'server-nat-helper-and-pasv-address', json: serverNatHelperAndPasvAddress },
  { id: 'server-nat-ctstate-dnat', json: serverNatCtstateDnat },
  { id: 'server-nat-second-address', json: serverNatSecondAddress },
  { id: 'server-nat-curl-trusts-227', json: serverNatCurlTrusts227 },
  { id: 'lftp-retries-passive-reject', json: lftpRetriesPassiveReject },
  { id: 'port-3069-helper-wrong-port', json: port3069HelperWrongPort },
  { id: 'port-3069-helper-fixed', json: port3069HelperFixed },
  { id: 'ftps-helper-blind', json: ftpsHelperBlind },
  { id: 'ftps-passive-range-opened', json: ftpsPassiveRangeOpened },
  { id: 'filezilla-seed-003-port-3069', json: filezillaSeed003Port3069 },
  { id: 'filezilla-upload-needs-write', json: filezillaUploadNeedsWrite },
  { id: 'vsftpd-upload-553', json: vsftpdUpload553 },
  { id: 'filezilla-nat-no-passive-ip', json: filezillaNatNoPassiveIp },
  { id: 'filezilla-nat-passive-ip', json: filezillaNatPassiveIp },
  { id: 'filezilla-class-per-ip-limit', json: filezillaClassPerIpLimit },
  { id: 'filezilla-autoban', json: filezillaAutoban },
  { id: 'filezilla-idle-timeout', json: filezillaIdleTimeout },
  { id: 'vsftpd-idle-timeout', json: vsftpdIdleTimeout },
  { id: 'vsftpd-login-fails', json: vsftpdLoginFails },
  { id: 'vsftpd-426-reset-mid-transfer', json: vsftpd426ResetMidTransfer },
  { id: 'vsftpd-chroot-writable-root', json: vsftpdChrootWritableRoot },
  { id: 'vsftpd-chroot-upload-folder', json: vsftpdChrootUploadFolder },
];
