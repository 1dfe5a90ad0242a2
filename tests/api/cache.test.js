// Public answers kept by each worker at the version of the data
// (app/cache.c, sql/013_version.sql).  A write through the API shows at
// once on every face; one from outside the server (the command line,
// psql) as soon as its notice comes.  A 304 only while nothing changed.
// A page of a signed-in reader is never another reader's, and answers of
// referenda are never kept.
// Everything here is about a place made for this run ("t-ca-...").
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { Browser, account, call, get, cli, tmpfile, needsDatabase } = require('./helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const GD3 = 'https://www.gapminder.org/data/documentation/gd003/';
const PLACE = `t-ca-${RUN}`;
const VAR = `t-ca-v-${RUN}`;
const PASSWORD = `cache test ${RUN}`;
const YEAR = 2000;

const ann = account(`ca${RUN}ann`, PASSWORD);
const ben = account(`ca${RUN}ben`, PASSWORD);

// Each face of the series, and what of it shows the value (or the comment)
// of the fact's last change.
const FACES = [
  { path: `/api/v1/series/${PLACE}/${VAR}`, shows: (c) => `"value" : ${c.value}` },
  { path: `/api/v1/series/${PLACE}/${VAR}?format=csv`, shows: (c) => `,${c.value},` },
  { path: `/series/${PLACE}/${VAR}`, shows: (c) => `>${c.value}<` },
  { path: `/charts/${PLACE}/${VAR}.svg`, shows: (c) => c.value },
  { path: '/changes.atom', shows: (c) => c.comment },
  { path: `/places/${PLACE}`, shows: (c) => `>${c.value}<` },
  { path: `/api/v1/places/${PLACE}`, shows: (c) => `"value" : ${c.value}` },
];

// Several at once, on several connections: answers kept by each worker.
async function readAll(p, n = 6) {
  return Promise.all(Array.from({ length: n }, () => get(p)));
}

async function showsEverywhere(change) {
  for (const f of FACES) {
    for (const r of await readAll(f.path)) {
      assert.equal(r.status, 200, `${f.path}: ${r.text}`);
      assert.ok(r.text.includes(f.shows(change)), `${f.path} does not show ${f.shows(change)}`);
    }
  }
}

// Until every face shows change: what another writer did comes by NOTIFY.
async function soonEverywhere(change) {
  for (let i = 0; ; i++) {
    try {
      await showsEverywhere(change);
      return;
    } catch (e) {
      if (i === 50) throw e;
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
}

let revision = 1;
async function edit(value) {
  const comment = `cache edit ${RUN} ${value}`;
  const r = await call('POST', '/api/v1/facts', {
    token: ann.token,
    json: { place: PLACE, variable: VAR, year: YEAR, value, source: GD3, revision, comment },
  });
  assert.equal(r.status, 200, r.text);
  revision = r.json.revision;
  return { value, comment };
}

function psql(sql) {
  const r = spawnSync('psql', [process.env.DATABASE_URL, '-XAtc', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

test.before(async () => {
  const r = await call('POST', '/api/v1/imports?create_missing=true&comment=setup', {
    token: ann.token,
    body: `place,variable,year,value,unit,source\n${PLACE},${VAR},${YEAR},111.5,things,${GD3}\n`,
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(r.status, 200, r.text);
});

test('an edit through the API shows at once on every face', async () => {
  await showsEverywhere({ value: '111.5', comment: 'setup' });
  await showsEverywhere(await edit('222.25'));
  await showsEverywhere(await edit('333.125'));
});

test('an import with the command line shows on every face once its notice comes', async () => {
  await showsEverywhere(await edit('444.5'));
  const comment = `cache import ${RUN}`;
  const file = tmpfile('cache.csv', `place,variable,year,value,source\n${PLACE},${VAR},${YEAR},555.75,${GD3}\n`);
  const r = cli(['import', '--comment', comment, file]);
  assert.equal(r.code, 0, r.stderr);
  revision += 1;
  await soonEverywhere({ value: '555.75', comment });
});

test('a change made in the database by hand shows once its notice comes', needsDatabase, async () => {
  const name = `Renamed ${RUN}`;
  for (const r of await readAll(`/places/${PLACE}`)) assert.ok(!r.text.includes(name));
  psql(`update places set name = '${name}' where slug = '${PLACE}'`);
  for (let i = 0; ; i++) {
    const all = await readAll(`/places/${PLACE}`);
    if (all.every((r) => r.text.includes(name))) break;
    assert.ok(i < 50, 'the new name is not shown in 5 seconds');
    await new Promise((ok) => setTimeout(ok, 100));
  }
  const json = await get(`/api/v1/places/${PLACE}`);
  assert.equal(json.json.name, name);
});

test('304 while nothing changed, 200 with the new body after a change', async () => {
  const paths = [`/api/v1/series/${PLACE}/${VAR}`, `/api/v1/series/${PLACE}/${VAR}?format=csv`,
    `/series/${PLACE}/${VAR}`, `/charts/${PLACE}/${VAR}.svg`, '/changes.atom'];
  const tags = {};
  for (const p of paths) {
    const r = await get(p);
    assert.equal(r.status, 200, r.text);
    tags[p] = r.headers.get('etag');
    assert.match(tags[p], /^"[0-9a-f]{32}"$/, p);
    for (const again of await Promise.all([1, 2, 3, 4].map(() => get(p, { 'if-none-match': tags[p] })))) {
      assert.equal(again.status, 304, p);
      assert.equal(again.text, '');
      assert.equal(again.headers.get('etag'), tags[p]);
    }
  }
  // Each resource and face has a tag of its own.
  assert.equal(new Set(Object.values(tags)).size, paths.length);

  const change = await edit('666.5');
  for (const p of paths) {
    const r = await get(p, { 'if-none-match': tags[p] });
    assert.equal(r.status, 200, p);
    const face = FACES.find((f) => f.path === p);
    assert.ok(r.text.includes(face.shows(change)), `${p} does not show ${face.shows(change)}`);
    assert.notEqual(r.headers.get('etag'), tags[p], p);
    const again = await get(p, { 'if-none-match': r.headers.get('etag') });
    assert.equal(again.status, 304, p);
  }
});

test('a page that a reader signed in sees is never another reader\'s', async () => {
  const a = await new Browser().signIn(ann.name, PASSWORD);
  const b = await new Browser().signIn(ben.name, PASSWORD);
  const page = `/series/${PLACE}/${VAR}`;
  // Who the page says is signed in (Ann's name shows in the history too).
  const account = (r) => (r.text.match(/<a href="\/account">([^<]*)<\/a>/) || [])[1];
  for (let i = 0; i < 4; i++) {
    const [ra, rb, anon] = await Promise.all([a.get(page), b.get(page), get(page)]);
    assert.equal(ra.status, 200);
    assert.equal(rb.status, 200);
    assert.equal(account(ra), ann.name);
    assert.ok(ra.text.includes(a.csrf) && !ra.text.includes(b.csrf), 'Ann sees Ben\'s page');
    assert.equal(account(rb), ben.name);
    assert.ok(rb.text.includes(b.csrf) && !rb.text.includes(a.csrf), 'Ben sees Ann\'s page');
    assert.equal(account(anon), undefined, 'a reader signed out sees a page of someone signed in');
    assert.ok(!anon.text.includes('Sign out'));
    // Nor is a page of everyone's shown to one who is signed in.
    assert.equal(account(await a.get('/')), ann.name);
  }
  // A signed-in reader's ETag is not the page everyone sees.
  const anon = await get(page);
  const mine = await a.get(page, { headers: { 'if-none-match': anon.headers.get('etag') } });
  assert.equal(mine.status, 200);
});

test('answers of referenda are never kept', async () => {
  const lists = ['/api/v1/proposals', '/api/v1/proposals?format=csv', '/proposals'];
  for (const p of lists) await readAll(p);
  const title = `Cache test ${RUN}`;
  const made = await call('POST', '/api/v1/proposals', {
    token: ben.token,
    json: { title, project: 'factwiki', cost: '10', currency: 'EUR', max_bid: '100.00',
      closes_at: new Date(Date.now() + 3600e3).toISOString() },
  });
  assert.equal(made.status, 201, made.text);
  for (const p of lists) {
    for (const r of await readAll(p)) {
      assert.equal(r.status, 200, r.text);
      assert.ok(r.text.includes(made.json.slug), `${p} does not list the new proposal`);
    }
  }
});
