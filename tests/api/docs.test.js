// Series documents (sql/015_series_docs.sql): the server makes them in the
// background, and an answer read from one is the answer made from the
// rows, to the byte.  A write deletes the documents it changes in its own
// transaction, so none is ever read stale.  Looks into the database with
// psql (DATABASE_URL).
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const { account, call, needsDatabase, psql } = require('./helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const SRC = `https://example.org/docs-${RUN}`;
const PLACES = [`t-doc-a-${RUN}`, `t-doc-b-${RUN}`];
const VAR = `t-doc-v-${RUN}`;

const ids = (place) => `(select id from places where slug = '${place}'), (select id from variables where slug = '${VAR}')`;
// A series' document as JSON (its observations and page sources), or null
// while it has none.
const docOf = (place) => {
  const text = psql(`select json_build_object('observations', observations::json,
    'sources', page_sources::json) from series_docs where (place_id, variable_id) = (${ids(place)})`);
  return text === '' ? null : JSON.parse(text);
};
const yearsOf = (doc) => doc.observations.map((o) => o.year);
const hasDoc = (place) => docOf(place) !== null;

// Until the server has made every stale series' document.
async function settled() {
  for (let i = 0; i < 300; i++) {
    if (psql('select count(*) from series_stale') === '0') return;
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.fail('the server made no series documents in 30 s');
}

// Every answer each kind of read makes from a document, against the same
// read with no document: none differs.  In a transaction rolled back, so
// that the documents stay.  Returns how many series were compared.
function compareAll() {
  const out = psql(`
    begin;
    create temp table kept as
    select p.slug as place, v.slug as variable,
      (select x from api.series(p.slug, v.slug, null, null, null, false) x) as json,
      (select x from api.series_page(p.slug, v.slug, null, null, null, true) x) as page,
      (select x::text from api.chart(p.slug, v.slug, null, null, null) x) as chart
    from series_docs d join places p on p.id = d.place_id join variables v on v.id = d.variable_id;
    delete from series_docs;
    select count(*) || ' ' || count(*) filter (where
      json is distinct from (select x from api.series(place, variable, null, null, null, false) x) or
      page is distinct from (select x from api.series_page(place, variable, null, null, null, true) x) or
      chart is distinct from (select x::text from api.chart(place, variable, null, null, null) x))
    from kept;
    rollback;`);
  const [all, differ] = out.split('\n').pop().split(' ').map(Number);
  return { all, differ };
}

const editor = account(`doc${RUN}`, `docs test ${RUN}`, 'editor');
const save = (place, year, value, extra = {}) => call('POST', '/api/v1/facts', {
  token: editor.token,
  json: { place, variable: VAR, year, value, source: SRC, ...extra },
});

test.before(async () => {
  if (!process.env.DATABASE_URL) return;
  const csv = ['place,variable,year,value,unit,source,source_title,note']
    .concat(PLACES.flatMap((p) => [2000, 2001, 2002].map((y) => `${p},${VAR},${y},${y}.5,t,${SRC},Docs ${RUN},n ${y}`)))
    .join('\n') + '\n';
  const r = await call('POST', '/api/v1/imports?create_missing=true&comment=docs', {
    token: editor.token, body: csv, headers: { 'content-type': 'text/csv' },
  });
  assert.equal(r.status, 200, r.text);
});

test('the server makes each series its document, and it answers as the rows do', needsDatabase, async () => {
  await settled();
  assert.ok(hasDoc(PLACES[0]) && hasDoc(PLACES[1]));
  const { all, differ } = compareAll();
  assert.ok(all >= 2, `${all} documents compared`);
  assert.equal(differ, 0);
});

test('a write deletes the documents it changes at once, and the next answer has it', needsDatabase, async () => {
  await settled();
  const before = await call('GET', `/api/v1/series/${PLACES[0]}/${VAR}`);
  let r = await save(PLACES[0], 2001, '7.25', { revision: 1 });
  assert.equal(r.status, 200, r.text);
  // No wait: the write's own transaction took the document away; the
  // server may have made it again since, with the write.
  const doc = docOf(PLACES[0]);
  assert.ok(doc === null || doc.observations.find((o) => o.year === 2001).value === 7.25);
  assert.ok(hasDoc(PLACES[1]), 'the other series keeps its document');
  r = await call('GET', `/api/v1/series/${PLACES[0]}/${VAR}`);
  assert.notEqual(r.text, before.text);
  assert.equal(r.json.observations.find((o) => o.year === 2001).value, 7.25);
  await settled();
  assert.ok(hasDoc(PLACES[0]));
  const again = await call('GET', `/api/v1/series/${PLACES[0]}/${VAR}`);
  assert.equal(again.json.observations.find((o) => o.year === 2001).value, 7.25);
  assert.equal(compareAll().differ, 0);
});

test('a deletion, a new year and a source renamed each take the documents away', needsDatabase, async () => {
  await settled();
  let r = await call('DELETE', `/api/v1/facts/${PLACES[1]}/${VAR}/2000?revision=1`, { token: editor.token });
  assert.equal(r.status, 200, r.text);
  let doc = docOf(PLACES[1]);
  assert.ok(doc === null || !yearsOf(doc).includes(2000));
  await settled();
  r = await save(PLACES[1], 2003, '-1e3');
  assert.equal(r.status, 201, r.text);
  doc = docOf(PLACES[1]);
  assert.ok(doc === null || yearsOf(doc).includes(2003));
  await settled();
  assert.ok(hasDoc(PLACES[0]) && hasDoc(PLACES[1]));
  // A note or the like does not show in a series; its title does.  Each
  // in a transaction that looks before it commits: no server can fill
  // in between.
  let out = psql(`begin; update sources set notes = 'seen' where url = '${SRC}';
    select count(*) from series_docs where place_id in (select id from places where slug like 't-doc-_-${RUN}'); commit;`);
  assert.equal(out.split('\n').pop(), '2');
  out = psql(`begin; update sources set title = 'Renamed ${RUN}' where url = '${SRC}';
    select count(*) from series_docs where place_id in (select id from places where slug like 't-doc-_-${RUN}'); commit;`);
  assert.equal(out.split('\n').pop(), '0');
  r = await call('GET', `/series/${PLACES[0]}/${VAR}`);
  assert.match(r.text, new RegExp(`Renamed ${RUN}`));
  await settled();
  r = await call('GET', `/api/v1/series/${PLACES[1]}/${VAR}`);
  assert.deepEqual(r.json.observations.map((o) => o.year), [2001, 2002, 2003]);
  assert.equal(r.json.sources[0].title, `Renamed ${RUN}`);
  assert.equal(compareAll().differ, 0);
});

test('writes racing the server\'s fill leave no document stale', needsDatabase, async () => {
  await settled();
  // Many series stale at once keep the fill busy while edits land.
  psql(`insert into series_stale select place_id, variable_id from facts group by 1, 2 on conflict do nothing`);
  const writes = [];
  for (let year = 2010; year < 2030; year++) {
    writes.push(save(PLACES[year % 2], year, `${year}.125`));
  }
  for (const r of await Promise.all(writes)) assert.equal(r.status, 201, r.text);
  await settled();
  const { all, differ } = compareAll();
  assert.ok(all >= 2);
  assert.equal(differ, 0);
  const r = await call('GET', `/api/v1/series/${PLACES[0]}/${VAR}`);
  assert.equal(r.json.observations.filter((o) => o.year >= 2010).length, 10);
});
