/**
 * zod issues → ScenarioError with a JSON path and a plain sentence. zod's own texts
 * ("Invalid input: expected string, received undefined") are for programmers; a scenario
 * author wants "missing field "ip"" or "unknown client profile "putty"".
 */
import type { z } from 'zod';
import { CLIENT_MODES, CLIENT_PROFILES, type ScenarioError } from './types';

type PathKey = PropertyKey;

/** ["routers", 0, "iptables"] → "routers[0].iptables"; odd keys are quoted: files["/a.txt"]. */
export function formatPath(path: readonly PathKey[]): string {
  let out = '';
  for (const key of path) {
    if (typeof key === 'number') out += `[${key}]`;
    else if (typeof key === 'string' && /^[A-Za-z_$][\w$]*$/.test(key)) out += out === '' ? key : `.${key}`;
    else out += `[${JSON.stringify(String(key))}]`;
  }
  return out;
}

function at(root: unknown, path: readonly PathKey[]): { found: boolean; value: unknown } {
  let cur: unknown = root;
  for (const key of path) {
    if (cur === null || typeof cur !== 'object' || !Object.prototype.hasOwnProperty.call(cur, key)) return { found: false, value: undefined };
    cur = (cur as Record<PropertyKey, unknown>)[key];
  }
  return { found: true, value: cur };
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  switch (typeof v) {
    case 'string':
      return `the text ${JSON.stringify(v.length > 40 ? `${v.slice(0, 40)}…` : v)}`;
    case 'number':
      return `the number ${v}`;
    case 'boolean':
      return v ? 'true' : 'false';
    case 'object':
      return 'an object';
    default:
      return typeof v;
  }
}

const EXPECTED: Record<string, string> = {
  string: 'text (a "string")',
  number: 'a number',
  int: 'a whole number',
  boolean: 'true or false',
  array: 'a list [ … ]',
  object: 'an object { … }',
  record: 'an object { … }',
};

/** Every field name the format knows, for "did you mean". */
const KNOWN_FIELDS = [
  'name',
  'teaches',
  'description',
  'seed',
  'tcp',
  'synSchedule',
  'segments',
  'hosts',
  'routers',
  'server',
  'client',
  'clients',
  'script',
  'expect',
  'outcome',
  'note',
  'id',
  'label',
  'role',
  'ip',
  'gateway',
  'segment',
  'routes',
  'iptables',
  'ftpHelper',
  'ports',
  'loose',
  'to',
  'via',
  'dev',
  'latencyMs',
  'interfaces',
  'host',
  'vsftpd',
  'style',
  'files',
  'users',
  'home',
  'userList',
  'chrootList',
  'userConfig',
  'size',
  'text',
  'dir',
  'password',
  'profile',
  'command',
  'addresses',
  'mode',
  'dataPort',
  'connectTo',
  'connectPort',
  'controlPort',
  'connectTimeoutS',
  'user',
  'tls',
  'pasvAddress',
];

function suggest(word: string): string {
  const lower = word.toLowerCase();
  const hit = KNOWN_FIELDS.find((f) => f.toLowerCase() === lower || f.toLowerCase() === `${lower}s` || `${f.toLowerCase()}s` === lower);
  return hit ? ` (did you mean "${hit}"?)` : '';
}

/** What the field takes, in words, for "missing field" messages. */
function expectedOf(issue: z.core.$ZodIssue, last: PathKey | undefined): string {
  if (issue.code === 'invalid_type') return EXPECTED[issue.expected] ?? issue.expected;
  if (issue.code === 'invalid_value') {
    const options = issue.values.map((v) => String(v)).join(', ');
    return last === 'profile' ? `a client profile: ${options}` : `one of ${options}`;
  }
  if (last === 'iptables' || last === 'vsftpd' || last === 'description') return 'text: a string with \\n line breaks, or a list of lines';
  return 'a value';
}

export function issueToErrors(issue: z.core.$ZodIssue, root: unknown, file: string | undefined): ScenarioError[] {
  const path = issue.path;
  const last = path[path.length - 1];
  const where = formatPath(path);
  const err = (message: string, p = where): ScenarioError => (file === undefined ? { path: p, message } : { file, path: p, message });
  const here = at(root, path);

  // Nothing at the path (a field left out, a hole in a list, a value of undefined handed over
  // in code): say so, whatever zod thought of it, rather than "undefined is not allowed".
  if ((!here.found || here.value === undefined) && path.length > 0 && ['invalid_type', 'invalid_value', 'invalid_union'].includes(issue.code)) {
    return [err(`${typeof last === 'number' ? `entry ${last} is missing` : `missing field "${String(last)}"`} (${expectedOf(issue, last)})`)];
  }
  switch (issue.code) {
    case 'invalid_type': {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      if (issue.expected === 'int') return [err(`expected a whole number, got ${describeValue(here.value)}`)];
      if (path.length === 0) return [err(`a scenario file holds one JSON object { … }, not ${describeValue(here.value)}`)];
      return [err(`expected ${expected}, got ${describeValue(here.value)}`)];
    }
    case 'invalid_value': {
      const options = issue.values.map((v) => String(v));
      const got = describeValue(here.value);
      if (last === 'profile') return [err(`unknown client profile ${JSON.stringify(here.value)} (use ${CLIENT_PROFILES.join(', ')})`)];
      if (last === 'mode') return [err(`unknown client mode ${JSON.stringify(here.value)} (use ${CLIENT_MODES.join(', ')})`)];
      return [err(`${got} is not allowed here (use ${options.join(', ')})`)];
    }
    case 'unrecognized_keys':
      return issue.keys.map((k) => err(`unknown field "${k}"${suggest(k)}`, formatPath([...path, k])));
    case 'invalid_union':
      if (last === 'iptables' || last === 'vsftpd' || last === 'description') {
        return [err(`expected text: a string with \\n line breaks, or a list of lines, got ${describeValue(here.value)}`)];
      }
      return [err(`unexpected ${describeValue(here.value)}`)];
    case 'too_small':
    case 'too_big': {
      const small = issue.code === 'too_small';
      const bound = Number(small ? (issue as { minimum: unknown }).minimum : (issue as { maximum: unknown }).maximum);
      const origin = (issue as { origin?: string }).origin;
      if (origin === 'array') return [err(small ? `needs at least ${bound} ${bound === 1 ? 'entry' : 'entries'}` : `at most ${bound} entries`)];
      if (origin === 'string') return [err(small ? 'must not be empty' : `at most ${bound} characters`)];
      const what = last === 'controlPort' || last === 'connectPort' || last === 'ports' || typeof last === 'number' ? ' (ports are 1–65535)' : '';
      if (small) return [err(`${describeValue(here.value)} is too small: the least allowed is ${bound}${what}`)];
      return [err(`${describeValue(here.value)} is too large: the most allowed is ${bound}${what}`)];
    }
    case 'invalid_format':
      return [err(issue.message)];
    default:
      return [err(issue.message)];
  }
}
