/**
 * The built-in lessons, in track order. Plain JSON files (docs/lessons.md), loaded by the
 * same loadLesson() the CLI uses; `id` is the file name without .json.
 */
import twoConnections from './two-connections.json';
import activeMode from './active-mode.json';
import passiveMode from './passive-mode.json';
import epsvEprt from './epsv-eprt.json';
import clientFirewallActive from './client-firewall-active.json';
import serverFirewallPassive from './server-firewall-passive.json';
import passiveRange from './passive-range.json';
import conntrackHelper from './conntrack-helper.json';
import clientNat from './client-nat.json';
import serverNat from './server-nat.json';
import nonstandardPort from './nonstandard-port.json';
import ftpsBlindsHelper from './ftps-blinds-helper.json';
import replyCodes from './reply-codes.json';

export const LESSONS: { id: string; json: unknown }[] = [
  { id: 'two-connections', json: twoConnections },
  { id: 'active-mode', json: activeMode },
  { id: 'passive-mode', json: passiveMode },
  { id: 'epsv-eprt', json: epsvEprt },
  { id: 'client-firewall-active', json: clientFirewallActive },
  { id: 'server-firewall-passive', json: serverFirewallPassive },
  { id: 'passive-range', json: passiveRange },
  { id: 'conntrack-helper', json: conntrackHelper },
  { id: 'client-nat', json: clientNat },
  { id: 'server-nat', json: serverNat },
  { id: 'nonstandard-port', json: nonstandardPort },
  { id: 'ftps-blinds-helper', json: ftpsBlindsHelper },
  { id: 'reply-codes', json: replyCodes },
];
