// Shared by the browser tests: Debian's Chromium, driven by playwright-core.
'use strict';
const path = require('node:path');
const fs = require('node:fs');
const { chromium } = require('playwright-core');

const BASE = process.env.FW_URL || 'http://127.0.0.1:8888';
const OUT = process.env.FW_OUT || path.resolve(__dirname, '../out');

// One browser per test file; close it in an after() hook.
async function launch() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update',
      '--disable-sync'],
  });
}

// A fresh context (no cookies) and page; JavaScript on unless told.
// bypassCSP lets a test put a script of its own in the page.
async function newPage(browser, { javaScript = true, bypassCSP = false } = {}) {
  const context = await browser.newContext({ baseURL: BASE, javaScriptEnabled: javaScript, bypassCSP });
  const page = await context.newPage();
  return page;
}

async function screenshot(page, name) {
  fs.mkdirSync(path.join(OUT, 'screenshots'), { recursive: true });
  await page.screenshot({ path: path.join(OUT, 'screenshots', `${name}.png`), fullPage: true });
}

module.exports = { BASE, OUT, launch, newPage, screenshot };
