// The read API against the demo data that the server loaded at start.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { get, cli, tmpfile, summary } = require('./helpers');

test('series: shape, exact values, sources', async () => {
  const r = await get('/api/v1/series/afghanistan/population');
  assert.equal(r.status, 200);
  assert.equal(r.type, 'application/json');
  const d = r.json;
  assert.deepEqual(d.place, { slug: 'afghanistan', name: 'Afghanistan' });
  assert.equal(d.variable.unit, 'persons');
  assert.equal(d.observations.length, 11);
  assert.deepEqual(d.observations.map((o) => o.year),
    [1955, 1960, 1965, 1970, 1975, 1980, 1985, 1990, 1995, 2000, 2005]);
  assert.equal(d.observations[0].value, 7971931);
  assert.equal(d.sources.length, 1);
  assert.match(d.sources[0].url, /^https:\/\/www\.gapminder\.org\//);
  assert.equal(d.observations[0].source, d.sources[0].id);
});

test('series: from and to are inclusive', async () => {
  const r = await get('/api/v1/series/afghanistan/life-expectancy?from=1960&to=1970');
  assert.deepEqual(r.json.observations.map((o) => o.year), [1960, 1965, 1970]);
  // The digits as stored: 43.88 is not re-rounded through a double.
  assert.match(r.text, /"value" : 45\.03\b/);
});

test('series: unknown place or variable is a 404 problem', async () => {
  for (const p of ['/api/v1/series/atlantis/population',
    '/api/v1/series/afghanistan/happiness']) {
    const r = await get(p);
    assert.equal(r.status, 404);
    assert.equal(r.type, 'application/problem+json');
    assert.equal(r.json.status, 404);
    assert.equal(r.json.title, 'Not Found');
    assert.ok(r.json.detail.length > 0);
  }
});

test('places: list, kind, search, paging visits each place once', async () => {
  const all = await get('/api/v1/places?limit=10000');
  assert.equal(all.status, 200);
  assert.equal(all.json.next, null);
  assert.ok(all.json.data.length >= 62);
  for (const p of all.json.data) {
    assert.deepEqual(Object.keys(p), ['slug', 'name', 'kind', 'parent']);
  }
  const seen = [];
  let cursor = null;
  do {
    const r = await get('/api/v1/places?limit=7' + (cursor ? '&cursor=' + cursor : ''));
    assert.equal(r.status, 200);
    assert.ok(r.json.data.length <= 7);
    seen.push(...r.json.data.map((p) => p.slug));
    cursor = r.json.next;
  } while (cursor);
  assert.deepEqual(seen, all.json.data.map((p) => p.slug));
  const q = await get('/api/v1/places?q=ghan');
  assert.deepEqual(q.json.data.map((p) => p.slug), ['afghanistan']);
  const none = await get('/api/v1/places?kind=city');
  assert.deepEqual(none.json, { data: [], next: null });
});

test('place: its variables with year range, count, latest value', async () => {
  const r = await get('/api/v1/places/afghanistan');
  assert.equal(r.status, 200);
  assert.equal(r.json.name, 'Afghanistan');
  const pop = r.json.variables.find((v) => v.slug === 'population');
  assert.equal(pop.first_year, 1955);
  assert.equal(pop.last_year, 2005);
  assert.equal(pop.count, 11);
  assert.equal(pop.latest.year, 2005);
  assert.equal(r.json.variables.length, 3);
  assert.equal((await get('/api/v1/places/atlantis')).status, 404);
});

test('variables and a variable with its places', async () => {
  const l = await get('/api/v1/variables');
  assert.deepEqual(l.json.data.map((v) => v.slug).filter((s) => !s.startsWith('t-')),
    ['fertility-rate', 'life-expectancy', 'population']);
  const v = await get('/api/v1/variables/population');
  assert.equal(v.json.unit, 'persons');
  assert.ok(v.json.places.length >= 62);
  assert.ok(v.json.places.every((p) => p.count >= 1));
});

test('sources and a source with the facts it backs', async () => {
  const l = await get('/api/v1/sources');
  assert.ok(l.json.data.length >= 3);
  const id = l.json.data[0].id;
  const s = await get(`/api/v1/sources/${id}?limit=5`);
  assert.equal(s.status, 200);
  assert.equal(s.json.id, id);
  assert.equal(s.json.facts.length, 5);
  assert.ok(s.json.facts_count >= 682);
  assert.ok(s.json.next);
  assert.equal((await get('/api/v1/sources/999999')).status, 404);
});

test('facts: filters, order, paging', async () => {
  const r = await get('/api/v1/facts?place=afghanistan&variable=population,life-expectancy&from=1960&to=1970&limit=4');
  assert.equal(r.status, 200);
  assert.equal(r.json.data.length, 4);
  assert.ok(r.json.next);
  const keys = r.json.data.map((f) => `${f.place}/${f.variable}/${f.year}`);
  assert.deepEqual(keys, ['afghanistan/life-expectancy/1960',
    'afghanistan/life-expectancy/1965', 'afghanistan/life-expectancy/1970',
    'afghanistan/population/1960']);
  const f = r.json.data[0];
  assert.deepEqual(Object.keys(f), ['place', 'variable', 'year', 'value', 'unit',
    'source', 'note', 'revision', 'updated_at', 'updated_by']);
  assert.deepEqual(Object.keys(f.source), ['id', 'title', 'url']);
  const rest = await get('/api/v1/facts?place=afghanistan&variable=population,life-expectancy&from=1960&to=1970&limit=4&cursor=' + r.json.next);
  assert.deepEqual(rest.json.data.map((x) => x.year), [1965, 1970]);
  assert.equal(rest.json.next, null);
  const bySource = await get(`/api/v1/facts?source=${f.source.id}&limit=10000`);
  assert.ok(bySource.json.data.every((x) => x.source.id === f.source.id));
});

test('bad parameters are 400 problems that name the parameter', async () => {
  const cases = [
    ['/api/v1/facts?from=abc', 'from'],
    ['/api/v1/facts?to=99999', 'to'],
    ['/api/v1/facts?from=2020.5', 'from'],
    ['/api/v1/facts?limit=0', 'limit'],
    ['/api/v1/facts?limit=10001', 'limit'],
    ['/api/v1/facts?place=Afghanistan', 'place'],
    ['/api/v1/facts?place=a,,b', 'place'],
    ['/api/v1/facts?source=-1', 'source'],
    ['/api/v1/facts?cursor=not%20a%20cursor', 'cursor'],
    ['/api/v1/facts?frm=1990', 'frm'],
    ['/api/v1/facts?from=1990&from=1991', 'from'],
    ['/api/v1/places?kind=planet', 'kind'],
    ['/api/v1/series/afghanistan/population?format=xml', 'format'],
  ];
  for (const [p, name] of cases) {
    const r = await get(p);
    assert.equal(r.status, 400, p);
    assert.equal(r.type, 'application/problem+json', p);
    assert.ok(r.json.detail.includes(`'${name}'`), `${p}: ${r.json.detail}`);
    assert.equal(r.json.errors[0].parameter, name);
  }
  // Well-formed base64url that is no cursor of ours: the database says so.
  const r = await get('/api/v1/facts?cursor=Zm9v');
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /cursor/);
});

test('unknown filters are 404s naming what is missing', async () => {
  const r = await get('/api/v1/facts?place=afghanistan,atlantis');
  assert.equal(r.status, 404);
  assert.match(r.json.detail, /atlantis/);
});

test('CSV face: format=csv and Accept: text/csv', async () => {
  const a = await get('/api/v1/series/afghanistan/population?format=csv');
  assert.equal(a.status, 200);
  assert.equal(a.type, 'text/csv; charset=utf-8');
  const lines = a.text.trim().split('\n');
  assert.equal(lines[0], 'place,variable,year,value,unit,source,source_title,note');
  assert.equal(lines.length, 12);
  assert.match(lines[1], /^afghanistan,population,1955,7971931,persons,https:/);
  const b = await get('/api/v1/places', { accept: 'text/csv' });
  assert.equal(b.type, 'text/csv; charset=utf-8');
  assert.equal(b.text.split('\n')[0], 'slug,name,kind,parent');
});

test('CSV pages link the next in a Link header, with the same parameters', async () => {
  const all = (await get('/api/v1/facts?place=afghanistan&format=csv&limit=10000')).text;
  let url = '/api/v1/facts?place=afghanistan&format=csv&limit=10';
  const rows = [];
  let pages = 0;
  for (;;) {
    const r = await get(url);
    assert.equal(r.status, 200, url);
    const lines = r.text.trim().split('\n');
    if (pages === 0) rows.push(lines[0]);
    rows.push(...lines.slice(1));
    pages++;
    const link = r.headers.get('link');
    if (link === null) break;
    const m = link.match(/^<([^>]+)>; rel="next"$/);
    assert.ok(m, link);
    assert.match(m[1], /^\/api\/v1\/facts\?place=afghanistan&format=csv&limit=10&cursor=[A-Za-z0-9_%-]+$/);
    url = m[1];
  }
  assert.ok(pages > 2);
  assert.equal(rows.join('\n'), all.trim());
});

test('facts CSV imports back unchanged', async () => {
  const r = await get('/api/v1/facts?place=argentina,australia&format=csv&limit=10000');
  const file = tmpfile('facts.csv', r.text);
  const out = cli(['import', file]);
  assert.equal(out.code, 0, out.stderr);
  const s = summary(out.stdout);
  assert.equal(s['facts unchanged'], 66);
  assert.equal(s['facts added'] + s['facts updated'], 0);
});

test('ETag on every GET, 304 on If-None-Match', async () => {
  for (const p of ['/api/v1/series/afghanistan/population',
    '/api/v1/places', '/api/v1/facts?format=csv', '/api/v1/openapi.json']) {
    const r = await get(p);
    const etag = r.headers.get('etag');
    assert.match(etag, /^"[0-9a-f]{32}"$/, p);
    const again = await get(p, { 'if-none-match': etag });
    assert.equal(again.status, 304, p);
    assert.equal(again.text, '');
    const other = await get(p, { 'if-none-match': '"nope"' });
    assert.equal(other.status, 200, p);
  }
});

test('history of a fact, and recent changes', async () => {
  const h = await get('/api/v1/facts/afghanistan/population/1955/history');
  assert.equal(h.status, 200);
  assert.equal(h.json.revisions.length, 1);
  const rev = h.json.revisions[0];
  assert.equal(rev.action, 'create');
  assert.equal(rev.old, null);
  assert.equal(rev.new.value, 7971931);
  assert.equal(rev.user, 'system');
  assert.equal((await get('/api/v1/facts/afghanistan/population/1956/history')).status, 404);
  const c = await get('/api/v1/changes?limit=100');
  const demo = c.json.data[c.json.data.length - 1];
  assert.equal(demo.kind, 'import');
  assert.equal(demo.facts_added, 2046);
  assert.match(demo.comment, /Gapminder/);
});

test('recent changes by kind and by user', async () => {
  const imports = await get('/api/v1/changes?kind=import&limit=10000');
  assert.equal(imports.status, 200);
  assert.ok(imports.json.data.length > 0);
  assert.ok(imports.json.data.every((c) => c.kind === 'import'));
  const system = await get('/api/v1/changes?user=system&limit=10000');
  assert.ok(system.json.data.length > 0);
  assert.ok(system.json.data.every((c) => c.user === 'system'));
  const csv = await get('/api/v1/changes?kind=import&user=system&format=csv');
  assert.equal(csv.text.split('\n')[0], 'id,at,user,kind,comment,facts_added,facts_updated,facts_deleted');
  const bad = await get('/api/v1/changes?kind=vandalism');
  assert.equal(bad.status, 400);
  assert.match(bad.json.detail, /kind.*one of edit, delete, revert, import, protect, unprotect/);
  const nobody = await get('/api/v1/changes?user=nobody-at-all');
  assert.equal(nobody.status, 404);
  assert.match(nobody.json.detail, /no user 'nobody-at-all'/);
  const page = await get('/changes?kind=import&user=system');
  assert.equal(page.status, 200);
  assert.match(page.text, /<option value="import" selected>/);
  assert.match(page.text, /name="user" value="system"/);
});

test('history of a place, variable or source: none for what an import made', async () => {
  for (const [p, name] of [['/api/v1/places/afghanistan/history', 'Afghanistan'],
    ['/api/v1/variables/population/history', 'population']]) {
    const r = await get(p);
    assert.equal(r.status, 200, p);
    assert.equal(r.json.name, name);
    assert.deepEqual(r.json.revisions, []);
  }
  const src = (await get('/api/v1/sources')).json.data[0];
  const s = await get(`/api/v1/sources/${src.id}/history?format=csv`);
  assert.equal(s.type, 'text/csv; charset=utf-8');
  assert.equal(s.text, 'revision,action,at,user,comment,change\n');
  assert.equal((await get('/api/v1/places/atlantis/history')).status, 404);
  assert.equal((await get('/api/v1/sources/999999999/history')).status, 404);
  const bad = await get('/api/v1/places/afghanistan/history?from=1');
  assert.equal(bad.status, 400);
  assert.match(bad.json.detail, /from/);
});

test('openapi.json describes every endpoint', async () => {
  const r = await get('/api/v1/openapi.json');
  assert.equal(r.status, 200);
  for (const p of ['/api/v1/places', '/api/v1/places/{slug}', '/api/v1/variables',
    '/api/v1/variables/{slug}', '/api/v1/sources', '/api/v1/sources/{id}',
    '/api/v1/facts', '/api/v1/series/{place}/{variable}',
    '/api/v1/facts/{place}/{variable}/{year}/history', '/api/v1/changes',
    '/api/v1/places/{slug}/history', '/api/v1/variables/{slug}/history',
    '/api/v1/sources/{id}/history']) {
    assert.ok(r.json.paths[p], p);
  }
});

test('never an HTML error on /api', async () => {
  const r = await get('/api/v1/nothing-here');
  assert.equal(r.status, 404);
  assert.equal(r.type, 'application/problem+json');
  const m = await fetch(process.env.FW_URL + '/api/v1/places', { method: 'DELETE' });
  assert.equal(m.status, 405);
  assert.equal(m.headers.get('content-type'), 'application/problem+json');
});
