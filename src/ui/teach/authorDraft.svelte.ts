/**
 * What an instructor has typed into "Make a challenge", kept outside the form so switching
 * side-panel tabs (which unmounts the form) loses nothing. One draft per app session.
 */
export class AuthorDraft {
  /** The devices and script lines the device/transfer choices below refer to. */
  scenarioKey = '';
  title = $state('');
  summary = $state('');
  symptom = $state('');
  /** null: every transfer of the scenario's script. */
  transfers: string[] | null = $state(null);
  variants: { profile: string; mode: string }[] = $state([{ profile: '', mode: '' }]);
  seeds = $state(10);
  useMax = $state(false);
  maxDevice = $state('');
  maxPorts = $state(100);
  useAll = $state(false);
  allDevice = $state('');
  clientUnchanged = $state(false);
  serverUnchanged = $state(false);
  keepMode: '' | 'passive' | 'active' = $state('');
  keepTls = $state(false);
  /** null: the first device with a firewall. */
  editDevices: string[] | null = $state(null);
  editServer = $state(false);
  editClient = $state(false);
  hints = $state('');
  debrief = $state('');
}
