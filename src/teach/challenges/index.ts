/**
 * The built-in challenges, in the order the list shows them (easier first). Plain JSON files
 * read by the same loadChallenge() that reads a shared one; `id` is the file's own id.
 */
import seedIncident from './seed-incident.json';
import silentHang from './silent-hang.json';
import modeChoice from './mode-choice.json';
import hostFirewallActive from './host-firewall-active.json';
import overBroad from './over-broad.json';
import kernelUpgrade from './kernel-upgrade.json';
import natPrivateAddress from './nat-private-address.json';
import activeBehindNat from './active-behind-nat.json';
import port3069 from './port-3069.json';
import ftpsHelper from './ftps-helper.json';
import twoFaults from './two-faults.json';
import helperAndPasvAddress from './helper-and-pasv-address.json';
import upload553 from './upload-553.json';

export const BUILTIN_CHALLENGES: unknown[] = [
  seedIncident,
  silentHang,
  modeChoice,
  hostFirewallActive,
  overBroad,
  kernelUpgrade,
  natPrivateAddress,
  activeBehindNat,
  port3069,
  ftpsHelper,
  twoFaults,
  helperAndPasvAddress,
  upload553,
];
