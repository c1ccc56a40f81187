import { test, expect } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const hasTshark = spawnSync('tshark', ['--version']).status === 0;
if (!hasTshark && process.env.REQUIRE_TSHARK) throw new Error('tshark is required (REQUIRE_TSHARK is set) but not installed');

test('the exported .pcap at the chosen interface decodes in tshark as FTP', async ({ page }) => {
  test.skip(!hasTshark, 'tshark is not installed');
  await page.goto('./');
  await page.locator('[data-scenario="server-nat-helper-rewrites-227"]').click();
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'success');
  const select = page.getByLabel('Capture point for the .pcap export');
  const points = await select.locator('option').allTextContents();
  expect(points).toContain('server:eth0');
  await select.selectOption('server:eth0');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export .pcap' }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'fttw-pcap-')), 'capture.pcap');
  await (await download).saveAs(file);
  // tshark -r FILE -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -T fields -e … 
  const out = execFileSync('tshark', ['-r', file, '-o', 'tcp.check_checksum:TRUE', '-o', 'ip.check_checksum:TRUE', '-T', 'fields', '-E', 'separator=|',
    '-e', 'tcp.checksum.status', '-e', '_ws.malformed', '-e', 'ftp.response.code', '-e', 'ftp.passive.ip'], { encoding: 'utf8', timeout: 30_000 });
  const rows = out.trim().split('\n').map((l) => l.split('|'));
  expect(rows.every(([ck, malformed]) => ck === '1' && malformed === '')).toBe(true);
  const codes = rows.map((r) => r[2]).filter(Boolean);
  expect(codes).toContain('227');
  expect(codes).toContain('226');
  // On the server's own LAN the 227 still carries its private address; the helper rewrites it further out.
  expect(rows.map((r) => r[3]).filter(Boolean)).toContain('10.0.0.10');
});
