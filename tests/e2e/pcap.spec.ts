import { test, expect } from '@playwright/test';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { decodePacket, readPcap } from '../../src/core/index';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TSHARK_CHECKSUMS } from '../support/tshark';

const TSHARK = process.env.TSHARK ?? 'tshark';
const hasTshark = spawnSync(TSHARK, ['--version']).status === 0;
if (!hasTshark && process.env.REQUIRE_TSHARK) throw new Error('tshark is required (REQUIRE_TSHARK is set) but not installed');

test('the exported .pcap at the chosen interface decodes in tshark as FTP', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="server-nat-helper-rewrites-227"]').click();
  await expect(page.getByTestId('verdict-badge')).toHaveAttribute('data-verdict', 'success');
  const select = page.getByLabel('Capture point for the .pcap export');
  const points = await select.locator('option').allTextContents();
  // Each point by the device's name on the canvas and its interface (it showed ids: "server:eth0").
  expect(points).toContain('FTP server eth0');
  expect(points).toContain('Server firewall eth1');
  expect(points.filter((p) => p.includes(':'))).toEqual([]);
  await select.selectOption('server:eth0');
  const download = page.waitForEvent('download');
  await page.getByRole('button', { name: 'Export .pcap' }).click();
  const file = join(mkdtempSync(join(tmpdir(), 'fttw-pcap-')), 'capture.pcap');
  await (await download).saveAs(file);
  if (!hasTshark) {
    // Without tshark, read the file back with the project's own pcap reader and codec.
    const pcap = readPcap(new Uint8Array(readFileSync(file)));
    expect(pcap.ok).toBe(true);
    if (!pcap.ok) return;
    // Ethernet frames (LINKTYPE_ETHERNET = 1): the IPv4 packet follows the 14-byte header.
    expect(pcap.value.linktype).toBe(1);
    const texts = pcap.value.records
      .map((r) => decodePacket(r.bytes.subarray(14), { verifyChecksums: true }))
      .map((p) => {
        expect(p.ok).toBe(true);
        return p.ok && p.value.tcp ? new TextDecoder('latin1').decode(p.value.tcp.payload) : '';
      });
    expect(texts.some((t) => t.startsWith('227 Entering Passive Mode (10,0,0,10,'))).toBe(true);
    expect(texts.some((t) => t.startsWith('226 '))).toBe(true);
    return;
  }
  // tshark -r FILE -o tcp.check_checksum:TRUE -o ip.check_checksum:TRUE -T fields -e …
  const out = execFileSync(
    TSHARK,
    ['-r', file, ...TSHARK_CHECKSUMS, '-T', 'fields', '-E', 'separator=|', '-e', 'tcp.checksum.status', '-e', '_ws.malformed', '-e', 'ftp.response.code', '-e', 'ftp.passive.ip'],
    { encoding: 'utf8', timeout: 30_000 },
  );
  const rows = out
    .trim()
    .split('\n')
    .map((l) => l.split('|'));
  expect(rows.every(([ck, malformed]) => ck === '1' && malformed === '')).toBe(true);
  const codes = rows.map((r) => r[2]).filter(Boolean);
  expect(codes).toContain('227');
  expect(codes).toContain('226');
  // On the server's own LAN the 227 still carries its private address; the helper rewrites it further out.
  expect(rows.map((r) => r[3]).filter(Boolean)).toContain('10.0.0.10');
});
