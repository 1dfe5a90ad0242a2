// The database goes away under a running server, and comes back: each
// request meanwhile gets a 503 that says when to try again, and the server
// answers again within that time, without a restart of its own.  On a
// cluster and a server of its own, so that the suite's are not disturbed.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, cli, startServer } = require('./helpers');

function pg(cmd, dir) {
  const r = spawnSync(path.join(ROOT, 'tools/pg.sh'), [cmd, dir], { encoding: 'utf8',
    env: { ...process.env, PG_OPTIONS: '-c fsync=off' } });
  assert.equal(r.status, 0, `pg.sh ${cmd}: ${r.stderr}`);
  return r.stdout.trim();
}

test('a database outage: 503 with Retry-After, then answers again within it', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwoutage-'));
  fs.chmodSync(dir, 0o755);
  const cluster = path.join(dir, 'pg');
  let server;
  try {
    pg('start', cluster);
    const url = pg('url', cluster);
    const made = cli(['migrate'], '', { DATABASE_URL: url });
    assert.equal(made.code, 0, made.stderr);
    server = await startServer({ env: { DATABASE_URL: url, FACTWIKI_KEY_FILE: path.join(dir, 'master.key') } });
    const ask = (p) => fetch(server.url + p, { signal: AbortSignal.timeout(10000) });
    assert.equal((await ask('/api/v1/places')).status, 200);

    pg('stop', cluster);
    let promised = 0;
    for (const p of ['/api/v1/places', '/places', '/api/v1/series/x/y']) {
      const r = await ask(p);
      assert.equal(r.status, 503, p);
      const wait = Number(r.headers.get('retry-after'));
      assert.ok(wait >= 1 && wait <= 60, `${p}: Retry-After ${r.headers.get('retry-after')}`);
      promised = wait;
      assert.match(await r.text(), /the database cannot be reached; try again soon/);
    }

    pg('start', cluster);
    const back = Date.now();
    let status;
    while ((status = (await ask('/api/v1/places')).status) !== 200 && Date.now() - back < 10000) {
      await new Promise((ok) => setTimeout(ok, 50));
    }
    assert.equal(status, 200);
    const seconds = (Date.now() - back) / 1000;
    assert.ok(seconds <= promised, `answered again after ${seconds} s, later than the ${promised} s a 503 says`);
  } finally {
    if (server) await server.stop();
    spawnSync(path.join(ROOT, 'tools/pg.sh'), ['stop', cluster]);
    fs.rmSync(fs.realpathSync(cluster), { recursive: true, force: true });
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
