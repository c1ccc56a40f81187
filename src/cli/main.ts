/**
 * npm run sim -- <scenario.json> [--json] [--pcap FILE [--at DEVICE:IFACE]] [--seed N] [--quiet]
 *
 * Exit status: 0 every transfer succeeded, 1 a transfer failed, 2 bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { loadScenario, runScenario, capturePoints, pcapAt } from '../core/index';
import { formatPacketLog, formatTranscript, formatVerdict, verdictJson } from './format';

interface Args {
  file?: string;
  json: boolean;
  pcap?: string;
  at?: string;
  seed?: number;
  quiet: boolean;
}

function parseArgs(argv: string[]): Args | string {
  const a: Args = { json: false, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const x = argv[i]!;
    if (x === '--json') a.json = true;
    else if (x === '--quiet') a.quiet = true;
    else if (x === '--pcap') a.pcap = argv[++i];
    else if (x === '--at') a.at = argv[++i];
    else if (x === '--seed') {
      const v = argv[++i];
      if (v === undefined || !/^\d+$/.test(v)) return `--seed needs a non-negative whole number, not "${v ?? ''}"`;
      a.seed = Number(v);
    } else if (x.startsWith('--')) return `unknown option ${x}`;
    else if (a.file === undefined) a.file = x;
    else return `only one scenario file, got "${a.file}" and "${x}"`;
  }
  if (!a.file) return 'usage: npm run sim -- <scenario.json> [--json] [--pcap FILE [--at DEVICE:IFACE]] [--seed N]';
  if (a.pcap === undefined && a.at !== undefined) return '--at needs --pcap FILE';
  return a;
}

function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`sim: ${args}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(args.file!, 'utf8');
  } catch (e) {
    process.stderr.write(`sim: cannot read ${args.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const loaded = loadScenario(text, args.file);
  if (!loaded.ok) {
    for (const err of loaded.errors) {
      const where = [err.file ?? args.file, err.path || undefined, err.line !== undefined ? `line ${err.line}${err.column !== undefined ? `:${err.column}` : ''}` : undefined].filter(Boolean).join(': ');
      process.stderr.write(`${where}: ${err.message}\n`);
    }
    return 2;
  }
  const scenario = args.seed === undefined ? loaded.scenario : { ...loaded.scenario, seed: args.seed };
  const result = runScenario(scenario);
  if (args.pcap) {
    const points = capturePoints(result.trace);
    const at = args.at ?? points[0];
    if (!at || !points.includes(at)) {
      process.stderr.write(`sim: no capture point "${at ?? ''}"; choose one of: ${points.join(', ')}\n`);
      return 2;
    }
    writeFileSync(args.pcap, pcapAt(result.trace, at));
  }
  if (args.json) process.stdout.write(JSON.stringify(verdictJson(scenario, result), null, 2) + '\n');
  else {
    process.stdout.write(formatTranscript(result.trace) + '\n');
    if (!args.quiet) process.stdout.write('\n' + formatPacketLog(result.trace) + '\n');
    process.stdout.write('\n' + formatVerdict(result.verdict) + '\n');
  }
  return result.verdict.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
