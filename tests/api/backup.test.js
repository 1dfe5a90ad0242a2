// factwiki backup and restore: a site with facts, accounts and an open
// proposal with bids is backed up, restored into an empty database with
// its key, and the copy holds every table as it was and tallies the
// proposal as the original does.  On a cluster and a server of its own.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, cli, startServer } = require('./helpers');

const PASSWORD = 'backup test password';

function pg(cmd, dir) {
  const r = spawnSync(path.join(ROOT, 'tools/pg.sh'), [cmd, dir], { encoding: 'utf8',
    env: { ...process.env, PG_OPTIONS: '-c fsync=off' } });
  assert.equal(r.status, 0, `pg.sh ${cmd}: ${r.stderr}`);
  return r.stdout.trim();
}

function psql(url, sql) {
  const r = spawnSync('psql', [url, '-XAtqc', sql], { encoding: 'utf8', maxBuffer: 1 << 28 });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// Every table of the database, each as its row count and a hash of its
// rows in order, and where every sequence stands.
function contents(url) {
  const tables = psql(url, "select format('%I.%I', schemaname, tablename) from pg_tables " +
    "where schemaname not in ('pg_catalog', 'information_schema') order by 1").split('\n');
  const out = {};
  for (const t of tables) {
    out[t] = psql(url, `select count(*) || ' ' || coalesce(md5(string_agg(r::text, E'\\n' order by r::text)), '') from ${t} r`);
  }
  out.sequences = psql(url, "select string_agg(format('%s %s', sequencename, last_value), ', ' order by sequencename) from pg_sequences");
  return out;
}

test('backup, then restore into an empty database: every table, and the tally of an open proposal', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwbackup-'));
  fs.chmodSync(dir, 0o755);
  const cluster = path.join(dir, 'pg');
  const key = path.join(dir, 'master.key');
  let server;
  try {
    pg('start', cluster);
    const url = pg('url', cluster);
    const env = { DATABASE_URL: url, FACTWIKI_KEY_FILE: key };
    const run = (args, input = '') => {
      const r = cli(args, input, env);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.stderr}`);
      return r.stdout.trim();
    };
    run(['migrate']);
    run(['import', '--create-missing', path.join(ROOT, 'data/gapminder-facts.csv')]);
    server = await startServer({ env });
    const tokens = {};
    for (const who of ['alice', 'bob', 'carol']) {
      run(['user', 'add', who], `${PASSWORD}\n`);
      tokens[who] = run(['token', 'create', who]);
      run(['ledger', 'credit', who, '10000.00', '--currency', 'EUR', '--ref', 'backup test']);
    }
    const api = async (method, p, token, json) => {
      const r = await fetch(server.url + p, { method, body: JSON.stringify(json),
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' } });
      return { status: r.status, json: await r.json() };
    };
    const closes = Date.now() + 4000;
    const made = await api('POST', '/api/v1/proposals', tokens.alice, { title: 'Backed up', project: 'x',
      cost: '30.00', currency: 'EUR', max_bid: '2000.00', closes_at: new Date(closes).toISOString() });
    assert.equal(made.status, 201, JSON.stringify(made.json));
    const slug = made.json.slug;
    for (const [who, amount] of [['bob', '25.00'], ['carol', '-5.00']]) {
      const r = await api('PUT', `/api/v1/proposals/${slug}/bid`, tokens[who], { bid: amount });
      assert.equal(r.status, 200, JSON.stringify(r.json));
    }
    // Stopped, so that it tallies nothing at the close: both copies are
    // tallied by hand below.
    await server.stop();
    server = null;

    const backup = path.join(dir, 'backup');
    assert.match(run(['backup', backup]), /backed up the database and the master key/);
    assert.deepEqual(fs.readdirSync(backup).sort(), ['SHA256SUMS', 'database.dump', 'master.key']);
    assert.equal(fs.statSync(path.join(backup, 'master.key')).mode & 0o077, 0, 'the key is for its owner alone');
    assert.equal(cli(['backup', backup], '', env).code, 1, 'a backup never goes over another');

    // A damaged copy is refused whole.
    const damaged = path.join(dir, 'damaged');
    fs.cpSync(backup, damaged, { recursive: true });
    const dump = fs.readFileSync(path.join(damaged, 'database.dump'));
    dump[dump.length >> 1] ^= 1;
    fs.writeFileSync(path.join(damaged, 'database.dump'), dump);

    psql(url, 'create database restored');
    const restoredUrl = url.replace('///factwiki?', '///restored?');
    const restoredKey = path.join(dir, 'restored.key');
    const renv = { DATABASE_URL: restoredUrl, FACTWIKI_KEY_FILE: restoredKey };
    let r = cli(['restore', damaged], '', renv);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /database\.dump is not what was backed up/);
    assert.equal(fs.existsSync(restoredKey), false);

    r = cli(['restore', backup], '', renv);
    assert.equal(r.code, 0, r.stderr);
    assert.deepEqual(fs.readFileSync(restoredKey), fs.readFileSync(key));
    assert.deepEqual(contents(restoredUrl), contents(url));
    r = cli(['restore', backup], '', renv);
    assert.equal(r.code, 1, 'a restore never goes over data');
    assert.match(r.stderr, /the database is not empty/);

    // Both copies tally the proposal that was open at the backup alike.
    await new Promise((ok) => setTimeout(ok, Math.max(0, closes - Date.now() + 200)));
    run(['proposal', 'tally', slug]);
    const tallied = cli(['proposal', 'tally', slug], '', renv);
    assert.equal(tallied.code, 0, tallied.stderr);
    const result = (u) => JSON.parse(psql(u, `select api.result('${slug}', false)`));
    const [a, b] = [result(url), result(restoredUrl)];
    assert.equal(a.decision, b.decision);
    assert.deepEqual(a.voters, b.voters);
    assert.equal(a.voters.length, 2);
  } finally {
    if (server) await server.stop();
    spawnSync(path.join(ROOT, 'tools/pg.sh'), ['stop', cluster]);
    fs.rmSync(fs.realpathSync(cluster), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
