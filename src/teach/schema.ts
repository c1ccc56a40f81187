/**
 * The JSON shape of a lesson file (zod v4). A lesson is a list of steps over a built-in
 * scenario; see docs/lessons.md. Unknown fields are refused, so a typo is reported rather
 * than silently ignored. Meaning (does the scenario exist, does the probe give the stated
 * answer, does the highlighted device exist) is checked in check.ts against a run.
 */
import { z } from 'zod';

const text = z.union([z.string().min(1), z.array(z.string()).min(1)]);
const nth = z.number().int().min(1).max(100);
const port = z.number().int().min(1).max(65535);
const hostSide = z.enum(['client', 'server']);
const MODES = ['auto', 'active', 'passive', 'port', 'eprt', 'pasv', 'epsv'] as const;
const PROFILES = ['curl', 'classic', 'inetutils', 'tnftp', 'filezilla', 'lftp', 'windows'] as const;

/** A rule edit on one device's iptables text. */
const ruleEdit = z.union([
  z.strictObject({ device: z.string().min(1), add: z.string().min(1), table: z.enum(['filter', 'nat', 'raw', 'mangle']).optional(), before: z.string().min(1).optional() }),
  z.strictObject({ device: z.string().min(1), remove: z.string().min(1) }),
  z.strictObject({ device: z.string().min(1), replace: z.string().min(1), with: z.string().min(1) }),
]);

/** A change to a scenario: applied in the order written here (client, vsftpd, helper, rules). */
export const editSchema = z.strictObject({
  clientMode: z.enum(MODES).optional(),
  clientProfile: z.enum(PROFILES).optional(),
  /** Where an active-mode client listens: any free port, or its control port + 1 (the classic netkit client). */
  clientDataPort: z.enum(['ephemeral', 'control+1']).optional(),
  /** vsftpd.conf keys to set; null removes a key (back to its default). */
  vsftpd: z.record(z.string().regex(/^[a-z_]+$/, 'a vsftpd key is lower-case letters and "_"'), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  /** Attach (on) or detach (off) the FTP helper on a device, for a control port (21 unless said). */
  helper: z.strictObject({ device: z.string().min(1), on: z.boolean(), port: port.optional() }).optional(),
  rules: z.array(ruleEdit).min(1).optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
});

export const scenarioRefSchema = z.union([z.string().min(1), z.strictObject({ id: z.string().min(1), edit: editSchema.optional() })]);

/** What the simulation is asked. Each probe computes one value from a run (probes.ts). */
export const probeSchema = z.discriminatedUnion('name', [
  z.strictObject({ name: z.literal('outcome'), command: z.string().min(1).optional() }),
  z.strictObject({ name: z.literal('failure-kind'), command: z.string().min(1).optional() }),
  z.strictObject({ name: z.literal('login') }),
  z.strictObject({ name: z.literal('data-opener'), nth: nth.optional() }),
  z.strictObject({ name: z.literal('data-dst-port'), nth: nth.optional() }),
  z.strictObject({ name: z.literal('data-src-port'), nth: nth.optional() }),
  z.strictObject({ name: z.literal('data-dst-address'), nth: nth.optional() }),
  z.strictObject({ name: z.literal('data-connections') }),
  z.strictObject({ name: z.literal('data-port-20'), nth: nth.optional() }),
  z.strictObject({ name: z.literal('listen-port-rule'), nth: nth.optional() }),
  z.strictObject({ name: z.literal('data-wait-seconds'), nth: nth.optional() }),
  z.strictObject({ name: z.literal('control-src-port') }),
  z.strictObject({ name: z.literal('reply-port'), code: z.enum(['227', '229']), at: hostSide.optional(), nth: nth.optional() }),
  z.strictObject({ name: z.literal('reply-address'), at: hostSide.optional(), nth: nth.optional() }),
  z.strictObject({ name: z.literal('command-port'), command: z.enum(['PORT', 'EPRT']), at: hostSide.optional(), nth: nth.optional() }),
  z.strictObject({ name: z.literal('command-address'), command: z.enum(['PORT', 'EPRT']), at: hostSide.optional(), nth: nth.optional() }),
  z.strictObject({ name: z.literal('reply-to'), command: z.string().regex(/^[A-Z]{3,4}$/, 'an FTP command word in capitals (PORT, PASV, LIST)') }),
  z.strictObject({ name: z.literal('ct-state'), device: z.string().min(1), nth: nth.optional() }),
  z.strictObject({ name: z.literal('drop-device') }),
  z.strictObject({ name: z.literal('drop-how') }),
  z.strictObject({ name: z.literal('payload-rewritten') }),
]);

/** The probe names, for messages and docs. */
export const PROBE_NAMES: string[] = probeSchema.options.map((o) => o.shape.name.value);

const choice = z.strictObject({ value: z.string().min(1), label: text });

export const predictSchema = z.strictObject({
  question: text,
  probe: probeSchema,
  /** Multiple choice; without choices the answer is a number typed in. */
  choices: z.array(choice).min(2).max(8).optional(),
  /** The answer the author expects; the checker compares it with the probe's value. */
  answer: z.union([z.string().min(1), z.number()]),
  /** For number answers: how far off still counts (e.g. seconds of a time-out). */
  tolerance: z.number().min(0).optional(),
  /** Shown after the learner answers (right or wrong): why, from the trace. */
  feedback: text,
});

export const taskSchema = z.strictObject({
  /** What to change, in words ("Attach the helper on the server"). */
  ask: text,
  /** The run must give this probe this value to go on. */
  goal: z.strictObject({ probe: probeSchema, answer: z.union([z.string().min(1), z.number()]) }),
  /** One change that reaches the goal (the checker proves it; the UI can offer it as "show me"). */
  solution: editSchema,
  hint: text.optional(),
  /** Shown once the goal is reached. */
  done: text,
});

/** By meaning, resolved against the trace (positions.ts). */
export const positionSchema = z.union([
  z.enum(['start', 'end']),
  z.strictObject({ reply: z.string().regex(/^\d{3}$/, 'a three-digit reply code'), nth: nth.optional(), at: hostSide.optional() }),
  z.strictObject({ command: z.string().regex(/^[A-Z]{3,4}$/, 'an FTP command word in capitals (PORT, PASV)'), nth: nth.optional(), at: hostSide.optional() }),
  z.strictObject({ dataSyn: nth }),
  z.strictObject({ drop: nth }),
  z.strictObject({ nat: nth, what: z.enum(['MASQUERADE', 'SNAT', 'DNAT', 'ftp-payload', 'seq-adjust', 'reply-translate']).optional() }),
  z.strictObject({ failure: z.string().min(1) }),
  z.strictObject({ transfer: z.string().min(1) }),
]);

export const INSPECTOR_FIELDS = ['src-address', 'dst-address', 'src-port', 'dst-port', 'flags', 'ftp', 'arithmetic'] as const;
export const EDITOR_FIELDS = ['client-mode', 'client-profile', 'firewall', 'helper', 'vsftpd', 'nat'] as const;
export const PANELS = ['verdict', 'packet', 'transcript', 'conntrack', 'edit'] as const;

export const targetSchema = z.union([
  z.strictObject({ device: z.string().min(1) }),
  z.strictObject({ link: z.tuple([z.string().min(1), z.string().min(1)]) }),
  z.strictObject({ connection: z.enum(['control', 'data']), nth: nth.optional() }),
  z.strictObject({ ladder: z.literal(true) }),
  z.strictObject({ inspector: z.enum(INSPECTOR_FIELDS) }),
  z.strictObject({ editor: z.enum(EDITOR_FIELDS), device: z.string().min(1).optional(), key: z.string().optional() }),
  z.strictObject({ panel: z.enum(PANELS) }),
]);

const DATA_COMMAND_WORDS = ['PORT', 'EPRT', 'LPRT', 'PASV', 'EPSV'] as const;

/**
 * What a step's texts say about the client program (clientClaims.ts): checked against the run,
 * and against the learner's run when the learner changes the client.
 */
export const clientClaimSchema = z.strictObject({
  /** The program the texts describe (the step's scenario must run it). */
  program: z.enum(PROFILES).optional(),
  /** Data commands the texts say the client sends, in this order. */
  sends: z.array(z.enum(DATA_COMMAND_WORDS)).min(1).optional(),
  /** Data commands the texts name that this client does not send in this run ("instead of PORT …"). */
  without: z.array(z.enum(DATA_COMMAND_WORDS)).min(1).optional(),
  /** What the texts say it does with the address in a 227 reply. */
  pasvAddress: z.enum(['trusts', 'ignores', 'refuses-mismatch', 'fixes-private']).optional(),
});

export const stepSchema = z.strictObject({
  /** A short heading for the step list. */
  title: z.string().min(1).max(80).optional(),
  text,
  /** Switch to another scenario from this step on (e.g. the same network, fixed). */
  scenario: scenarioRefSchema.optional(),
  at: positionSchema.optional(),
  highlight: targetSchema.optional(),
  predict: predictSchema.optional(),
  task: taskSchema.optional(),
  client: clientClaimSchema.optional(),
});

export const lessonSchema = z.strictObject({
  id: z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a lesson id is lower-case letters, digits and "-"'),
  title: z.string().min(1).max(100),
  summary: text,
  scenario: scenarioRefSchema,
  steps: z.array(stepSchema).min(1).max(40),
});

export type Edit = z.infer<typeof editSchema>;
export type ScenarioRef = z.infer<typeof scenarioRefSchema>;
export type Probe = z.infer<typeof probeSchema>;
export type Predict = z.infer<typeof predictSchema>;
export type Task = z.infer<typeof taskSchema>;
export type Position = z.infer<typeof positionSchema>;
export type Target = z.infer<typeof targetSchema>;
export type Step = z.infer<typeof stepSchema>;
export type Lesson = z.infer<typeof lessonSchema>;
export type Answer = string | number;
export type ClientClaim = z.infer<typeof clientClaimSchema>;
export type DataCommandWord = (typeof DATA_COMMAND_WORDS)[number];
