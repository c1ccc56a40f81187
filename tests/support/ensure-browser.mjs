#!/usr/bin/env node
/**
 * Runs before `npm test` (the `pretest` script): makes sure the end-to-end tests have a
 * Chromium to drive, so a fresh machine gets one clear line instead of every Playwright
 * test failing with "Executable doesn't exist".
 *
 * Order: $CHROMIUM_PATH; Debian's /usr/bin/chromium; a browser Playwright installed itself;
 * then install one — `npx playwright install chromium` where it can download, else
 * `apt-get install -y chromium` when running as root on Debian. When none works, one line
 * says what to install and the exit status is 1.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const say = (line) => process.stdout.write(`ensure-browser: ${line}\n`);
const DEBIAN = ['/usr/bin/chromium', '/usr/bin/chromium-browser'];

function playwrightOwn() {
  try {
    const require = createRequire(import.meta.url);
    const { chromium } = require('playwright-core');
    const p = chromium.executablePath();
    return p && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

function found() {
  if (process.env.CHROMIUM_PATH) return existsSync(process.env.CHROMIUM_PATH) ? process.env.CHROMIUM_PATH : null;
  return DEBIAN.find((p) => existsSync(p)) ?? playwrightOwn();
}

function run(cmd, args, timeoutMs) {
  const r = spawnSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'], timeout: timeoutMs, env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  return r.status === 0;
}

if (process.env.CHROMIUM_PATH && !existsSync(process.env.CHROMIUM_PATH)) {
  say(`CHROMIUM_PATH is set to ${process.env.CHROMIUM_PATH}, which does not exist: point it at a Chromium or unset it.`);
  process.exit(1);
}

let browser = found();
if (!browser) {
  say('no Chromium found for the end-to-end tests; trying `npx playwright install chromium`…');
  if (run('npx', ['playwright', 'install', 'chromium'], 180_000)) browser = found();
}
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!browser && isRoot && existsSync('/usr/bin/apt-get')) {
  say("Playwright could not download its browser; installing Debian's chromium with apt-get…");
  if (!run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], 600_000)) {
    run('apt-get', ['update', '-qq'], 300_000);
    run('apt-get', ['install', '-y', '-qq', '--no-install-recommends', 'chromium'], 600_000);
  }
  browser = found();
}
if (!browser) {
  say(
    "the end-to-end tests need Chromium: install Debian's package (sudo apt-get install chromium), or run `npx playwright install chromium`, or set CHROMIUM_PATH to a Chromium binary.",
  );
  process.exit(1);
}
say(`using ${browser}`);
