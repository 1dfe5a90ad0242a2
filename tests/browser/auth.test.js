// Accounts in a browser: registering, signing out and in, making and
// revoking an API token on the account page; screenshots of the forms on
// a desktop and a phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { launch, newPage, screenshot } = require('./helpers');

const NAME = `authb${crypto.randomBytes(4).toString('hex')}`;
const PASSWORD = 'a long enough password';
const PHONE = { width: 375, height: 740 };

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

async function signIn(page, name, password) {
  await page.goto('/login');
  await page.fill('input[name=name]', name);
  await page.fill('input[name=password]', password);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

test('register, sign out, sign in again', async () => {
  const page = await newPage(browser);
  await page.goto('/register');
  await screenshot(page, 'register');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'register-phone');

  // A mistake is shown beside its field, and what was typed stays.
  await page.fill('input[name=name]', NAME);
  await page.fill('input[name=password]', PASSWORD);
  await page.fill('input[name=password_again]', `${PASSWORD}!`);
  await page.getByRole('button', { name: 'Register' }).click();
  assert.equal(await page.locator('#password_again-error').innerText(), 'type the same password again');
  assert.equal(await page.inputValue('input[name=name]'), NAME);
  await screenshot(page, 'register-error-phone');

  await page.fill('input[name=password]', PASSWORD);
  await page.fill('input[name=password_again]', PASSWORD);
  await page.getByRole('button', { name: 'Register' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal(await page.locator('header .account a[href="/account"]').innerText(), NAME);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal(await page.locator('header .account a[href="/account"]').count(), 0);

  // The sign-in link brings one back to where one was.
  await page.goto('/places');
  await page.locator('header a', { hasText: 'Sign in' }).click();
  await page.fill('input[name=name]', NAME);
  await page.fill('input[name=password]', 'not the password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  assert.equal(await page.locator('p.problem').innerText(),
    'that name and password do not match an account');
  await page.setViewportSize({ width: 1280, height: 800 });
  await screenshot(page, 'login-error');
  await page.fill('input[name=password]', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/places');
  assert.equal(await page.locator('header .account a[href="/account"]').innerText(), NAME);
  await page.context().close();
});

test('signing in works without JavaScript', async () => {
  const page = await newPage(browser, { javaScript: false });
  await page.goto('/login');
  await screenshot(page, 'login');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'login-phone');
  await page.fill('input[name=name]', NAME);
  await page.fill('input[name=password]', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname === '/');
  assert.equal(await page.locator('header .account a[href="/account"]').innerText(), NAME);
  await page.context().close();
});

test('an API token made on the account page is shown once, then revoked', async () => {
  const page = await newPage(browser);
  await signIn(page, NAME, PASSWORD);
  await page.waitForURL((url) => url.pathname === '/');
  await page.goto('/account');
  assert.equal(await page.locator('h1').innerText(), NAME);
  await page.fill('input[name=label]', 'laptop script');
  await page.getByRole('button', { name: 'Create a token' }).click();
  const token = await page.locator('#new-token').innerText();
  assert.match(token, /^fw_[A-Za-z0-9_-]{43}$/);
  await screenshot(page, 'account');

  // The token opens the API.
  const me = await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal((await me.json()).name, NAME);

  await page.goto('/account');
  assert.equal(await page.locator('#new-token').count(), 0);
  const row = page.locator('table.tokens tr', { hasText: 'laptop script' });
  await row.getByRole('button', { name: 'Revoke' }).click();
  assert.match(await page.locator('p.notice').innerText(), /The token “laptop script” is revoked/);
  assert.match(await page.locator('table.tokens tr', { hasText: 'laptop script' }).innerText(), /revoked \d{4}-/);
  await page.setViewportSize(PHONE);
  await screenshot(page, 'account-phone');
  const after = await page.request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
  assert.equal(after.status(), 401);
  await page.context().close();
});
