// Drives the operator console in headless Chromium as marketing ops would: signs in, connects a
// Shopify shop and a Calendly account (forms from each connector's declaration; a polled one's
// problem at its field), creates a campaign in one call and a mapping (bad ones first: the error
// shows at the field, and a refused campaign saves nothing),
// simulates it against a sample, turns it on; then a signed Shopify order arrives and the claim,
// the person's balance and the charts move. Also the views over what ConsoleIT seeded (claims, a
// claim's workflow, webhooks, chains), with a screenshot per view. Run by ConsoleIT:
//   PERS_URL PERS_PROJECT_KEY PERS_EMAIL PERS_PASSWORD PERS_CLAIM_ID PERS_MAPPING_ID PERS_GUEST_EMAIL
//   PERS_SCREENSHOTS
//   [CHROMIUM: a system browser; else the one from npm, browser.mjs]
//   node console.test.mjs
// Exits 0 when every check passed; otherwise prints the failure, saves failure.png and exits 1.
import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
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
const control = (name) => page.locator(`main form [name="${name}"]`);
const problemAt = (name) => page.locator(`main [data-error-for="${name}"]`);
/** Reloads the view (its Refresh, or the hash again) until `locator` shows up: the pipeline is asynchronous. */
const eventually = async (locator, reload) => {
  for (let attempt = 0; attempt < 60; attempt++) {
    if (await locator.count()) return locator.first();
    await page.waitForTimeout(1000);
    await reload();
  }
  throw new Error(`never showed: ${locator}`);
};
const revisit = (hash) => () => page.evaluate((h) => { location.hash = `${h}${h.includes('?') ? '&' : '?'}at=${Date.now()}`; }, hash);

/** A paid order of 80.00, signed as Shopify signs: base64 HMAC-SHA256 of the raw body (bench ShopifyOrders). */
async function shopifyOrder(ingestUrl, secret, email) {
  const body = JSON.stringify({
    id: Date.now(), email, total_price: '80.00', currency: 'EUR',
    processed_at: new Date().toISOString(), customer: { email },
  });
  const response = await fetch(`${url}${new URL(ingestUrl).pathname}`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'X-Shopify-Topic': 'orders/paid',
      'X-Shopify-Shop-Domain': 'console-walkthrough.myshopify.com',
      'X-Shopify-Webhook-Id': `console-${Date.now()}`,
      'X-Shopify-Hmac-Sha256': createHmac('sha256', secret).update(body).digest('base64'),
    },
    body,
  });
  assert.equal(response.status, 202, await response.text());
}

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

  await page.locator('#nav:not([hidden])').waitFor();
  await walkthrough();

  // Claims: the seeded claim is listed with its status.
  await page.getByRole('link', { name: 'Claims' }).click();
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
  // The walkthrough's claims have messages of their own by now: the seeded one was delivered.
  const delivered = page.getByTestId('deliveries').locator('tbody tr', { hasText: 'claim.completed' })
    .filter({ hasText: 'DELIVERED' }).first();
  await delivered.waitFor();
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

/** The names of the form's controls the chosen connector's declaration asks for. */
function declaredFields() {
  return page.getByTestId('connector-fields').locator('[name]')
    .evaluateAll((controls) => controls.map((c) => `${c.name}:${c.type}`));
}

async function walkthrough() {
  // Connect a Shopify shop: the form is the one shopify's connector.yaml declares; the ingest URL
  // and the secret PERS made, shown this once.
  await page.getByRole('link', { name: 'Connections' }).click();
  await control('connector').locator('option[value="shopify"]').waitFor({ state: 'attached' });
  const offered = await control('connector').locator('option').evaluateAll((o) => o.map((x) => x.value).filter(Boolean));
  for (const name of ['calendly', 'cloudbeds', 'hubspot', 'mindbody', 'pers-webhook', 'shopify', 'square', 'woocommerce']) {
    assert.ok(offered.includes(name), `the connectors offered include ${name}: ${offered}`);
  }
  await control('connector').selectOption('shopify');
  assert.deepEqual(await declaredFields(), ['description:text', 'signingSecret:password']);
  await page.getByTestId('connector-about').filter({ hasText: 'x-shopify-hmac-sha256' }).waitFor();
  await control('description').fill('The hotel shop');
  await page.getByRole('button', { name: 'Connect' }).click();
  const ingestUrl = await page.getByTestId('ingest-url').innerText();
  const secret = await page.getByTestId('signing-secret').innerText();
  assert.match(ingestUrl, /\/v2\/ingest\/shopify\/[0-9a-f-]{36}$/);
  const connectionId = ingestUrl.split('/').pop();
  await shot('connections');

  // A Calendly connection: its declaration names its header, its events and its samples.
  await control('connector').selectOption('calendly');
  const about = await page.getByTestId('connector-about').innerText();
  assert.match(about, /calendly-webhook-signature: HmacSHA256, HEX, at most 180 s old/, about);
  assert.match(about, /invitee\.created → com\.calendly\.invitee\.created/, about);
  assert.match(about, /invitee-no-show/, about);
  await control('description').fill('The spa bookings');
  await page.getByRole('button', { name: 'Connect' }).click();
  await page.getByTestId('ingest-url').filter({ hasText: /\/v2\/ingest\/calendly\/[0-9a-f-]{36}$/ }).waitFor();
  await page.getByTestId('connections').locator('tbody tr', { hasText: 'The spa bookings' }).waitFor();
  await shot('connection-calendly');

  // A polled connector (Cloudbeds) asks for where PERS reads; the API's problem shows at that field.
  await control('connector').selectOption('cloudbeds');
  assert.deepEqual(await declaredFields(), ['description:text', 'baseUrl:url', 'accountId:text', 'credential:password']);
  await control('baseUrl').fill('not a url');
  await control('accountId').fill('12345');
  await control('credential').fill('cloudbeds-api-key-0001');
  await page.getByRole('button', { name: 'Connect' }).click();
  await problemAt('baseUrl').filter({ hasText: 'VALIDATION_FAILED' }).waitFor();
  await shot('connection-polled-error');
  await page.getByRole('link', { name: 'Connections' }).click();
  await page.evaluate(() => { location.hash = `#/connections?at=${Date.now()}`; });
  await page.getByTestId('connections').locator('tbody tr', { hasText: 'Calendly' }).waitFor();
  assert.equal(await page.getByTestId('connections').locator('tbody tr', { hasText: 'Cloudbeds' }).count(), 0);

  // A campaign: a trigger bound beyond what the API allows shows its problem at that field.
  await page.getByRole('link', { name: 'Campaigns' }).click();
  await page.getByRole('link', { name: 'New campaign' }).click();
  await control('name').fill('Walkthrough: a point per euro');
  await control('triggerType').selectOption('CLAIM_BY_SYSTEM');
  await control('maxMultiplier').fill('5000');
  await control('tokenId').selectOption({ index: 1 });
  await control('amount').fill('2');
  await control('isActive').check();
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await problemAt('maxMultiplier').filter({ hasText: 'VALIDATION_FAILED' }).waitFor();
  await shot('campaign-error');
  // The trigger right, the token unit wrong: one call, so nothing of it is saved.
  await control('maxMultiplier').fill('1000');
  await control('amount').fill('0');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await problemAt('amount').filter({ hasText: 'INVALID_AMOUNT' }).waitFor();
  assert.equal(await problemAt('maxMultiplier').innerText(), '');
  await shot('campaign-unit-error');
  await control('amount').fill('2');
  await page.getByRole('button', { name: 'Create campaign' }).click();
  await page.getByTestId('campaign-name').filter({ hasText: 'Walkthrough' }).waitFor();
  const campaignId = page.url().split('/').pop();
  await page.getByRole('link', { name: '← Campaigns' }).click();
  await page.getByTestId('campaigns').locator('tbody tr', { hasText: 'Walkthrough' }).first().waitFor();
  assert.equal(await page.getByTestId('campaigns').locator('tbody tr', { hasText: 'Walkthrough' }).count(), 1,
    'the refused tries saved no campaign');
  await page.evaluate((id) => { location.hash = `#/campaigns/${id}`; }, campaignId);
  await page.getByTestId('campaign-claims').waitFor();
  // Edited: a cap per user, kept on the campaign's trigger.
  await page.getByRole('link', { name: 'Edit' }).click();
  await control('maxPerUser').fill('5');
  await page.getByRole('button', { name: 'Save campaign' }).click();
  await page.locator('dl.facts', { hasText: 'per user 5' }).waitFor();
  await shot('campaign');

  // A mapping, checked as it is typed: a broken condition shows at the condition field.
  await page.getByRole('link', { name: 'Trigger mappings' }).click();
  await page.getByRole('link', { name: 'New mapping' }).click();
  await control('source').selectOption('shopify');
  await control('eventType').fill('com.shopify.order.paid');
  await control('campaignId').selectOption(campaignId);
  await control('condition').fill('double(event.data.total_price) >=');
  await problemAt('condition').filter({ hasText: 'INVALID_EXPRESSION' }).waitFor();
  await shot('mapping-error');
  await control('condition').fill('double(event.data.total_price) >= 50.0');
  await control('multiplier').fill('int(double(event.data.total_price))');
  // The draft against a shipped sample (an order of 250.00): it fires, 250 times the unit.
  const fires = page.getByTestId('draft-verdicts').locator('tbody tr', { hasText: 'FIRES' });
  await fires.waitFor();
  assert.match(await fires.innerText(), /\t250\t/, await fires.innerText());
  assert.equal(await problemAt('condition').innerText(), '');
  await page.getByRole('button', { name: 'Create mapping' }).click();
  await page.getByRole('button', { name: 'Turn on' }).click();
  await page.getByRole('button', { name: 'Turn off' }).waitFor();
  assert.equal((await cells('versions')).length, 2, 'created off, then turned on: two versions');
  await shot('mapping');

  // The figures before the order.
  await page.getByRole('link', { name: 'Charts' }).click();
  const claimsBefore = parseInt(await page.getByTestId('claims-figures').innerText(), 10);

  // A signed order arrives: the connection's event is CLAIMED, the campaign's claim COMPLETED.
  const email = `walkthrough-${Date.now()}@guest.test`;
  await shopifyOrder(ingestUrl, secret, email);
  await page.evaluate((id) => { location.hash = `#/connections/${id}`; }, connectionId);
  await eventually(page.getByTestId('ingest-events').locator('tbody tr', { hasText: 'CLAIMED' }),
    () => page.getByRole('button', { name: 'Refresh' }).click());
  // Its secret rotated: a new one, shown once.
  await page.getByRole('button', { name: 'Rotate secret' }).click();
  const rotated = await page.getByTestId('rotated').getByTestId('signing-secret').innerText();
  assert.ok(rotated.length >= 40 && rotated !== secret, rotated);
  await shot('connection');
  await page.evaluate((id) => { location.hash = `#/campaigns/${id}`; }, campaignId);
  await eventually(page.getByTestId('campaign-claims').locator('tbody tr', { hasText: 'COMPLETED' }), revisit(`#/campaigns/${campaignId}`));
  const figures = await page.getByTestId('campaign-figures').innerText();
  assert.match(figures, /Claims\s+1\b/, figures);
  assert.match(figures, /COMPLETED 1/, figures);
  assert.match(figures, /People who earned\s+1\b/, figures);
  assert.match(figures, /Tokens issued\s+160 /, `80 × 2: ${figures}`);
  assert.match(figures, /Budget used\s+160 \S+, no cap/, figures);
  await shot('campaign-claimed');

  // The person: found by email, their balance and the claim.
  await page.getByRole('link', { name: 'People' }).click();
  await page.getByLabel('Email or user id').fill(email);
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByTestId('person').filter({ hasText: email }).waitFor();
  const balances = (await cells('balances')).join('\n');
  assert.match(balances, /\t(160|240)\t/, `80 × 2 from this campaign (and 80 from the seeded mapping's): ${balances}`);
  assert.match((await cells('person-claims')).join('\n'), new RegExp(campaignId.slice(0, 8)));
  await shot('people');

  // The seeded guest's redemption (GET /v2/redemption-redeems?userId=).
  await page.getByLabel('Email or user id').fill(env('PERS_GUEST_EMAIL'));
  await page.getByRole('button', { name: 'Find' }).click();
  await page.getByTestId('person').filter({ hasText: env('PERS_GUEST_EMAIL') }).waitFor();
  const redeems = (await cells('person-redeems')).join('\n');
  assert.match(redeems, /Console coffee\tCOMPLETED\t4 /, redeems);
  await shot('person-redeems');

  // The charts moved.
  await page.getByRole('link', { name: 'Charts' }).click();
  await page.getByTestId('claims-figures').waitFor();
  const claimsAfter = parseInt(await page.getByTestId('claims-figures').innerText(), 10);
  assert.ok(claimsAfter > claimsBefore, `claims ${claimsBefore} -> ${claimsAfter}`);
  const tokenFigures = await page.getByTestId('tokens-figures').innerText();
  assert.match(tokenFigures, /minted [1-9]/, tokenFigures);
  assert.match(tokenFigures, /redeemed 4,/, tokenFigures);
  const flows = await page.getByTestId('flows-figures').innerText();
  assert.match(flows, /issued [1-9]\d*, redeemed 4, expired 0/, flows);
  assert.match(flows, /XP\w+: issued 7, redeemed 0, expired 7/, `the seeded expiry: ${flows}`);
  assert.equal(await page.locator('[data-testid=chart-flows] canvas').count(), 1);
  const redeemDays = await page.getByTestId('redemption-days-figures').innerText();
  assert.match(redeemDays, /^1 redeems: COMPLETED 1 \(4 /, redeemDays);
  assert.equal(await page.locator('[data-testid=chart-redemption-days] canvas').count(), 1);
  assert.match(await page.getByTestId('events-figures').innerText(), /^[1-9]\d* events/);
  assert.equal(await page.locator('[data-testid=chart-claims] canvas').count(), 1);
  assert.match(await page.getByTestId('campaigns-figures').innerText(), /Walkthrough: a point per euro: [1-9]/);
  await shot('charts');
}
