// A referendum in a browser: a signed-in user makes a proposal with the
// form, bids on it (a bad amount first), sees their own sealed bid and its
// receipt; another voter bids with the API; once bidding closes, the
// result page shows the decision, the table and the chart of net values.
// Screenshots of each page, on a desktop and a phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { BASE, launch, newPage, screenshot } = require('./helpers');

const CLI = process.env.FW_CLI || path.resolve(__dirname, '../../build/factwiki');
const RUN = crypto.randomBytes(4).toString('hex');
const NAME = `refb${RUN}-ada`;
const OTHER = `refb${RUN}-bea`;
const PASSWORD = 'referenda in a browser';
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };
// Long enough to make the proposal and bid in, short enough to wait for.
const WINDOW_MS = 15000;

let browser;
let otherToken;

function cli(args, input) {
  const r = spawnSync(CLI, args, { input, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test.before(async () => {
  cli(['user', 'add', NAME], `${PASSWORD}\n`);
  cli(['user', 'add', OTHER], `${PASSWORD}\n`);
  for (const u of [NAME, OTHER]) cli(['ledger', 'credit', u, '2000000000.00', '--ref', 'for the tests']);
  otherToken = cli(['token', 'create', OTHER]);
  browser = await launch();
});
test.after(async () => { await browser.close(); });

// "2024-05-01T12:00:05" in UTC, as the form's datetime-local fields take it.
// Chromium writes a whole minute without its seconds ("2024-05-01T12:00"),
// and Playwright's fill insists the field reads back what it was given.
const utcField = (ms) => new Date(ms).toISOString().slice(0, 19).replace(/:00$/, '');

test('make a proposal, bid, and read the result', async () => {
  const page = await newPage(browser);
  await page.setViewportSize(DESKTOP);
  await page.goto('/login?next=/proposals/new');
  await page.fill('input[name=name]', NAME);
  await page.fill('input[name=password]', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/proposals/new');

  // A mistake is shown beside its field, and what was typed stays.
  const title = `Drop TCP wrappers ${RUN}`;
  await page.fill('input[name=title]', title);
  await page.fill('input[name=project]', 'systemd');
  await page.fill('textarea[name=description]', 'Remove **libwrap** support.\n\nIt is little used.');
  await page.fill('input[name=cost]', '12.005');
  await page.fill('input[name=max_bid]', '1000000000.00');
  await page.fill('input[name=closes_at]', utcField(Date.now() + 3600e3));
  await page.check('input[value=coalition-equal]');
  await page.check('input[value=losers-prorata]');
  await page.getByRole('button', { name: 'Make the proposal' }).click();
  assert.equal(await page.locator('#cost-error').innerText(), 'an amount has at most two digits after the point');
  assert.equal(await page.inputValue('input[name=title]'), title);
  assert.ok(await page.isChecked('input[value=losers-prorata]'));
  await screenshot(page, 'proposal-new-error');
  // A preview shows the description's Markdown, and makes nothing.
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.equal(await page.locator('section.preview strong').innerText(), 'libwrap');
  assert.equal(await page.inputValue('input[name=title]'), title);

  const closesAt = Date.now() + WINDOW_MS;
  await page.fill('input[name=cost]', '12.00');
  await page.fill('input[name=closes_at]', utcField(closesAt));
  await page.getByRole('button', { name: 'Make the proposal' }).click();
  const slug = `drop-tcp-wrappers-${RUN}`;
  await page.waitForURL((url) => url.pathname === `/proposals/${slug}`);
  assert.equal(await page.locator('h1').innerText(), title);
  assert.match(await page.locator('.description').innerText(), /Remove libwrap support/);
  // The page explains the rules chosen, the caveat of losers-prorata too.
  assert.match(await page.locator('.explain').innerText(), /coalition, equal shares/);
  assert.match(await page.locator('.explain').innerText(), /This rule is not strategy-proof/);

  // A bid out of range is refused with its reason; then a good one.
  await page.fill('#bid-amount', '2000000000');
  await page.getByRole('button', { name: 'Place my sealed bid' }).click();
  assert.equal(await page.locator('#bid-error').innerText(), 'a bid is at most 1000000000.00 either way');
  await page.fill('#bid-amount', '-50');
  await page.getByRole('button', { name: 'Place my sealed bid' }).click();
  await page.waitForURL((url) => url.pathname === `/proposals/${slug}`);
  assert.equal(await page.locator('.bid-box .amount').innerText(), '-50.00 EUR');
  const receipt = await page.locator('.bid-box code.receipt').innerText();
  assert.match(receipt, /^[0-9a-f]{64}$/);
  assert.match(await page.locator('.proposal-meta').innerText(), /1 sealed/);
  await screenshot(page, 'proposal');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'proposal-phone');
  await page.setViewportSize(DESKTOP);

  // Another voter, with the API; no one sees the other's amount.
  const other = await fetch(`${BASE}/api/v1/proposals/${slug}/bid`, {
    method: 'PUT', headers: { authorization: `Bearer ${otherToken}`, 'content-type': 'application/json' },
    body: '{"bid":"75.25"}',
  });
  assert.equal(other.status, 200);
  await page.reload();
  assert.ok(!(await page.content()).includes('75.25'));
  assert.match(await page.locator('.proposal-meta').innerText(), /2 sealed/);

  await page.goto('/proposals?status=open');
  assert.ok(await page.locator(`a[href="/proposals/${slug}"]`).count() === 1);
  await screenshot(page, 'proposals');

  // After the close, the server tallies on its own.
  await new Promise((ok) => setTimeout(ok, Math.max(0, closesAt - Date.now() + 500)));
  for (let i = 0; i < 50; i++) {
    const res = await page.goto(`/proposals/${slug}/result`);
    if (res.status() === 200) break;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  assert.equal(await page.locator('h1').innerText(), `Result: ${title}`);
  assert.match(await page.locator('.decision').innerText(), /Adopted\. .* add up to 13\.25 EUR/);
  const rows = page.locator('table.result tbody tr');
  assert.equal(await rows.count(), 2);
  assert.deepEqual(await rows.nth(0).locator('td').allInnerTexts(),
    ['-50.00', '6.00', '-56.00', 'no', '0.00', '56.00', receipt]);
  assert.deepEqual((await rows.nth(1).locator('td').allInnerTexts()).slice(0, 6),
    ['75.25', '6.00', '69.25', 'yes', '56.00', '0.00']);
  assert.match(await rows.nth(0).getAttribute('class'), /you/);
  assert.equal(await page.locator('.chart svg[role=img] .bar').count(), 2);
  await screenshot(page, 'result');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'result-phone');
  await page.context().close();
});

test('the proposal pages work without JavaScript, signed out', async () => {
  const page = await newPage(browser, { javaScript: false });
  await page.goto('/proposals/new');
  assert.match(await page.locator('main').innerText(), /Sign in to make a proposal/);
  await page.goto('/proposals');
  assert.equal(await page.locator('h1').innerText(), 'Proposals');
  await page.context().close();
});
