// Editing in a browser: a fact edited with a comment, seen in its history
// and in recent changes, reverted by a curator; two pages editing the same
// fact (the second sees both versions); a CSV upload with an error, then
// fixed; a place and a variable made with their forms.  Screenshots of the
// edit form, the conflict view and the import steps, desktop and phone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { launch, newPage, screenshot } = require('./helpers');
const { BASE, cli } = require('../api/helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const GD3 = 'https://www.gapminder.org/data/documentation/gd003/';
const PLACE = `t-edb-${RUN}`;
const VAR = `t-edb-v-${RUN}`;
const PASSWORD = `edit browser ${RUN}`;
const PHONE = { width: 375, height: 740 };
const DESKTOP = { width: 1280, height: 800 };

function newUser(role) {
  const name = `edb${RUN}${role}`;
  const add = cli(['user', 'add', name, '--role', role], `${PASSWORD}\n`);
  assert.equal(add.code, 0, add.stderr);
  const tok = cli(['token', 'create', name]);
  assert.equal(tok.code, 0, tok.stderr);
  return { name, token: tok.stdout.trim() };
}

const editor = newUser('editor');
const curator = newUser('curator');

let browser;
test.before(async () => {
  browser = await launch();
  // This run's series: three facts, made as an import makes them.
  const csv = `place,variable,year,value,unit,source\n${PLACE},${VAR},2000,10,widgets,${GD3}\n` +
    `${PLACE},${VAR},2001,11,widgets,${GD3}\n${PLACE},${VAR},2002,12,widgets,${GD3}\n`;
  const res = await fetch(`${BASE}/api/v1/imports?create_missing=true&comment=setup`, {
    method: 'POST', body: csv,
    headers: { authorization: `Bearer ${editor.token}`, 'content-type': 'text/csv' },
  });
  assert.equal(res.status, 200, await res.text());
});
test.after(async () => { await browser.close(); });

async function signedIn(user) {
  const page = await newPage(browser);
  await page.goto('/login');
  await page.fill('input[name=name]', user.name);
  await page.fill('input[name=password]', PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((url) => url.pathname !== '/login');
  return page;
}

test('edit a fact with a comment, find it in the history and recent changes, revert it', async () => {
  const page = await signedIn(editor);
  await page.goto(`/facts/${PLACE}/${VAR}/2001/edit`);
  assert.equal(await page.inputValue('input[name=value]'), '11');
  await screenshot(page, 'edit-fact');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'edit-fact-phone');
  await page.setViewportSize(DESKTOP);

  // The form says what is wrong, beside the field, in the importer's words.
  await page.fill('input[name=value]', '1,100');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('#value-error').innerText(), /thousands separators/);
  assert.equal(await page.locator('#comment-error').innerText(), 'a comment is required');
  assert.equal(await page.inputValue('input[name=value]'), '1,100');
  await screenshot(page, 'edit-fact-errors');

  await page.fill('input[name=value]', '11.50');
  await page.fill('input[name=comment]', `recount ${RUN}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.pathname === `/series/${PLACE}/${VAR}`);

  await page.goto(`/facts/${PLACE}/${VAR}/2001/history`);
  const latest = page.locator('li.revision').first();
  assert.match(await latest.innerText(), new RegExp(`recount ${RUN}`));
  assert.match(await latest.innerText(), /11\.50/);
  assert.match(await latest.innerText(), new RegExp(editor.name));

  await page.goto('/changes');
  assert.match(await page.locator('main').innerText(), new RegExp(`recount ${RUN}`));

  // A curator restores revision 1 from the history page.
  const cur = await signedIn(curator);
  await cur.goto(`/facts/${PLACE}/${VAR}/2001/history`);
  const first = cur.locator('li.revision', { has: cur.locator('strong', { hasText: 'Revision 1' }) });
  await first.locator('input[name=comment]').fill(`back to the import ${RUN}`);
  await first.getByRole('button', { name: 'Revert to this revision' }).click();
  await cur.waitForURL((url) => url.pathname === `/facts/${PLACE}/${VAR}/2001/history`);
  const top = cur.locator('li.revision').first();
  assert.match(await top.innerText(), new RegExp(`back to the import ${RUN}`));
  assert.match(await top.innerText(), new RegExp(curator.name));
  await cur.goto(`/facts/${PLACE}/${VAR}/2001/edit`);
  assert.equal(await cur.inputValue('input[name=value]'), '11');
  await cur.context().close();
  await page.context().close();
});

test('two pages edit the same fact: the second sees both versions, then saves on top', async () => {
  const a = await signedIn(editor);
  const b = await signedIn(curator);
  await a.goto(`/facts/${PLACE}/${VAR}/2002/edit`);
  await b.goto(`/facts/${PLACE}/${VAR}/2002/edit`);

  await a.fill('input[name=value]', '12.1');
  await a.fill('input[name=comment]', 'first to save');
  await a.getByRole('button', { name: 'Save' }).click();
  await a.waitForURL((url) => url.pathname === `/series/${PLACE}/${VAR}`);

  await b.fill('input[name=value]', '12.2');
  await b.fill('textarea[name=note]', 'from the yearbook');
  await b.fill('input[name=comment]', 'second to save');
  await b.getByRole('button', { name: 'Save' }).click();
  assert.equal(await b.locator('h1').innerText(), 'Someone else changed this fact');
  const table = await b.locator('table.compare').innerText();
  assert.match(table, /Your version/);
  assert.match(table, /12\.2/);
  assert.match(table, /12\.1/);
  assert.match(table, /first to save/);
  await screenshot(b, 'edit-conflict');
  await b.setViewportSize(PHONE);
  await screenshot(b, 'edit-conflict-phone');
  await b.setViewportSize(DESKTOP);

  // Theirs is kept in the history; mine goes on top.
  await b.getByRole('button', { name: 'Save my version on top' }).click();
  await b.waitForURL((url) => url.pathname === `/series/${PLACE}/${VAR}`);
  const res = await fetch(`${BASE}/api/v1/facts/${PLACE}/${VAR}/2002/history`);
  const h = await res.json();
  assert.deepEqual(h.revisions.slice(0, 2).map((r) => [r.new.value, r.comment]),
    [[12.2, 'second to save'], [12.1, 'first to save']]);
  assert.equal(h.revisions[0].new.note, 'from the yearbook');
  await a.context().close();
  await b.context().close();
});

test('upload CSV: an error with its line, then the fix, a dry run, the import', async () => {
  const page = await signedIn(editor);
  await page.goto('/import');
  const head = 'place,variable,year,value,source\n';
  await page.fill('textarea[name=csv]',
    `${head}${PLACE},${VAR},2010,20,${GD3}\n${PLACE},${VAR},2011,2l,${GD3}\n`);
  await page.fill('input[name=comment]', `upload ${RUN}`);
  await page.getByRole('button', { name: 'Check the file' }).click();
  const errors = page.locator('.import-errors tbody tr');
  assert.equal(await errors.count(), 1);
  assert.match(await errors.first().innerText(), /^3\s+value\s+not a number/);
  await screenshot(page, 'import-errors');

  // The text comes back to be fixed in place.
  const text = await page.inputValue('textarea[name=csv]');
  await page.fill('textarea[name=csv]', text.replace(',2l,', ',21,'));
  await page.getByRole('button', { name: 'Check the file' }).click();
  assert.match(await page.locator('h2').first().innerText(), /Checked/);
  assert.match(await page.locator('table.summary').innerText(), /Facts added\s+2/);
  await screenshot(page, 'import-dry-run');
  await page.setViewportSize(PHONE);
  await screenshot(page, 'import-dry-run-phone');
  await page.setViewportSize(DESKTOP);

  await page.getByRole('button', { name: 'Import 2 rows' }).click();
  assert.equal(await page.locator('h2').first().innerText(), 'Imported');
  const link = page.locator('.import-result a[href^="/changes/"]');
  assert.equal(await link.count(), 1);
  await screenshot(page, 'import-result');
  const changes = await (await fetch(`${BASE}/api/v1/changes?limit=1`)).json();
  assert.equal(changes.data[0].comment, `upload ${RUN}`);
  assert.equal(changes.data[0].user, editor.name);
  assert.equal(changes.data[0].facts_added, 2);

  // A file works the same way.
  await page.goto('/import');
  await page.setInputFiles('input[name=file]', {
    name: 'more.csv', mimeType: 'text/csv',
    buffer: Buffer.from(`${head}${PLACE},${VAR},2012,22,${GD3}\n`),
  });
  await page.getByRole('button', { name: 'Check the file' }).click();
  await page.getByRole('button', { name: 'Import 1 row' }).click();
  assert.equal(await page.locator('h2').first().innerText(), 'Imported');
  await page.context().close();
});

test('a place and a variable made with their forms, and a fact for them', async () => {
  const page = await signedIn(editor);
  await page.goto('/places');
  await page.getByRole('link', { name: 'New place' }).click();
  await page.waitForURL((url) => url.pathname === '/places/new');
  await page.fill('input[name=name]', `Vila Nova ${RUN}`);
  await page.selectOption('select[name=kind]', 'region');
  await page.fill('textarea[name=description]', 'A *test* town.\n\nSecond paragraph.');
  await page.fill('input[name=comment]', 'a new town');
  await screenshot(page, 'place-new');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.pathname === `/places/vila-nova-${RUN}`);
  assert.match(await page.locator('h1').innerText(), new RegExp(`Vila Nova ${RUN}`));

  // Renamed from its page's Edit link, after a preview of its Markdown
  // (which saves nothing) and a mistake.
  await page.getByRole('link', { name: 'Edit', exact: true }).click();
  await page.fill('textarea[name=description]', 'A *test* town.\n\n- on a river');
  await page.getByRole('button', { name: 'Preview' }).click();
  assert.equal(await page.locator('section.preview em').innerText(), 'test');
  assert.equal(await page.locator('section.preview li').innerText(), 'on a river');
  assert.equal(await page.inputValue('textarea[name=description]'), 'A *test* town.\n\n- on a river');
  await screenshot(page, 'place-preview');
  await page.fill('input[name=name]', '');
  await page.fill('input[name=comment]', 'its full name');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('#name-error').innerText(), /name/);
  await page.fill('input[name=name]', `Vila Nova de Baixo ${RUN}`);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.pathname === `/places/vila-nova-${RUN}`);
  assert.equal(await page.locator('.description li').innerText(), 'on a river');
  await page.getByRole('link', { name: 'History', exact: true }).click();
  await page.waitForURL((url) => url.pathname === `/places/vila-nova-${RUN}/history`);
  const revs = page.locator('li.revision');
  assert.equal(await revs.count(), 2);
  const latest = await revs.first().innerText();
  assert.match(latest, /Revision 2/);
  assert.match(latest, /its full name/);
  assert.match(latest, new RegExp(`Vila Nova ${RUN} → Vila Nova de Baixo ${RUN}`));
  assert.doesNotMatch(latest, /kind/);
  assert.match(await revs.nth(1).innerText(), /A \*test\* town/);
  await screenshot(page, 'place-history');
  const hist = await (await fetch(`${BASE}/api/v1/places/vila-nova-${RUN}/history`)).json();
  assert.deepEqual(hist.revisions.map((r) => r.revision), [2, 1]);
  assert.deepEqual(hist.revisions[0].fields, [{ field: 'name',
    old: `Vila Nova ${RUN}`, new: `Vila Nova de Baixo ${RUN}` }, { field: 'description',
    old: 'A *test* town.\n\nSecond paragraph.', new: 'A *test* town.\n\n- on a river' }]);
  // Recent changes lead from the edit to the same history.
  await page.goto(`/changes/${hist.revisions[0].change}`);
  await page.getByRole('link', { name: 'its history' }).click();
  await page.waitForURL((url) => url.pathname === `/places/vila-nova-${RUN}/history`);
  // The first revision brought back: its content in the form, then saved.
  await page.getByRole('link', { name: 'Edit from this revision' }).click();
  await page.waitForURL((url) => url.search === '?revision=1');
  assert.equal(await page.inputValue('input[name=name]'), `Vila Nova ${RUN}`);
  assert.equal(await page.inputValue('textarea[name=description]'), 'A *test* town.\n\nSecond paragraph.');
  assert.equal(await page.inputValue('input[name=comment]'), 'back to revision 1');
  assert.match(await page.locator('.notice').innerText(), /This form holds revision 1/);
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.pathname === `/places/vila-nova-${RUN}`);
  assert.match(await page.locator('h1').innerText(), new RegExp(`^Vila Nova ${RUN}`));
  const back = await (await fetch(`${BASE}/api/v1/places/vila-nova-${RUN}/history`)).json();
  assert.deepEqual(back.revisions.map((r) => [r.revision, r.comment]),
    [[3, 'back to revision 1'], [2, 'its full name'], [1, 'a new town']]);
  assert.equal((await page.goto(`/places/vila-nova-${RUN}/edit?revision=9`)).status(), 404);
  assert.equal((await page.goto(`/places/vila-nova-${RUN}/edit?revision=x`)).status(), 400);

  // The same slug again is refused, beside the field.
  await page.goto('/places/new');
  await page.fill('input[name=name]', `Vila Nova ${RUN}`);
  await page.fill('input[name=comment]', 'again');
  await page.getByRole('button', { name: 'Save' }).click();
  assert.match(await page.locator('#slug-error').innerText(), /taken/);

  await page.goto('/variables/new');
  await page.fill('input[name=name]', `Tram lines ${RUN}`);
  await page.fill('input[name=unit]', 'lines');
  await page.fill('input[name=comment]', 'a new variable');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.pathname === `/variables/tram-lines-${RUN}`);

  await page.goto(`/facts/new?place=vila-nova-${RUN}&variable=tram-lines-${RUN}`);
  await page.fill('input[name=year]', '2020');
  await page.fill('input[name=value]', '3');
  await page.fill('input[name=source]', GD3);
  await page.fill('input[name=comment]', 'counted');
  await page.getByRole('button', { name: 'Save' }).click();
  await page.waitForURL((url) => url.pathname === `/series/vila-nova-${RUN}/tram-lines-${RUN}`);

  const changes = await (await fetch(`${BASE}/api/v1/changes?limit=3`)).json();
  assert.deepEqual(changes.data.map((c) => c.subject && c.subject.type),
    [null, 'variable', 'place']);
  await page.context().close();
});
