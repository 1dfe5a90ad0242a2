// Accessibility: axe-core's WCAG 2.1 A and AA rules on every kind of page,
// signed out and signed in, forms showing their errors, on a desktop and a
// phone.  Every violation of every page is listed at the end, not only the
// first.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { launch, newPage } = require('./helpers');
const { call, cli, credit } = require('../api/helpers');

const AXE = require.resolve('axe-core/axe.min.js');
const RUN = crypto.randomBytes(4).toString('hex');
const NAME = `a11y${RUN}`;
const PASSWORD = `a11y test ${RUN}`;

let browser;
let token;
let proposal;
let tallied;
let change;
let source;

test.before(async () => {
  browser = await launch();
  assert.equal(cli(['user', 'add', NAME], `${PASSWORD}\n`).code, 0);
  token = cli(['token', 'create', NAME]).stdout.trim();
  const made = await call('POST', '/api/v1/proposals', {
    token,
    json: {
      title: `Accessible ${RUN}`, project: 'factwiki', cost: '10.00', currency: 'EUR', max_bid: '2000.00',
      closes_at: new Date(Date.now() + 86400e3).toISOString(), description: 'Is *it* readable?',
    },
  });
  assert.equal(made.status, 201, made.text);
  proposal = made.json.slug;
  // One that closes in a moment, with two bids, for a result page (the
  // voters are made first: hashing a password takes its time).
  const other = `a11y${RUN}b`;
  assert.equal(cli(['user', 'add', other], `${PASSWORD}\n`).code, 0);
  for (const who of [NAME, other]) credit(who);
  const voters = [[token, '5.00'], [cli(['token', 'create', other]).stdout.trim(), '-2.50']];
  const closing = await call('POST', '/api/v1/proposals', {
    token,
    json: {
      title: `Tallied ${RUN}`, project: 'factwiki', cost: '1.00', currency: 'EUR', max_bid: '2000.00',
      closes_at: new Date(Date.now() + 3000).toISOString(),
    },
  });
  assert.equal(closing.status, 201, closing.text);
  tallied = closing.json.slug;
  for (const [who, bid] of voters) {
    const r = await call('PUT', `/api/v1/proposals/${tallied}/bid`, { token: who, json: { bid } });
    assert.equal(r.status, 200, r.text);
  }
  change = (await call('GET', '/api/v1/changes?limit=1')).json.data[0].id;
  source = (await call('GET', '/api/v1/sources?limit=1')).json.data[0].id;
});
test.after(async () => { await browser.close(); });

const READ = () => [
  '/', '/places', '/places/afghanistan', '/places/afghanistan/history', '/variables',
  '/variables/population', '/variables/population?compare=afghanistan,albania',
  '/series/afghanistan/population', '/facts/afghanistan/population/2000',
  '/facts/afghanistan/population/2000/history', '/sources', `/sources/${source}`,
  '/changes', `/changes/${change}`, '/search?q=afgh', '/proposals', `/proposals/${proposal}`,
  '/login', '/register', '/places/atlantis',
];
const SIGNED_IN = () => [
  '/account', '/import', '/facts/new', '/places/new', '/variables/new', '/sources/new',
  '/places/afghanistan/edit', '/variables/population/edit', `/sources/${source}/edit`,
  '/facts/afghanistan/population/2000/edit', '/proposals/new', `/proposals/${proposal}`,
];

// The rules, by window: every WCAG 2.1 A and AA rule on a desktop; on a
// phone, those whose answer depends on the layout (axe takes a second on a
// long page, and the rest answer the same at any width).
const WIDE = { width: 1280, height: 900 };
const NARROW = { width: 375, height: 740 };
const RULES = new Map([
  [WIDE, { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] }],
  [NARROW, { type: 'rule', values: ['scrollable-region-focusable', 'meta-viewport', 'target-size'] }],
]);

// axe's violations on the page as it is now, as "what: rule (impact):
// where" lines.
async function violations(page, what, runOnly) {
  await page.addScriptTag({ path: AXE });
  const found = await page.evaluate(async (only) => {
    const r = await window.axe.run(document, { runOnly: only, resultTypes: ['violations'] });
    return r.violations.map((v) => `${v.id} (${v.impact}): ${v.nodes.slice(0, 3)
      .map((n) => n.target.join(' ')).join(', ')}`);
  }, runOnly);
  return found.map((f) => `${page.viewportSize().width}px ${what}: ${f}`);
}

// Each page at each size; a page may be a function that brings the page
// to the state to check (a form sent with mistakes).
async function sweep(page, paths) {
  const all = [];
  for (const [size, rules] of RULES) {
    await page.setViewportSize(size);
    for (const p of paths) {
      const what = typeof p === 'function' ? await p(page) : (await page.goto(p), p);
      all.push(...await violations(page, what, rules));
    }
  }
  return all;
}

// A form sent with mistakes (fields: what to type first; the rest stays
// empty): it comes back showing them.
const sentWrong = (p, button, fields = {}) => async (page) => {
  await page.goto(p);
  for (const [name, value] of Object.entries(fields)) await page.fill(`[name=${name}]`, value);
  await page.getByRole('button', { name: button, exact: true }).click();
  await page.waitForLoadState();
  assert.ok(await page.locator('.field-error').count() > 0, `${p} shows no error`);
  return `${p} with its errors`;
};

async function tallyOf(slug) {
  for (let i = 0; i < 60; i++) {
    if ((await call('GET', `/api/v1/proposals/${slug}/result`)).status === 200) return `/proposals/${slug}/result`;
    await new Promise((ok) => setTimeout(ok, 250));
  }
  assert.fail(`${slug} was not tallied`);
}

test('the pages anyone reads', async () => {
  const page = await newPage(browser, { bypassCSP: true });
  assert.deepEqual(await sweep(page, [...READ(), await tallyOf(tallied), sentWrong('/register', 'Register',
    { name: '-bad name', password: 'long enough 1', password_again: 'long enough 2' })]), []);
  await page.context().close();
});

test('the forms of a signed-in editor', async () => {
  const page = await newPage(browser, { bypassCSP: true });
  await page.goto('/login');
  await page.fill('input[name=name]', NAME);
  await page.fill('input[name=password]', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  assert.deepEqual(await sweep(page, [...SIGNED_IN(), sentWrong('/facts/new', 'Save'),
    sentWrong('/places/new', 'Save'), sentWrong('/proposals/new', 'Make the proposal',
      { title: 'x', project: 'x', cost: '12.005', currency: 'EUR', max_bid: '2000.00' })]), []);
  await page.context().close();
});
