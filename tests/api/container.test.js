// The container's runtime stage, run without a container runtime (there
// is none where the tests run): the files the Dockerfile copies, read-only,
// served by tools/run.sh as a user that owns only var/, with the
// Dockerfile's environment; its HEALTHCHECK must pass, and that user must
// not be able to change the code.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { ROOT, freePort } = require('./helpers');

const DOCKERFILE = fs.readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
// The runtime stage: after the last FROM.
const RUNTIME = DOCKERFILE.slice(DOCKERFILE.lastIndexOf('\nFROM '));
// Root runs the server as postgres, a user without privileges that can
// reach the test cluster's socket; anyone else as themselves.
const AS_ROOT = process.getuid() === 0;

function copies() {
  const out = [];
  for (const m of RUNTIME.matchAll(/^COPY --from=build (.+) (\S+)$/gm)) {
    for (const from of m[1].split(/\s+/)) out.push([from.replace(/^\/src\//, ''), m[2]]);
  }
  return out;
}

function env() {
  const e = {};
  for (const m of RUNTIME.matchAll(/^ENV (.+)$/gm)) {
    for (const kv of m[1].split(/\s+/)) {
      const [k, v] = kv.split('=');
      e[k] = v;
    }
  }
  return e;
}

test('the runtime stage: read-only code, var/ alone writable, the health check passes', {
  skip: process.env.DATABASE_URL ? false : 'DATABASE_URL is not set: the server needs the database of the tests',
}, async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'fwcontainer-'));
  fs.chmodSync(dir, 0o755);
  let server;
  try {
    const found = copies();
    assert.ok(found.some(([from]) => from === 'build/factwiki.so'), 'the Dockerfile copies the server');
    // As COPY does: a directory's contents into the destination, a file
    // into it by its name.
    for (const [from, to] of found) {
      const src = path.join(ROOT, from);
      const dest = fs.statSync(src).isDirectory() ? path.join(dir, to) : path.join(dir, to, path.basename(from));
      fs.mkdirSync(path.dirname(dest), { recursive: true });
      fs.cpSync(src, dest, { recursive: true });
    }
    const var_ = path.join(dir, 'var');
    fs.mkdirSync(var_, { mode: 0o700 });
    spawnSync('chmod', ['-R', 'a-w', ...fs.readdirSync(dir).filter((f) => f !== 'var').map((f) => path.join(dir, f))]);
    if (AS_ROOT) spawnSync('chown', ['postgres:', var_]);
    const as = (cmd) => (AS_ROOT ? ['runuser', '-u', 'postgres', '--', ...cmd] : cmd);

    const port = await freePort();
    const e = { ...env(), PORT: String(port), FACTWIKI_URL: `http://localhost:${port}`,
      DATABASE_URL: process.env.DATABASE_URL, ACCESS_LOG: 'off' };
    assert.equal(e.BIND, '0.0.0.0', 'the image serves beyond loopback');
    const envArgs = Object.entries(e).map(([k, v]) => `${k}=${v}`);
    const [cmd, ...args] = as(['env', '-i', `PATH=${process.env.PATH}`, ...envArgs, 'tools/run.sh']);
    const log = [];
    server = spawn(cmd, args, { cwd: dir, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
    server.stdout.on('data', (d) => log.push(d.toString()));
    server.stderr.on('data', (d) => log.push(d.toString()));

    const health = RUNTIME.match(/^HEALTHCHECK .* CMD (.+)$/m)[1];
    let healthy = false;
    for (let i = 0; i < 100 && !healthy; i++) {
      healthy = spawnSync('sh', ['-c', health], { env: { ...process.env, PORT: String(port) } }).status === 0;
      if (!healthy) await new Promise((ok) => setTimeout(ok, 100));
    }
    assert.ok(healthy, `the HEALTHCHECK never passed:\n${log.join('')}`);

    // What the server's user may write: var/, and nothing of the code.
    for (const f of ['build/factwiki.so', 'templates/top.html', 'conf/factwiki.conf.in', 'new-file']) {
      const [w0, ...wargs] = as(['sh', '-c', `: >> ${f}`]);
      const w = spawnSync(w0, wargs, { cwd: dir });
      assert.notEqual(w.status, 0, `the server's user can write ${f}`);
    }
    assert.ok(fs.existsSync(path.join(var_, 'master.key')), 'the key is made in var/');
    assert.ok(fs.existsSync(path.join(var_, 'factwiki.conf')), 'the configuration is written to var/');
    if (AS_ROOT) {
      const pid = fs.readFileSync(path.join(var_, 'kore.pid'), 'utf8').trim();
      const uid = fs.readFileSync(`/proc/${pid}/status`, 'utf8').match(/^Uid:\s+(\d+)/m)[1];
      assert.notEqual(uid, '0', 'the server runs as root');
    }
  } finally {
    if (server) {
      try { process.kill(-server.pid, 'SIGTERM'); } catch { /* gone */ }
      await new Promise((ok) => (server.exitCode !== null ? ok() : server.on('exit', ok)));
    }
    spawnSync('chmod', ['-R', 'u+w', dir]);
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
