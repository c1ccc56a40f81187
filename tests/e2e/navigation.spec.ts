import { test, expect } from '@playwright/test';

const pos = (page: import('@playwright/test').Page) => page.getByTestId('position');

test('jump by FTP line, connection and drop; fold retransmissions; the timeline scrubs', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="passive-server-firewall-drop"]').click();
  await expect(pos(page)).toContainText('step 1 of 466');
  const line = page.getByTestId('step-line');

  // Next FTP line: the server's greeting, then the client's commands, in order.
  await page.keyboard.press(']');
  await expect(line).toContainText('"220 ');
  await page.getByRole('button', { name: 'Next FTP line (])' }).click();
  await expect(line).toContainText('"USER');
  await page.keyboard.press('[');
  await expect(line).toContainText('"220 ');
  // Keep going to the 229/227 reply: its numbers are shown whole.
  for (let i = 0; i < 12; i++) {
    if (/"22[79] /.test((await line.textContent()) ?? '')) break;
    await page.keyboard.press(']');
  }
  await expect(line).toContainText(/"229 Entering Extended Passive Mode \(\|\|\|\d+\|\)"/);

  // Next drop: the silent DROP at the server, told apart in words.
  await page.keyboard.press('>');
  await expect(line).toHaveAttribute('data-kind', 'drop');
  await expect(line).toContainText('DROP — the packet vanishes silently');
  await expect(line).toContainText('No answer is sent');

  // Next connection event after the control connection's SYN (step 1): the data connection's SYN.
  await page.keyboard.press('Home');
  await page.keyboard.press('}');
  await expect(line).toContainText('SYN');
  await expect(pos(page)).not.toContainText('step 1 of');
  await page.keyboard.press('{');
  await expect(pos(page)).toContainText('step 1 of');

  // Folding retransmissions shrinks the step count; the ladder shows the fold.
  await page.getByLabel(/hide \d+ resent packets/).check();
  const folded = Number((await pos(page).textContent())!.match(/of (\d+)/)![1]);
  expect(folded).toBeLessThan(466 / 2);
  await expect(pos(page)).toContainText(`(${466 - folded} resent packets hidden)`);
  // From the first (original) drop, the next shown drop is the last of the folded retries.
  await page.keyboard.press('Home');
  await page.keyboard.press('>');
  await page.keyboard.press('>');
  await expect(page.locator('.ladder [aria-current="step"] text', { hasText: /↻ ×\d+/ })).toBeAttached();

  // The timeline is a keyboard-operable range over every step.
  const range = page.getByRole('slider', { name: 'Timeline' });
  await range.focus();
  await page.keyboard.press('Home');
  await expect(range).toHaveValue('0');
  await page.keyboard.press('ArrowRight');
  await expect(range).toHaveValue('1');
  await expect(range).toHaveAttribute('aria-valuetext', /^step 2 of 466: /);
});

test('after clicking a side tab, → steps the trace (it does not move to the next tab)', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="seed-passive-session"]').click();
  await page.getByRole('tab', { name: 'Transcript' }).click();
  await page.keyboard.press('ArrowRight');
  await page.keyboard.press('ArrowRight');
  await expect(pos(page)).toContainText('step 3 of');
  await expect(page.getByRole('tab', { name: 'Transcript' })).toHaveAttribute('aria-selected', 'true');
  // A keyboard user on the tab list still moves between tabs with the arrows.
  await page.getByRole('tab', { name: 'Transcript' }).focus();
  await page.keyboard.press('ArrowRight');
  await expect(page.getByRole('tab', { name: 'Conntrack' })).toHaveAttribute('aria-selected', 'true');
});

test('the default play rate shows a whole session in under a minute', async ({ page }) => {
  await page.goto('./');
  await page.locator('[data-scenario="passive-server-firewall-drop"]').click();
  const speed = page.getByLabel('Speed');
  const value = await speed.inputValue();
  const [unit, perSecond] = value.split(':');
  expect(unit).toBe('packets');
  expect(466 / Number(perSecond)).toBeLessThan(60);
  // Playing FTP lines per second jumps from one FTP line to the next.
  await speed.selectOption('ftp:2');
  // Every step line shown while playing, recorded in the page (a line shows for half a second:
  // polling from the test could miss one).
  await page.evaluate(() => {
    const seen: string[] = [];
    (window as unknown as { __lines: string[] }).__lines = seen;
    new MutationObserver(() => {
      const t = document.querySelector('[data-testid="step-line"]')?.textContent ?? '';
      if (seen.at(-1) !== t) seen.push(t);
    }).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByRole('button', { name: 'Play (Space)' }).click();
  await expect(page.getByTestId('step-line')).toContainText('"230 ', { timeout: 5000 });
  await page.getByRole('button', { name: 'Pause (Space)' }).click();
  const lines = await page.evaluate(() => (window as unknown as { __lines: string[] }).__lines);
  // From the first SYN straight to the 220 greeting, then one FTP line after another.
  const ftp = lines.filter((l) => /"\d{3} |"[A-Z]{3,4}/.test(l));
  expect(ftp[0]).toContain('"220 ');
  expect(lines.filter((l) => !/"\d{3} |"[A-Z]{3,4}/.test(l) && !/SYN/.test(l))).toEqual([]);
});

test('inspector: clicking a field highlights its bytes, clicking a byte highlights its field', async ({ page }) => {
  await page.goto('./#/scenario/seed-passive-session/step/0');
  await page.getByRole('tab', { name: 'Packet' }).click();
  const view = page.getByTestId('inspector');
  await view.locator('[data-field="tcp:Destination port"]').first().click();
  const on = view.getByTestId('hex-dump').first().locator('span.on');
  // Port 21 is two bytes: 00 15 (in the hex half and the ASCII half).
  await expect(on).toHaveCount(4);
  expect(await on.nth(0).textContent()).toBe('00');
  expect(await on.nth(1).textContent()).toBe('15');
  // A byte of the source address selects that field.
  await view.getByTestId('hex-dump').first().locator('span[data-i="13"]').first().click();
  await expect(view.locator('[data-field="ip:Source address"]').first()).toHaveAttribute('aria-pressed', 'true');
  await expect(view.getByTestId('hex-dump').first().locator('span.on')).toHaveCount(8);
  // The dump still reads as a Wireshark-style dump.
  await expect(view.getByTestId('hex-dump').first()).toContainText('0000  45');
});
