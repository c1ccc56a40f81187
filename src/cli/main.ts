/**
 * npm run sim -- <scenario.json> [--json] [--pcap FILE [--at DEVICE:IFACE]] [--seed N] [--quiet]
 *
 * Exit status: 0 every transfer succeeded, 1 a transfer failed, 2 bad input.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { parseArgs } from './args';
import { decodeTextBytes, loadScenario, runScenario, capturePoints, pcapAt } from '../core/index';
import { formatPacketLog, formatTranscript, formatVerdict, verdictJson } from './format';

function main(argv: string[]): number {
  const args = parseArgs(argv);
  if (typeof args === 'string') {
    process.stderr.write(`sim: ${args}\n`);
    return 2;
  }
  let text: string;
  try {
    const decoded = decodeTextBytes(readFileSync(args.file!));
    text = decoded.text;
    if (decoded.note) process.stderr.write(`${args.file}: ${decoded.note}\n`);
  } catch (e) {
    process.stderr.write(`sim: cannot read ${args.file}: ${(e as Error).message}\n`);
    return 2;
  }
  const loaded = loadScenario(text, args.file);
  if (!loaded.ok) {
    for (const err of loaded.errors) {
      const where = [err.file ?? args.file, err.path || undefined, err.line !== undefined ? `line ${err.line}${err.column !== undefined ? `:${err.column}` : ''}` : undefined]
        .filter(Boolean)
        .join(': ');
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
    try {
      writeFileSync(args.pcap, pcapAt(result.trace, at));
    } catch (e) {
      process.stderr.write(`sim: --pcap ${args.pcap} cannot be written (${(e as Error).message})\n`);
      return 2;
    }
  }
  if (args.json) process.stdout.write(JSON.stringify(verdictJson(scenario, result), null, 2) + '\n');
  else {
    process.stdout.write(formatTranscript(result.trace) + '\n');
    if (!args.quiet) process.stdout.write('\n' + formatPacketLog(result.trace) + '\n');
    process.stdout.write('\n' + formatVerdict(result.verdict, new Map([...scenario.hosts, ...scenario.routers].map((d) => [d.id, d.label]))) + '\n');
  }
  return result.verdict.ok ? 0 : 1;
}

process.exitCode = main(process.argv.slice(2));
