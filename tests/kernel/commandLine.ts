/**
 * A client the scenario gives as a command line (client.command: `curl -v --disable-epsv
 * ftp://203.0.113.1/readme.txt`, `lftp -e 'set net:max-retries 3; get readme.txt' 203.0.113.10`)
 * run on the kernel as written: the same program, options, URLs and -e commands. The harness adds
 * only two kinds of thing:
 * - its bounds, which change what can happen, so they go into the line both worlds run (the
 *   simulator reads the same text): curl's --connect-timeout and --max-time, lftp's net:timeout,
 *   each only when the line does not set it (`withHarnessBounds`);
 * - what it needs to read the run, which changes nothing on the wire, on the kernel only: curl's
 *   -v/--stderr -/-sS, -w (a marker after each URL) and -o for downloads, lftp's -d and an `echo`
 *   marker after each step, line-buffered output (stdbuf), a work folder of its own as the
 *   current directory and HOME (`commandLineClient`), and the local file of each curl -T there
 *   (1024 bytes, the size the model's `put` gives a file the command line names no size for).
 */
import { writeFileSync } from 'node:fs';
import { shellWords } from '../../src/core/ftp/client/cmdline';
import type { ClientCommand } from './realClients';
import { isStepLine } from './scenarioFile';

/** The harness's own time-outs (seconds): curl --connect-timeout / lftp net:timeout, and curl's --max-time. */
export const HARNESS_CONNECT_S = 5;
export const HARNESS_MAX_TIME_S = 15;
/** The size of the local file a command line's curl -T names (the model's `put` without a size). */
const UPLOAD_SIZE = 1024;

/** Words back into a line a POSIX shell (and the model's reader) splits into the same words. */
export function shellJoin(words: readonly string[]): string {
  return words.map((w) => (/^[\w@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`)).join(' ');
}

function words(command: string): string[] | { unsupported: string } {
  const r = shellWords(command);
  if (!('words' in r)) return { unsupported: `the command line does not split into words: ${r.message}` };
  return r.words.map((w) => w.text);
}

const programOf = (first: string | undefined) => (first ?? '').replace(/^.*\//, '');

/** Index of the value of the first of these options (`-e TEXT`), or -1. */
function valueIndex(ws: readonly string[], names: readonly string[]): number {
  const i = ws.findIndex((w) => names.includes(w));
  return i >= 0 && i + 1 < ws.length ? i + 1 : -1;
}

/**
 * The command line with the harness's time-outs added where it sets none (they go into both
 * worlds), and what was added, for the row's note.
 */
export function withHarnessBounds(command: string): { command: string; added: string[] } {
  const ws = words(command);
  if (!Array.isArray(ws)) return { command, added: [] };
  const program = programOf(ws[0]);
  const added: string[] = [];
  if (program === 'curl') {
    const has = (...names: string[]) => ws.some((w) => names.includes(w) || names.some((n) => n.startsWith('--') && w.startsWith(`${n}=`)));
    const out = [...ws];
    if (!has('--connect-timeout')) {
      out.push('--connect-timeout', String(HARNESS_CONNECT_S));
      added.push(`--connect-timeout ${HARNESS_CONNECT_S}`);
    }
    if (!has('--max-time', '-m')) {
      out.push('--max-time', String(HARNESS_MAX_TIME_S));
      added.push(`--max-time ${HARNESS_MAX_TIME_S}`);
    }
    return { command: added.length > 0 ? shellJoin(out) : command, added };
  }
  if (program === 'lftp') {
    const i = valueIndex(ws, ['-e', '-c']);
    if (i < 0 || /\bnet:timeout\b/.test(ws[i]!)) return { command, added };
    const out = [...ws];
    out[i] = `set net:timeout ${HARNESS_CONNECT_S}; ${ws[i]}`;
    added.push(`set net:timeout ${HARNESS_CONNECT_S}`);
    return { command: shellJoin(out), added };
  }
  return { command, added };
}

/**
 * The kernel's run of a curl or lftp command line (see the file's comment); null for an `ftp`
 * line, whose options (-p, -A, -n, host, port) are all fields the structured client runs with.
 */
export function commandLineClient(command: string, outDir: string, marker: string): ClientCommand | { unsupported: string } | null {
  const ws = words(command);
  if (!Array.isArray(ws)) return ws;
  const program = programOf(ws[0]);
  const args = ws.slice(1);
  if (program === 'curl') {
    if (args.some((a) => a === '-w' || a === '--write-out' || a.startsWith('--write-out='))) {
      return { unsupported: 'the command line has its own -w/--write-out, where the harness puts its marker after each URL' };
    }
    // A download needs somewhere to go that is not the transcript: -o for each URL without one.
    const outputs = args.filter((a) => ['-o', '--output', '-O', '--remote-name'].includes(a)).length;
    const uploads = args.filter((a) => a === '-T' || a === '--upload-file').length;
    const urls = args.filter((a, k) => /^ftps?:\/\//i.test(a) && !['-o', '--output', '-T', '--upload-file'].includes(args[k - 1] ?? '')).length;
    const extra: string[] = [];
    for (let k = outputs + uploads; k < urls; k++) extra.push('-o', `${outDir}/t${k}`);
    // Each -T file, in the work folder (the current directory): the model's put sends 1024 bytes.
    for (const [k, a] of args.entries()) {
      const name = (a === '-T' || a === '--upload-file') && args[k + 1];
      if (!name) continue;
      if (!/^[\w.-]+$/.test(name)) return { unsupported: `curl -T ${name}: the harness writes each -T file into the work folder, so it must be a plain name` };
      writeFileSync(`${outDir}/${name}`, Buffer.alloc(UPLOAD_SIZE, 0x61));
    }
    return {
      program: 'stdbuf',
      args: ['-oL', '-eL', 'curl', ...args, '-sS', '-v', '--stderr', '-', '-w', `${marker} %{exitcode} %{size_download} %{size_upload}\\n`, ...extra],
      input: '',
      env: { HOME: outDir },
      cwd: outDir,
      marker,
    };
  }
  if (program === 'lftp') {
    const i = valueIndex(args, ['-e', '-c']);
    if (i >= 0) {
      // A marker after every reported step, as lftp's own `echo` (the model splits -e at `;` too).
      const cmds = args[i]!.split(';').flatMap((c) => (isStepLine(c, 'lftp') ? [c, ` echo ${marker}`] : [c]));
      args[i] = cmds.join(';');
    }
    return {
      program: 'stdbuf',
      args: ['-oL', '-eL', 'lftp', '-d', ...args],
      // After -e's commands lftp reads its standard input: quit.
      input: 'quit\n',
      env: { HOME: outDir },
      cwd: outDir,
      marker,
    };
  }
  return null;
}
