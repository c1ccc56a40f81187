/**
 * What a client program can be asked to do, read from its profile, so that a fix never
 * suggests an option the scenario's client does not have (Windows ftp.exe has no passive
 * mode: "switch to passive mode" is no fix for it). The explanations phrase their
 * suggestions through these helpers; the client editor disables the same options.
 */
import { PROFILES, type ProfileId } from '../ftp/client/profiles';

export interface ClientCapabilities {
  /** The program's name as the UI shows it ("Windows ftp.exe"). */
  label: string;
  /** Can it use passive mode (PASV/EPSV)? */
  passive: boolean;
}

/** Every option the built-in profiles have; a scenario without a client (or an unknown profile) gets these. */
export const ALL_CAPABILITIES: ClientCapabilities = { label: 'the client', passive: true };

export function clientCapabilities(profile: ProfileId | undefined): ClientCapabilities {
  const p = profile ? PROFILES[profile] : undefined;
  return p ? { label: p.label, passive: p.supportsPassive } : ALL_CAPABILITIES;
}

/** Why a client cannot use passive mode, in a learner's words (shown beside the disabled choice). */
export function noPassiveReason(cap: ClientCapabilities): string | null {
  return cap.passive ? null : `${cap.label} has no passive mode: it always sends PORT (active mode), whatever mode you choose.`;
}

/**
 * "switch the client to passive mode", or — for a client that has none — "use a client with
 * passive mode, such as curl (Windows ftp.exe has none)". `verb` is the phrase's start
 * for a client that can ("switch the client to", "use").
 */
export function passiveSuggestion(cap: ClientCapabilities, verb = 'switch the client to'): string {
  return cap.passive ? `${verb} passive mode` : `use a client with passive mode, such as curl (${cap.label} has no passive mode)`;
}
