// The reading pages as HTTP sees them: every page answers and escapes what
// users wrote, the Atom feed is XML, search, the standalone charts, the
// permalinks of citations (a series as of a change, a fact at a revision).
// Test places and variables are named "t-..." so that other tests see the
// demo data alone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { get, cli, tmpfile, summary } = require('./helpers');
const { launch } = require('../browser/helpers');

const RUN = Date.now().toString(36);
const EVIL = `t-<script>alert(1)</script> ${RUN}`;
const EVIL_HTML = `t-&lt;script&gt;alert(1)&lt;/script&gt; ${RUN}`;
const PLACE = `t-script-alert-1-script-${RUN}`;
const OTHER = `t-pages-other-${RUN}`;
const VARIABLE = `t-pages-b-widgets-b-${RUN}`;
const SOURCE = `https://example.org/pages-${RUN}`;
const HEAD = 'place,variable,year,value,unit,source,source_title,note\n';

// The changes that the two imports of before() made.
let first;
let second;
let sourceId;

function importCsv(text) {
  const r = cli(['import', '--create-missing', '--comment', `pages test ${RUN}`,
    tmpfile('pages.csv', text)]);
  assert.equal(r.code, 0, r.stderr);
  return summary(r.stdout).change;
}

test.before(async () => {
  // A place, a variable and a source whose names are markup, and a second
  // place; then a second import that changes one value and one note.
  first = importCsv(HEAD +
    `"${EVIL}",t-pages <b>widgets</b> ${RUN},2000,1.50,"w<i>dg</i>",${SOURCE},"Pages <b>source</b> ${RUN}","a <em>note</em>"\n` +
    `"${EVIL}",t-pages <b>widgets</b> ${RUN},2001,-0.17,"w<i>dg</i>",${SOURCE},,\n` +
    `"${EVIL}",t-pages <b>widgets</b> ${RUN},2003,1500000,"w<i>dg</i>",${SOURCE},,\n` +
    `t-pages other ${RUN},t-pages <b>widgets</b> ${RUN},2000,3,"w<i>dg</i>",${SOURCE},,\n`);
  second = importCsv(HEAD +
    `"${EVIL}",t-pages <b>widgets</b> ${RUN},2000,2.50,"w<i>dg</i>",${SOURCE},,"<b>new</b> note"\n`);
  assert.ok(first > 0 && second > first);
  const s = await get(`/api/v1/sources?q=${encodeURIComponent(`pages-${RUN}`)}`);
  sourceId = s.json.data[0].id;
});

test('every page answers 200 and escapes what users wrote', async () => {
  const pages = ['/', '/places', `/places?q=${RUN}`, '/places?kind=other',
    `/places/${PLACE}`, '/variables', `/variables/${VARIABLE}`,
    `/variables/${VARIABLE}?compare=${OTHER}&add=${PLACE}&from=2000&to=2001`,
    `/series/${PLACE}/${VARIABLE}`, `/series/${PLACE}/${VARIABLE}?as_of=${first}`,
    '/sources', `/sources/${sourceId}`, '/changes', `/changes/${first}`,
    `/facts/${PLACE}/${VARIABLE}/2000`, `/facts/${PLACE}/${VARIABLE}/2000?revision=1`,
    `/facts/${PLACE}/${VARIABLE}/2000/history`,
    `/facts/${PLACE}/${VARIABLE}/2000/history?diff=1..2`,
    `/facts/${PLACE}/${VARIABLE}/2000/history?old=1&new=2`,
    `/search?q=${encodeURIComponent('<script>')}`, `/search?q=${RUN}`, '/search'];
  for (const p of pages) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.type, 'text/html; charset=utf-8', p);
    for (const markup of ['<script>alert(1)', '<b>widgets', '<i>dg', '<em>note',
      '<b>source', '<b>new']) {
      assert.ok(!r.text.includes(markup), `${p} prints ${markup} from the data`);
    }
    assert.match(r.text, /^<!doctype html>/, p);
  }
  for (const p of [`/places/${PLACE}`, `/series/${PLACE}/${VARIABLE}`,
    `/variables/${VARIABLE}`, `/search?q=${RUN}`, `/facts/${PLACE}/${VARIABLE}/2000`]) {
    const r = await get(p);
    assert.ok(r.text.includes(EVIL_HTML), `${p} does not show the name, escaped`);
  }
});

test('pages keep exact values: grouped digits, never rounded', async () => {
  const r = await get(`/series/${PLACE}/${VARIABLE}`);
  assert.match(r.text, />2\.50</);
  assert.match(r.text, />-0\.17</);
  assert.match(r.text, />1,500,000</);
  const home = await get('/');
  assert.match(home.text, /<strong>[\d,]+<\/strong> facts/);
});

test('a series as of a change, and a fact at a revision, stay as they were', async () => {
  const then = await get(`/series/${PLACE}/${VARIABLE}?as_of=${first}`);
  assert.match(then.text, />1\.50</);
  assert.doesNotMatch(then.text, />2\.50</);
  assert.match(then.text, /it has changed since/);
  const now = await get(`/series/${PLACE}/${VARIABLE}`);
  assert.match(now.text, />2\.50</);
  // The citation names the series' last change, and its permalink.
  assert.match(now.text, new RegExp(`as of change ${second} \\(\\d{4}-\\d\\d-\\d\\d\\)`));
  assert.ok(now.text.includes(`/series/${PLACE}/${VARIABLE}?as_of=${second}`));
  // The API knows as_of too.
  const api = await get(`/api/v1/series/${PLACE}/${VARIABLE}?as_of=${first}`);
  assert.equal(api.status, 200);
  assert.match(api.text, /"value" : 1\.50\b/);
  assert.deepEqual(api.json.observations.map((o) => o.year), [2000, 2001, 2003]);
  assert.equal((await get(`/api/v1/series/${PLACE}/${VARIABLE}?as_of=999999999`)).status, 404);
  const rev1 = await get(`/facts/${PLACE}/${VARIABLE}/2000?revision=1`);
  assert.match(rev1.text, /This is revision 1 of 2/);
  assert.match(rev1.text, />1\.50</);
  assert.equal((await get(`/facts/${PLACE}/${VARIABLE}/2000?revision=3`)).status, 404);
  assert.equal((await get(`/facts/${PLACE}/${VARIABLE}/1999`)).status, 404);
});

test('history: revisions newest first, and a diff that marks what changed', async () => {
  const h = await get(`/facts/${PLACE}/${VARIABLE}/2000/history?diff=1..2`);
  assert.equal(h.status, 200);
  const revs = [...h.text.matchAll(/<strong>Revision (\d+)<\/strong>/g)].map((m) => m[1]);
  assert.deepEqual(revs, ['2', '1']);
  const diff = h.text.slice(h.text.indexOf('class="data diff"'));
  assert.match(diff, /<tr class="changed">\s*<th scope="row">Value/);
  assert.match(diff, /<del>1\.50<\/del>/);
  assert.match(diff, /<ins>2\.50<\/ins>/);
  assert.match(diff, /<del>a &lt;em&gt;note&lt;\/em&gt;<\/del>/);
  assert.match(diff, /<tr>\s*<th scope="row">Source/);
  // Without a session there is no revert form.
  assert.doesNotMatch(h.text, /\/revert"/);
  const bad = await get(`/facts/${PLACE}/${VARIABLE}/2000/history?diff=1..9`);
  assert.equal(bad.status, 404);
  const worse = await get(`/facts/${PLACE}/${VARIABLE}/2000/history?diff=1-2`);
  assert.equal(worse.status, 400);
  assert.match(worse.text, /diff/);
});

test('/changes.atom is Atom 1.0 XML with an entry per change', async () => {
  const r = await get('/changes.atom');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/atom+xml');
  assert.match(r.text, /^<\?xml version="1\.0" encoding="utf-8"\?>\n<feed xmlns="http:\/\/www\.w3\.org\/2005\/Atom">/);
  // A real XML parser: Chromium's.
  const browser = await launch();
  try {
    const page = await browser.newPage();
    const feed = await page.evaluate((text) => {
      const doc = new DOMParser().parseFromString(text, 'application/xml');
      if (doc.getElementsByTagName('parsererror').length > 0)
        return { error: doc.getElementsByTagName('parsererror')[0].textContent };
      const NS = 'http://www.w3.org/2005/Atom';
      const one = (el, name) => el.getElementsByTagNameNS(NS, name)[0]?.textContent;
      const root = doc.documentElement;
      return {
        root: root.localName, ns: root.namespaceURI, id: one(root, 'id'),
        updated: one(root, 'updated'), title: one(root, 'title'),
        entries: [...root.getElementsByTagNameNS(NS, 'entry')].map((e) => ({
          id: one(e, 'id'), title: one(e, 'title'), updated: one(e, 'updated'),
          author: one(e, 'name'),
          href: e.getElementsByTagNameNS(NS, 'link')[0]?.getAttribute('href'),
        })),
      };
    }, r.text);
    assert.equal(feed.error, undefined, feed.error);
    assert.equal(feed.root, 'feed');
    assert.equal(feed.ns, 'http://www.w3.org/2005/Atom');
    assert.match(feed.id, /^http:\/\/.+\/changes$/);
    assert.match(feed.updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
    assert.ok(feed.entries.length >= 2 && feed.entries.length <= 50);
    for (const e of feed.entries) {
      assert.match(e.id, /^http:\/\/.+\/changes\/\d+$/);
      assert.ok(e.title.length > 0);
      assert.match(e.updated, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d/);
      assert.match(e.href, /^http:\/\/.+\/(changes\/\d+|facts\/.+\/history|(places|variables|sources)\/[^/]+|series\/[^/]+\/[^/]+)$/);
    }
    const ours = feed.entries.find((e) => e.id.endsWith(`/changes/${second}`));
    assert.ok(ours, 'the latest import is in the feed');
    // One fact changed: the entry names it, escaped, and links its history.
    assert.equal(ours.title, `${EVIL}, t-pages <b>widgets</b> ${RUN}, 2000`);
    assert.ok(ours.href.endsWith(`/facts/${PLACE}/${VARIABLE}/2000/history`));
    const many = feed.entries.find((e) => e.id.endsWith(`/changes/${first}`));
    assert.equal(many.title, 'Import: 4 facts');
    assert.ok(many.href.endsWith(`/changes/${first}`));
  } finally {
    await browser.close();
  }
});

test('/api/v1/search: places, variables and sources by name', async () => {
  const r = await get('/api/v1/search?q=norw');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/json');
  assert.deepEqual(r.json.data[0], { type: 'place', name: 'Norway', href: '/places/norway', detail: 'other' });
  // A typo still finds it (trigram similarity).
  const typo = await get('/api/v1/search?q=Afganistan');
  assert.equal(typo.json.data[0].href, '/places/afghanistan');
  const all = await get(`/api/v1/search?q=${RUN}`);
  const types = all.json.data.map((h) => h.type).sort();
  assert.deepEqual(types, ['place', 'place', 'source', 'variable']);
  assert.ok(all.json.data.some((h) => h.name === EVIL && h.href === `/places/${PLACE}`));
  assert.ok(all.json.data.some((h) => h.href === `/variables/${VARIABLE}`));
  assert.ok(all.json.data.some((h) => h.href === `/sources/${sourceId}`));
  // LIKE's wildcards are letters like any other.
  assert.deepEqual((await get('/api/v1/search?q=%25%25')).json.data, []);
  const few = await get('/api/v1/search?q=a&limit=2');
  assert.equal(few.json.data.length, 2);
  assert.deepEqual((await get('/api/v1/search')).json, { q: '', data: [], next: null });
  const csv = await get('/api/v1/search?q=norw&format=csv');
  assert.equal(csv.text.split('\n')[0], 'type,name,href');
  const bad = await get(`/api/v1/search?q=${'x'.repeat(201)}`);
  assert.equal(bad.status, 400);
  assert.equal(bad.json.errors[0].parameter, 'q');
  const page = await get('/search?q=norw');
  assert.match(page.text, /<a href="\/places\/norway">Norway<\/a>/);
});

test('/charts/{place}/{variable}.svg: one chart alone, or several places', async () => {
  const r = await get('/charts/afghanistan/population.svg');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'image/svg+xml');
  assert.match(r.headers.get('etag'), /^"[0-9a-f]{32}"$/);
  assert.match(r.text, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.equal([...r.text.matchAll(/<circle /g)].length, 11);
  assert.match(r.text, /<title>Afghanistan, 1955: 7971931 persons<\/title>/);
  assert.doesNotMatch(r.text, /class="legend"/);
  const again = await get('/charts/afghanistan/population.svg', { 'if-none-match': r.headers.get('etag') });
  assert.equal(again.status, 304);

  const three = await get('/charts/afghanistan/population.svg?compare=norway,japan,afghanistan');
  assert.equal(three.status, 200);
  assert.match(three.text, /class="legend"/);
  assert.equal([...three.text.matchAll(/<circle /g)].length, 33);

  const evil = await get(`/charts/${PLACE}/${VARIABLE}.svg`);
  assert.equal(evil.status, 200);
  assert.ok(!evil.text.includes('<script>'));
  assert.ok(!evil.text.includes('<b>'));
  assert.equal([...evil.text.matchAll(/<circle /g)].length, 3);

  for (const [p, status] of [['/charts/atlantis/population.svg', 404],
    ['/charts/afghanistan/happiness.svg', 404],
    ['/charts/afghanistan/population.svg?compare=atlantis', 404],
    ['/charts/afghanistan/population.svg?compare=a,b,c,d,e,f,g,h,i,j', 400],
    ['/charts/afghanistan/population.svg?compare=Norway', 400],
    ['/charts/afghanistan/population.svg?from=x', 400]]) {
    const e = await get(p);
    assert.equal(e.status, status, p);
    assert.doesNotMatch(e.type, /html/, p);
  }
});

test('the variable page: place x year table, years, compare chart', async () => {
  const r = await get('/variables/population?from=1990&to=2000&compare=norway,japan');
  assert.equal(r.status, 200);
  const head = r.text.slice(r.text.indexOf('<table class="data matrix">'));
  const years = [...head.slice(0, head.indexOf('</thead>')).matchAll(/<th scope="col" class="num">(-?\d+)<\/th>/g)]
    .map((m) => m[1]);
  assert.deepEqual(years, ['1990', '1995', '2000']);
  assert.match(r.text, /class="legend"/);
  assert.match(r.text, /<a href="\/series\/afghanistan\/population">Afghanistan<\/a><\/th>\s*<td class="num">10,694,796<\/td>/);
  // Adding a place keeps the others; more than ten is refused.
  const added = await get('/variables/population?compare=norway,japan&add=india');
  assert.match(added.text, /name="compare" value="norway,japan,india"/);
  const eleven = 'a,b,c,d,e,f,g,h,i,j,k';
  assert.equal((await get(`/variables/population?compare=${eleven}`)).status, 400);
  assert.equal((await get('/variables/population?compare=atlantis')).status, 404);
  assert.equal((await get('/variables/population?from=2000&to=1990')).status, 400);
  // Without a range: the last twenty years that have data.
  const plain = await get('/variables/population');
  assert.doesNotMatch(plain.text, /class="legend"/);
  assert.equal((await get('/variables/happiness')).status, 404);
});

test('one change and the revisions it wrote, as JSON, CSV and a page', async () => {
  const r = await get(`/api/v1/changes/${first}`);
  assert.equal(r.status, 200);
  assert.equal(r.json.kind, 'import');
  assert.equal(r.json.facts_added, 4);
  assert.equal(r.json.revisions.length, 4);
  assert.deepEqual(Object.keys(r.json.revisions[0]), ['place', 'place_name', 'variable',
    'variable_name', 'year', 'revision', 'action', 'old', 'new']);
  const paged = await get(`/api/v1/changes/${first}?limit=3`);
  assert.equal(paged.json.revisions.length, 3);
  const rest = await get(`/api/v1/changes/${first}?limit=3&cursor=${paged.json.next}`);
  assert.equal(rest.json.revisions.length, 1);
  assert.equal(rest.json.next, null);
  const csv = await get(`/api/v1/changes/${second}?format=csv`);
  assert.equal(csv.text, 'place,variable,year,revision,action,old_value,new_value\n' +
    `${PLACE},${VARIABLE},2000,2,update,1.50,2.50\n`);
  assert.equal((await get('/api/v1/changes/999999999')).status, 404);
  const page = await get(`/changes/${second}`);
  assert.match(page.text, /<del>1\.50<\/del>/);
});

test('openapi.json describes search and one change', async () => {
  const r = await get('/api/v1/openapi.json');
  assert.ok(r.json.paths['/api/v1/search']);
  assert.ok(r.json.paths['/api/v1/changes/{id}']);
  const series = r.json.paths['/api/v1/series/{place}/{variable}'].get;
  assert.ok(JSON.stringify(series).includes('as_of'));
});

test('pages, answers and charts say how a browser may use them', async () => {
  const page = await get('/places/afghanistan');
  const csp = page.headers.get('content-security-policy');
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /frame-ancestors 'none'/);
  assert.match(csp, /form-action 'self'/);
  assert.equal(page.headers.get('referrer-policy'), 'same-origin');
  for (const p of ['/places/afghanistan', '/api/v1/places', '/api/v1/places?format=csv',
    '/api/v1/places/atlantis', '/places/atlantis', '/charts/afghanistan/population.svg',
    '/static/style.css', '/static/app.js', '/static/favicon.svg', '/static/nothing-here.css']) {
    assert.equal((await get(p)).headers.get('x-content-type-options'), 'nosniff', p);
  }
  const css = await get('/static/style.css');
  assert.equal(css.status, 200);
  assert.match(css.type, /^text\/css/);
  const none = await get('/static/nothing-here.css');
  assert.equal(none.status, 404);
  assert.match(none.text, /there is no such file/);
  // A chart may be embedded anywhere, and runs no script there.
  const chart = await get('/charts/afghanistan/population.svg');
  assert.equal(chart.headers.get('content-security-policy'), "default-src 'none'; style-src 'unsafe-inline'");
});

test('citations name the site by the Host asked for only when it names this machine', async () => {
  const http = require('node:http');
  const { BASE } = require('./helpers');
  const { port } = new URL(BASE);
  const page = (host) => new Promise((resolve, reject) => {
    http.get(`${BASE}/series/afghanistan/population`, { headers: { host } }, (res) => {
      let body = '';
      res.on('data', (d) => { body += d; });
      res.on('end', () => resolve(body));
    }).on('error', reject);
  });
  assert.match(await page(`localhost:${port}`),
    new RegExp(`Retrieved from http://localhost:${port}/series/afghanistan/population`));
  // Any other Host: the listener's own address, never what was sent.
  for (const host of ['facts.example.org:8080', 'evil.example"><b>x</b>']) {
    const other = await page(host);
    assert.match(other, new RegExp(`Retrieved from http://127\\.0\\.0\\.1:${port}/series/afghanistan/population`));
    assert.ok(!other.includes('example'), host);
  }
});
