/** Choices and checks for the client editor; labels come from the profile table. */
import {
  PROFILES,
  parseScriptLine,
  CLIENT_MODES,
  CLIENT_PROFILES,
  clientCapabilities,
  noPassiveReason,
  parseClientCommand,
  type ClientSpec,
  type ClientMode,
  type ClientProfileId,
  type DataPortChoice,
} from '../../core/index';

export const PROFILE_OPTIONS = CLIENT_PROFILES.map((id) => ({ value: id, label: PROFILES[id].label }));

const MODE_LABELS: Record<ClientMode, string> = {
  auto: "auto (the client's default)",
  active: "active (the client's commands: PORT/EPRT)",
  passive: "passive (the client's commands: PASV/EPSV)",
  port: 'PORT only',
  eprt: 'EPRT only',
  pasv: 'PASV only',
  epsv: 'EPSV only',
};
export const MODE_OPTIONS = CLIENT_MODES.map((value) => ({ value, label: MODE_LABELS[value] }));

const PASSIVE_MODES: readonly ClientMode[] = ['passive', 'pasv', 'epsv'];

/**
 * The mode choices for one client program: those it does not have are disabled, each with the
 * reason (Windows ftp.exe: no passive mode). `note` is shown beside the select; `chosenMissing`
 * when the file already asks for a mode the program does not have.
 */
export function modeOptionsFor(
  profile: ClientProfileId,
  chosen: ClientMode,
): { options: { value: ClientMode; label: string; disabled: boolean }[]; note: string | null; chosenMissing: boolean } {
  const reason = noPassiveReason(clientCapabilities(profile));
  const options = MODE_OPTIONS.map((o) => {
    const disabled = reason !== null && PASSIVE_MODES.includes(o.value);
    return { ...o, disabled, label: disabled ? `${o.label} — not in ${PROFILES[profile].label}` : o.label };
  });
  return { options, note: reason, chosenMissing: reason !== null && PASSIVE_MODES.includes(chosen) };
}

export const DATA_PORT_OPTIONS: { value: DataPortChoice; label: string }[] = [
  { value: 'ephemeral', label: 'a fresh ephemeral port' },
  { value: 'control+1', label: 'control port + 1 (classic clients)' },
];

export type ScriptCheck = { ok: true; lines: string[] } | { ok: false; errors: { line: number; message: string }[] };

/** One command per line; blank lines are ignored, a bad line is reported with its number. */
export function checkScript(text: string): ScriptCheck {
  const errors: { line: number; message: string }[] = [];
  const lines: string[] = [];
  text.split('\n').forEach((raw, i) => {
    const line = raw.trim();
    if (line === '') return;
    const p = parseScriptLine(line);
    if (p.ok) lines.push(line);
    else errors.push({ line: i + 1, message: p.message });
  });
  return errors.length > 0 ? { ok: false, errors } : { ok: true, lines };
}

/** The program a client runs: its `profile`, or the one its command line names (curl, lftp, ftp → tnftp). */
export function profileOf(c: ClientSpec): ClientProfileId {
  if (c.profile !== undefined) return c.profile;
  const cmd = c.command === undefined ? null : parseClientCommand(c.command);
  return cmd?.ok ? cmd.fields.profile : 'curl';
}
