import type { Page } from 'playwright-core';
import { londonDateOf } from '#shared/london-time';

/**
 * Fills the ASB Case Review application (web/templates/case-reviews/apply.njk) as the victim
 * with one report to the police today, the same form whether the public sends it or an officer
 * records it for someone.
 */
export async function fillCaseReviewApplication(page: Page): Promise<void> {
  const [year, month, day] = londonDateOf(new Date()).split('-');
  await page.getByLabel('Myself: I am the victim').check();
  await page.getByLabel('Email address', { exact: true }).fill('victim@example.com');
  await page.locator('#consentToContact').check();
  await page.locator('#hateIncident-2').check();
  await page.getByLabel('What is the problem, and why do you feel nothing effective was done?').fill('Music and shouting every night; reports made, nothing changed.');
  const first = page.getByRole('group', { name: 'Report 1' });
  await first.getByLabel('The police').check();
  for (const legend of ['When it happened', 'When you reported it']) {
    const group = first.getByRole('group', { name: legend });
    await group.getByLabel('Day').fill(String(Number(day)));
    await group.getByLabel('Month').fill(String(Number(month)));
    await group.getByLabel('Year').fill(year ?? '');
  }
}
