// Referenda no one has to take on trust (referenda-trust.md), end to end:
// three trustees make their keys with the CLI and deal a 2-of-3 bid key;
// voters bid through the API and from their own machine; with the
// database and every key file the server has, no bid opens before the
// close; after it, one trustee's part is not enough, two are; anyone
// verifies the whole result from the public answers alone; and forging,
// rewriting, reordering or dropping an entry in the database is found and
// named.  Then: answers about a bid are one size whatever the amount, and
// a server started with another key file serves on and says which
// proposals wait for the right one.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { BASE, ROOT, Browser, call, get, cli, credit, tmpfile, needsDatabase, startServer } = require('./helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const PASSWORD = 'trust password';
const TRUSTEES = ['ann', 'ben', 'cy'];
const VOTERS = ['a', 'b', 'c'];
const user = (v) => `tr${RUN}-${v}`;
const TRY_OPEN = path.join(ROOT, 'build/test/try_open');
const CASES = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests/data/clarke-vectors.json'))).cases;
const TEXTBOOK = CASES.find((c) => c.name === 'three voters buy a TV (textbook)');
// Long enough for the trustees' set-up and every bid before the close.
const WINDOW_MS = 12000;

const tokens = {};
const keys = {};
let slug;
let closesAt;
const receipts = {};

function psql(sql) {
  const r = spawnSync('psql', [process.env.DATABASE_URL, '-XAtc', sql], { encoding: 'utf8', maxBuffer: 1 << 28 });
  return { code: r.status, stdout: r.stdout.trim(), stderr: r.stderr };
}

// A long run waits in the event loop: a loop blocked for longer than the
// server keeps an idle connection would send the next request down a
// socket the server has closed meanwhile, and read its 408.
function run(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    child.stdin.on('error', () => {}); // it may stop reading once a bid opens
    child.on('error', reject);
    child.on('close', (status) => resolve({ status, stdout, stderr }));
    child.stdin.end(input);
  });
}

const as = (who) => ({ FACTWIKI_TOKEN: tokens[who] });
const trustee = (what, who, s = slug) => cli(['trustee', what, s, '--key', keys[who], '--url', BASE], '', as(who));
const sleep = (ms) => new Promise((ok) => setTimeout(ok, ms));

async function waitForResult(s, ms = 20000) {
  for (let i = 0; i < ms / 200; i++) {
    const r = await get(`/api/v1/proposals/${s}/result`);
    if (r.status === 200) return r;
    assert.equal(r.status, 404, r.text);
    await sleep(200);
  }
  assert.fail(`${s} was not tallied in ${ms / 1000} seconds`);
}

test.before(() => {
  for (const v of [...TRUSTEES, ...VOTERS, 'admin']) {
    const add = cli(['user', 'add', user(v), ...(v === 'admin' ? ['--role', 'admin'] : [])], `${PASSWORD}\n`);
    assert.equal(add.code, 0, add.stderr);
    const t = cli(['token', 'create', user(v)]);
    assert.equal(t.code, 0, t.stderr);
    tokens[v] = t.stdout.trim();
    credit(user(v));
  }
});

test('trustees make their keys on their own machines and put the public half on their accounts', async () => {
  for (const t of TRUSTEES) {
    keys[t] = tmpfile(`${t}.key`, '');
    fs.unlinkSync(keys[t]);
    const made = cli(['trustee', 'keygen', '--out', keys[t]]);
    assert.equal(made.code, 0, made.stderr);
    assert.equal(fs.statSync(keys[t]).mode & 0o777, 0o600);
    const pub = made.stdout.trim();
    assert.match(pub, /^[A-Za-z0-9+/]{86}==$/);
    // The private key is in the file alone: not in what is printed.
    assert.ok(!fs.readFileSync(keys[t], 'utf8').includes(pub));
    const put = await call('PUT', '/api/v1/account/trustee-key', { token: tokens[t], json: { public_key: pub } });
    assert.equal(put.status, 200, put.text);
    assert.equal(put.json.trustee_key, pub);
  }
  // A key is never overwritten, and a bad public key is refused.
  assert.notEqual(cli(['trustee', 'keygen', '--out', keys.ann]).code, 0);
  const bad = await call('PUT', '/api/v1/account/trustee-key', { token: tokens.a, json: { public_key: 'AAAA' } });
  assert.equal(bad.status, 422);
  assert.match(bad.json.detail, /88 characters of base64/);
});

test('a 2-of-3 proposal: the trustees deal and acknowledge the key before any bid', async () => {
  closesAt = Date.now() + WINDOW_MS;
  const fields = { title: `Trusted TV ${RUN}`, project: 'household', cost: TEXTBOOK.cost, currency: 'EUR', max_bid: '2000.00',
    closes_at: new Date(closesAt).toISOString(), trustees: TRUSTEES.map(user), threshold: 2 };
  const noKey = await call('POST', '/api/v1/proposals', { token: tokens.a,
    json: { ...fields, trustees: [user('a')], threshold: 1 } });
  assert.equal(noKey.status, 422, noKey.text);
  assert.match(noKey.json.detail, /no trustee key on the account/);
  const tooMany = await call('POST', '/api/v1/proposals', { token: tokens.a, json: { ...fields, threshold: 4 } });
  assert.equal(tooMany.status, 422);
  const made = await call('POST', '/api/v1/proposals', { token: tokens.a, json: fields });
  assert.equal(made.status, 201, made.text);
  slug = made.json.slug;
  assert.equal(made.json.readers, 'trustees');
  assert.equal(made.json.who_can_read, `no one: only 2 of its 3 trustees together (${TRUSTEES.map(user).join(', ')}), `
    + 'and they decrypt only after close');

  const early = await call('PUT', `/api/v1/proposals/${slug}/bid`, { token: tokens.a, json: { bid: '1.00' } });
  assert.equal(early.status, 409);
  assert.match(early.json.detail, /every trustee has set up the bid key; not yet: .*ann \(to deal\)/);
  // A non-trustee cannot deal; a dealing that is not this trustee's fails.
  const stranger = await call('POST', `/api/v1/proposals/${slug}/trustee-dealings`, { token: tokens.a, json: { dealing: 'AAAA' } });
  assert.equal(stranger.status, 403);
  const junk = await call('POST', `/api/v1/proposals/${slug}/trustee-dealings`, { token: tokens.ann, json: { dealing: 'AAAA' } });
  assert.equal(junk.status, 422);

  for (const t of TRUSTEES) {
    const dealt = trustee('setup', t);
    assert.equal(dealt.code, 0, dealt.stderr);
    assert.match(dealt.stdout, /dealt the shares of trustee \d of 3/);
  }
  const page = await get(`/proposals/${slug}`);
  assert.match(page.text, /Bidding opens once every trustee has set up the bid key/);
  // The last to deal checks the others' at once; each acknowledges.
  for (const t of TRUSTEES) {
    const acked = trustee('setup', t);
    assert.equal(acked.code, 0, acked.stderr);
    assert.match(acked.stdout, /acknowledged the bid key [A-Za-z0-9+/]{43}=|the bid key [A-Za-z0-9+/]{43}= is acknowledged/);
  }
  const again = trustee('setup', 'ann');
  assert.match(again.stdout, /the bid key .* is acknowledged/);
  const doc = await get(`/api/v1/proposals/${slug}`);
  assert.equal(doc.json.key_ready, true);
  assert.ok(doc.json.trustees.every((t) => t.dealt && t.acked));
});

test('voters bid through the site, and one seals on their own machine', async () => {
  for (const v of ['a', 'b']) {
    const r = await call('PUT', `/api/v1/proposals/${slug}/bid`, { token: tokens[v], json: { bid: TEXTBOOK.bids[v] } });
    assert.equal(r.status, 200, r.text);
    receipts[v] = r.json.receipt;
  }
  // c bids twice: first through the site, then sealed at home; the last counts.
  const first = await call('PUT', `/api/v1/proposals/${slug}/bid`, { token: tokens.c, json: { bid: '1.00' } });
  assert.equal(first.status, 200);
  const home = cli(['proposal', 'bid', slug, TEXTBOOK.bids.c, '--url', BASE], '', as('c'));
  assert.equal(home.code, 0, home.stderr);
  receipts.c = JSON.parse(home.stdout).receipt;
  assert.equal(receipts.c.seq, 4);
  // The site cannot read c's bid, nor show it: it never had the amount.
  const own = await call('GET', `/api/v1/proposals/${slug}/bid`, { token: tokens.c });
  assert.equal(own.status, 200);
  assert.equal(own.json.bid, null);
  assert.deepEqual(own.json.receipt, receipts.c);
  const board = await get(`/api/v1/proposals/${slug}/board`);
  assert.equal(board.json.entries.length, 4);
  assert.deepEqual(board.json.entries.map((e) => e.seq), [1, 2, 3, 4]);
  const csv = await get(`/api/v1/proposals/${slug}/board?format=csv`);
  assert.equal(csv.text.split(/\r?\n/)[0], 'seq,voter,at,ciphertext,prev,hash,signature');
});

test('with the database and every key file the server has, no bid opens before the close', needsDatabase, async () => {
  assert.ok(Date.now() < closesAt, 'still open');
  const board = tmpfile('board.json', (await get(`/api/v1/proposals/${slug}/board`)).text);
  // Every bytea of every table (each value once), and the key files; of
  // the proposals and the tables whose rows belong to one, this one's rows
  // (the others' are many, and their boards public).
  const tables = psql(`select string_agg(format('select encode(%I, ''hex'') from %I.%I where %I is not null%s',
      a.attname, n.nspname, c.relname, a.attname, case when c.relname = 'proposals' then ' and slug = ''${slug}'''
        when exists (select 1 from pg_attribute b where b.attrelid = c.oid and b.attname = 'proposal_id' and not b.attisdropped)
        then ' and proposal_id = (select id from proposals where slug = ''${slug}'')' else '' end), ' union ')
    from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
    where a.atttypid = 'bytea'::regtype and c.relkind = 'r' and n.nspname = 'public' and a.attnum > 0 and not a.attisdropped`);
  assert.equal(tables.code, 0, tables.stderr);
  const values = psql(tables.stdout);
  assert.equal(values.code, 0, values.stderr);
  const keyFiles = ['var/master.key'].map((f) => path.join(ROOT, f)).filter((f) => fs.existsSync(f));
  assert.ok(keyFiles.length > 0, 'the server has a key file');
  const secrets = [values.stdout, ...keyFiles.map((f) => {
    const t = fs.readFileSync(f, 'utf8').trim();
    return `${t}\n${Buffer.from(t).toString('hex')}`;
  })].join('\n');
  const tried = await run(TRY_OPEN, [board], secrets);
  assert.equal(tried.status, 0, `a bid opened with what the server has:\n${tried.stdout}${tried.stderr}`);
  assert.match(tried.stdout, /^[1-9]\d* values tried against 3 bids$/m);

  // The same attack on a proposal its operator reads succeeds: the check
  // has teeth.
  const op = await call('POST', '/api/v1/proposals', { token: tokens.a, json: { title: `Operator ${RUN}`,
    project: 'x', cost: '1.00', currency: 'EUR', max_bid: '2000.00', closes_at: new Date(Date.now() + 3600e3).toISOString() } });
  assert.equal(op.status, 201, op.text);
  assert.equal(op.json.who_can_read, 'the server\'s operator (key file + database)');
  assert.equal((await call('PUT', `/api/v1/proposals/${op.json.slug}/bid`, { token: tokens.a, json: { bid: '3.00' } })).status, 200);
  const opBoard = tmpfile('op-board.json', (await get(`/api/v1/proposals/${op.json.slug}/board`)).text);
  const wrapped = psql(`select encode(wrapped_key, 'hex') from proposals where slug = '${op.json.slug}'`).stdout;
  const opened = await run(TRY_OPEN, [opBoard, wrapped], secrets);
  assert.equal(opened.status, 1, opened.stdout + opened.stderr);
  assert.match(opened.stdout, /opened: the bid of .*-a, with the wrapped key, unwrapped by a value the server holds/);
});

test('after the close: one part is not enough, two are; the tally is then published', async () => {
  await sleep(Math.max(0, closesAt - Date.now() + 300));
  const late = await call('PUT', `/api/v1/proposals/${slug}/bid`, { token: tokens.a, json: { bid: '9.00' } });
  assert.equal(late.status, 409);
  const waits = await get(`/api/v1/proposals/${slug}/result`);
  assert.equal(waits.status, 404);
  assert.match(waits.json.detail, /waits for the trustees' parts: 0 of the 2 needed are in; not yet given by .*ann, .*ben, .*cy/);

  const ann = trustee('decrypt', 'ann');
  assert.equal(ann.code, 0, ann.stderr);
  assert.match(ann.stdout, /gave the parts of 3 bids as trustee 1 of 3/);
  const twice = trustee('decrypt', 'ann');
  assert.notEqual(twice.code, 0);
  assert.match(twice.stderr, /given your parts already/);
  await sleep(2500);
  const one = await get(`/api/v1/proposals/${slug}/result`);
  assert.equal(one.status, 404, 'one part of two tallied it');
  assert.match(one.json.detail, /1 of the 2 needed are in; not yet given by .*ben, .*cy/);
  const page = await get(`/proposals/${slug}`);
  assert.match(page.text, /1 of the 2 needed are in; not yet given by/);

  const cy = trustee('decrypt', 'cy');
  assert.equal(cy.code, 0, cy.stderr);
  const r = await waitForResult(slug);
  const e = TEXTBOOK.expect;
  assert.equal(r.json.decision, e.decision);
  assert.equal(r.json.total_tax, e.total_tax);
  for (const v of r.json.voters) {
    const name = v.voter.slice(user('').length);
    assert.equal(v.bid, TEXTBOOK.bids[name]);
    assert.equal(v.tax, e.voters[name].tax);
    assert.equal(v.receipt, receipts[name].hash);
  }
  assert.deepEqual(r.json.invalid, []);
  assert.deepEqual(r.json.board.problems, []);
  assert.equal(r.json.board.entries, 4);
  const board = await get(`/api/v1/proposals/${slug}/board`);
  assert.deepEqual(board.json.parts.map((p) => p.index), [1, 3]);
});

test('anyone verifies the whole result from the public answers alone', async () => {
  const v = cli(['proposal', 'verify', slug, '--from', BASE, '--receipt', JSON.stringify(receipts.b)]);
  assert.equal(v.code, 0, v.stdout + v.stderr);
  assert.match(v.stdout, /the board \(4 entries, signed by [A-Za-z0-9+/]{43}=, as the site lists it/);
  const keysDoc = await get('/api/v1/keys/board');
  const pinned = cli(['proposal', 'verify', slug, '--from', BASE, '--board-key', keysDoc.json.key]);
  assert.equal(pinned.code, 0, pinned.stdout + pinned.stderr);
  // Another key pinned: nothing on the board is that key's.
  const other = cli(['proposal', 'verify', slug, '--from', BASE, '--board-key', crypto.randomBytes(32).toString('base64')]);
  assert.equal(other.code, 1);
  assert.match(other.stdout, /another signing key/);
  // A receipt the board does not hold.
  const forged = cli(['proposal', 'verify', slug, '--from', BASE, '--receipt',
    JSON.stringify({ ...receipts.b, hash: '0'.repeat(64) })]);
  assert.equal(forged.code, 1);
  assert.match(forged.stdout, /receipt is not signed by the board key/);
});

// Changes the board in the database as a writer with its guards off would,
// runs verify --from, and puts the board back as it was.
async function tampered(sql) {
  const id = `(select id from proposals where slug = '${slug}')`;
  const guarded = (body) => psql(`begin; alter table board_entries disable trigger user; ${body};
    alter table board_entries enable trigger user; commit`);
  assert.equal(psql(`drop table if exists saved_board; create table saved_board as
    select * from board_entries where proposal_id = ${id}`).code, 0);
  const t = guarded(sql.replaceAll('$ID', id));
  assert.equal(t.code, 0, t.stderr);
  const v = cli(['proposal', 'verify', slug, '--from', BASE]);
  const back = guarded(`delete from board_entries where proposal_id = ${id};
    insert into board_entries select * from saved_board`);
  assert.equal(back.code, 0, back.stderr);
  psql('drop table saved_board');
  assert.equal(v.code, 1, `verify passed a changed board:\n${v.stdout}`);
  return v.stdout;
}

test('forging, rewriting, reordering or dropping a bid in the database is found and named', needsDatabase, async () => {
  // Bob's bid rewritten with another's ciphertext.
  assert.match(await tampered(`update board_entries set ciphertext = (select ciphertext from board_entries
      where proposal_id = $ID and seq = 1) where proposal_id = $ID and seq = 2`),
  /entry 2 \(tr\w+-b\): its hash is not that of its fields: it was rewritten/);
  // A bid for a voter who never bid, hashed and chained, but not signed.
  assert.match(await tampered(`insert into board_entries select proposal_id, 5, (select id from users
      where name = '${user('admin')}'), at, ciphertext, hash, sha256(hash), signature
      from board_entries where proposal_id = $ID and seq = 4`),
  /entry 5 \(tr\w+-admin\): (its hash is not that of its fields|it is not signed by the board key)/);
  // Two entries swap places.
  assert.match(await tampered(`update board_entries set seq = seq + 1000 where proposal_id = $ID and seq in (1, 2);
    update board_entries set seq = case seq when 1001 then 2 else 1 end where proposal_id = $ID and seq > 1000`),
  /entry 1 \(tr\w+-b\): its hash is not that of its fields/);
  // One dropped.
  assert.match(await tampered('delete from board_entries where proposal_id = $ID and seq = 2'),
    /entry 2 \(tr\w+-c\): it is numbered 3/);
  // Put back, it all agrees again.
  const v = cli(['proposal', 'verify', slug, '--from', BASE]);
  assert.equal(v.code, 0, v.stdout);
});

test('a trustee\'s wrong parts are set aside, named, and may be given again', needsDatabase, async () => {
  const made = await call('POST', '/api/v1/proposals', { token: tokens.a, json: { title: `Wrong parts ${RUN}`,
    project: 'x', cost: '0', currency: 'EUR', max_bid: '2000.00', closes_at: new Date(Date.now() + 6000).toISOString(),
    trustees: TRUSTEES.map(user), threshold: 2 } });
  assert.equal(made.status, 201, made.text);
  const s = made.json.slug;
  for (let round = 0; round < 2; round++) {
    for (const t of TRUSTEES) assert.equal(trustee('setup', t, s).code, 0);
  }
  assert.equal((await call('PUT', `/api/v1/proposals/${s}/bid`, { token: tokens.a, json: { bid: '2.00' } })).status, 200);
  await sleep(6500);
  // Ben's parts are cy's: their proofs do not check against Ben's key.
  const cy = trustee('decrypt', 'cy', s);
  assert.equal(cy.code, 0, cy.stderr);
  const cyParts = (await get(`/api/v1/proposals/${s}/board`)).json.parts[0].parts;
  const ben = await call('POST', `/api/v1/proposals/${s}/trustee-parts`, { token: tokens.ben, json: { parts: cyParts } });
  assert.equal(ben.status, 200, ben.text);
  let page;
  for (let i = 0; i < 25; i++) {
    page = await get(`/api/v1/proposals/${s}/result`);
    if (/did not check/.test(page.json.detail)) break;
    await sleep(200);
  }
  assert.match(page.json.detail, /not yet given by .*ann, .*ben \(their parts did not check: a part is not correct\)/);
  const again = trustee('decrypt', 'ben', s);
  assert.equal(again.code, 0, again.stderr);
  const r = await waitForResult(s);
  assert.equal(r.json.decision, 'adopt');
});

test('an admin voids a proposal, with a reason its page shows', async () => {
  const made = await call('POST', '/api/v1/proposals', { token: tokens.a, json: { title: `Void ${RUN}`,
    project: 'x', cost: '1.00', currency: 'EUR', max_bid: '2000.00', closes_at: new Date(Date.now() + 3600e3).toISOString() } });
  const s = made.json.slug;
  const notAdmin = await call('POST', `/api/v1/proposals/${s}/void`, { token: tokens.a, json: { reason: 'no' } });
  assert.equal(notAdmin.status, 403);
  const empty = await call('POST', `/api/v1/proposals/${s}/void`, { token: tokens.admin, json: { reason: ' ' } });
  assert.equal(empty.status, 422);
  const voided = await call('POST', `/api/v1/proposals/${s}/void`, { token: tokens.admin,
    json: { reason: 'the cost was wrong by a factor of ten' } });
  assert.equal(voided.status, 200, voided.text);
  assert.equal(voided.json.voided, true);
  const page = await get(`/proposals/${s}`);
  assert.match(page.text, /Voided<\/strong> .*: the cost was wrong by a factor of ten/);
  const bid = await call('PUT', `/api/v1/proposals/${s}/bid`, { token: tokens.b, json: { bid: '1.00' } });
  assert.equal(bid.status, 409);
  assert.match(bid.json.detail, /was voided: the cost was wrong/);
  assert.equal((await call('POST', `/api/v1/proposals/${s}/void`, { token: tokens.admin, json: { reason: 'x' } })).status, 409);
  // The page's form does the same for admins.
  const other = await call('POST', '/api/v1/proposals', { token: tokens.a, json: { title: `Void page ${RUN}`,
    project: 'x', cost: '1.00', currency: 'EUR', max_bid: '2000.00', closes_at: new Date(Date.now() + 3600e3).toISOString() } });
  const admin = await new Browser().signIn(user('admin'), PASSWORD);
  const form = await admin.form(`/proposals/${other.json.slug}/void`, { reason: 'a duplicate' });
  assert.equal(form.status, 303, form.text);
  assert.match((await get(`/proposals/${other.json.slug}`)).text, /Voided<\/strong> .*: a duplicate/);
});

test('every answer about a bid is one size whatever the amount', async () => {
  const made = await call('POST', '/api/v1/proposals', { token: tokens.a, json: { title: `Sizes ${RUN}`,
    project: 'x', cost: '1.00', currency: 'EUR', max_bid: '1000000000.00', closes_at: new Date(Date.now() + 9000e3).toISOString() } });
  const s = made.json.slug;
  const voter = await new Browser().signIn(user('b'), PASSWORD);
  const sizes = [];
  for (const amount of ['0.01', '-1000.00', '999999999.99']) {
    const put = await call('PUT', `/api/v1/proposals/${s}/bid`, { token: tokens.b, json: { bid: amount } });
    assert.equal(put.status, 200, put.text);
    const mine = await call('GET', `/api/v1/proposals/${s}/bid`, { token: tokens.b });
    assert.equal(mine.json.bid, amount);
    const page = await voter.get(`/proposals/${s}`);
    assert.ok(page.text.includes(`${amount} EUR`));
    const form = await voter.form(`/proposals/${s}/bid`, { bid: amount });
    assert.equal(form.status, 303);
    sizes.push([put.text.length, mine.text.length, page.text.length, form.text.length + (form.headers.get('location') || '').length]);
  }
  for (const i of [0, 1, 2, 3]) {
    assert.equal(new Set(sizes.map((x) => x[i])).size, 1, `answer ${i} changes size with the amount: ${JSON.stringify(sizes)}`);
  }
});

test('a server started with another key file serves on, and names what waits for the right one', needsDatabase, async () => {
  // An open proposal its operator reads, sealed under today's key.
  const made = await call('POST', '/api/v1/proposals', { token: tokens.a, json: { title: `Lost key ${RUN}`,
    project: 'x', cost: '1.00', currency: 'EUR', max_bid: '2000.00', closes_at: new Date(Date.now() + 3600e3).toISOString() } });
  assert.equal(made.status, 201);
  const other = tmpfile('lost.key', `${crypto.randomBytes(32).toString('hex')}\n`);
  fs.chmodSync(other, 0o600);
  const server = await startServer({ env: { FACTWIKI_KEY_FILE: other } });
  try {
    const url = server.url;
    const facts = await fetch(`${url}/api/v1/series/afghanistan/population`);
    assert.ok([200, 404].includes(facts.status));
    const bid = await fetch(`${url}/api/v1/proposals/${made.json.slug}/bid`, { method: 'PUT',
      headers: { authorization: `Bearer ${tokens.b}`, 'content-type': 'application/json' }, body: '{"bid":"1.00"}' });
    assert.equal(bid.status, 409);
    assert.match((await bid.json()).detail, /signed with a key this server does not hold now/);
  } finally {
    await server.stop();
  }
  // Its log, written out as it stops: the warning names the proposal.
  assert.match(server.log(), new RegExp(`warning: \\d+ proposals? \\([^)]*${made.json.slug}[^)]*\\) needs? master key`));
});
