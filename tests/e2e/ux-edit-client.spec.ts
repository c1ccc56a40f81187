import { test, expect, type Page } from '@playwright/test';
import { runAxe } from '../support/axe';

// Issue 16, editing: an option the chosen client program does not have is disabled with the
// reason beside it, and the verdict's fix never suggests it.

async function openClientEditor(page: Page, id: string) {
  await page.goto(`./#/scenario/${id}`);
  await expect(page.getByTestId('verdict-badge')).toBeVisible();
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /^Client/ }).click();
}

test('Windows ftp.exe: passive is disabled with the reason, and the fix offers another client instead', async ({ page }) => {
  await openClientEditor(page, 'active-client-firewall-blocked');
  const mode = page.getByLabel('Data connection mode', { exact: true });
  await expect(mode.locator('option[value="passive"]')).toBeEnabled();
  await expect(page.getByTestId('mode-note')).toHaveCount(0);

  await page.getByLabel('Client program', { exact: true }).selectOption({ label: 'Windows ftp.exe' });
  for (const v of ['passive', 'pasv', 'epsv']) await expect(mode.locator(`option[value="${v}"]`)).toBeDisabled();
  await expect(mode.locator('option[value="active"]')).toBeEnabled();
  const note = page.getByTestId('mode-note');
  await expect(note).toContainText('Windows ftp.exe has no passive mode: it always sends PORT');
  // The select names the reason for a screen reader too.
  await expect(mode).toHaveAttribute('aria-describedby', (await note.getAttribute('id'))!);

  await page.getByRole('tab', { name: 'Verdict' }).click();
  const fix = page.getByTestId('verdict-fix').first();
  await expect(fix).toContainText('use a client with passive mode, such as curl (Windows ftp.exe has no passive mode)');
  await expect(fix).not.toContainText('switch the client to passive mode');
});

test('a scenario asking ftp.exe for passive mode says it cannot, and one click sets active', async ({ page }) => {
  await openClientEditor(page, 'seed-passive-session');
  const mode = page.getByLabel('Data connection mode', { exact: true });
  await expect(mode).toHaveValue('passive');
  await page.getByLabel('Client program', { exact: true }).selectOption({ label: 'Windows ftp.exe' });
  const note = page.getByTestId('mode-note');
  await expect(note).toContainText('The mode chosen is not available');
  await expect(note).toContainText('it always sends PORT');
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    const axe = await runAxe(page, '[data-testid="editor-panel"]');
    expect(axe.violations.map((v) => `${colorScheme} ${v.id}: ${v.help} (${v.nodes.length})`)).toEqual([]);
  }
  await note.getByRole('button', { name: 'Set mode to active' }).click();
  await expect(mode).toHaveValue('active');
  await expect(note).not.toContainText('The mode chosen is not available');
  await expect(note).toContainText('no passive mode');
});

// The form put each label beside its select: the selects got what the labels left and cut their
// own choice ("passive (the client's…", "a fresh ephemeral p…") on a phone and in the 480 px
// side panel at 1920×1080. Each label is now above its control.
for (const viewport of [
  { width: 390, height: 844 },
  { width: 1920, height: 1080 },
])
  test(`the client form's selects show their whole choice at ${viewport.width}×${viewport.height}`, async ({ page }) => {
    await page.setViewportSize(viewport);
    await openClientEditor(page, 'seed-passive-session');
    const selects = page.getByTestId('editor-panel').locator('select');
    await expect(selects).toHaveCount(3);
    const cut = await selects.evaluateAll((els) =>
      els.flatMap((el) => {
        const s = el as HTMLSelectElement;
        const cs = getComputedStyle(s);
        const ctx = document.createElement('canvas').getContext('2d')!;
        ctx.font = `${cs.fontWeight} ${cs.fontSize} ${cs.fontFamily}`;
        const text = s.selectedOptions[0]?.text ?? '';
        // The room for the text: the box less its padding and the drop-down arrow (about 20 px).
        const room = s.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight) - 20;
        const w = ctx.measureText(text).width;
        return w > room ? [`${s.id}: "${text}" needs ${Math.round(w)} px, has ${Math.round(room)}`] : [];
      }),
    );
    expect(cut).toEqual([]);
    // The FTPS box is beside its own words, on one row.
    const box = (await page.getByLabel(/Explicit FTPS/).boundingBox())!;
    const words = (await page
      .getByTestId('editor-panel')
      .getByText(/^Explicit FTPS/)
      .boundingBox())!;
    expect(words.x).toBeGreaterThan(box.x + box.width - 1);
    expect(words.y).toBeLessThan(box.y + box.height);
  });
