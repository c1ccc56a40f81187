/**
 * The JSON shape of a scenario file (zod v4). Only shape and ranges are checked here;
 * addresses, references, iptables/vsftpd text and routing are checked in load.ts, where
 * each error can name its field and line. Unknown fields are refused: a typo such as
 * "iptable" would otherwise silently mean "no firewall".
 */
import { z } from 'zod';
import {
  CLIENT_MODES,
  CLIENT_PROFILES,
  DATA_PORT_CHOICES,
  HOST_ROLES,
  OUTCOMES,
  PASV_ADDRESS_POLICIES,
  ROUTER_ROLES,
  SERVER_KINDS,
  SERVER_STYLES,
  SYN_SCHEDULES,
  type ScenarioFile,
} from './types';
import type { FzSettingsSpec } from '../ftp/filezilla/settings';

const id = z.string().min(1).max(64);
const text = z.union([z.string(), z.array(z.string())]);
const port = z.number().int().min(1).max(65535);

const ftpHelper = z.strictObject({
  ports: z.array(port).min(1).max(16).optional(),
  loose: z.boolean().optional(),
});

const route = z.strictObject({
  to: z.string(),
  via: z.string().optional(),
  dev: z.string().optional(),
});

const segment = z.strictObject({
  id,
  label: z.string().optional(),
  latencyMs: z.number().min(0).max(10_000).optional(),
});

const host = z.strictObject({
  id,
  label: z.string().optional(),
  role: z.enum(HOST_ROLES).optional(),
  ip: z.string(),
  gateway: z.string().optional(),
  segment: id.optional(),
  routes: z.array(route).optional(),
  iptables: text.optional(),
  ftpHelper: ftpHelper.optional(),
});

const iface = z.strictObject({
  name: z.string().regex(/^[A-Za-z0-9_.-]{1,15}$/, 'an interface name is 1–15 letters, digits, "_", "." or "-" (eth0)'),
  ip: z.string(),
  addresses: z.array(z.string()).max(64).optional(),
  segment: id.optional(),
});

const router = z.strictObject({
  id,
  label: z.string().optional(),
  role: z.enum(ROUTER_ROLES).optional(),
  interfaces: z.array(iface).min(1),
  routes: z.array(route).optional(),
  iptables: text.optional(),
  ftpHelper: ftpHelper.optional(),
});

const file = z.strictObject({
  size: z.number().int().min(0).max(100_000_000).optional(),
  text: z.string().optional(),
  dir: z.boolean().optional(),
  owner: z.string().min(1).optional(),
  mode: z.string().optional(),
});

const server = z.strictObject({
  host: id,
  kind: z.enum(SERVER_KINDS).optional(),
  // Checked field by field by parseFzSettings (build.ts), which names each problem's path.
  filezilla: z
    .custom<FzSettingsSpec>((v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object with FileZilla Server settings (ports, passive, users, …)')
    .optional(),
  vsftpd: text.optional(),
  style: z.enum(SERVER_STYLES).optional(),
  files: z.record(z.string(), file).optional(),
  users: z.array(z.strictObject({ name: z.string().min(1), password: z.string(), home: z.string().optional() })).optional(),
  userList: z.array(z.string()).optional(),
  chrootList: z.array(z.string()).optional(),
  userConfig: z.record(z.string(), text).optional(),
});

const script = z.array(z.string());

const client = z
  .strictObject({
    id: id.optional(),
    host: id,
    command: z.string().max(2000).optional(),
    profile: z.enum(CLIENT_PROFILES).optional(),
    mode: z.enum(CLIENT_MODES).optional(),
    dataPort: z.enum(DATA_PORT_CHOICES).optional(),
    connectTo: z.string().optional(),
    connectPort: port.optional(),
    controlPort: port.optional(),
    connectTimeoutS: z.number().positive().max(100_000).optional(),
    user: z.string().min(1).optional(),
    password: z.string().optional(),
    tls: z.boolean().optional(),
    pasvAddress: z.enum(PASV_ADDRESS_POLICIES).optional(),
    script: script.optional(),
  })
  .superRefine((c, ctx) => {
    // The profile may come from the command line instead; one of the two is needed.
    if (c.profile === undefined && c.command === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['profile'],
        message: `missing field "profile" (a client profile: ${CLIENT_PROFILES.join(', ')}; or give the client as a "command" line)`,
      });
    }
  });

export const scenarioFileSchema = z.strictObject({
  name: z.string().min(1),
  teaches: z.string().min(1),
  description: text.optional(),
  seed: z.number().int().min(0).max(0xffffffff).optional(),
  tcp: z.strictObject({ synSchedule: z.enum(SYN_SCHEDULES).optional() }).optional(),
  segments: z.array(segment).optional(),
  hosts: z.array(host).min(1),
  routers: z.array(router).optional(),
  server,
  client: client.optional(),
  clients: z.array(client).min(1).optional(),
  script: script.optional(),
  expect: z.strictObject({ outcome: z.enum(OUTCOMES), note: z.string().optional() }).optional(),
});

// The hand-written types and the schema must describe the same JSON, both ways.
type SchemaType = z.infer<typeof scenarioFileSchema>;
const _schemaMatchesTypes: (x: SchemaType) => ScenarioFile = (x) => x;
const _typesMatchSchema: (x: ScenarioFile) => SchemaType = (x) => x;
void _schemaMatchesTypes;
void _typesMatchSchema;
