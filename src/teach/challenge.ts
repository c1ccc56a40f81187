/**
 * The challenge format: a broken scenario, the symptom as a user reports it, a goal, the
 * constraints a fix must respect, which parts the learner may edit, hints, a debrief.
 * Files live in src/teach/challenges/*.json; docs/challenges.md describes the format.
 * loadChallenge(text | value) validates like loadScenario: every error with its JSON path.
 * Pure: no DOM.
 */
import { z } from 'zod';
import {
  CLIENT_MODES,
  CLIENT_PROFILES,
  issueToErrors,
  clientCapabilities,
  loadScenario,
  parseIpv4,
  parseJsonText,
  type ClientMode,
  type ClientProfileId,
  type Scenario,
  type ScenarioError,
  type ScenarioFile,
} from '../core/index';
import { BUILTIN_SCENARIOS } from '../scenarios/index';

// ───────────────────────── the file, as written ─────────────────────────

const text = z.union([z.string().min(1), z.array(z.string()).min(1)]);
const deviceId = z.string().min(1).max(64);
const why = z.string().max(400).optional();

/** The constraint vocabulary. Every kind is judged on the parsed scenario and/or the simulation, never on rule text. */
const constraintSchema = z.discriminatedUnion('kind', [
  /** At most `max` TCP ports of `to` accept a NEW connection from the internet through `device` (probed). */
  z.strictObject({ kind: z.literal('maxInboundPortsOpen'), device: deviceId, max: z.number().int().min(0).max(65535), to: z.string().optional(), why }),
  /** `device` must not admit a NEW connection to every port (an accept-all rule, a policy ACCEPT, no firewall). */
  z.strictObject({ kind: z.literal('noAcceptAllNew'), device: deviceId, to: z.string().optional(), why }),
  /** The client(s) keep profile, mode, TLS, data port, address and script. */
  z.strictObject({ kind: z.literal('clientUnchanged'), why }),
  /** vsftpd.conf keeps every setting (comments and order may change). */
  z.strictObject({ kind: z.literal('serverSettingsUnchanged'), why }),
  /** Every client stays in this mode, and no data connection of the other mode is used in any run. */
  z.strictObject({ kind: z.literal('keepMode'), mode: z.enum(['passive', 'active']), why }),
  /** Clients that use FTPS keep it, the server keeps ssl_enable=YES, and every run's control connection is encrypted. */
  z.strictObject({ kind: z.literal('keepTls'), why }),
]);

const clientVariant = z.strictObject({
  /** Which client to vary (its id); default every client. */
  client: z.string().optional(),
  profile: z.enum(CLIENT_PROFILES).optional(),
  mode: z.enum(CLIENT_MODES).optional(),
  tls: z.boolean().optional(),
});

const challengeSchema = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/, 'an id is letters, digits, ".", "_" or "-"'),
  title: z.string().min(1).max(120),
  /** One line for the list: what kind of trouble, without naming the cause. */
  summary: z.string().max(300).optional(),
  level: z.enum(['beginner', 'intermediate', 'advanced']).optional(),
  /** A built-in scenario id, or a whole scenario. */
  scenario: z.union([z.string().min(1), z.record(z.string(), z.unknown())]),
  symptom: text,
  goal: z.strictObject({
    /** Script lines that must succeed ("ls", "get readme.txt"); default every transfer. */
    transfers: z.array(z.string().min(1)).min(1).optional(),
    /** Each entry is one way of running the clients that must work; default: as the learner leaves them. */
    clients: z.array(clientVariant).min(1).max(8).optional(),
    /** How many seeds (1, 2, … n): different ephemeral and passive ports each. Default 10. */
    seeds: z.number().int().min(1).max(50).optional(),
  }),
  constraints: z.array(constraintSchema).max(20),
  editable: z.strictObject({
    /** Devices (hosts or routers) whose firewall and FTP helper parameters the learner may change. */
    devices: z.array(deviceId).optional(),
    server: z.boolean().optional(),
    client: z.boolean().optional(),
  }),
  hints: z.array(z.string().min(1)).max(10),
  debrief: text,
});

export type ChallengeFile = z.infer<typeof challengeSchema>;
export type Constraint = z.infer<typeof constraintSchema>;
export type ConstraintKind = Constraint['kind'];
export const CONSTRAINT_KINDS: ConstraintKind[] = ['maxInboundPortsOpen', 'noAcceptAllNew', 'clientUnchanged', 'serverSettingsUnchanged', 'keepMode', 'keepTls'];

export interface ClientVariant {
  client?: string;
  profile?: ClientProfileId;
  mode?: ClientMode;
  tls?: boolean;
}

// ───────────────────────── the loaded challenge ─────────────────────────

export interface Challenge {
  id: string;
  title: string;
  summary: string;
  level: 'beginner' | 'intermediate' | 'advanced';
  /** The built-in scenario's id, or null for an inline one. */
  scenarioId: string | null;
  /** The broken scenario as a file (what the learner starts editing). */
  scenarioFile: ScenarioFile;
  /** The same, loaded. */
  scenario: Scenario;
  symptom: string;
  goal: { transfers: string[] | null; clients: ClientVariant[]; seeds: number };
  constraints: Constraint[];
  editable: { devices: string[]; server: boolean; client: boolean };
  hints: string[];
  debrief: string;
}

export type ChallengeError = ScenarioError;
export type ChallengeLoad = { ok: true; challenge: Challenge } | { ok: false; errors: ChallengeError[] };

const joinText = (t: string | string[]): string => (Array.isArray(t) ? t.join('\n') : t);

/** Reads a challenge file (JSON text or a parsed value). Never throws. */
export function loadChallenge(input: string | unknown, fileName?: string): ChallengeLoad {
  const err = (path: string, message: string, extra: Partial<ChallengeError> = {}): ChallengeError => ({
    ...(fileName === undefined ? {} : { file: fileName }),
    path,
    message,
    ...extra,
  });
  let value: unknown = input;
  if (typeof input === 'string') {
    const parsed = parseJsonText(input);
    if (!parsed.ok) return { ok: false, errors: [err('', `JSON syntax: ${parsed.message}`, { line: parsed.line, column: parsed.column })] };
    value = parsed.value;
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return { ok: false, errors: [err('', 'a challenge file holds one JSON object { … }')] };
  const shape = challengeSchema.safeParse(value);
  if (!shape.success) return { ok: false, errors: shape.error.issues.flatMap((i) => issueToErrors(i, value, fileName)) };
  const c = shape.data;

  let scenarioFile: ScenarioFile;
  let scenarioId: string | null = null;
  if (typeof c.scenario === 'string') {
    const found = BUILTIN_SCENARIOS.find((b) => b.id === c.scenario);
    if (!found)
      return {
        ok: false,
        errors: [err('scenario', `no built-in scenario "${c.scenario}" (use one of ${BUILTIN_SCENARIOS.map((b) => b.id).join(', ')}, or write the scenario here)`)],
      };
    scenarioId = found.id;
    scenarioFile = structuredClone(found.json) as ScenarioFile;
  } else scenarioFile = structuredClone(c.scenario) as unknown as ScenarioFile;
  const loaded = loadScenario(scenarioFile, fileName);
  if (!loaded.ok) return { ok: false, errors: loaded.errors.map((e) => ({ ...e, path: e.path ? `scenario.${e.path}` : 'scenario' })) };
  const s = loaded.scenario;

  const errors: ChallengeError[] = [];
  const deviceIds = new Set([...s.hosts, ...s.routers].map((d) => d.id));
  const knownDevice = (id: string, path: string) => {
    if (!deviceIds.has(id)) errors.push(err(path, `no device "${id}" in the scenario (it has ${[...deviceIds].join(', ')})`));
  };
  c.constraints.forEach((k, i) => {
    if (k.kind === 'maxInboundPortsOpen' || k.kind === 'noAcceptAllNew') {
      knownDevice(k.device, `constraints[${i}].device`);
      if (k.to !== undefined && !deviceIds.has(k.to) && parseIpv4(k.to) === null)
        errors.push(err(`constraints[${i}].to`, `"${k.to}" is neither a device of the scenario nor an IPv4 address`));
    }
  });
  (c.editable.devices ?? []).forEach((d, i) => knownDevice(d, `editable.devices[${i}]`));
  const clientIds = s.clients.map((x) => x.id);
  (c.goal.clients ?? []).forEach((v, i) => {
    if (v.client !== undefined && !clientIds.includes(v.client))
      errors.push(err(`goal.clients[${i}].client`, `no client "${v.client}" in the scenario (it has ${clientIds.join(', ')})`));
  });
  const lines = new Set(s.clients.flatMap((x) => x.script));
  (c.goal.transfers ?? []).forEach((t, i) => {
    if (!lines.has(t)) errors.push(err(`goal.transfers[${i}]`, `"${t}" is not a line of the scenario's script (${[...lines].join(', ')})`));
  });
  // A hint may not send the learner to an option the challenge's client program does not have
  // (passive mode on Windows ftp.exe), unless it names another program that has it.
  const variants = c.goal.clients ?? [{}];
  const programs = s.clients.flatMap((x) => variants.filter((v) => v.client === undefined || v.client === x.id).map((v) => clientCapabilities(v.profile ?? x.profile)));
  const noPassive = programs.find((p) => !p.passive);
  if (noPassive)
    c.hints.forEach((h, i) => {
      if (/passive mode/i.test(h) && !/(another|other|a) (client|program) with passive mode/i.test(h))
        errors.push(err(`hints[${i}]`, `this hint suggests passive mode, but ${noPassive.label} has no passive mode: suggest a client with passive mode (such as curl) instead`));
    });
  if (errors.length) return { ok: false, errors };

  return {
    ok: true,
    challenge: {
      id: c.id,
      title: c.title,
      summary: c.summary ?? '',
      level: c.level ?? 'intermediate',
      scenarioId,
      scenarioFile,
      scenario: s,
      symptom: joinText(c.symptom),
      goal: { transfers: c.goal.transfers ?? null, clients: c.goal.clients ?? [{}], seeds: c.goal.seeds ?? 10 },
      constraints: c.constraints,
      editable: { devices: c.editable.devices ?? [], server: c.editable.server ?? false, client: c.editable.client ?? false },
      hints: c.hints,
      debrief: joinText(c.debrief),
    },
  };
}

/** The challenge back as a file (for a shared link or an export): the scenario inline unless it is a built-in. */
export function challengeToFile(c: Challenge): ChallengeFile {
  return {
    id: c.id,
    title: c.title,
    ...(c.summary ? { summary: c.summary } : {}),
    level: c.level,
    scenario: c.scenarioId ?? (c.scenarioFile as unknown as Record<string, unknown>),
    symptom: c.symptom,
    goal: { ...(c.goal.transfers ? { transfers: c.goal.transfers } : {}), clients: c.goal.clients, seeds: c.goal.seeds },
    constraints: c.constraints,
    editable: c.editable,
    hints: c.hints,
    debrief: c.debrief,
  };
}
