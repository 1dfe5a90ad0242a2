// Shared by the API tests: the server under test, the CLI, temporary files.
'use strict';
const assert = require('node:assert/strict');
const { spawn, spawnSync } = require('node:child_process');
const fs = require('node:fs');
const net = require('node:net');
const os = require('node:os');
const path = require('node:path');

const BASE = process.env.FW_URL || 'http://127.0.0.1:8888';
const CLI = process.env.FW_CLI || path.resolve(__dirname, '../../build/factwiki');
const ROOT = path.resolve(__dirname, '../..');

// Tests that read or write the database behind the server, as tools/test.sh
// runs them; against a server alone they are skipped, and say why.
const needsDatabase = process.env.DATABASE_URL ? {}
  : { skip: 'DATABASE_URL is not set: this test looks into the database behind the server' };

// No answer in this time is a failure of its own, not a test that hangs.
const TIMEOUT_MS = 30000;

async function get(p, headers = {}) {
  const res = await fetch(BASE + p, { headers, signal: AbortSignal.timeout(TIMEOUT_MS) });
  const text = await res.text();
  let json = null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json') && text !== '') json = JSON.parse(text);
  return { status: res.status, headers: res.headers, type, text, json };
}

// Each Set-Cookie header on its own.  Node 18's undici 5.15 (Debian 12's)
// has no getSetCookie() and joins them with ", "; a comma that starts the
// next cookie is followed by its name and "=", one inside Expires is not.
function setCookies(headers) {
  if (typeof headers.getSetCookie === 'function') return headers.getSetCookie();
  const joined = headers.get('set-cookie');
  return joined === null ? [] : joined.split(/,\s*(?=[^;,=\s]+=)/);
}

// One request, its answer read whole; redirects are not followed.  json
// is sent as JSON (a string as it is), body as it is.
async function call(method, p, { token, json, body, headers = {} } = {}) {
  const h = { ...headers };
  if (token) h.authorization = `Bearer ${token}`;
  if (json !== undefined) {
    h['content-type'] = 'application/json';
    body = typeof json === 'string' ? json : JSON.stringify(json);
  }
  // undici 5.15 (Debian 12's Node) fails a DELETE with an empty body
  // before sending it; no body at all is the same request to the server.
  if (method === 'DELETE' && body === '') body = undefined;
  // A path is the server under test's; a whole URL, another server's.
  const res = await fetch(/^https?:/.test(p) ? p : BASE + p, {
    method, headers: h, body, redirect: 'manual', signal: AbortSignal.timeout(TIMEOUT_MS),
  });
  const text = await res.text();
  const type = res.headers.get('content-type') || '';
  return {
    status: res.status, headers: res.headers, type, text,
    setCookies: setCookies(res.headers),
    json: type.includes('json') && text !== '' ? JSON.parse(text) : null,
  };
}

// One request with the path sent byte for byte as given, which fetch()
// would have normalised ("/static/." is "/static/" to it), and the Host
// given (fetch() sends its own).  The answer's status (null if none came
// within ms), its headers and body as text.
function raw(method, p, ms = 5000, host = null) {
  const { hostname, port } = new URL(BASE);
  return new Promise((resolve) => {
    const chunks = [];
    const sock = net.connect(Number(port), hostname, () => {
      sock.write(`${method} ${p} HTTP/1.1\r\nHost: ${host ?? `${hostname}:${port}`}\r\nConnection: close\r\n\r\n`);
    });
    const done = () => {
      clearTimeout(timer);
      sock.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const m = text.match(/^HTTP\/1\.[01] (\d{3})/);
      const end = text.indexOf('\r\n\r\n');
      resolve({
        status: m ? Number(m[1]) : null,
        head: end < 0 ? text : text.slice(0, end),
        text: end < 0 ? '' : text.slice(end + 4),
      });
    };
    const timer = setTimeout(done, ms);
    sock.on('data', (c) => chunks.push(c));
    sock.on('end', done);
    sock.on('error', done);
  });
}

// A browser without JavaScript: a cookie jar, and headers of its own on
// every request.
class Browser {
  constructor(headers = {}) {
    this.cookies = new Map();
    this.headers = headers;
  }

  async request(method, p, { form, headers = {}, ...opts } = {}) {
    const h = { ...this.headers, ...headers };
    if (this.cookies.size > 0) {
      h.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (form) {
      h['content-type'] = 'application/x-www-form-urlencoded';
      opts.body = new URLSearchParams(form).toString();
    }
    const res = await call(method, p, { ...opts, headers: h });
    for (const c of res.setCookies) {
      const [pair] = c.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq);
      const value = pair.slice(eq + 1);
      if (/max-age=0(;|$)/i.test(c) || value === '') this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  get(p, opts) { return this.request('GET', p, opts); }
  post(p, form, opts = {}) { return this.request('POST', p, { ...opts, form }); }

  // The form's fields with the CSRF token of the page it is on (a form
  // that is not there: the session's, which every form of a signed-in
  // page carries).
  async submit(page, p, fields, opts) {
    const shown = await this.get(page, opts);
    assert.equal(shown.status, 200, shown.text);
    const csrf = csrfOf(shown.text, p) ?? csrfOf(shown.text, '/logout');
    assert.ok(csrf, `no form for ${p} on ${page}`);
    return this.post(p, { csrf, ...fields }, opts);
  }

  login(name, password, extra = {}, opts) {
    return this.submit('/login', '/login', { name, password, ...extra }, opts);
  }

  // Signed in, with the CSRF token of the session's forms in this.csrf.
  async signIn(name, password) {
    const res = await this.login(name, password);
    assert.equal(res.status, 303, res.text);
    this.csrf = csrfOf((await this.get('/account')).text, '/logout');
    return this;
  }

  // A form post of a signed-in page.
  form(p, fields) { return this.post(p, { csrf: this.csrf, ...fields }); }
}

// The csrf field of the form that posts to action.
function csrfOf(html, action) {
  const at = html.indexOf(`action="${action}"`);
  if (at === -1) return undefined;
  return (html.slice(at).match(/name="csrf" value="([^"]*)"/) || [])[1];
}

// Runs the factwiki CLI; input goes to its standard input.
function cli(args, input, env = {}) {
  const r = spawnSync(CLI, args, {
    input, encoding: 'utf8', env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

// An account made with the CLI (role: editor unless told) and an API
// token of its own: { name, token }.
function account(name, password, role = 'editor') {
  const add = cli(['user', 'add', name, '--role', role], `${password}\n`);
  assert.equal(add.code, 0, add.stderr);
  const tok = cli(['token', 'create', name]);
  assert.equal(tok.code, 0, tok.stderr);
  return { name, token: tok.stdout.trim() };
}

// Money for a voter's deposits, as an admin credits it.
function credit(name, amount = '2000000000.00', currency = 'EUR') {
  const r = cli(['ledger', 'credit', name, amount, '--currency', currency, '--ref', 'for the tests']);
  assert.equal(r.code, 0, r.stderr);
}

// Runs SQL on the database behind the server (DATABASE_URL): its output,
// rows one a line, fields joined by "|".  A failure fails the test.
function psql(sql) {
  const r = spawnSync('psql', [process.env.DATABASE_URL, '-XAtq', '-v', 'ON_ERROR_STOP=1', '-c', sql],
    { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.trim();
}

// Temporary files live in one directory per test process, removed at exit.
const TMP = fs.mkdtempSync(path.join(os.tmpdir(), 'fwtest-'));
process.on('exit', () => fs.rmSync(TMP, { recursive: true, force: true }));
let n = 0;
function tmpfile(name, content) {
  const file = path.join(TMP, `${n++}-${name || 'data.csv'}`);
  fs.writeFileSync(file, content);
  return file;
}

// "key: value" lines of the import summary, as numbers.
function summary(stdout) {
  const s = {};
  for (const line of stdout.split('\n')) {
    const m = line.match(/^([a-z ]+): (\d+)$/);
    if (m) s[m[1]] = Number(m[2]);
  }
  return s;
}

// A free port on loopback, as tools/test.sh finds one.
function freePort() {
  return new Promise((ok) => {
    const srv = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

// Another server, from the configuration of the one under test: on a
// free port (or bound to bind), with env added to this process's, its
// pidfile and access log in temporary files.  { url, log(), exited, stop() }
// once it answers, or once it exits when up is false.
async function startServer({ env = {}, bind = '127.0.0.1', up = true } = {}) {
  const port = bind === '127.0.0.1' ? await freePort() : 0;
  // As tools/run.sh writes it, with a pid file and an access log of its own.
  const conf = fs.readFileSync(path.join(ROOT, 'conf/factwiki.conf.in'), 'utf8')
    .replace(/@BIND@/g, bind).replace(/@PORT@/g, port)
    .replace(/@ACCESSLOG@/g, tmpfile('access.log', ''))
    .replace(/^pidfile\s.*$/m, `pidfile ${tmpfile('kore.pid', '')}`);
  const all = { ...process.env, ...env };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete all[k];
  const kore = spawn('kore', ['-f', '-n', '-r', '-c', tmpfile('server.conf', conf)], {
    cwd: ROOT, env: all, stdio: ['ignore', 'pipe', 'pipe'],
  });
  const out = [];
  kore.stdout.on('data', (d) => out.push(d.toString()));
  kore.stderr.on('data', (d) => out.push(d.toString()));
  const exited = new Promise((ok) => kore.on('exit', (code) => ok(code)));
  const server = {
    url: `http://127.0.0.1:${port}`, exited, log: () => out.join(''),
    async stop() {
      if (kore.exitCode === null && kore.signalCode === null) kore.kill('SIGTERM');
      await exited;
    },
  };
  if (!up) {
    const timer = setTimeout(() => kore.kill('SIGKILL'), 10000);
    await exited;
    clearTimeout(timer);
    return server;
  }
  for (let i = 0; i < 100; i++) {
    try {
      if ((await fetch(`${server.url}/api/v1/places?limit=1`)).status === 200) return server;
    } catch { /* not yet listening */ }
    if (kore.exitCode !== null) break;
    await new Promise((ok) => setTimeout(ok, 100));
  }
  await server.stop();
  throw new Error(`the server did not start:\n${server.log()}`);
}

module.exports = {
  BASE, CLI, ROOT, needsDatabase, setCookies, get, call, raw, Browser, csrfOf, cli, account,
  credit, psql, tmpfile, summary, freePort, startServer,
};
