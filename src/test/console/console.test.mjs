// Drives the operator console in headless Chromium as an admin would, asserting what each view
// shows for the data ConsoleIT seeded, with a screenshot per view. Run by ConsoleIT:
//   PERS_URL PERS_PROJECT_KEY PERS_EMAIL PERS_PASSWORD PERS_CLAIM_ID PERS_MAPPING_ID PERS_SCREENSHOTS
//   [CHROMIUM: a system browser; else the one from npm, browser.mjs]
//   node console.test.mjs
// Exits 0 when every check passed; otherwise prints the failure, saves failure.png and exits 1.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { launchOptions } from './browser.mjs';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const url = env('PERS_URL');
const claimId = env('PERS_CLAIM_ID');
const mappingId = env('PERS_MAPPING_ID');
const screenshots = env('PERS_SCREENSHOTS');
mkdirSync(screenshots, { recursive: true });

const browser = await chromium.launch(await launchOptions());
const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
page.setDefaultTimeout(20_000);
const problems = [];
page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
page.on('console', (message) => {
  // The browser logs every 4xx answer (the wrong password below) as "Failed to load resource".
  if (message.type() === 'error' && !message.text().startsWith('Failed to load resource')) {
    problems.push(`console error: ${message.text()}`);
  }
});
const checked = [];
const shot = async (name) => {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
  checked.push(name);
};
const cells = (testId) => page.getByTestId(testId).locator('tbody tr').allInnerTexts();

try {
  // Sign in: the project key once, then the tenant admin's email and password.
  await page.goto(`${url}/console/`);
  await page.getByLabel('Project key').fill(env('PERS_PROJECT_KEY'));
  await page.getByLabel('Email').fill(env('PERS_EMAIL'));
  await page.getByLabel('Password').fill('not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.locator('#sign-in-error', { hasText: 'INVALID_CREDENTIALS' }).waitFor();
  await shot('sign-in');
  await page.getByLabel('Password').fill(env('PERS_PASSWORD'));
  await page.getByRole('button', { name: 'Sign in' }).click();

  // Claims: the seeded claim is listed with its status.
  const claimRow = page.getByTestId('claims').locator('tr', { hasText: claimId });
  await claimRow.waitFor();
  assert.match(await claimRow.innerText(), /COMPLETED/);
  await shot('claims');

  // One claim: its workflow, described by Temporal, and the history events.
  await claimRow.click();
  await page.getByTestId('claim-id').filter({ hasText: claimId }).waitFor();
  await page.getByTestId('workflow-status').filter({ hasText: 'COMPLETED' }).waitFor();
  const history = await cells('workflow-history');
  const kinds = history.join('\n');
  for (const expected of ['WORKFLOW_EXECUTION_STARTED', 'MARKER_RECORDED', 'WORKFLOW_EXECUTION_COMPLETED']) {
    assert.ok(kinds.includes(expected), `history shows ${expected}:\n${kinds}`);
  }
  for (const activity of ['CheckEligibility', 'Mint', 'NotifyCompleted']) {
    assert.ok(kinds.includes(activity), `history names the activity ${activity}:\n${kinds}`);
  }
  assert.match(history[0], /^1\t/, 'events from the first');
  await shot('claim');

  // Trigger mappings and the simulate tool.
  await page.getByRole('link', { name: 'Trigger mappings' }).click();
  const mappingRow = page.getByTestId('mappings').locator('tr', { hasText: mappingId.slice(0, 8) });
  await mappingRow.waitFor();
  assert.match(await mappingRow.innerText(), /com\.shopify\.order\.paid/);
  await page.getByRole('button', { name: 'Simulate' }).click();
  const verdict = page.getByTestId('verdicts').locator('tr', { hasText: mappingId.slice(0, 8) });
  await verdict.waitFor();
  const verdictText = await verdict.innerText();
  assert.match(verdictText, /FIRES/, verdictText);
  assert.match(verdictText, /\t60\t/, `the multiplier of a 60.00 order: ${verdictText}`);
  await shot('mappings');

  // Webhooks: the subscription, its delivery log, a message's attempts.
  await page.getByRole('link', { name: 'Webhooks' }).click();
  const delivered = page.getByTestId('deliveries').locator('tbody tr', { hasText: 'claim.completed' });
  await delivered.waitFor();
  assert.match(await delivered.innerText(), /DELIVERED/);
  await delivered.click();
  await page.getByTestId('message').locator('tbody tr', { hasText: '204' }).first().waitFor();
  await shot('webhooks');

  // Chains: the embedded chain with its node's status.
  await page.getByRole('link', { name: 'Chains' }).click();
  const chain = page.getByTestId('chain').first();
  await chain.waitFor();
  const chainText = await chain.innerText();
  assert.match(chainText, /chain 31337/, chainText);
  assert.match(chainText, /Node\s+UP/, chainText);
  assert.match(chainText, /Head block\s+\d+/, chainText);
  assert.match(chainText, /Settlement queue\s+\d+/, chainText);
  assert.match(chainText, /Parked follower events\s+(PARKED )?\d+/, chainText);
  await shot('chains');

  assert.deepEqual(problems, [], 'no script errors or CSP refusals in the browser');
  console.log(`console: ${checked.length} views checked (${checked.join(', ')}); screenshots in ${screenshots}`);
} catch (error) {
  await page.screenshot({ path: join(screenshots, 'failure.png'), fullPage: true }).catch(() => {});
  console.error(`console check failed on ${page.url()}: ${error.stack ?? error}`);
  if (problems.length) console.error(problems.join('\n'));
  process.exitCode = 1;
} finally {
  await browser.close();
}
