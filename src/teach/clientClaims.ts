/**
 * What a lesson step says about the client program, checked against the run it describes.
 * A step's `client` names the program its texts describe and the client behaviour they state
 * (the data commands it sends or does not, what it does with a 227's address). The checker
 * proves each against the step's scenario; the lesson view checks the same claims against the
 * learner's own run, so when the learner changes the client the step says which program it
 * describes and what the one running now did instead. Pure.
 */
import { PROFILES, type ClientProfileId, type PasvAddressChoice } from '../core/index';
import { portArithmetic } from './arithmetic';
import { roleOf, type RunContext } from './probes';
import type { ClientClaim, DataCommandWord } from './schema';

export const DATA_COMMAND_WORDS = ['PORT', 'EPRT', 'LPRT', 'PASV', 'EPSV'] as const;

/** How a step names a program in its texts ("curl", "the classic ftp client"). */
export const PROGRAM_NAMES: Record<ClientProfileId, string> = {
  curl: 'curl',
  classic: 'the classic ftp client (netkit)',
  inetutils: 'GNU inetutils ftp',
  tnftp: "tnftp (Debian's ftp)",
  filezilla: 'FileZilla',
  lftp: 'lftp',
  windows: 'Windows ftp.exe',
};

/** What a claim says about a 227's address, and the profile policies (scenario overrides) that do it. */
export const PASV_ADDRESS_CLAIMS: Record<NonNullable<ClientClaim['pasvAddress']>, { policy: PasvAddressChoice; words: string }> = {
  trusts: { policy: 'trust', words: "connects where the 227 says (it trusts the 227's address)" },
  ignores: { policy: 'ignore', words: "ignores the 227's address and connects to the server it is talking to" },
  'refuses-mismatch': { policy: 'refuse-mismatch', words: "refuses a 227 that names another address than the server's" },
  'fixes-private': { policy: 'fix-unroutable', words: "replaces a private address in the 227 with the server's" },
};

export interface ClientFacts {
  program: ClientProfileId;
  /** The data commands the client sent, in order, as the client logged them. */
  sent: DataCommandWord[];
  /** What it does with a 227's address: the run's evidence when the 227 named another address than the server's, else the program's (or scenario's) policy. */
  pasvAddress: NonNullable<ClientClaim['pasvAddress']>;
  /** Whether the run showed it (a 227 with another address, and a data connection after it). */
  pasvAddressSeen: boolean;
}

const claimOfPolicy = (p: PasvAddressChoice): NonNullable<ClientClaim['pasvAddress']> =>
  Object.entries(PASV_ADDRESS_CLAIMS).find(([, v]) => v.policy === p)![0] as NonNullable<ClientClaim['pasvAddress']>;

/** The facts about the (first) client of a run. */
export function clientFacts(ctx: RunContext): ClientFacts | null {
  const client = ctx.scenario.clients[0];
  if (!client) return null;
  const events = ctx.run.trace.events;
  const sent: DataCommandWord[] = [];
  let reply227: string | null = null;
  let seen: ClientFacts['pasvAddress'] | null = null;
  for (const e of events) {
    if (e.kind === 'ftp' && roleOf(ctx.scenario, e.host) === 'client') {
      const head = e.text.split(/[ -]/, 1)[0]!.toUpperCase();
      if (e.dir === 'command' && (DATA_COMMAND_WORDS as readonly string[]).includes(head)) sent.push(head as DataCommandWord);
      if (e.dir === 'reply' && head === '227') reply227 = portArithmetic(e.text)?.address ?? null;
    }
  }
  // The first data connection after a 227 naming another address than the control connection's.
  const control = ctx.run.trace.connections.find((c) => c.role === 'control' && c.client === client.id);
  const controlIp = control?.dialled.split(':')[0] ?? null;
  if (reply227 && controlIp && reply227 !== controlIp) {
    const data = ctx.run.trace.connections.find((c) => c.role === 'data' && c.client === client.id && c.opener === client.host);
    const ip = data?.dialled.split(':')[0];
    if (ip === reply227) seen = 'trusts';
    else if (ip === controlIp) seen = client.pasvAddress === 'fix-unroutable' || PROFILES[client.profile].pasvAddress === 'fix-unroutable' ? 'fixes-private' : 'ignores';
  }
  const policy = client.pasvAddress ?? PROFILES[client.profile].pasvAddress;
  return { program: client.profile, sent, pasvAddress: seen ?? claimOfPolicy(policy), pasvAddressSeen: seen !== null };
}

/** `sub` appears in `all` in this order (not necessarily next to each other). */
function inOrder(sub: readonly string[], all: readonly string[]): boolean {
  let i = 0;
  for (const x of all) if (x === sub[i]) i++;
  return i === sub.length;
}

/** Where the run disagrees with what the step says about its client: one sentence each (none: it agrees). */
export function claimProblems(ctx: RunContext, claim: ClientClaim): string[] {
  const f = clientFacts(ctx);
  if (!f) return ['the scenario has no client'];
  const out: string[] = [];
  const label = PROFILES[f.program].label;
  if (claim.program && claim.program !== f.program) out.push(`the text describes ${PROFILES[claim.program].label}, but the scenario runs ${label}`);
  const sent = f.sent.length ? f.sent.join(', ') : 'no data command';
  for (const c of claim.sends ?? []) if (!f.sent.includes(c)) out.push(`the text says the client sends ${c}, but ${label} sent ${sent}`);
  if (claim.sends && claim.sends.every((c) => f.sent.includes(c)) && !inOrder(claim.sends, f.sent))
    out.push(`the text says the client sends ${claim.sends.join(' then ')}, but ${label} sent ${sent}`);
  for (const c of claim.without ?? []) if (f.sent.includes(c)) out.push(`the text says the client does not send ${c} here, but ${label} sent ${sent}`);
  if (claim.pasvAddress && claim.pasvAddress !== f.pasvAddress)
    out.push(`the text says the client ${PASV_ADDRESS_CLAIMS[claim.pasvAddress].words}, but ${label} ${PASV_ADDRESS_CLAIMS[f.pasvAddress].words}`);
  return out;
}

/**
 * For the lesson view: when the learner's run is not the program or behaviour the step
 * describes, one note naming both programs and what the running one did instead (null: the
 * step's text holds for the learner's run).
 */
export function clientNote(ctx: RunContext, claim: ClientClaim | undefined, stepProgram: ClientProfileId | null): string | null {
  const f = clientFacts(ctx);
  if (!f) return null;
  const described = claim?.program ?? stepProgram;
  const now = PROFILES[f.program].label;
  const lines: string[] = [];
  if (claim?.sends?.some((c) => !f.sent.includes(c)) || claim?.without?.some((c) => f.sent.includes(c)))
    lines.push(`it sent ${f.sent.length ? f.sent.join(', ') : 'no data command'}${claim.sends?.length ? `, where the text says ${claim.sends.join(' then ')}` : ''}`);
  if (claim?.pasvAddress && claim.pasvAddress !== f.pasvAddress) lines.push(`it ${PASV_ADDRESS_CLAIMS[f.pasvAddress].words}`);
  if (described && described !== f.program)
    return `This step was written for ${PROFILES[described].label}. Your scenario now runs ${now}${lines.length ? `: ${lines.join('; ')}.` : ', which does the same here.'}`;
  return lines.length ? `In your run, ${now} does not do what this step says: ${lines.join('; ')}.` : null;
}
