/** The scenario's client script, parsed: what the user types at the `ftp>` prompt. */
export type ScriptStep =
  | { kind: 'login'; user?: string; password?: string }
  | { kind: 'ls'; path?: string }
  | { kind: 'get'; file: string }
  | { kind: 'put'; file: string; size: number }
  /** APPE: adds SIZE bytes to the end of FILE. */
  | { kind: 'append'; file: string; size: number }
  /** Commands on the server's tree, each one command (rename: RNFR then RNTO). */
  | { kind: 'cd'; dir: string }
  | { kind: 'pwd' }
  | { kind: 'mkdir'; dir: string }
  | { kind: 'rmdir'; dir: string }
  | { kind: 'delete'; file: string }
  | { kind: 'rename'; from: string; to: string }
  /** The user does nothing for SECONDS (to see a server's idle time-out). */
  | { kind: 'wait'; seconds: number }
  | { kind: 'quit' };

/** The script lines that are one command on the control connection, not a transfer. */
export type CommandStep = Extract<ScriptStep, { kind: 'cd' | 'pwd' | 'mkdir' | 'rmdir' | 'delete' | 'rename' }>;
export const isCommandStep = (s: ScriptStep | undefined): s is CommandStep =>
  s?.kind === 'cd' || s?.kind === 'pwd' || s?.kind === 'mkdir' || s?.kind === 'rmdir' || s?.kind === 'delete' || s?.kind === 'rename';

export type ScriptParse = { ok: true; step: ScriptStep } | { ok: false; message: string };

/**
 * Parses one script line: `login [user [password]]`, `ls [path]`, `get FILE`, `put FILE [SIZE]`,
 * `append FILE [SIZE]`, `cd DIR`, `pwd`, `mkdir DIR`, `rmdir DIR`, `delete FILE`, `rename OLD NEW`,
 * `wait SECONDS`, `quit`.
 */
export function parseScriptLine(line: string): ScriptParse {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  const v = verb?.toLowerCase();
  switch (v) {
    case 'login':
    case 'user':
      return args.length > 2 ? { ok: false, message: 'login takes at most a user and a password' } : { ok: true, step: { kind: 'login', user: args[0], password: args[1] } };
    case 'ls':
    case 'dir':
    case 'list':
      return { ok: true, step: { kind: 'ls', path: args[0] } };
    case 'get':
    case 'retr':
      return args.length === 1 ? { ok: true, step: { kind: 'get', file: args[0]! } } : { ok: false, message: 'get takes one file name' };
    case 'put':
    case 'stor':
    case 'append':
    case 'appe': {
      const kind = v === 'put' || v === 'stor' ? 'put' : 'append';
      if (args.length < 1 || args.length > 2) return { ok: false, message: `${kind} takes a file name and an optional size in bytes` };
      const size = args[1] === undefined ? 1024 : Number(args[1]);
      if (!Number.isInteger(size) || size < 0 || size > 100_000_000)
        return { ok: false, message: `${kind} size must be a whole number of bytes from 0 to 100000000, not "${args[1]}"` };
      return { ok: true, step: { kind, file: args[0]!, size } };
    }
    case 'cd':
    case 'cwd':
      return args.length === 1 ? { ok: true, step: { kind: 'cd', dir: args[0]! } } : { ok: false, message: 'cd takes one directory' };
    case 'pwd':
      return args.length === 0 ? { ok: true, step: { kind: 'pwd' } } : { ok: false, message: 'pwd takes no argument' };
    case 'mkdir':
    case 'mkd':
      return args.length === 1 ? { ok: true, step: { kind: 'mkdir', dir: args[0]! } } : { ok: false, message: 'mkdir takes one directory name' };
    case 'rmdir':
    case 'rmd':
      return args.length === 1 ? { ok: true, step: { kind: 'rmdir', dir: args[0]! } } : { ok: false, message: 'rmdir takes one directory name' };
    case 'delete':
    case 'dele':
    case 'rm':
      return args.length === 1 ? { ok: true, step: { kind: 'delete', file: args[0]! } } : { ok: false, message: 'delete takes one file name' };
    case 'rename':
      return args.length === 2 ? { ok: true, step: { kind: 'rename', from: args[0]!, to: args[1]! } } : { ok: false, message: 'rename takes the old name and the new name' };
    case 'wait':
    case 'sleep': {
      const seconds = Number(args[0]);
      if (args.length !== 1 || !Number.isFinite(seconds) || seconds <= 0 || seconds > 86_400) return { ok: false, message: 'wait takes a number of seconds from 1 to 86400' };
      return { ok: true, step: { kind: 'wait', seconds } };
    }
    case 'quit':
    case 'bye':
      return args.length === 0 ? { ok: true, step: { kind: 'quit' } } : { ok: false, message: 'quit takes no argument' };
    case undefined:
      return { ok: false, message: 'empty script line' };
    default:
      return { ok: false, message: `unknown script command "${verb}" (use login, ls, get, put, append, cd, pwd, mkdir, rmdir, delete, rename, wait, quit)` };
  }
}

export function describeStep(step: ScriptStep): string {
  switch (step.kind) {
    case 'login':
      return 'login';
    case 'ls':
      return step.path ? `ls ${step.path}` : 'ls';
    case 'get':
      return `get ${step.file}`;
    case 'put':
      return `put ${step.file}`;
    case 'append':
      return `append ${step.file}`;
    case 'cd':
      return `cd ${step.dir}`;
    case 'pwd':
      return 'pwd';
    case 'mkdir':
      return `mkdir ${step.dir}`;
    case 'rmdir':
      return `rmdir ${step.dir}`;
    case 'delete':
      return `delete ${step.file}`;
    case 'rename':
      return `rename ${step.from} ${step.to}`;
    case 'wait':
      return `wait ${step.seconds}`;
    case 'quit':
      return 'quit';
  }
}
