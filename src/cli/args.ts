/**
 * The command line's arguments, checked before anything runs: every bad one is a single line
 * naming it (main.ts prints it and exits 2). A --pcap path is tried for writing up front.
 */
import { closeSync, existsSync, openSync, statSync, unlinkSync } from 'node:fs';

export interface Args {
  file?: string;
  json: boolean;
  pcap?: string;
  at?: string;
  seed?: number;
  quiet: boolean;
}

/** The largest seed a scenario file takes (schema.ts): a 32-bit unsigned number. */
const MAX_SEED = 0xffffffff;

export function parseArgs(argv: string[]): Args | string {
  const a: Args = { json: false, quiet: false };
  /** The option's value: the next word, unless there is none or it is another option. */
  const value = (i: number): string | undefined => {
    const v = argv[i + 1];
    return v === undefined || v.startsWith('--') ? undefined : v;
  };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--json') a.json = true;
    else if (x === '--quiet') a.quiet = true;
    else if (x === '--pcap') {
      const v = value(i);
      if (v === undefined || v === '') return '--pcap needs a file name (--pcap FILE)';
      a.pcap = v;
      i++;
    } else if (x === '--at') {
      const v = value(i);
      if (v === undefined || !/^[^:\s]+:[^:\s]+$/.test(v))
        return `--at needs DEVICE:IFACE (a device and one of its interfaces, e.g. edge:eth1)${v === undefined ? '' : `, not "${v}"`}`;
      a.at = v;
      i++;
    } else if (x === '--seed') {
      const v = argv[i + 1];
      if (v === undefined || !/^\d+$/.test(v)) return `--seed needs a non-negative whole number, not "${v ?? ''}"`;
      if (v.length > 10 || Number(v) > MAX_SEED) return `--seed ${v} is out of range: seeds are 0 to ${MAX_SEED} (as in a scenario file)`;
      a.seed = Number(v);
      i++;
    } else if (x.startsWith('--')) return `unknown option ${x}`;
    else if (a.file === undefined) a.file = x;
    else return `only one scenario file, got "${a.file}" and "${x}"`;
  }
  if (!a.file) return 'usage: npm run sim -- <scenario.json> [--json] [--pcap FILE [--at DEVICE:IFACE]] [--seed N]';
  if (a.pcap === undefined && a.at !== undefined) return '--at needs --pcap FILE';
  if (a.pcap !== undefined) {
    const problem = unwritable(a.pcap);
    if (problem) return `--pcap ${a.pcap} ${problem}`;
  }
  return a;
}

/** Why `path` cannot take the capture, checked before the run by opening it (and removing it
 * again if the check created it): a directory, a missing folder, no permission, a read-only disk. */
function unwritable(path: string): string | null {
  try {
    if (statSync(path).isDirectory()) return 'is a directory: give a file name, e.g. capture.pcap';
  } catch {
    // Does not exist yet: fine, if its folder takes a new file.
  }
  const existed = existsSync(path);
  try {
    closeSync(openSync(path, 'a'));
    if (!existed) unlinkSync(path);
    return null;
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why =
      code === 'ENOENT'
        ? 'its folder does not exist'
        : code === 'ENOTDIR'
          ? 'part of the path is a file, not a folder'
          : code === 'EACCES' || code === 'EPERM'
            ? 'permission denied'
            : code === 'EROFS'
              ? 'the disk is read-only'
              : (e as Error).message;
    return `cannot be written (${why})`;
  }
}
