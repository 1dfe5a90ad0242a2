// Bids that bind, and one voice each (referenda-trust.md): voter rolls kept
// until bidding opens; bounded bids; a deposit taken at a voter's first
// bid; the tally's settlement of every voter in the ledger, whose every
// movement balances; statements; voiding gives deposits back.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, Browser, call, get, cli, credit, needsDatabase } = require('./helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const PASSWORD = 'binding password';
const VOTERS = ['alice', 'bob', 'charlie', 'diane', 'eleanor', 'fred'];
const user = (v) => `bd${RUN}-${v}`;
const CASES = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/data/clarke-vectors.json'))).cases;
const vector = (name) => CASES.find((c) => c.name === name);
const cents = (text) => Math.round(Number(text) * 100);
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));
const tokens = {};

function psql(sql) {
  const r = spawnSync('psql', [process.env.DATABASE_URL, '-XAtc', sql], { encoding: 'utf8' });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

const create = (fields, who = 'alice') => call('POST', '/api/v1/proposals', { token: tokens[who], json: {
  project: 'x', currency: 'EUR', max_bid: '2000.00', closes_at: new Date(Date.now() + 3600e3).toISOString(), ...fields } });
const bid = (s, who, amount) => call('PUT', `/api/v1/proposals/${s}/bid`, { token: tokens[who], json: { bid: amount } });
const statement = async (who) => (await call('GET', '/api/v1/account/ledger?limit=1000', { token: tokens[who] })).json;
const balance = async (who, currency = 'EUR') => {
  const b = (await statement(who)).balances.find((x) => x.currency === currency);
  return b ? { available: cents(b.available), held: cents(b.held) } : { available: 0, held: 0 };
};

async function waitForResult(s) {
  for (let i = 0; i < 150; i++) {
    const r = await get(`/api/v1/proposals/${s}/result`);
    if (r.status === 200) return r;
    await sleep(200);
  }
  assert.fail(`${s} was not tallied`);
}

// Every movement balances, and so does the whole ledger.
function ledgerBalances() {
  const bad = psql(`select count(*) from (select txn from ledger group by txn
    having sum(amount) <> 0 or count(*) <> 2) t`);
  assert.equal(bad.stdout, '0', 'a movement does not balance');
  const total = psql('select coalesce(sum(amount), 0) from ledger');
  assert.equal(total.stdout, '0', 'the ledger does not sum to zero');
}

test.before(() => {
  for (const v of [...VOTERS, 'grace', 'fund', 'curator', 'poor']) {
    const add = cli(['user', 'add', user(v), ...(v === 'curator' ? ['--role', 'curator'] : [])], `${PASSWORD}\n`);
    assert.equal(add.code, 0, add.stderr);
    const t = cli(['token', 'create', user(v)]);
    assert.equal(t.code, 0, t.stderr);
    tokens[v] = t.stdout.trim();
    if (v !== 'poor' && v !== 'fund') credit(user(v), '10000.00');
  }
});

test('an admin credits and debits a balance, never below zero; the statement shows it', async () => {
  const c = cli(['ledger', 'credit', user('poor'), '30.00', '--ref', 'bank transfer 42']);
  assert.equal(c.code, 0, c.stderr);
  const d = cli(['ledger', 'debit', user('poor'), '10.00', '--ref', 'paid out']);
  assert.equal(d.code, 0, d.stderr);
  const over = cli(['ledger', 'debit', user('poor'), '20.01', '--ref', 'too much']);
  assert.notEqual(over.code, 0);
  assert.match(over.stderr, /has 20\.00 EUR: a debit of 20\.01 would leave less than nothing/);
  assert.notEqual(cli(['ledger', 'credit', user('poor'), '5', '--ref', 'x', '--currency', 'eur']).code, 0);
  assert.notEqual(cli(['ledger', 'credit', user('poor'), '-5', '--ref', 'x']).code, 0);
  const s = await statement('poor');
  assert.deepEqual(s.balances, [{ currency: 'EUR', available: '20.00', held: '0.00' }]);
  assert.deepEqual(s.data.map((e) => [e.memo, e.amount, e.balance_after, e.ref]),
    [['debit', '-10.00', '20.00', 'paid out'], ['credit', '30.00', '30.00', 'bank transfer 42']]);
  const csv = await call('GET', '/api/v1/account/ledger?format=csv', { token: tokens.poor });
  assert.equal(csv.text.split(/\r?\n/)[0], 'at,account,memo,proposal,currency,amount,balance_after,ref');
  assert.equal((await get('/api/v1/account/ledger')).status, 401);
  const page = await (await new Browser().signIn(user('poor'), PASSWORD)).get('/account/ledger');
  assert.match(page.text, /bank transfer 42/);
  ledgerBalances();
});

test('a bid above max_bid, off the roll, or without the deposit: a clear 4xx, nothing stored', needsDatabase, async () => {
  const made = await create({ title: `Bounds ${RUN}`, cost: '12.00', electorate: VOTERS.map(user) });
  assert.equal(made.status, 201, made.text);
  const s = made.json.slug;
  assert.equal(made.json.electorate, 'roll');
  assert.deepEqual(made.json.roll, VOTERS.map(user).sort());
  const id = `(select id from proposals where slug = '${s}')`;
  const stored = () => psql(`select (select count(*) from board_entries where proposal_id = ${id}) ||
    '/' || (select count(*) from ledger where proposal_id = ${id})`).stdout;

  const above = await bid(s, 'alice', '2000.01');
  assert.equal(above.status, 422);
  assert.match(above.json.detail, /at most 2000\.00 either way/);
  const off = await bid(s, 'grace', '1.00');
  assert.equal(off.status, 403);
  assert.match(off.json.detail, /not on this proposal's voter roll/);
  // Fred is on the roll, but has spent what he had.
  const all = (await balance('fred')).available;
  assert.equal(cli(['ledger', 'debit', user('fred'), (all / 100).toFixed(2), '--ref', 'spent']).code, 0);
  const broke = await bid(s, 'fred', '-1000.00');
  assert.equal(broke.status, 402);
  assert.match(broke.json.detail, /needs a deposit of 2002\.00 EUR, held until the tally .* your balance is 0\.00 EUR/);
  assert.equal(stored(), '0/0');
  credit(user('fred'), '10000.00');

  // The deposit is taken once, at the first bid, whatever the amount.
  const before = await balance('bob');
  assert.equal((await bid(s, 'bob', '10.00')).status, 200);
  assert.equal((await bid(s, 'bob', '-2000.00')).status, 200);
  const after = await balance('bob');
  assert.equal(after.available, before.available - 200200);
  assert.equal(after.held, before.held + 200200);
  // Two entries; one row of the proposal's (the deposit's side).
  assert.equal(stored(), '2/1');
  ledgerBalances();
});

test('the roll: kept by the creator or a curator, from a list or a CSV, until bidding opens', async () => {
  const made = await create({ title: `Roll ${RUN}`, cost: '6.00', electorate: [user('alice')],
    opens_at: new Date(Date.now() + 3600e3).toISOString(), closes_at: new Date(Date.now() + 7200e3).toISOString() });
  assert.equal(made.status, 201, made.text);
  const s = made.json.slug;
  const put = (who, body, type = 'application/json') => call('PUT', `/api/v1/proposals/${s}/roll`,
    { token: tokens[who], body: typeof body === 'string' ? body : JSON.stringify(body), headers: { 'content-type': type } });
  assert.equal((await put('bob', { voters: [user('bob')] })).status, 403);
  const unknown = await put('alice', { voters: [user('alice'), `nobody-${RUN}`] });
  assert.equal(unknown.status, 422);
  assert.match(unknown.json.detail, new RegExp(`no such users: nobody-${RUN}`));
  const bad = await put('alice', { voters: 'alice' });
  assert.equal(bad.status, 422);
  const json = await put('alice', { voters: [user('bob'), user('alice')] });
  assert.equal(json.status, 200, json.text);
  assert.deepEqual(json.json.roll, [user('alice'), user('bob')]);
  const csv = await put('curator', `voter\n${user('charlie')}\n${user('diane')}\n`, 'text/csv');
  assert.equal(csv.status, 200, csv.text);
  assert.deepEqual(csv.json.roll, [user('charlie'), user('diane')]);
  // The page's form, for its creator.
  const alice = await new Browser().signIn(user('alice'), PASSWORD);
  const form = await alice.form(`/proposals/${s}/roll`, { voters: `${user('eleanor')}, ${user('fred')}` });
  assert.equal(form.status, 303, form.text);
  assert.deepEqual((await get(`/api/v1/proposals/${s}`)).json.roll, [user('eleanor'), user('fred')]);
  // An open poll has no roll; an open proposal's roll is fixed.
  const poll = await create({ title: `Poll ${RUN}`, cost: '1.00' });
  assert.equal(poll.json.electorate, 'bidders');
  assert.equal((await call('PUT', `/api/v1/proposals/${poll.json.slug}/roll`, { token: tokens.alice,
    json: { voters: [user('bob')] } })).status, 409);
  const open = await create({ title: `Open roll ${RUN}`, cost: '1.00', electorate: [user('bob')] });
  const fixed = await call('PUT', `/api/v1/proposals/${open.json.slug}/roll`, { token: tokens.alice,
    json: { voters: [user('alice')] } });
  assert.equal(fixed.status, 409);
  assert.match(fixed.json.detail, /fixed once bidding opens/);
});

// One proposal of a worked example, closing soon: its roll (or an open
// poll), and its voters' bids.
async function example(name, { roll = VOTERS, cost } = {}) {
  const v = vector(name);
  const [, tax, payout] = name.split(' / ');
  const made = await create({ title: `Settled ${RUN} ${name}${roll ? ` on ${roll.length}` : ''}`, cost: cost || v.cost,
    tax_rule: tax, payout_rule: payout, surplus_to: user('fund'), closes_at: new Date(Date.now() + 10000).toISOString(),
    ...(roll ? { electorate: roll.map(user) } : {}) });
  assert.equal(made.status, 201, made.text);
  for (const who of VOTERS) assert.equal((await bid(made.json.slug, who, v.bids[who])).status, 200);
  return { v, s: made.json.slug };
}

const sum = (rows) => rows.reduce((t, e) => t + cents(e.amount), 0);

// Every voter's row as the worked example says, and the voter's statement
// moved by it: the cost share if adopted, the tax, the payout; the deposit
// back.  Returns what each voter's balance moved, and the fund's.
async function settled({ v, s }) {
  const r = (await waitForResult(s)).json;
  assert.equal(r.decision, v.expect.decision, s);
  const moved = { fund: 0 };
  for (const who of VOTERS) {
    const want = v.expect.voters[who];
    const row = r.voters.find((x) => x.voter === user(who));
    for (const k of ['cost_share', 'net', 'tax', 'payout']) assert.equal(row[k], want[k], `${s}: ${who}'s ${k}`);
    const mine = (await statement(who)).data.filter((e) => e.proposal === s);
    const share = r.decision === 'adopt' ? cents(want.cost_share) : 0;
    moved[who] = -share - cents(want.tax) + cents(want.payout);
    assert.equal(sum(mine.filter((e) => e.account === 'balance')), moved[who], `${s}: ${who}'s balance moves as the result says`);
    assert.equal(sum(mine.filter((e) => e.account === 'deposit')), 0, `${s}: ${who}'s deposit is given back`);
    moved.fund -= moved[who];
  }
  return { r, moved };
}

test('the worked examples on a roll of six: to the cent, and every balance moves as the result says, once', needsDatabase, async () => {
  const names = CASES.map((c) => c.name).filter((n) => /^(tcp-wrappers|alice-overbids) \//.test(n));
  assert.equal(names.length, 12);
  for (const who of VOTERS) credit(user(who), '30000.00');
  const before = {};
  for (const who of [...VOTERS, 'fund']) before[who] = await balance(who);
  // All at once; each voter's balance then moves by their sum.
  const proposals = [];
  for (const name of names) proposals.push(await example(name));
  const total = {};
  for (const p of proposals) {
    const { moved } = await settled(p);
    for (const [who, m] of Object.entries(moved)) total[who] = (total[who] || 0) + m;
  }
  for (const who of [...VOTERS, 'fund']) {
    const after = await balance(who);
    assert.equal(after.available - before[who].available, total[who], `${who}'s balance`);
    assert.equal(after.held, before[who].held, `${who}'s deposits`);
  }
  ledgerBalances();
});

test('a voter on the roll who does not bid pays nothing and changes nobody\'s share', needsDatabase, async () => {
  const before = await balance('grace');
  // Seven on the roll, 14.00: shares of 2.00, as for six at 12.00.
  const p = await example('alice-overbids / pivot / none', { roll: [...VOTERS, 'grace'], cost: '14.00' });
  const { r, moved } = await settled(p);
  const grace = r.voters.find((x) => x.voter === user('grace'));
  assert.deepEqual(grace, { voter: user('grace'), bid: null, cost_share: '0.00', net: '0.00', pivotal: false,
    tax: '0.00', payout: '0.00' });
  assert.deepEqual(await balance('grace'), before);
  // The page: grace did not bid; the voters share 12.00 of the 14.00.
  const page = (await get(`/proposals/${p.s}/result`)).text;
  assert.match(page, new RegExp(`${user('grace')}</th>\\s*<td class="num"><span class="muted">did not bid</span>`));
  assert.match(page, /<tfoot><tr><th scope="row">Total<\/th><td class="num">[0-9.]+<\/td><td class="num">12\.00<\/td>/);
  assert.equal(moved.fund, 1200 + 104600, 'six shares of 2.00 and Alice\'s tax of 1046.00');
  ledgerBalances();
});

test('an open poll settles too, and a result is settled once', needsDatabase, async () => {
  const p = await example('alice-overbids / pivot / none', { roll: null });
  const { moved } = await settled(p);
  assert.equal(moved.fund, 1200 + 104600, 'the cost and Alice\'s tax of 1046.00');
  // The statement shows each step.  An open poll's deposit is max_bid and
  // the whole cost, which a lone bidder would pay.
  const alice = (await statement('alice')).data.filter((e) => e.proposal === p.s)
    .map((e) => [e.account, e.memo, e.amount]).sort();
  assert.deepEqual(alice, [['balance', 'deposit', '-2012.00'], ['balance', 'release', '964.00'],
    ['deposit', 'cost share', '-2.00'], ['deposit', 'deposit', '2012.00'], ['deposit', 'release', '-964.00'],
    ['deposit', 'tax', '-1046.00']]);
  ledgerBalances();

  // Once: tallying again settles nothing more, and the deposits are empty.
  const rows = psql('select count(*) from ledger').stdout;
  const again = cli(['proposal', 'tally', p.s]);
  assert.notEqual(again.code, 0);
  assert.match(again.stderr, /tallied already/);
  assert.equal(psql('select count(*) from ledger').stdout, rows);
  assert.equal(psql(`select count(*) from (select user_id from ledger where account = 'deposit' and proposal_id =
    (select id from proposals where slug = '${p.s}') group by user_id having sum(amount) <> 0) d`).stdout, '0');
  assert.notEqual(psql(`update ledger set amount = amount where id = (select max(id) from ledger)`).code, 0);
});

test('voiding a proposal gives every deposit back', async () => {
  const made = await create({ title: `Voided ${RUN}`, cost: '3.00' });
  const s = made.json.slug;
  const before = await balance('charlie');
  assert.equal((await bid(s, 'charlie', '7.00')).status, 200);
  assert.equal((await balance('charlie')).held, before.held + 200300);
  const admin = cli(['user', 'add', user('admin'), '--role', 'admin'], `${PASSWORD}\n`);
  assert.equal(admin.code, 0, admin.stderr);
  const t = cli(['token', 'create', user('admin')]).stdout.trim();
  const voided = await call('POST', `/api/v1/proposals/${s}/void`, { token: t, json: { reason: 'a mistake' } });
  assert.equal(voided.status, 200, voided.text);
  assert.deepEqual(await balance('charlie'), before);
  ledgerBalances();
});

test('after the close, the result flags patterns worth a look', async () => {
  const made = await create({ title: `Signals ${RUN}`, cost: '0', payout_rule: 'none',
    closes_at: new Date(Date.now() + 3000).toISOString() });
  assert.equal(made.status, 201, made.text);
  const s = made.json.slug;
  // Three bids of 51.00 outweigh -100.00 by 53.00: no one of them tips
  // it, two together would.
  for (const [who, amount] of [['eleanor', '-100.00'], ['bob', '51.00'], ['charlie', '51.00'], ['diane', '51.00']]) {
    assert.equal((await bid(s, who, amount)).status, 200);
  }
  await waitForResult(s);
  const signals = (await get(`/api/v1/proposals/${s}`)).json.signals;
  const kind = (k) => signals.find((x) => x.kind === k);
  assert.equal(kind('together').voters.length, 2);
  assert.match(kind('together').detail, /2 voters of the winning side would change the decision only together/);
  assert.deepEqual(kind('identical').voters, ['bob', 'charlie', 'diane'].map(user));
  assert.match(kind('identical').detail, /3 voters bid exactly 51/);
  assert.equal(kind('new').voters.length, 4);
  const page = await get(`/proposals/${s}/result`);
  assert.match(page.text, /Worth a look/);
});

test('1,000 random elections: the ledger balances after each, and none is settled twice', needsDatabase, () => {
  const r = spawnSync(path.join(ROOT, 'build/test/settle_random'), ['1000'], { encoding: 'utf8', cwd: ROOT });
  assert.equal(r.status, 0, r.stdout + r.stderr);
  assert.match(r.stdout, /^1000 random elections settled; the ledger balanced after each/);
});
