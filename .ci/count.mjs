// Sums Vitest's and Playwright's JSON reports (and the kernel comparison's, when present)
// into the one plain line CI reads. Exit 1 when any test failed or a report is unreadable.
import { readFileSync, existsSync } from 'node:fs';

let passed = 0,
  failed = 0,
  skipped = 0,
  broken = false;
const [vitest, playwright, kernel] = process.argv.slice(2);

function read(file, required) {
  if (!existsSync(file)) {
    if (required) {
      console.error(`ci: report ${file} missing`);
      broken = true;
    }
    return null;
  }
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`ci: report ${file} unreadable: ${e.message}`);
    broken = true;
    return null;
  }
}

const v = read(vitest, true);
if (v) {
  passed += v.numPassedTests ?? 0;
  failed += v.numFailedTests ?? 0;
  skipped += (v.numPendingTests ?? 0) + (v.numTodoTests ?? 0);
  if (v.numFailedTestSuites > 0) broken = true;
}
const p = read(playwright, true);
if (p?.stats) {
  passed += (p.stats.expected ?? 0) + (p.stats.flaky ?? 0);
  failed += p.stats.unexpected ?? 0;
  skipped += p.stats.skipped ?? 0;
}
const k = read(kernel, false);
if (k) {
  passed += k.passed ?? 0;
  failed += k.failed ?? 0;
  skipped += k.skipped ?? 0;
}

console.log(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 || broken ? 1 : 0);
