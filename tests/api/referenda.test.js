// A whole referendum over HTTP: six voters bid as in the contract's
// "dropping TCP wrappers" example on two proposals (pivot taxes and no
// payouts; coalition pro-rata taxes paid out to the losers), the
// proposals close a few seconds after they are made, the server tallies
// them on its own, and every share, tax and payout comes out to the cent.
// Before the tally, no bid amount may be anywhere but in its own voter's
// answers: not in other answers, pages, the server's log, nor a pg_dump of
// the live database.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, Browser, call, get, cli, credit, tmpfile, needsDatabase } = require('./helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const PASSWORD = 'referenda password';
const VOTERS = ['alice', 'bob', 'charlie', 'diane', 'eleanor', 'fred'];
const user = (v) => `ref${RUN}-${v}`;
const CASES = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/data/clarke-vectors.json'))).cases;
const tcp = (rules) => CASES.find((c) => c.name === `tcp-wrappers / ${rules}`);
// Amounts of this run alone (cents and text), that no answer but their
// voter's may show: Alice's first bid, which she replaces and is never
// published, and two bids on a proposal that stays open.
const text = (c) => `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;
// Whether a dump holds c cents, as text or as a number of its own.
const holds = (where, c) => where.includes(text(c)) ||
  new RegExp(`(^|[^0-9a-fx])${c}([^0-9a-f]|$)`, 'm').test(where);
// The database already holds other runs' public amounts: an amount of this
// run is one it holds nowhere yet, so that finding it later means a leak.
const before = process.env.DATABASE_URL ? spawnSync('pg_dump', [process.env.DATABASE_URL],
  { encoding: 'utf8', maxBuffer: 1 << 30 }).stdout : '';
function cents(lo, hi, sign = 1) {
  for (;;) {
    const c = sign * crypto.randomInt(lo, hi);
    if (!holds(before, c)) return c;
  }
}
const REPLACED = cents(100001, 199999);
const OPEN_A = cents(100001, 999999);
const OPEN_B = cents(100001, 999999, -1);
// With Fred's, which the TCP example publishes once it is tallied.
const SECRET = ['-1000.00', text(REPLACED), text(OPEN_A), text(OPEN_B)];
// Time for every bid and every check before the two proposals close, on a
// machine busy with other work too; and for the two bids of a short one.
const WINDOW_MS = 20000;
const SHORT_MS = 5000;

const tokens = {};
const receipts = {};
let outsider;

function psql(sql) {
  const r = spawnSync('psql', [process.env.DATABASE_URL, '-XAtc', sql], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

const bid = (slug, who, amount) => call('PUT', `/api/v1/proposals/${slug}/bid`, { token: tokens[who], json: { bid: amount } });

function noSecrets(what, body) {
  for (const s of SECRET) assert.ok(!body.includes(s), `${what} shows the sealed amount ${s}`);
}

function pgDump(args) {
  const r = spawnSync('pg_dump', [...args, process.env.DATABASE_URL], { encoding: 'utf8', maxBuffer: 1 << 30 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout;
}

function inFuture(ms) {
  return new Date(Date.now() + ms).toISOString();
}

async function create(fields, token = tokens.alice) {
  return call('POST', '/api/v1/proposals', { token, json: { max_bid: '2000.00', ...fields } });
}

async function waitForResult(slug) {
  for (let i = 0; i < 100; i++) {
    const r = await get(`/api/v1/proposals/${slug}/result`);
    if (r.status === 200) return r;
    assert.equal(r.status, 404, r.text);
    await new Promise((ok) => setTimeout(ok, 200));
  }
  assert.fail(`${slug} was not tallied in 20 seconds`);
}

function checkResult(doc, vector, slug) {
  const e = vector.expect;
  assert.equal(doc.decision, e.decision);
  assert.equal(doc.total_net, e.total_net);
  assert.equal(doc.total_tax, e.total_tax);
  assert.equal(doc.total_payout, e.total_payout);
  assert.deepEqual(doc.voters.map((v) => v.voter), VOTERS.map(user));
  for (const v of doc.voters) {
    const name = v.voter.slice(user('').length);
    const want = e.voters[name];
    assert.equal(v.bid, vector.bids[name], `${name}'s last bid counts`);
    for (const k of ['cost_share', 'net', 'tax', 'payout']) {
      assert.equal(v[k], want[k], `${slug}: ${name}'s ${k}`);
    }
    // Under pivot no one tips this one; a coalition is pivotal when it owes.
    assert.equal(v.pivotal, vector.tax_rule !== 'pivot' && want.tax !== '0.00');
    assert.equal(v.receipt, receipts[slug][name], `${name}'s receipt is listed`);
    assert.deepEqual(Object.keys(v), ['voter', 'bid', 'cost_share', 'net', 'pivotal', 'tax', 'payout', 'receipt']);
  }
}

const slugs = {};

test.before(() => {
  for (const v of [...VOTERS, 'outsider']) {
    const add = cli(['user', 'add', user(v)], `${PASSWORD}\n`);
    assert.equal(add.code, 0, add.stderr);
    const t = cli(['token', 'create', user(v)]);
    assert.equal(t.code, 0, t.stderr);
    tokens[v] = t.stdout.trim();
    credit(user(v));
  }
  outsider = tokens.outsider;
});

test('making a proposal: checked fields, a slug from the title, 401 without credentials', async () => {
  const closes = inFuture(3600e3);
  const fields = { title: `Referenda test ${RUN}`, project: 'systemd', cost: '12', currency: 'EUR', closes_at: closes,
    max_bid: '2000.00' };
  const anon = await call('POST', '/api/v1/proposals', { json: fields });
  assert.equal(anon.status, 401);
  assert.equal(anon.type, 'application/problem+json');

  const bad = await create({ ...fields, cost: '12.345', currency: 'eur', closes_at: '2024-05-01T12:00:00+02:00', tax_rule: 'clarke', extra: 'x' });
  assert.equal(bad.status, 422, bad.text);
  assert.equal(bad.type, 'application/problem+json');
  const byField = Object.fromEntries(bad.json.errors.map((e) => [e.field, e.message]));
  assert.match(byField.cost, /at most two digits after the point/);
  assert.match(byField.currency, /ISO 4217/);
  assert.match(byField.closes_at, /UTC/);
  assert.match(byField.tax_rule, /pivot, coalition-equal or coalition-prorata/);
  assert.match(byField.extra, /unknown member/);

  const past = await create({ ...fields, opens_at: '2019-01-01T00:00:00Z', closes_at: '2020-01-01T00:00:00Z' });
  assert.equal(past.status, 422);
  assert.match(past.json.errors[0].message, /has passed/);
  const backwards = await create({ ...fields, closes_at: '2020-01-01T00:00:00Z' });
  assert.match(backwards.json.errors[0].message, /must close after it opens/);
  const number = await create({ ...fields, cost: 12 });
  assert.equal(number.status, 422);
  assert.match(number.json.errors[0].message, /as a string/);
  const notJson = await call('POST', '/api/v1/proposals', { token: tokens.alice,
    headers: { 'content-type': 'application/json' } });
  assert.equal(notJson.status, 400);
  assert.match(notJson.json.detail, /not JSON/);
  const form = await call('POST', '/api/v1/proposals', { token: tokens.alice, body: JSON.stringify(fields),
    headers: { 'content-type': 'application/x-www-form-urlencoded' } });
  assert.equal(form.status, 415);

  // Bids up to the contract's bound: its limit is tested below.
  const made = await create({ ...fields, max_bid: '1000000000.00' });
  assert.equal(made.status, 201, made.text);
  assert.equal(made.json.slug, `referenda-test-${RUN}`);
  assert.equal(made.headers.get('location'), `/api/v1/proposals/${made.json.slug}`);
  assert.equal(made.json.cost, '12.00');
  assert.equal(made.json.closes_at, closes.replace(/\.(\d*?)0*Z$/, (m, f) => (f ? `.${f}Z` : 'Z')));
  assert.equal(made.json.status, 'open');
  assert.equal(made.json.bids, 0);
  assert.equal(made.json.tax_rule, 'pivot');
  assert.equal(made.json.payout_rule, 'redistribute'); // the default with pivot
  assert.equal(made.json.creator, user('alice'));
  // The same title again: the slug gets a number.
  const again = await create(fields);
  assert.equal(again.status, 201, again.text);
  assert.equal(again.json.slug, `referenda-test-${RUN}-2`);
  const taken = await create({ ...fields, slug: made.json.slug });
  assert.equal(taken.status, 409);
  assert.match(taken.json.detail, /exists already/);
  slugs.leak = made.json.slug;
});

test('bidding: strict amounts, one bid per voter, the own bid only to its voter', async () => {
  const s = slugs.leak;
  for (const [amount, msg] of [['1,000', /thousands separators/], ['1e3', /exponent/], ['12.345', /two digits/],
    ['', /required/], ['ten', /digits/], ['1000000000.01', /at most 1000000000.00/]]) {
    const r = await bid(s, 'bob', amount);
    assert.equal(r.status, 422, `${amount}: ${r.text}`);
    assert.match(r.json.detail, msg);
  }
  const num = await call('PUT', `/api/v1/proposals/${s}/bid`, { token: tokens.bob, json: { bid: 5 } });
  assert.equal(num.status, 422);
  const extra = await call('PUT', `/api/v1/proposals/${s}/bid`, { token: tokens.bob, json: { bid: '5', voter: 'x' } });
  assert.equal(extra.status, 422);
  assert.match(extra.json.detail, /unknown member 'voter'/);
  const anon = await call('PUT', `/api/v1/proposals/${s}/bid`, { json: { bid: '5' } });
  assert.equal(anon.status, 401);
  const none = await call('PUT', `/api/v1/proposals/no-such-${RUN}/bid`, { token: tokens.bob, json: { bid: '5' } });
  assert.equal(none.status, 404);

  const first = await bid(s, 'bob', text(OPEN_A));
  assert.equal(first.status, 200, first.text);
  // A receipt is the board's entry, signed: {seq, hash, signature}.
  assert.deepEqual(Object.keys(first.json), ['receipt']);
  assert.deepEqual(Object.keys(first.json.receipt), ['seq', 'hash', 'signature']);
  assert.match(first.json.receipt.hash, /^[0-9a-f]{64}$/);
  assert.match(first.json.receipt.signature, /^[A-Za-z0-9+/]{86}==$/);
  const r2 = await bid(s, 'charlie', text(OPEN_B));
  assert.equal(r2.status, 200);
  const mine = await call('GET', `/api/v1/proposals/${s}/bid`, { token: tokens.bob });
  assert.equal(mine.status, 200);
  assert.equal(mine.json.bid, text(OPEN_A));
  assert.deepEqual(mine.json.receipt, first.json.receipt);
  assert.deepEqual(Object.keys(mine.json).sort(), ['bid', 'placed_at', 'receipt']);
  const notMine = await call('GET', `/api/v1/proposals/${s}/bid`, { token: outsider });
  assert.equal(notMine.status, 404);
  noSecrets('another voter\'s GET bid', notMine.text);
  const proposal = await get(`/api/v1/proposals/${s}`);
  assert.equal(proposal.json.bids, 2);
  assert.equal(proposal.json.result, null);
  const result = await get(`/api/v1/proposals/${s}/result`);
  assert.equal(result.status, 404);
  assert.match(result.json.detail, /before the close/);
  // An open proposal is not tallied by hand.
  const tally = cli(['proposal', 'tally', s]);
  assert.notEqual(tally.code, 0);
  assert.match(tally.stderr, /still open/);
});

test('a draft proposal takes no bid before it opens', async () => {
  const d = await create({ title: `Draft ${RUN}`, project: 'Fedora', cost: '0', currency: 'USD',
    opens_at: inFuture(3600e3), closes_at: inFuture(7200e3) });
  assert.equal(d.status, 201, d.text);
  assert.equal(d.json.status, 'draft');
  const r = await bid(d.json.slug, 'bob', '1');
  assert.equal(r.status, 409);
  assert.match(r.json.detail, /opens at/);
  const list = await get('/api/v1/proposals?status=draft&limit=10000');
  assert.ok(list.json.data.some((p) => p.slug === d.json.slug));
  assert.ok(list.json.data.every((p) => p.status === 'draft'));
  const badStatus = await get('/api/v1/proposals?status=pending');
  assert.equal(badStatus.status, 400);
});

test('the TCP wrappers example, tallied on its own at the close', async () => {
  const rules = [['pivot', 'none'], ['coalition-prorata', 'losers-prorata']];
  const closesAt = Date.now() + WINDOW_MS;
  for (const [tax, payout] of rules) {
    const r = await create({ title: `Drop TCP wrappers ${tax} ${RUN}`, project: 'systemd', cost: '12.00',
      currency: 'EUR', closes_at: new Date(closesAt).toISOString(), tax_rule: tax, payout_rule: payout,
      description: 'Remove *libwrap* support.' });
    assert.equal(r.status, 201, r.text);
    slugs[tax] = r.json.slug;
    receipts[r.json.slug] = {};
    const vector = tcp(`${tax} / ${payout}`);
    // Alice first bids something else: only her last bid counts.
    const early = await bid(r.json.slug, 'alice', text(REPLACED));
    assert.equal(early.status, 200);
    for (const v of VOTERS) {
      const b = await bid(r.json.slug, v, vector.bids[v]);
      assert.equal(b.status, 200, b.text);
      receipts[r.json.slug][v] = b.json.receipt.hash;
    }
    assert.notEqual(early.json.receipt.hash, receipts[r.json.slug].alice);
  }
  const s = slugs.pivot;

  // Before the close: every answer, page and log line, and the database.
  const p = await get(`/api/v1/proposals/${s}`);
  assert.equal(p.json.bids, 6);
  assert.equal(p.json.status, 'open');
  noSecrets('GET proposal', p.text);
  noSecrets('the list', (await get('/api/v1/proposals?limit=10000')).text);
  noSecrets('the CSV list', (await get('/api/v1/proposals?limit=10000&format=csv')).text);
  const others = await call('GET', `/api/v1/proposals/${s}/bid`, { token: outsider });
  assert.equal(others.status, 404);
  noSecrets('another GET bid', others.text);
  const fredsOwn = await call('GET', `/api/v1/proposals/${s}/bid`, { token: tokens.fred });
  assert.equal(fredsOwn.json.bid, '-1000.00');
  for (const page of ['/proposals', `/proposals/${s}`, `/proposals/${slugs.leak}`, `/proposals/${s}/result`]) {
    noSecrets(page, (await get(page)).text);
  }
  const outsiderPage = await new Browser().signIn(user('outsider'), PASSWORD);
  noSecrets('the page of a voter who did not bid', (await outsiderPage.get(`/proposals/${s}`)).text);
  const fredPage = await new Browser().signIn(user('fred'), PASSWORD);
  const fredSees = (await fredPage.get(`/proposals/${s}`)).text;
  assert.match(fredSees, /-1000\.00 EUR/);
  assert.ok(fredSees.includes(receipts[s].fred));
  // The results of proposals tallied before (other runs') are public:
  // Fred's amount is looked for in all the rest, while it is sealed.
  const sealed = Date.now() < closesAt;
  const dump = pgDump([]);
  assert.ok(dump.includes(receipts[s].fred), 'the dump holds the bids');
  const rest = sealed ? pgDump(['--exclude-table-data=results']) : '';
  for (const [c, where] of [[REPLACED, dump], [OPEN_A, dump], [OPEN_B, dump], [-100000, rest]]) {
    assert.ok(!holds(where, c), `pg_dump holds ${text(c)} (${c} cents)`);
  }

  // After the close: no bid, then the result.
  await new Promise((ok) => setTimeout(ok, Math.max(0, closesAt - Date.now() + 300)));
  const late = await bid(s, 'bob', '20.00');
  assert.equal(late.status, 409, late.text);
  assert.match(late.json.detail, /closed at/);
  for (const [tax, payout] of rules) {
    const slug = slugs[tax];
    const r = await waitForResult(slug);
    assert.equal(r.type, 'application/json');
    checkResult(r.json, tcp(`${tax} / ${payout}`), slug);
    const doc = await get(`/api/v1/proposals/${slug}`);
    assert.equal(doc.json.status, 'tallied');
    assert.equal(doc.json.decision, 'reject');
    assert.deepEqual(doc.json.result, r.json);
    const csv = await get(`/api/v1/proposals/${slug}/result?format=csv`);
    assert.match(csv.type, /^text\/csv/);
    const lines = csv.text.trim().split(/\r?\n/);
    assert.equal(lines[0], 'voter,bid,cost_share,net,pivotal,tax,payout,receipt');
    assert.equal(lines.length, 8);
    assert.equal(lines[6], `${user('fred')},-1000.00,2.00,-1002.00,${tax === 'pivot' ? 'no' : 'yes'},`
      + `${tcp(`${tax} / ${payout}`).expect.voters.fred.tax},0.00,${receipts[slug].fred}`);
    assert.match(lines[7], /^TOTAL,-1031\.00,12\.00,-1043\.00,,/);
    const verify = cli(['proposal', 'verify', slug]);
    assert.equal(verify.code, 0, verify.stdout + verify.stderr);
    assert.match(verify.stdout, /the board, its parts and the published result agree/);
  }
  const coalition = (await get(`/api/v1/proposals/${slugs['coalition-prorata']}/result`)).json;
  assert.deepEqual(coalition.voters.map((v) => [v.tax, v.payout]),
    [['0.00', '3.00'], ['0.00', '8.00'], ['0.00', '0.00'], ['0.00', '0.00'], ['0.54', '0.00'], ['10.46', '0.00']]);
});

test('a tallied result never changes', needsDatabase, async () => {
  const s = slugs.pivot;
  const again = cli(['proposal', 'tally', s]);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /tallied already/);
  const id = `(select id from proposals where slug = '${s}')`;
  for (const sql of [`update results set total_tax = 1 where proposal_id = ${id}`,
    `delete from results where proposal_id = ${id}`,
    `update proposals set tallied_at = null where id = ${id}`,
    `update proposals set cost = 1 where id = ${id}`,
    `delete from board_entries where proposal_id = ${id}`,
    `update board_entries set voter_id = voter_id where proposal_id = ${id}`]) {
    const r = psql(sql);
    assert.notEqual(r.code, 0, `${sql} was allowed`);
  }
  assert.equal(psql(`select count(*) from results where proposal_id = ${id}`).stdout, '1');
});

test('a bid moved to another voter\'s entry does not count, and the result says why', needsDatabase, async () => {
  const made = await create({ title: `Moved bids ${RUN}`, project: 'x', cost: '1', currency: 'EUR',
    closes_at: inFuture(SHORT_MS) });
  assert.equal(made.status, 201, made.text);
  const s = made.json.slug;
  assert.equal((await bid(s, 'alice', '1')).status, 200);
  assert.equal((await bid(s, 'bob', '-1')).status, 200);
  // Whoever can write to the database, its guards off, swaps the two
  // ciphertexts: neither entry is the one the server signed.
  const swap = psql(`begin; alter table board_entries disable trigger user;
    update board_entries b set ciphertext = o.ciphertext from board_entries o
    where b.proposal_id = o.proposal_id and b.seq <> o.seq
    and b.proposal_id = (select id from proposals where slug = '${s}');
    alter table board_entries enable trigger user; commit`);
  assert.equal(swap.code, 0, swap.stderr);
  const r = await waitForResult(s);
  assert.deepEqual(r.json.voters, []);
  assert.equal(r.json.board.problems.length, 2);
  assert.match(r.json.board.problems[0], /entry 1 \(ref\w+-alice\): its hash is not that of its fields: it was rewritten/);
  const verify = cli(['proposal', 'verify', s]);
  assert.notEqual(verify.code, 0);
  assert.match(verify.stdout, /entry 2 \(ref\w+-bob\): its hash is not that of its fields/);
});

test('a tally whose process died is taken over after five minutes', needsDatabase, async () => {
  const closesAt = Date.now() + SHORT_MS;
  const made = await create({ title: `Died ${RUN}`, project: 'x', cost: '1.00', currency: 'EUR',
    closes_at: new Date(closesAt).toISOString() });
  assert.equal(made.status, 201, made.text);
  const s = made.json.slug;
  assert.equal((await bid(s, 'alice', '5.00')).status, 200);
  assert.equal((await bid(s, 'bob', '-1.00')).status, 200);
  // Another process claims it, as a tally does, and is never heard of again.
  const where = `where slug = '${s}'`;
  assert.equal(psql(`update proposals set tally_started_at = now() ${where}`).code, 0);
  // Past the close, and past the tally timer's next turn: no result.
  await new Promise((ok) => setTimeout(ok, closesAt - Date.now() + 2000));
  assert.equal((await get(`/api/v1/proposals/${s}/result`)).status, 404);
  assert.equal((await bid(s, 'charlie', '1.00')).status, 409);
  assert.equal(psql(`update proposals set tally_started_at = now() - interval '6 minutes' ${where}`).code, 0);
  const r = await waitForResult(s);
  assert.equal(r.json.decision, 'adopt');
  assert.deepEqual(r.json.voters.map((v) => v.voter), [user('alice'), user('bob')]);
});

test('a wrong or missing key file is reported clearly', () => {
  const s = slugs.pivot;
  const other = tmpfile('other.key', `${crypto.randomBytes(32).toString('hex')}\n`);
  fs.chmodSync(other, 0o600);
  // Checking needs no secret: a wrong key is a warning about the
  // proposals that need the right one (the open ones of this run).
  const wrong = cli(['proposal', 'verify', s], '', { FACTWIKI_KEY_FILE: other });
  assert.equal(wrong.code, 0, wrong.stdout + wrong.stderr);
  assert.match(wrong.stderr, /warning: \d+ proposals? \(.*\) needs? master key [0-9a-f]{32}, not the one in .*other\.key \([0-9a-f]{32}\)/);
  assert.match(wrong.stderr, /FACTWIKI_KEY_FILE/);
  const missing = cli(['proposal', 'verify', s], '', { FACTWIKI_KEY_FILE: `${other}.gone` });
  assert.notEqual(missing.code, 0);
  assert.match(missing.stderr, /there is no master key file .*other\.key\.gone/);
  fs.chmodSync(other, 0o644);
  const open = cli(['proposal', 'verify', s], '', { FACTWIKI_KEY_FILE: other });
  assert.notEqual(open.code, 0);
  assert.match(open.stderr, /can be read by others \(mode 0644\): chmod 600/);
});

test('the server log holds no amount', (t) => {
  const log = process.env.FW_SERVER_LOG || path.join(process.env.FW_OUT || '', 'server.log');
  if (!fs.existsSync(log)) {
    t.skip(`no server log at ${log}: set FW_SERVER_LOG or FW_OUT`);
    return;
  }
  noSecrets('the server log', fs.readFileSync(log, 'utf8'));
});

test('a result page shows a thousand voters, and where the reader\'s own row is', needsDatabase, async () => {
  const made = await create({ title: `Many voters ${RUN}`, project: 'x', cost: '1.00', currency: 'EUR',
    closes_at: inFuture(86400e3) });
  assert.equal(made.status, 201, made.text);
  const s = made.json.slug;
  // 2,500 voters without 2,500 accounts: a result stored as the tally
  // stores one, with alice the 1,700th voter.
  const stored = psql(`with p as (update proposals set tally_started_at = now(), tallied_at = now()
      where slug = '${s}' returning id)
    insert into results (proposal_id, adopt, voters, total_net, total_tax, total_payout, doc, csv)
    select id, true, 2500, 249900, 0, 0, json_build_object('voters', (select json_agg(json_build_object(
        'voter', case g when 1700 then '${user('alice')}' else 'v' || lpad(g::text, 5, '0') end,
        'bid', '1.00', 'cost_share', '0.00', 'net', '1.00', 'pivotal', false, 'tax', '0.00',
        'payout', '0.00', 'receipt', repeat('0', 64)) order by g) from generate_series(1, 2500) g)),
      '' from p`);
  assert.equal(stored.code, 0, stored.stderr);

  const first = await get(`/proposals/${s}/result`);
  assert.equal(first.status, 200);
  assert.equal((first.text.match(/<th scope="row">/g) || []).length, 1000 + 1);
  assert.match(first.text, /Voters 1 to 1,000 of 2,500/);
  assert.match(first.text, new RegExp(`rel="next" href="/proposals/${s}/result\\?page=2"`));
  assert.ok(!first.text.includes('rel="prev"'));
  const last = await get(`/proposals/${s}/result?page=3`);
  assert.match(last.text, /Voters 2,001 to 2,500 of 2,500/);
  assert.ok(last.text.includes('>v02500<') && !last.text.includes('>v02000<'));
  assert.ok(!last.text.includes('rel="next"'));
  const beyond = await get(`/proposals/${s}/result?page=4`);
  assert.equal(beyond.status, 404);
  assert.match(beyond.text, /the result has 2500 voters: 3 pages of 1000/);
  assert.equal((await get(`/proposals/${s}/result?page=0`)).status, 400);

  // Alice is told where her row is, and it is marked there.
  const alice = await new Browser().signIn(user('alice'), PASSWORD);
  const hers = await alice.get(`/proposals/${s}/result`);
  assert.match(hers.text, new RegExp(`href="/proposals/${s}/result\\?page=2">The page of your bid`));
  const page2 = await alice.get(`/proposals/${s}/result?page=2`);
  assert.match(page2.text, /<tr class="you">\s*<th scope="row">ref\w+-alice <span class="badge">you/);
  assert.ok(!page2.text.includes('The page of your bid'));
});
