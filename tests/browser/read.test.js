// Reading factwiki in Chromium: browse from home to a series and read a
// value, the charts, the variable page's table and comparison, search with
// and without JavaScript, a fact's history, and phone-sized pages that do
// not scroll sideways.  Screenshots of the main pages go to
// FW_OUT/screenshots/ (desktop, and phone-*.png at 375 pixels).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { launch, newPage, screenshot } = require('./helpers');
const { cli, tmpfile } = require('../api/helpers');

const RUN = Date.now().toString(36);
const PLACE = `t-read-${RUN}`;
const VARIABLE = 't-read-widgets';

let browser;
test.before(async () => {
  browser = await launch();
  // A fact with three revisions, for the history page.
  for (const value of ['1.0', '1.5', '2.25']) {
    const r = cli(['import', '--create-missing', '--comment', `read test: ${value}`,
      tmpfile('read.csv', 'place,variable,year,value,unit,source,source_title\n' +
        `t-read ${RUN},${VARIABLE},2020,${value},widgets,https://example.org/read-test,Read test\n`)]);
    assert.equal(r.code, 0, r.stderr);
  }
});
test.after(async () => { await browser.close(); });

// The document is no wider than the window: only tables scroll sideways.
async function noSidewaysScroll(page) {
  const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(over <= 0, `${page.url()} is ${over}px wider than the window`);
}

test('from home to a series, reading a value', async () => {
  const page = await newPage(browser);
  await page.goto('/');
  assert.equal(await page.locator('h1').innerText(), 'Curated figures, each with its source');
  assert.match(await page.locator('ul.counts').innerText(),
    /^[\d,]+\s+places\s+[\d,]+\s+variables\s+[\d,]+\s+sources\s+[\d,]+\s+facts$/);
  await screenshot(page, 'home');
  await page.locator('header.site').getByRole('link', { name: 'Places', exact: true }).click();
  await page.waitForURL('**/places');
  await screenshot(page, 'places');
  await page.getByRole('link', { name: 'Afghanistan', exact: true }).click();
  await page.waitForURL('**/places/afghanistan');
  assert.equal(await page.locator('svg.sparkline').count(), 3);
  await screenshot(page, 'place');
  await page.getByRole('link', { name: 'population', exact: true }).first().click();
  await page.waitForURL('**/series/afghanistan/population');
  const row = page.locator('table.series tbody tr', { has: page.locator('th', { hasText: '1955' }) });
  assert.equal(await row.locator('td.value').innerText(), '7,971,931');
  assert.match(await page.locator('.cite .citation').innerText(),
    /^“population, Afghanistan, 1955–2005”\. factwiki, as of change \d+ \(\d{4}-\d\d-\d\d\)\. Source: Gapminder Foundation - Population \(v7\), https:\/\/www\.gapminder\.org\/.*Retrieved from http:\/\/.*\/series\/afghanistan\/population\?as_of=\d+$/);
  await screenshot(page, 'series');
});

test('the series chart has one point per observation', async () => {
  const page = await newPage(browser);
  await page.goto('/series/afghanistan/life-expectancy');
  const rows = await page.locator('table.series tbody tr').count();
  assert.equal(rows, 11);
  const chart = page.locator('figure.chart svg');
  assert.equal(await chart.getAttribute('role'), 'img');
  assert.equal(await chart.locator('circle').count(), rows);
  assert.match(await chart.locator('circle').first().locator('title').textContent(),
    /^Afghanistan, 1955: 43\.88 years$/);
  // It scales with its box.
  assert.equal(await chart.getAttribute('viewBox'), '0 0 640 320');
});

test('the standalone chart is an SVG image', async () => {
  const page = await newPage(browser);
  const res = await page.goto('/charts/afghanistan/population.svg');
  assert.equal(res.status(), 200);
  assert.equal(res.headers()['content-type'], 'image/svg+xml');
  assert.equal(await page.locator('svg circle').count(), 11);
  // And it works where it is meant to go: an <img> in another page.
  await page.goto('/');
  const width = await page.evaluate(async () => {
    const img = new Image();
    img.src = '/charts/afghanistan/population.svg?compare=norway';
    await img.decode();
    return img.naturalWidth;
  });
  assert.ok(width > 0);
});

test('the variable page: table by place and year, and a comparison', async () => {
  const page = await newPage(browser);
  await page.goto('/variables/population?from=1990&to=2005');
  const years = await page.locator('table.matrix thead th.num').allInnerTexts();
  assert.deepEqual(years, ['1990', '1995', '2000', '2005']);
  const norway = page.locator('table.matrix tbody tr', { has: page.locator('th', { hasText: 'Norway' }) });
  assert.equal(await norway.locator('td.num').first().innerText(), '4,241,636');
  // Put three places on the chart, one by its row's link, two by the form.
  await norway.getByRole('link', { name: 'Add Norway to the chart' }).click();
  await page.waitForURL(/compare=norway/);
  await page.locator('select[name=add]').selectOption({ label: 'Japan' });
  await page.getByRole('button', { name: 'Add to the chart' }).click();
  await page.waitForURL(/add=japan/);
  await page.locator('select[name=add]').selectOption({ label: 'India' });
  await page.getByRole('button', { name: 'Add to the chart' }).click();
  await page.waitForURL(/add=india/);
  const legend = page.locator('figure.chart svg .legend');
  assert.equal(await legend.count(), 1);
  assert.deepEqual(await page.locator('ul.chips > li > a:first-child').allInnerTexts(),
    ['Norway', 'Japan', 'India']);
  assert.match(await legend.textContent(), /Norway[\s\S]*Japan[\s\S]*India/);
  assert.equal(await page.locator('figure.chart svg circle').count(), 12);
  // The year range stayed.
  assert.deepEqual(await page.locator('table.matrix thead th.num').allInnerTexts(),
    ['1990', '1995', '2000', '2005']);
  await page.getByRole('link', { name: 'Take Japan off the chart' }).first().click();
  await page.waitForURL(/compare=norway%2Cindia|compare=norway,india/);
  assert.deepEqual(await page.locator('ul.chips > li > a:first-child').allInnerTexts(),
    ['Norway', 'India']);
  await screenshot(page, 'variable');
});

test('search without JavaScript: the form and its results', async () => {
  const page = await newPage(browser, { javaScript: false });
  await page.goto('/');
  await page.locator('#home-q').fill('norw');
  await page.locator('#home-q').press('Enter');
  await page.waitForURL('**/search?q=norw');
  const places = page.locator('section[aria-labelledby=places-h] li a');
  assert.deepEqual(await places.allInnerTexts(), ['Norway']);
  await page.goto('/search?q=life');
  await screenshot(page, 'search');
  await page.locator('section[aria-labelledby=variables-h]').getByRole('link', { name: 'life-expectancy' }).click();
  await page.waitForURL('**/variables/life-expectancy');
});

test('search with JavaScript suggests as one types', async () => {
  const page = await newPage(browser);
  await page.goto('/places');
  const box = page.locator('header.site input[name=q]');
  await box.pressSequentially('swed', { delay: 30 });
  const none = page.locator('header.site ul.suggest');
  // Sweden is not in the demo data: nothing to suggest, no list.
  await page.waitForTimeout(400);
  assert.equal(await none.isHidden(), true);
  await box.fill('');
  await box.pressSequentially('norw', { delay: 30 });
  const hit = page.locator('header.site ul.suggest a', { hasText: 'Norway' });
  await hit.waitFor();
  assert.match(await hit.innerText(), /Norway\s+place/);
  await box.press('ArrowDown');
  await page.keyboard.press('Enter');
  await page.waitForURL('**/places/norway');
});

test('a fact, its history and a diff of two revisions', async () => {
  const page = await newPage(browser);
  await page.goto(`/series/${PLACE}/${VARIABLE}`);
  await page.getByRole('link', { name: 'history' }).first().click();
  await page.waitForURL(`**/facts/${PLACE}/${VARIABLE}/2020/history`);
  const revs = page.locator('ol.revisions > li');
  assert.equal(await revs.count(), 3);
  assert.deepEqual(await revs.locator('.rev-head strong').allInnerTexts(),
    ['Revision 3', 'Revision 2', 'Revision 1']);
  assert.match(await revs.first().innerText(), /1\.5\s*→\s*2\.25/);
  assert.match(await revs.first().innerText(), /read test: 2\.25/);
  // Compare revisions 1 and 3 with the form (no JavaScript needed).
  await revs.nth(2).getByLabel('from revision 1').check();
  await revs.nth(0).getByLabel('to revision 3').check();
  await page.getByRole('button', { name: 'Compare them' }).click();
  await page.waitForURL((u) => u.searchParams.get('old') === '1' &&
    u.searchParams.get('new') === '3');
  const changed = page.locator('table.diff tr.changed');
  assert.equal(await changed.count(), 1);
  assert.equal(await changed.locator('del').innerText(), '1.0');
  assert.equal(await changed.locator('ins').innerText(), '2.25');
  await screenshot(page, 'history');
  // Revision 1 stays citable as it was.
  await page.goto(`/facts/${PLACE}/${VARIABLE}/2020?revision=1`);
  assert.equal(await page.locator('.big-value .value').innerText(), '1.0');
  assert.match(await page.locator('.notice').innerText(), /revision 1 of 3/);
});

test('a curator can revert to an earlier revision; an editor cannot', async () => {
  const signIn = async (role) => {
    const name = `t_read_${role}_${RUN}`;
    const r = cli(['user', 'add', name, '--role', role], 'correct horse battery staple\n');
    assert.equal(r.code, 0, r.stderr);
    const page = await newPage(browser);
    await page.goto('/login');
    await page.locator('main input[name=name]').fill(name);
    await page.locator('main input[name=password]').fill('correct horse battery staple');
    await page.locator('main button[type=submit]').click();
    await page.waitForURL((u) => u.pathname !== '/login');
    return page;
  };
  const history = `/facts/${PLACE}/${VARIABLE}/2020/history`;
  const curator = await signIn('curator');
  await curator.goto(history);
  // Revisions 1 and 2 (not the latest, which the fact holds already).
  const forms = curator.locator('form.revert');
  assert.equal(await forms.count(), 2);
  const form = curator.locator('#r1 form.revert');
  assert.equal(await form.getAttribute('action'), `/facts/${PLACE}/${VARIABLE}/2020/revert`);
  assert.equal(await form.getAttribute('method'), 'post');
  assert.equal(await form.locator('input[name=revision]').inputValue(), '1');
  assert.match(await form.locator('input[name=csrf]').inputValue(), /.{20,}/);
  assert.equal(await form.locator('input[name=comment]').getAttribute('required'), '');
  // The form works: revision 4 restores revision 1's value.
  await form.locator('input[name=comment]').fill('back to the first reading');
  await form.getByRole('button', { name: 'Revert to this revision' }).click();
  await curator.waitForLoadState();
  await curator.goto(history);
  assert.equal(await curator.locator('ol.revisions > li').count(), 4);
  assert.match(await curator.locator('#r4').innerText(), /back to the first reading[\s\S]*2\.25\s*→\s*1\.0/);
  const editor = await signIn('editor');
  await editor.goto(history);
  assert.equal(await editor.locator('form.revert').count(), 0);
  // Signed in, an editor is offered the edit links of a series.
  await editor.goto(`/series/${PLACE}/${VARIABLE}`);
  assert.equal(await editor.getByRole('link', { name: 'Edit', exact: true }).getAttribute('href'),
    `/facts/${PLACE}/${VARIABLE}/2020/edit`);
  assert.equal(await editor.getByRole('link', { name: 'Add a fact' }).getAttribute('href'),
    `/facts/new?place=${PLACE}&variable=${VARIABLE}`);
});

test('recent changes', async () => {
  const page = await newPage(browser);
  await page.goto('/changes');
  const first = page.locator('ol.changes li.change').first();
  assert.match(await first.innerText(), /back to the first reading/);
  await first.locator('a.title').click();
  await page.waitForURL(`**/facts/${PLACE}/${VARIABLE}/2020/history`);
  await page.goBack();
  await screenshot(page, 'changes');
});

test('on a phone the pages fit the screen; wide tables scroll in their box', async () => {
  const context = await browser.newContext({
    baseURL: process.env.FW_URL || 'http://127.0.0.1:8888',
    viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true,
  });
  const page = await context.newPage();
  const pages = [['/', 'home'], ['/places', 'places'], ['/places/afghanistan', 'place'],
    ['/variables/population?compare=norway,japan', 'variable'],
    ['/series/afghanistan/population', 'series'],
    [`/facts/${PLACE}/${VARIABLE}/2020/history?diff=1..3`, 'history'],
    ['/changes', 'changes'], ['/search?q=an', 'search'], ['/sources/1', null],
    ['/facts/afghanistan/population/1955', null], ['/variables', null]];
  for (const [url, name] of pages) {
    await page.goto(url);
    await noSidewaysScroll(page);
    if (name) await screenshot(page, `phone-${name}`);
  }
  // The variable table is wider than the phone, inside its scrolling box.
  await page.goto('/variables/population');
  const box = page.locator('.table-scroll', { has: page.locator('table.matrix') });
  const { scroll, client } = await box.evaluate((e) => ({ scroll: e.scrollWidth, client: e.clientWidth }));
  assert.ok(scroll > client, 'the table scrolls sideways');
  await context.close();
});
