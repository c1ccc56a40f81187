/** The scenario's client script, parsed: what the user types at the `ftp>` prompt. */
export type ScriptStep =
  | { kind: 'login'; user?: string; password?: string }
  | { kind: 'ls'; path?: string }
  | { kind: 'get'; file: string }
  | { kind: 'put'; file: string; size: number }
  | { kind: 'quit' };

export type ScriptParse = { ok: true; step: ScriptStep } | { ok: false; message: string };

/** Parses one script line: `login [user [password]]`, `ls [path]`, `get FILE`, `put FILE [SIZE]`, `quit`. */
export function parseScriptLine(line: string): ScriptParse {
  const words = line.trim().split(/\s+/).filter(Boolean);
  const [verb, ...args] = words;
  switch (verb?.toLowerCase()) {
    case 'login':
    case 'user':
      return args.length > 2
        ? { ok: false, message: 'login takes at most a user and a password' }
        : { ok: true, step: { kind: 'login', user: args[0], password: args[1] } };
    case 'ls':
    case 'dir':
    case 'list':
      return { ok: true, step: { kind: 'ls', path: args[0] } };
    case 'get':
    case 'retr':
      return args.length === 1 ? { ok: true, step: { kind: 'get', file: args[0]! } } : { ok: false, message: 'get takes one file name' };
    case 'put':
    case 'stor': {
      if (args.length < 1 || args.length > 2) return { ok: false, message: 'put takes a file name and an optional size in bytes' };
      const size = args[1] === undefined ? 1024 : Number(args[1]);
      if (!Number.isInteger(size) || size < 0 || size > 100_000_000) return { ok: false, message: `put size must be a whole number of bytes from 0 to 100000000, not "${args[1]}"` };
      return { ok: true, step: { kind: 'put', file: args[0]!, size } };
    }
    case 'quit':
    case 'bye':
      return args.length === 0 ? { ok: true, step: { kind: 'quit' } } : { ok: false, message: 'quit takes no argument' };
    case undefined:
      return { ok: false, message: 'empty script line' };
    default:
      return { ok: false, message: `unknown script command "${verb}" (use login, ls, get, put, quit)` };
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
    case 'quit':
      return 'quit';
  }
}
