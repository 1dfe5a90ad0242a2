// The browser can reach a place page and its sparklines are drawn.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, newPage, screenshot } = require('./helpers');

let browser;
test.before(async () => { browser = await launch(); });
test.after(async () => { await browser.close(); });

test('a place page lists its variables with sparklines', async () => {
  const page = await newPage(browser);
  const res = await page.goto('/places/afghanistan');
  assert.equal(res.status(), 200);
  assert.equal(await page.locator('h1').innerText(), 'Afghanistan other');
  assert.equal(await page.locator('svg.sparkline').count(), 3);
  await screenshot(page, 'place');
});
