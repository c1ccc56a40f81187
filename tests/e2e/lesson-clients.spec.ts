import { test, expect } from '@playwright/test';
import { runAxe } from '../support/axe';

// A lesson step describes its scenario's client program. When the learner picks another
// program, the step says which program it was written for and what the running one did instead.

test('passive-range step 2 with the classic client: the note names both programs and the PASV it sent', async ({ page }) => {
  await page.goto('./#/lesson/passive-range/step/2');
  await expect(page.getByTestId('step-text')).toContainText('curl sent EPSV');
  await expect(page.getByTestId('client-note')).toHaveCount(0);
  await page.getByRole('tab', { name: 'Edit scenario' }).click();
  await page.getByRole('tab', { name: /^Client/ }).click();
  const program = page.getByRole('combobox', { name: 'Client program' });
  await program.focus();
  await program.selectOption('classic');
  const note = page.getByTestId('client-note');
  await expect(note).toContainText('This step was written for curl 7.88. Your scenario now runs ftp (netkit, classic)');
  await expect(note).toContainText('it sent PASV');
  await expect(note).toContainText('where the text says EPSV');
  const result = await runAxe(page, '[data-testid="client-note"]');
  expect(result.violations).toEqual([]);
  // Back to curl: the text holds again, the note goes.
  await program.selectOption('curl');
  await expect(note).toHaveCount(0);
});
