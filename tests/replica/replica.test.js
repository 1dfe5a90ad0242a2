// Beyond one machine, on one: a primary and a streaming standby
// (pg_basebackup -R) on loopback, and factwiki servers on different ports
// against them.  Reads come from the standby, writes reach the primary, an
// editor reads their own writes, the standby can stop under load without
// a failed request, and a cache on one server drops what an edit through
// another changed.  `make test-replica` runs it; it makes its own clusters
// and servers.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, Browser, call, cli, startServer } = require('../api/helpers');

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwreplica-'));
fs.chmodSync(dir, 0o755);
const PRIMARY = path.join(dir, 'primary');
const STANDBY = path.join(dir, 'standby');
const KEY = path.join(dir, 'master.key');
const PASSWORD = 'replica password 1';
const GD3 = 'https://www.gapminder.org/data/documentation/gd003/';
const servers = [];
let primaryUrl;
let standbyUrl;
let editor;

function pg(...args) {
  const r = spawnSync(path.join(ROOT, 'tools/pg.sh'), args, { encoding: 'utf8',
    env: { ...process.env, PG_OPTIONS: '-c fsync=off' } });
  assert.equal(r.status, 0, `pg.sh ${args.join(' ')}: ${r.stderr}`);
  return r.stdout.trim();
}

function psql(url, sql) {
  const r = spawnSync('psql', ['-XAtc', sql, url], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// A server on the primary, reading from the standby unless told not to.
async function server(readsFromStandby = true, env = {}) {
  const s = await startServer({ env: { DATABASE_URL: primaryUrl, FACTWIKI_KEY_FILE: KEY,
    DATABASE_READ_URL: readsFromStandby ? standbyUrl : undefined, ...env } });
  servers.push(s);
  return s;
}

const get = (url, headers = {}) => call('GET', url, { headers });
const lagOf = (r) => r.headers.get('x-replica-lag');
// A page of places no request asked for before: no worker has it kept,
// so it is read from the database, and says from which.
let pageSize = 100;
const unkept = (server) => get(`${server.url}/api/v1/places?limit=${pageSize++}`);

// The editor changes a place's population in 2000, through server.
async function save(server, place, value) {
  const now = await call('GET', `${server.url}/api/v1/series/${place}/population`, { token: editor });
  const { revision } = now.json.observations.find((o) => o.year === 2000);
  const w = await call('POST', `${server.url}/api/v1/facts`, { token: editor,
    json: { place, variable: 'population', year: 2000, value, source: GD3, revision } });
  assert.equal(w.status, 200, w.text);
}

// Asks until check(answer) holds; the last answer, or a failure after ms.
async function until(what, ask, check, ms = 10000) {
  const end = Date.now() + ms;
  for (;;) {
    const r = await ask();
    if (check(r)) return r;
    assert.ok(Date.now() < end, `${what}: not within ${ms} ms (last: ${r.status} ${r.text.slice(0, 200)})`);
    await new Promise((ok) => setTimeout(ok, 50));
  }
}

function population(r) {
  return String(r.json.observations.find((o) => o.year === 2000)?.value);
}

test.before(() => {
  pg('start', PRIMARY);
  primaryUrl = pg('url', PRIMARY);
  const env = { DATABASE_URL: primaryUrl };
  assert.equal(cli(['migrate'], '', env).code, 0);
  const demo = cli(['import', '--create-missing', path.join(ROOT, 'data/gapminder-facts.csv')], '', env);
  assert.equal(demo.code, 0, demo.stderr);
  const add = cli(['user', 'add', 'replica-editor', '--role', 'editor'], `${PASSWORD}\n`, env);
  assert.equal(add.code, 0, add.stderr);
  const tok = cli(['token', 'create', 'replica-editor'], '', env);
  assert.equal(tok.code, 0, tok.stderr);
  editor = tok.stdout.trim();
  pg('standby', STANDBY, PRIMARY);
  standbyUrl = pg('url', STANDBY);
  assert.equal(psql(standbyUrl, 'select pg_is_in_recovery()'), 't');
});

test.after(async () => {
  for (const s of servers) await s.stop();
  spawnSync(path.join(ROOT, 'tools/pg.sh'), ['stop', STANDBY]);
  spawnSync(path.join(ROOT, 'tools/pg.sh'), ['stop', PRIMARY]);
  for (const d of [STANDBY, PRIMARY]) {
    try {
      fs.rmSync(fs.realpathSync(d), { recursive: true, force: true });
    } catch { /* already gone */ }
  }
  fs.rmSync(dir, { recursive: true, force: true });
});

test('anonymous reads come from the standby and say how far behind it is', async () => {
  const a = await server();
  const first = await until('a read from the standby', () => unkept(a), (r) => lagOf(r) !== null);
  assert.equal(first.status, 200);
  assert.match(lagOf(first), /^\d+\.\d{3}$/);
  // The standby's own count of transactions grows with the reads.
  const commits = () => Number(psql(standbyUrl,
    "select xact_commit from pg_stat_database where datname = 'factwiki'"));
  const before = commits();
  for (let i = 1; i <= 30; i++) {
    const r = await unkept(a);
    assert.equal(r.status, 200);
    assert.notEqual(lagOf(r), null);
  }
  await until('the standby counted them', async () => ({ status: 200, text: '', n: commits() }),
    (r) => r.n >= before + 30, 5000);
  // Signed in, one reads the primary: no lag to tell.
  const mine = await call('GET', `${a.url}/api/v1/places?limit=${pageSize++}`, { token: editor });
  assert.equal(mine.status, 200);
  assert.equal(lagOf(mine), null);
});

test('a write reaches the primary; its editor reads it at once; the standby shows it soon', async () => {
  const a = await server();
  for (let i = 1; i <= 10; i++) {
    const value = String(1000000 + i);
    await save(a, 'chile', value);
    assert.equal(psql(primaryUrl, "select value from facts f join places p on p.id = f.place_id " +
      "join variables v on v.id = f.variable_id where p.slug = 'chile' " +
      "and v.slug = 'population' and f.year = 2000"), value);
    // The editor's next read: never without their write.
    const mine = await call('GET', `${a.url}/api/v1/series/chile/population`, { token: editor });
    assert.equal(population(mine), value);
    // Anyone's, from the standby, once it has replayed the write.
    await until('the standby has the write',
      () => get(`${a.url}/api/v1/series/chile/population`), (r) => population(r) === value);
  }
});

test('the standby stops under load: no request fails, reads move to the primary, and back', async () => {
  const a = await server();
  await until('a read from the standby', () => unkept(a), (r) => lagOf(r) !== null);
  let stop = false;
  const codes = [];
  const load = Array.from({ length: 4 }, async (_, k) => {
    for (let i = 0; !stop; i++) {
      const r = await get(`${a.url}/api/v1/series/${['chile', 'norway', 'japan', 'chile'][k]}/population?from=${1900 + (i % 100)}`);
      codes.push(r.status);
    }
  });
  await new Promise((ok) => setTimeout(ok, 500));
  pg('stop', STANDBY);
  await new Promise((ok) => setTimeout(ok, 2000));
  stop = true;
  await Promise.all(load);
  assert.ok(codes.length > 50, `${codes.length} requests`);
  assert.deepEqual([...new Set(codes)], [200], 'every request answered 200');
  const after = await unkept(a);
  assert.equal(after.status, 200);
  assert.equal(lagOf(after), null, 'read on the primary');
  pg('start', STANDBY);
  try {
    await until('reads back on the standby', () => unkept(a), (r) => lagOf(r) !== null, 20000);
  } catch (e) {
    e.message += `\nthe server's log of its standby:\n${a.log().split('\n').filter((l) => /standby/.test(l)).join('\n')}`;
    throw e;
  }
});

test('a standby too far behind gets no reads until it has caught up', async () => {
  const a = await server(true, { FACTWIKI_MAX_LAG: '1' });
  await until('a read from the standby', () => unkept(a), (r) => lagOf(r) !== null);
  psql(standbyUrl, 'select pg_wal_replay_pause()');
  const value = String(120000000 + Math.floor(Math.random() * 1000));
  try {
    await save(a, 'japan', value);
    await until('reads off the standby', () => unkept(a), (r) => lagOf(r) === null, 5000);
    const anyone = await get(`${a.url}/api/v1/series/japan/population`);
    assert.equal(population(anyone), value, 'read on the primary: the write is there');
  } finally {
    psql(standbyUrl, 'select pg_wal_replay_resume()');
  }
  await until('reads back on the standby', () => unkept(a), (r) => lagOf(r) !== null);
});

test('a cache on server B drops an answer that an edit through server A changed', async () => {
  const a = await server();
  // B alone on the primary, so that only its cache can be stale.
  const b = await server(false);
  const series = `${b.url}/api/v1/series/norway/population`;
  const old = await get(series);
  const again = await get(series, { 'if-none-match': old.headers.get('etag') });
  assert.equal(again.status, 304, 'B keeps the answer');
  const value = String(4000000 + Math.floor(Math.random() * 1000));
  await save(a, 'norway', value);
  const fresh = await until('B shows the edit', () => get(series), (r) => population(r) === value, 3000);
  assert.notEqual(fresh.headers.get('etag'), old.headers.get('etag'));
  const stale = await get(series, { 'if-none-match': old.headers.get('etag') });
  assert.equal(stale.status, 200, 'the old ETag no longer matches');
});

test('two servers are one site: a form from one posts to the other, a session and a sign-in throttle hold on both', async () => {
  const a = await server();
  const b = await server();
  const browser = new Browser();
  const login = await browser.request('GET', `${a.url}/login`);
  assert.equal(login.status, 200);
  const csrf = (login.text.match(/name="csrf" value="([^"]*)"/) || [])[1];
  assert.ok(csrf);
  const done = await browser.request('POST', `${b.url}/login`,
    { form: { csrf, name: 'replica-editor', password: PASSWORD } });
  assert.equal(done.status, 303, done.text);
  assert.equal((await browser.request('GET', `${a.url}/account`)).status, 200);
  // Sign-in throttles are rows too: three wrong passwords through A, and B
  // makes the next sign-in from that address wait.
  const signIn = async (s, password) => {
    const b2 = new Browser();
    const form = await b2.request('GET', `${s.url}/login`);
    const token = (form.text.match(/name="csrf" value="([^"]*)"/) || [])[1];
    return b2.request('POST', `${s.url}/login`, { form: { csrf: token, name: 'replica-editor', password } });
  };
  for (let i = 0; i < 3; i++) assert.equal((await signIn(a, 'wrong password')).status, 401);
  const held = await signIn(b, PASSWORD);
  assert.equal(held.status, 429, held.text);
  assert.ok(Number(held.headers.get('retry-after')) > 0);
  const account = await browser.request('GET', `${b.url}/account`);
  assert.equal(account.status, 200);
  assert.match(account.text, /replica-editor/);
  assert.equal(lagOf(account), null, 'signed in: read on the primary');
});

test('a proposal that closes while two servers run is tallied once', async () => {
  const a = await server();
  const b = await server();
  const made = await call('POST', `${a.url}/api/v1/proposals`, { token: editor, json: {
    title: 'Replicas tally once', project: 'factwiki', cost: '10.00', currency: 'EUR',
    max_bid: '100.00', closes_at: new Date(Date.now() + 3000).toISOString() } });
  assert.equal(made.status, 201, made.text);
  const { slug } = made.json;
  // The result is read on the primary: the tally's write is there first.
  const result = await until('the tally', () => call('GET', `${b.url}/api/v1/proposals/${slug}/result`,
    { token: editor }), (r) => r.status === 200, 20000);
  assert.equal(result.json.decision, 'reject');
  await new Promise((ok) => setTimeout(ok, 2000));
  assert.equal(psql(primaryUrl, `select count(*) from results r join proposals p on p.id = r.proposal_id
    where p.slug = '${slug}'`), '1');
  for (const s of [a, b]) assert.doesNotMatch(s.log(), /tally.*(failed|error)/i);
});
