// The write API: POST /api/v1/facts, DELETE /api/v1/facts/{p}/{v}/{y},
// POST /api/v1/imports; and the forms behind revert and protect.
// Credentials, CSRF, optimistic concurrency (409 with the current fact),
// field errors (422), exact values, history, protected series.
// Everything here is about places made for this run ("t-wr-...").
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const http = require('node:http');
const { spawnSync } = require('node:child_process');
const { BASE, Browser, account, call, needsDatabase } = require('./helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const GD3 = 'https://www.gapminder.org/data/documentation/gd003/';
const PLACE = `t-wr-${RUN}`;
const VAR = `t-wr-v-${RUN}`;
const PASSWORD = `write test ${RUN}`;

const newUser = (role) => account(`wr${RUN}${role}`, PASSWORD, role);

const editor = newUser('editor');
const curator = newUser('curator');

const save = (fact, token = editor.token) =>
  call('POST', '/api/v1/facts', { token, json: fact });
const fact = (year, extra = {}) => ({
  place: PLACE, variable: VAR, year, value: '1', source: GD3, ...extra,
});
const importCsv = (csv, query = '', token = editor.token) =>
  call('POST', `/api/v1/imports${query}`, {
    token, body: csv, headers: { 'content-type': 'text/csv' },
  });
const lastChange = async () => (await call('GET', '/api/v1/changes?limit=1')).json.data[0].id;
const history = async (year) =>
  (await call('GET', `/api/v1/facts/${PLACE}/${VAR}/${year}/history`)).json;

const signIn = (user) => new Browser().signIn(user.name, PASSWORD);

test.before(async () => {
  // The place and variable of this run, made as an import makes them.
  const r = await importCsv(`place,variable,year,value,unit,source\n${PLACE},${VAR},1000,1,things,${GD3}\n`,
    '?create_missing=true&comment=setup');
  assert.equal(r.status, 200, r.text);
});

test('writes need credentials: 401 without, or with a token that is not one', async () => {
  let r = await save(fact(1901), null);
  assert.equal(r.status, 401);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.match(r.json.detail, /sign in, or send an API token/);
  r = await save(fact(1901), 'fw_' + 'x'.repeat(43));
  assert.equal(r.status, 401);
  r = await call('DELETE', `/api/v1/facts/${PLACE}/${VAR}/1000?revision=1`);
  assert.equal(r.status, 401);
  r = await importCsv('place,variable,year,value,source\n', '', null);
  assert.equal(r.status, 401);
  r = await save(fact(1901));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.action, 'create');
  assert.equal(r.json.fact.updated_by, editor.name);
});

test('a session cookie writes only with its CSRF token', async () => {
  const s = await signIn(editor);
  const send = (headers) => s.request('POST', '/api/v1/facts', { json: fact(1902), headers });
  let r = await send({});
  assert.equal(r.status, 403, r.text);
  assert.match(r.json.detail, /CSRF/);
  r = await send({ 'x-csrf-token': 'fw_' + 'y'.repeat(43) });
  assert.equal(r.status, 403);
  r = await send({ 'x-csrf-token': s.csrf });
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.fact.updated_by, editor.name);
  // Tokens need none: a browser never sends them on its own.
  r = await save(fact(1903));
  assert.equal(r.status, 201);
});

test('an update names the revision it read; a stale one is a 409 with the current fact', async () => {
  let r = await save(fact(1910, { value: '100', comment: 'first' }));
  assert.equal(r.status, 201);
  assert.equal(r.json.revision, 1);
  r = await save(fact(1910, { value: '101', revision: 1, comment: 'second' }));
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.action, 'update');
  assert.equal(r.json.revision, 2);
  // Another writer read revision 1 too.
  r = await save(fact(1910, { value: '999', revision: 1 }), curator.token);
  assert.equal(r.status, 409, r.text);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.match(r.json.detail, /revision 2/);
  assert.equal(r.json.revision, 2);
  assert.equal(r.json.current.value, 101);
  assert.equal(r.json.current.revision, 2);
  assert.equal(r.json.current.comment, 'second');
  assert.equal(r.json.current.updated_by, editor.name);
  // Creating what exists is a conflict too, not an overwrite.
  r = await save(fact(1910, { value: '5' }));
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /exists already/);
  // Nothing was lost: the value is the second writer's.
  const h = await history(1910);
  assert.deepEqual(h.revisions.map((x) => x.new.value), [101, 100]);
  // The same content again writes nothing.
  const before = await lastChange();
  r = await save(fact(1910, { value: '101', revision: 2 }));
  assert.equal(r.status, 200);
  assert.equal(r.json.action, 'unchanged');
  assert.equal(r.json.change, null);
  assert.equal(await lastChange(), before);
});

test('twenty writers at once on one revision: one wins, nineteen get a 409', async () => {
  let r = await save(fact(1911, { value: '1' }));
  assert.equal(r.status, 201);
  // And twenty creating one fact at once: one creates it.
  const made = await Promise.all(Array.from({ length: 20 },
    (_, i) => save(fact(1912, { value: String(i) }), i % 2 ? curator.token : editor.token)));
  assert.deepEqual(made.map((x) => x.status).sort(), [201, ...Array(19).fill(409)]);
  const saved = await Promise.all(Array.from({ length: 20 },
    (_, i) => save(fact(1911, { value: String(100 + i), revision: 1 }), i % 2 ? curator.token : editor.token)));
  assert.deepEqual(saved.map((x) => x.status).sort(), [200, ...Array(19).fill(409)]);
  const winner = saved.find((x) => x.status === 200).json.fact.value;
  for (const lost of saved.filter((x) => x.status === 409)) assert.equal(lost.json.current.value, winner);
  assert.deepEqual((await history(1911)).revisions.map((x) => x.new.value), [winner, 1]);
  assert.equal((await history(1912)).revisions.length, 1);
});

test('a conflict shows the current value with its exact digits, as every answer does', async () => {
  let r = await save(fact(1913, { value: '2.50' }));
  assert.equal(r.status, 201);
  r = await save(fact(1913, { value: '12345678901234567890.10' }));
  assert.equal(r.status, 409);
  assert.match(r.text, /"value" ?: ?2\.50[,}]/);
  r = await save(fact(1913, { value: '12345678901234567890.10', revision: 1 }));
  assert.equal(r.status, 200, r.text);
  r = await save(fact(1913, { value: '3', revision: 1 }));
  assert.equal(r.status, 409);
  assert.equal(r.headers.get('content-type'), 'application/problem+json');
  assert.equal(r.json.type, 'about:blank');
  assert.equal(r.json.title, 'Conflict');
  assert.equal(r.json.status, 409);
  assert.match(r.text, /"value" ?: ?12345678901234567890\.10[,}]/);
});

test('bad values are 422 with every field error, in the importer\'s words', async () => {
  const bad = async (extra, field, pattern) => {
    const r = await save(fact(1920, extra));
    assert.equal(r.status, 422, `${JSON.stringify(extra)}: ${r.text}`);
    const e = r.json.errors.find((x) => x.field === field);
    assert.ok(e, `no error for ${field}: ${r.text}`);
    assert.match(e.message, pattern);
    return r.json;
  };
  await bad({ value: '1,234' }, 'value', /thousands separators/);
  await bad({ value: '12abc' }, 'value', /not a number/);
  await bad({ value: 'NaN' }, 'value', /NaN/);
  await bad({ value: '' }, 'value', /a value is required/);
  await bad({ year: 2020.5 }, 'year', /a year is a whole number/);
  await bad({ year: '99999' }, 'year', /-9999/);
  await bad({ source: '#99999999' }, 'source', /no source #99999999 exists/);
  await bad({ source: 'https://nowhere.example/x' }, 'source', /no source has the URL/);
  await bad({ source: 'gapminder.org' }, 'source', /http\(s\) URL or #ID/);
  await bad({ place: 'Atlantis' }, 'place', /no place 'atlantis' exists/);
  await bad({ value: true }, 'value', /a string or a number/);
  await bad({ colour: 'red' }, 'colour', /unknown field/);
  const all = await bad({ value: '1,234', year: 2020.5, note: 'a\u0007b' }, 'note', /control character/);
  assert.equal(all.errors.length, 3);
  assert.equal(all.errors.find((x) => x.field === 'year').message,
    'a year is a whole number, as in 2020');
  // Not JSON, or not an object: 400; not JSON at all: 415.
  let r = await call('POST', '/api/v1/facts', { token: editor.token, json: '{"place": ' });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /not JSON/);
  r = await call('POST', '/api/v1/facts', { token: editor.token, json: '[1]' });
  assert.equal(r.status, 400);
  r = await call('POST', '/api/v1/facts', {
    token: editor.token, body: 'place=x', headers: { 'content-type': 'application/x-www-form-urlencoded' },
  });
  assert.equal(r.status, 415);
});

// One reader for every JSON body: the same mistake gets the same answer on
// each route, with the route's own limit, which the OpenAPI document states.
test('every JSON body is read alike: empty, not JSON, not an object, too long, not sent as JSON', async () => {
  const api = (await call('GET', '/api/v1/openapi.json')).json;
  const made = await call('POST', '/api/v1/proposals', {
    token: editor.token,
    json: {
      title: `Bodies ${RUN}`, project: 'x', cost: '1.00', currency: 'EUR', max_bid: '2000.00',
      closes_at: new Date(Date.now() + 86400e3).toISOString(),
    },
  });
  assert.equal(made.status, 201, made.text);
  const routes = [['POST', '/api/v1/facts', '/api/v1/facts'], ['POST', '/api/v1/proposals', '/api/v1/proposals'],
    ['PUT', `/api/v1/proposals/${made.json.slug}/bid`, '/api/v1/proposals/{slug}/bid']];
  for (const [method, p, documented] of routes) {
    const send = (body, type = 'application/json') =>
      call(method, p, { token: editor.token, body, headers: { 'content-type': type } });
    let r = await send('');
    assert.equal(r.status, 400, `${p}: ${r.text}`);
    assert.equal(r.json.detail, 'the body is not JSON: it is empty');
    r = await send('{"place": ');
    assert.equal(r.status, 400, `${p}: ${r.text}`);
    assert.match(r.json.detail, /^the body is not JSON: .+ \(line 1, column \d+\)$/);
    r = await send('{"a": "1", "a": "2"}');
    assert.equal(r.status, 400, `${p}: ${r.text}`);
    assert.match(r.json.detail, /^the body is not JSON: duplicate/);
    r = await send('[1]');
    assert.equal(r.status, 400, `${p}: ${r.text}`);
    assert.equal(r.json.detail, 'the body must be a JSON object');
    r = await send(JSON.stringify({ note: 'x'.repeat(512 * 1024) }));
    assert.equal(r.status, 413, `${p}: ${r.text}`);
    const max = /^the body is longer than (\d+) bytes$/.exec(r.json.detail);
    assert.ok(max, `${p}: ${r.json.detail}`);
    assert.equal(api.paths[documented][method.toLowerCase()].responses['413'].description,
      `The body is longer than ${max[1]} bytes.`);
    r = await send('{}', 'application/x-www-form-urlencoded');
    assert.equal(r.status, 415, `${p}: ${r.text}`);
    assert.equal(r.json.detail, 'send JSON (Content-Type: application/json)');
  }
});

test('values: strings are exact; numbers are their shortest decimal, 15 digits at most', async () => {
  let r = await save(fact(1930, { value: -0.18 }));
  assert.equal(r.status, 201, r.text);
  assert.match(r.text, /"value" : -0\.18,/);
  r = await save(fact(1931, { value: 0.1234567890123456789 }));
  assert.equal(r.status, 422);
  assert.match(r.json.errors[0].message, /more than 15 significant digits.*JSON string/);
  r = await save(fact(1931, { value: '0.1234567890123456789' }));
  assert.equal(r.status, 201);
  r = await save(fact(1932, { value: '2.50' }));
  assert.equal(r.status, 201);
  r = await save(fact(1933, { value: '1.5e6', year: '1933', source: 1 }));
  assert.equal(r.status, 201, r.text);
  assert.equal(r.json.fact.source.id, 1);
  const rows = await call('GET', `/api/v1/facts?place=${PLACE}&from=1930&to=1933`);
  assert.match(rows.text, /"value" : -0\.18,/);
  assert.match(rows.text, /"value" : 0\.1234567890123456789,/);
  assert.match(rows.text, /"value" : 2\.50,/);
  assert.match(rows.text, /"value" : 1500000,/);
});

test('delete with the revision read; the history keeps it; a curator\'s revert restores it', async () => {
  let r = await save(fact(1940, { value: '40', note: 'kept', comment: 'made' }));
  assert.equal(r.status, 201);
  const path = `/api/v1/facts/${PLACE}/${VAR}/1940`;
  r = await call('DELETE', path, { token: editor.token });
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /revision/);
  r = await save(fact(1940, { value: '41', revision: 1 }));
  assert.equal(r.status, 200);
  r = await call('DELETE', `${path}?revision=1`, { token: editor.token });
  assert.equal(r.status, 409);
  assert.equal(r.json.current.value, 41);
  r = await call('DELETE', `${path}?revision=2&comment=wrong%20year`, { token: editor.token });
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.action, 'delete');
  assert.equal(r.json.revision, 3);
  assert.equal(r.json.fact, null);
  r = await call('DELETE', `${path}?revision=3`, { token: editor.token });
  assert.equal(r.status, 409);
  assert.equal(r.json.current, null);
  const gone = await call('GET', `/api/v1/facts?place=${PLACE}&from=1940&to=1940`);
  assert.equal(gone.json.data.length, 0);

  // Revert is for curators; it is a form on the history page.
  const ed = await signIn(editor);
  r = await ed.form(`/facts/${PLACE}/${VAR}/1940/revert`, { revision: '2', comment: 'x' });
  assert.equal(r.status, 403);
  // The refusal still shows who is signed in.
  assert.match(r.text, />Sign out</);
  assert.ok(r.text.includes(editor.name), 'the 403 page names the editor signed in');
  const cu = await signIn(curator);
  r = await cu.form(`/facts/${PLACE}/${VAR}/1940/revert`, { revision: '2', comment: 'it was right' });
  assert.equal(r.status, 303, r.text);
  assert.equal(r.headers.get('location'), `/facts/${PLACE}/${VAR}/1940/history`);
  r = await cu.form(`/facts/${PLACE}/${VAR}/1940/revert`, { revision: '2', comment: 'again' });
  assert.equal(r.status, 409);
  r = await cu.post(`/facts/${PLACE}/${VAR}/1940/revert`, { csrf: 'fw_' + 'z'.repeat(43), revision: '1' });
  assert.equal(r.status, 403);

  const h = await history(1940);
  assert.deepEqual(h.revisions.map((x) => [x.revision, x.action, x.user, x.comment]), [
    [4, 'restore', curator.name, 'it was right'],
    [3, 'delete', editor.name, 'wrong year'],
    [2, 'update', editor.name, ''],
    [1, 'create', editor.name, 'made'],
  ]);
  // Full old and new content in every revision.
  assert.deepEqual(h.revisions[1].old, { value: 41, source: 1, note: 'kept' });
  assert.equal(h.revisions[1].new, null);
  assert.deepEqual(h.revisions[0].new, { value: 41, source: 1, note: 'kept' });
  assert.equal(h.revisions[0].old, null);
  // And in recent changes, with who and why.
  const changes = (await call('GET', '/api/v1/changes?limit=5')).json.data;
  const revert = changes.find((c) => c.kind === 'revert');
  assert.equal(revert.user, curator.name);
  assert.equal(revert.comment, 'it was right');
  assert.equal(revert.fact.year, 1940);
});

test('a protected series: curators only, through every door', async () => {
  const cu = await signIn(curator);
  const ed = await signIn(editor);
  let r = await save(fact(1950, { value: '50' }));
  assert.equal(r.status, 201);
  r = await ed.form(`/series/${PLACE}/${VAR}/protect`, { comment: 'mine' });
  assert.equal(r.status, 403);
  r = await cu.form(`/series/${PLACE}/${VAR}/protect`, { comment: 'vandalism' });
  assert.equal(r.status, 303, r.text);
  try {
    r = await save(fact(1950, { value: '51', revision: 1 }));
    assert.equal(r.status, 403);
    assert.match(r.json.detail, /protected/);
    r = await call('DELETE', `/api/v1/facts/${PLACE}/${VAR}/1950?revision=1`, { token: editor.token });
    assert.equal(r.status, 403);
    // An import says so at the line, in its dry run too; one that
    // leaves the series as it is passes.
    const csv = `place,variable,year,value,source\n${PLACE},${VAR},1950,50,${GD3}\n` +
      `${PLACE},${VAR},1950,52,${GD3}\n`.replace('1950', '1951');
    for (const query of ['?dry_run=true', '']) {
      r = await importCsv(csv, query);
      assert.equal(r.status, 422, r.text);
      assert.deepEqual(r.json.errors.map((e) => [e.line, e.message]),
        [[3, `the series ${PLACE}/${VAR} is protected: only a curator can change its facts`]]);
    }
    r = await importCsv(csv.split('\n').slice(0, 2).join('\n'), '?dry_run=true');
    assert.equal(r.status, 200, r.text);
    assert.equal(r.json.unchanged, 1);
    r = await save(fact(1950, { value: '53', revision: 1 }), curator.token);
    assert.equal(r.status, 200, r.text);
    const changes = (await call('GET', '/api/v1/changes?limit=3')).json.data;
    const p = changes.find((c) => c.kind === 'protect');
    assert.equal(p.comment, 'vandalism');
    assert.equal(p.subject.type, 'series');
    assert.equal(p.subject.place, PLACE);
  } finally {
    r = await cu.form(`/series/${PLACE}/${VAR}/unprotect`, { comment: 'calm again' });
    assert.equal(r.status, 303);
  }
  r = await save(fact(1950, { value: '54', revision: 2 }));
  assert.equal(r.status, 200, r.text);
});

// One message, however the change comes: a write, a delete, an import, or
// a statement on a connection that writes for an editor, which the
// database's trigger refuses.
test('a protected series is refused in the same words by every door', needsDatabase, async () => {
  const cu = await signIn(curator);
  let r = await save(fact(1955, { value: '5' }));
  assert.equal(r.status, 201, r.text);
  r = await cu.form(`/series/${PLACE}/${VAR}/protect`, { comment: 'one message' });
  assert.equal(r.status, 303, r.text);
  try {
    const refusals = [];
    r = await save(fact(1955, { value: '6', revision: 1 }));
    assert.equal(r.status, 403, r.text);
    refusals.push(r.json.detail);
    r = await call('DELETE', `/api/v1/facts/${PLACE}/${VAR}/1955?revision=1`, { token: editor.token });
    assert.equal(r.status, 403, r.text);
    refusals.push(r.json.detail);
    r = await importCsv(`place,variable,year,value,source\n${PLACE},${VAR},1955,7,${GD3}\n`);
    assert.equal(r.status, 422, r.text);
    refusals.push(r.json.errors[0].message);
    const db = spawnSync('psql', [process.env.DATABASE_URL, '-Atc',
      `select set_config('factwiki.role', 'editor', true);
       update facts set value = 8 where year = 1955
       and place_id = (select id from places where slug = '${PLACE}')
       and variable_id = (select id from variables where slug = '${VAR}')`],
    { encoding: 'utf8' });
    assert.notEqual(db.status, 0, db.stdout);
    refusals.push(db.stderr.match(/ERROR:\s+(.*)/)[1]);
    assert.deepEqual(refusals, Array(4).fill(refusals[0]));
    assert.match(refusals[0], new RegExp(`^the series ${PLACE}/${VAR} is protected`));
    r = await call('GET', `/api/v1/facts/${PLACE}/${VAR}/1955/history`);
    assert.equal(r.json.revisions.length, 1);
  } finally {
    r = await cu.form(`/series/${PLACE}/${VAR}/unprotect`, { comment: 'one message' });
    assert.equal(r.status, 303);
  }
});

test('imports: a dry run writes nothing; errors come with their lines; importing again changes nothing', async () => {
  const head = 'place,variable,year,value,source\n';
  const before = await lastChange();
  let r = await importCsv(`${head}${PLACE},${VAR},1960,1,${GD3}\n${PLACE},${VAR},1961,12abc,${GD3}\n` +
    `${PLACE},${VAR},1962,"1,234",${GD3}\n`, '?dry_run=true');
  assert.equal(r.status, 422, r.text);
  assert.equal(r.json.error_count, 2);
  assert.deepEqual(r.json.errors.map((e) => [e.line, e.column]), [[3, 'value'], [4, 'value']]);
  assert.match(r.json.errors[1].message, /thousands separators/);
  assert.match(r.json.detail, /2 errors: nothing was imported/);

  const good = `${head}${PLACE},${VAR},1960,1,${GD3}\n${PLACE},${VAR},1961,2.50,${GD3}\n`;
  r = await importCsv(good, '?dry_run=true');
  assert.equal(r.status, 200, r.text);
  assert.deepEqual(r.json, {
    rows: 2, added: 2, updated: 0, unchanged: 0, places_created: 0,
    variables_created: 0, sources_created: 0, change: null, dry_run: true,
  });
  assert.equal(await lastChange(), before);

  r = await importCsv(good, '?comment=two%20facts');
  assert.equal(r.status, 200, r.text);
  assert.equal(r.json.added, 2);
  assert.ok(r.json.change > before);
  const change = (await call('GET', '/api/v1/changes?limit=1')).json.data[0];
  assert.equal(change.id, r.json.change);
  assert.equal(change.user, editor.name);
  assert.equal(change.comment, 'two facts');

  r = await importCsv(good);
  assert.equal(r.status, 200);
  assert.equal(r.json.change, null);
  assert.equal(r.json.unchanged, 2);
  assert.equal(await lastChange(), change.id);

  r = await importCsv(`${head}Atlantis-${RUN},${VAR},1960,1,${GD3}\n`);
  assert.equal(r.status, 422);
  assert.match(r.json.errors[0].message, /create-missing/);
  r = await importCsv('', '');
  assert.equal(r.status, 422);
  assert.equal(r.json.errors[0].line, 0);

  r = await importCsv(good, '?dry_run=maybe');
  assert.equal(r.status, 400);
  assert.match(r.json.detail, /dry_run.*true or false/);
  r = await call('POST', '/api/v1/imports', { token: editor.token, json: {} });
  assert.equal(r.status, 415);
  r = await call('GET', '/api/v1/imports');
  assert.equal(r.status, 405);
});

test('an import of more than 64 MiB is refused with 413', async () => {
  const size = 64 * 1024 * 1024 + 1;
  const status = await new Promise((resolve, reject) => {
    const req = http.request(`${BASE}/api/v1/imports`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${editor.token}`, 'content-type': 'text/csv',
        'content-length': size,
      },
    }, (res) => {
      res.resume();
      resolve(res.statusCode);
      req.destroy();
    });
    // The server answers before the body has gone: stop sending then.
    req.on('error', reject);
    req.write(Buffer.alloc(64 * 1024, 'x'));
  });
  assert.equal(status, 413);
});

test('a place form shown again keeps the revision it was read at: a save meanwhile is still a conflict', async () => {
  const ed = await signIn(editor);
  const cu = await signIn(curator);
  const path = `/places/${PLACE}/edit`;
  const base = { base: '0', kind: 'other' };
  let r = await cu.form(path, { ...base, name: `Theirs ${RUN}`, comment: 'theirs' });
  assert.equal(r.status, 303, r.text);
  // The editor read it before that save: a mistake, a preview, the save.
  r = await ed.form(path, { ...base, name: '', comment: 'mine' });
  assert.equal(r.status, 422);
  assert.match(r.text, /<input type="hidden" name="base" value="0">/);
  r = await ed.form(path, { ...base, name: `Mine ${RUN}`, description: '*mine*', preview: '1' });
  assert.equal(r.status, 200);
  assert.match(r.text, /<input type="hidden" name="base" value="0">/);
  assert.match(r.text, /<section class="preview"[^]*<em>mine<\/em>/);
  assert.equal((await call('GET', `/api/v1/places/${PLACE}`)).json.name, `Theirs ${RUN}`);
  r = await ed.form(path, { ...base, name: `Mine ${RUN}`, comment: 'mine' });
  assert.equal(r.status, 409);
  assert.match(r.text, new RegExp(`Theirs ${RUN}`));
  assert.match(r.text, /<input type="hidden" name="base" value="1">/);
});

test('a form posted urlencoded keeps line breaks and every "=", and a field it cannot take is named, not dropped', async () => {
  const ed = await signIn(editor);
  let r = await ed.form('/facts/new', {
    place: PLACE, variable: VAR, year: '1977', value: '7', source: GD3,
    note: 'two\r\nlines\nand a=b', comment: 'x=1, y=2',
  });
  assert.equal(r.status, 303, r.text);
  const obs = (await call('GET', `/api/v1/series/${PLACE}/${VAR}?from=1977&to=1977`)).json.observations;
  assert.equal(obs[0].note, 'two\nlines\nand a=b');
  const h = await history(1977);
  assert.equal(h.revisions[0].comment, 'x=1, y=2');
  // Kore would drop a NUL, and the note would be saved empty: 400 instead.
  r = await ed.request('POST', '/facts/new', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: `csrf=${ed.csrf}&place=${PLACE}&variable=${VAR}&year=1978&value=8&source=${encodeURIComponent(GD3)}&note=a%00b`,
  });
  assert.equal(r.status, 400, r.text);
  assert.match(r.text, /the field &#39;note&#39; holds a NUL byte|the field 'note' holds a NUL byte/);
  assert.equal((await call('GET', `/api/v1/series/${PLACE}/${VAR}?from=1978&to=1978`)).json.observations.length, 0);
});
