// A 2-of-3 referendum in a browser: three trustees put the keys they made
// with the CLI on their account pages; a voter makes a proposal naming
// them with the form; the page says bidding waits for their key set-up,
// then takes a sealed bid; after the close it says whose part is missing
// until two trustees have given theirs; the result page shows the
// decision, and `proposal verify --from` agrees with it.  Screenshots of
// each page.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { BASE, launch, newPage, screenshot } = require('./helpers');

const CLI = process.env.FW_CLI || path.resolve(__dirname, '../../build/factwiki');
const RUN = crypto.randomBytes(4).toString('hex');
const PASSWORD = 'trustees in a browser';
const TRUSTEES = ['tia', 'tom', 'tess'].map((t) => `trb${RUN}-${t}`);
const VOTER = `trb${RUN}-vic`;
const OTHER = `trb${RUN}-wes`;
// Long enough for the form, the key set-up and two bids.
const WINDOW_MS = 20000;
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'fwtrust-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));

let browser;
const tokens = {};
const keyFile = (t) => path.join(TMP, `${t}.key`);

function cli(args, { input, env = {} } = {}) {
  const r = spawnSync(CLI, args, { input, encoding: 'utf8', env: { ...process.env, ...env } });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  return r.stdout.trim();
}
const trustee = (what, t, slug) => cli(['trustee', what, slug, '--key', keyFile(t), '--url', BASE],
  { env: { FACTWIKI_TOKEN: tokens[t] } });

async function signIn(name, next) {
  const page = await newPage(browser);
  await page.goto(`/login?next=${next}`);
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === next);
  return page;
}

test.before(async () => {
  for (const u of [...TRUSTEES, VOTER, OTHER]) {
    cli(['user', 'add', u], { input: `${PASSWORD}\n` });
    tokens[u] = cli(['token', 'create', u]);
    cli(['ledger', 'credit', u, '2000000000.00', '--ref', 'for the tests']);
  }
  browser = await launch();
});
test.after(async () => { await browser.close(); });

const utcField = (ms) => new Date(ms).toISOString().slice(0, 19).replace(/:00$/, '');

test('trustees, a sealed bid, whose part is missing, the result', async () => {
  // Each trustee makes a key pair and puts the public key on the account page.
  for (const t of TRUSTEES) {
    const pub = cli(['trustee', 'keygen', '--out', keyFile(t)]);
    const page = await signIn(t, '/account');
    await page.fill('input[name=public_key]', 'not a key');
    await page.getByRole('button', { name: 'Save the trustee key' }).click();
    assert.match(await page.locator('#public_key-error').innerText(), /88 characters of base64/);
    await page.fill('input[name=public_key]', pub);
    await page.getByRole('button', { name: 'Save the trustee key' }).click();
    assert.match(await page.locator('main').innerText(), /Your trustee key is saved/);
    assert.ok((await page.locator('main').innerText()).includes(pub));
    if (t === TRUSTEES[0]) await screenshot(page, 'account-trustee-key');
    await page.context().close();
  }

  const page = await signIn(VOTER, '/proposals/new');
  const title = `Trusted TV ${RUN}`;
  await page.fill('input[name=title]', title);
  await page.fill('input[name=project]', 'household');
  await page.fill('input[name=cost]', '300.00');
  await page.fill('input[name=max_bid]', '2000.00');
  await page.fill('input[name=trustees]', `${TRUSTEES[0]}, ${VOTER}`);
  await page.fill('input[name=closes_at]', utcField(Date.now() + 3600e3));
  await page.getByRole('button', { name: 'Make the proposal' }).click();
  assert.match(await page.locator('#trustees-error').innerText(), /no trustee key on the account/);
  const closesAt = Date.now() + WINDOW_MS;
  await page.fill('input[name=trustees]', TRUSTEES.join(', '));
  await page.fill('input[name=threshold]', '2');
  await page.fill('input[name=closes_at]', utcField(closesAt));
  await page.getByRole('button', { name: 'Make the proposal' }).click();
  const slug = `trusted-tv-${RUN}`;
  await page.waitForURL((url) => url.pathname === `/proposals/${slug}`);
  assert.match(await page.locator('#readers').innerText(),
    new RegExp(`no one: only 2 of its 3 trustees together \\(${TRUSTEES.join(', ')}\\), and they decrypt only after close`));
  assert.match(await page.locator('.bid-box').innerText(), /Bidding opens once every trustee has set up the bid key/);
  assert.equal(await page.locator('#bid-amount').count(), 0);
  await screenshot(page, 'proposal-trustees-setup');

  for (let round = 0; round < 2; round++) {
    for (const t of TRUSTEES) trustee('setup', t, slug);
  }
  await page.reload();
  assert.deepEqual(await page.locator('.trustees tbody tr').evaluateAll((rows) => rows.map((r) => r.innerText)),
    TRUSTEES.map((t) => `${t}\tyes\tyes\tnot yet`));
  await page.fill('#bid-amount', '250');
  await page.getByRole('button', { name: 'Place my sealed bid' }).click();
  await page.waitForURL((url) => url.pathname === `/proposals/${slug}`);
  assert.match(await page.locator('.bid-box').innerText(), /sealed to the trustees' key .*not even this site can open it before the close/s);
  const receipt = await page.locator('.bid-box code.receipt').innerText();
  assert.match(receipt, /^[0-9a-f]{64}$/);
  assert.match(await page.locator('.board').innerText(), new RegExp(`verify ${slug} --from`));
  await screenshot(page, 'proposal-trustees-bid');
  // Another voter seals at home.
  cli(['proposal', 'bid', slug, '-50.00', '--url', BASE], { env: { FACTWIKI_TOKEN: tokens[OTHER] } });

  await new Promise((ok) => setTimeout(ok, Math.max(0, closesAt - Date.now() + 500)));
  await page.reload();
  assert.match(await page.locator('.proposal-meta').innerText(),
    /closed .*: the tally waits for the trustees' parts: 0 of the 2 needed are in; not yet given by/);
  trustee('decrypt', TRUSTEES[1], slug);
  await page.reload();
  assert.match(await page.locator('.proposal-meta').innerText(), new RegExp(`1 of the 2 needed are in; not yet given by ${TRUSTEES[0]}, ${TRUSTEES[2]}`));
  assert.match(await page.locator('.trustees tbody tr').nth(1).innerText(), /given/);
  await screenshot(page, 'proposal-trustees-parts');
  trustee('decrypt', TRUSTEES[2], slug);
  for (let i = 0; i < 60; i++) {
    const res = await page.goto(`/proposals/${slug}/result`);
    if (res.status() === 200) break;
    await new Promise((ok) => setTimeout(ok, 300));
  }
  assert.equal(await page.locator('h1').innerText(), `Result: ${title}`);
  assert.match(await page.locator('.decision').innerText(), /Rejected\./);
  const rows = page.locator('table.result tbody tr');
  assert.equal(await rows.count(), 2);
  const mine = rows.filter({ hasText: VOTER });
  assert.equal((await mine.locator('td').allInnerTexts())[0], '250.00');
  assert.equal(await mine.locator('code.receipt').innerText(), receipt);
  await screenshot(page, 'result-trustees');
  await page.context().close();

  const verify = cli(['proposal', 'verify', slug, '--from', BASE]);
  assert.match(verify, /the board \(2 entries, signed by .*\), its key set-up, its parts and the published result agree/);
});
