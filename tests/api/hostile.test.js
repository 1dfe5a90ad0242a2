// Every route of conf/ against bad input: each query parameter a route
// declares (of reads, and of writes sent with a token) with values that are
// wrong in many ways, paths that match no route, bodies that the write
// endpoints do not take, and every form sent by a signed-in editor with
// fields that are wrong.  The answer must be a 2xx, 3xx or a 4xx that says
// what was wrong: never a 5xx, never an empty error.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT, Browser, call, cli, raw, startServer } = require('./helpers');

const RUN = crypto.randomBytes(4).toString('hex');
const PASSWORD = `hostile test ${RUN}`;

const BAD_VALUES = [
  '', ' ', 'abc', '-1', '0', '00', '1.5', '-0', '1e999', 'NaN', 'Infinity',
  '99999999999999999999999', '-99999999999999999999999', '2147483648',
  '[]', '{}', 'null', 'true', '2024-13-45T99:99:99Z',
  "'; drop table facts; --", '<script>alert(1)</script>', '%00', '%ff%fe',
  '%E2%80%AE', '%C0%AF', '..%2F..%2Fetc%2Fpasswd', 'a'.repeat(5000),
  'afghanistan,population', 'json%0d%0aX-Injected: 1',
];

// The filemaps of conf/factwiki.conf.in: { prefix: directory on disk }.
function filemaps() {
  const text = fs.readFileSync(path.join(ROOT, 'conf/factwiki.conf.in'), 'utf8');
  return Object.fromEntries([...text.matchAll(/^\s*filemap\s+(\S+)\s+(\S+)/gm)].map((m) => [m[1], m[2]]));
}

// The routes of conf/*.conf, each with the parameters it declares in its
// query string, by method: { route: { get: [names], delete: [names] } }.
function routes() {
  const found = new Map();
  for (const file of fs.readdirSync(path.join(ROOT, 'conf'))) {
    const text = fs.readFileSync(path.join(ROOT, 'conf', file), 'utf8');
    for (const m of text.matchAll(/^\s*route\s+(\S+)\s+\w+/gm)) {
      if (!found.has(m[1])) found.set(m[1], {});
    }
    for (const m of text.matchAll(/^\s*params\s+(qs:\w+|get)\s+(\S+)\s*\{([^}]*)\}/gm)) {
      const names = [...m[3].matchAll(/validate\s+(\S+)/g)].map((v) => v[1]);
      found.get(m[2])[m[1].replace('qs:', '')] = names;
    }
  }
  return found;
}

// A path for a route: its patterns filled with keys that exist, each after
// the collection it belongs to.
function concrete(route, keys) {
  let queue = [];
  return route.replace(/^\^/, '').replace(/\$$/, '').replace(/\\\./g, '.').split('/')
    .map((seg) => {
      if (!/[[\]]/.test(seg)) {
        if (keys[seg]) queue = [...keys[seg]];
        return seg;
      }
      return seg.replace(/^-?(\[[^\]]*\](\{[^}]*\})?)+/, () => queue.shift());
    }).join('/');
}

// Kore answers these before any handler of ours runs, with no body: a
// path over 2,000 bytes and a body over 64 MiB.
const KORES_OWN = [413, 414];

// What is wrong with an answer, or null.
function wrong(what, r) {
  what = what.slice(0, 120);
  if (r.status >= 500) return `${what}: ${r.status} ${r.text.slice(0, 200)}`;
  if (r.status < 400) return null;
  if (!KORES_OWN.includes(r.status) && r.text.length === 0) return `${what}: ${r.status} with no message`;
  if (r.type.includes('json') && typeof r.json.detail !== 'string') return `${what}: no detail`;
  return null;
}

// Every wrong answer of a test, all listed at its end rather than the first.
class Findings {
  constructor() { this.list = []; }
  check(what, r) {
    const w = wrong(what, r);
    if (w) this.list.push(w);
    return r;
  }
  done() { assert.deepEqual(this.list, []); }
}

let keys;
let editor;
let token;

// Keys of this run's own place, variable, source and proposal, so that a
// form that takes a bad value by mistake spoils nothing of another test.
test.before(async () => {
  const name = `hostile${RUN}`;
  assert.equal(cli(['user', 'add', name], `${PASSWORD}\n`).code, 0);
  token = cli(['token', 'create', name]).stdout.trim();
  editor = await new Browser().signIn(name, PASSWORD);
  const [place, variable, url] = [`t-ho-${RUN}`, `t-ho-v-${RUN}`, `https://example.org/ho/${RUN}`];
  const made = await call('POST', '/api/v1/imports?create_missing=true', {
    token, body: `place,variable,year,value,unit,source\n${place},${variable},1990,1,things,${url}\n`,
    headers: { 'content-type': 'text/csv' },
  });
  assert.equal(made.status, 200, made.text);
  const fact = (await call('GET', `/api/v1/facts?place=${place}`)).json.data[0];
  const change = (await call('GET', '/api/v1/changes?limit=1')).json.data[0];
  const proposal = await call('POST', '/api/v1/proposals', {
    token,
    json: {
      title: `Hostile ${RUN}`, project: 'x', cost: '1.00', currency: 'EUR', max_bid: '2000.00',
      closes_at: new Date(Date.now() + 86400e3).toISOString(),
    },
  });
  assert.equal(proposal.status, 201, proposal.text);
  assert.equal(fact.source.url, url);
  keys = {
    places: [place], variables: [variable], series: [place, variable], charts: [place, variable],
    facts: [place, variable, '1990'], sources: [String(fact.source.id)], changes: [String(change.id)],
    tokens: ['1'], proposals: [proposal.json.slug],
  };
});

test('each parameter in the query string of each route, with bad values', async () => {
  const f = new Findings();
  let n = 0;
  for (const [route, methods] of routes()) {
    if (route === '^/api/' || route === '^/') continue;
    const p = concrete(route, keys);
    f.check(`GET ${p}`, await call('GET', p));
    for (const [method, names] of Object.entries(methods)) {
      // Writes with a token, and a body they take: only the query is wrong.
      const opts = method === 'get' ? {} : { token, body: 'place,variable,year,value,source\n' };
      for (const name of names) {
        // A parameter twice, on reads only: a write might take it.
        const twice = method === 'get' ? [`1&${name}=2`] : [];
        for (const value of [...BAD_VALUES, ...twice]) {
          const q = `${p}?${name}=${value}`;
          f.check(`${method} ${q}`, await call(method.toUpperCase(), q, opts));
          n++;
        }
      }
    }
  }
  assert.ok(n > 500, `only ${n} requests`);
  f.done();
});

test('paths that match no route, or nearly', async () => {
  const f = new Findings();
  const paths = [
    '/places/AFGHANISTAN', `/places/${'a'.repeat(65)}`, '/places/', '/places//x',
    '/facts/a/b/99999', '/facts/a/b/1.5', '/series/a/b/c', '/charts/a/b.png',
    '/sources/0', '/sources/99999999999999999', '/changes/-1', '/%00', '/%ff',
    '/places/%2e%2e/etc', '/api/v1/places/afghanistan/..', '/api/v1/', '/api/v2/places',
    `/${'x'.repeat(3000)}`, '/static/../conf/api.conf', '/static/%2e%2e/conf/api.conf',
    '/proposals/x/result.csv', '/api/v1/proposals/nobody-made-this/result',
  ];
  for (const p of paths) {
    const r = await call('GET', p);
    f.check(`GET ${p}`, r);
    assert.ok(!r.text.includes('route '), `${p} shows the configuration`);
  }
  f.done();
});

const BAD_BODIES = [
  '', '{', '[]', 'null', '"x"', '1e999', '{"value":{}}', '{"bid":1e999}',
  '{"year":1e999,"value":"1"}', '[' .repeat(100000), `{"title":"${'x'.repeat(100000)}"}`,
  Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
  'place,variable,year,value,source\n"unterminated', '\u0000\u0001\u0002',
];

test('write endpoints with bodies they do not take', async () => {
  const f = new Findings();
  const fact = keys.facts.join('/');
  const s = keys.proposals[0];
  const writes = [
    ['POST', '/api/v1/facts'], ['DELETE', `/api/v1/facts/${fact}`], ['POST', '/api/v1/imports'],
    ['POST', '/api/v1/proposals'], ['PUT', `/api/v1/proposals/${s}/bid`],
    ['DELETE', `/api/v1/proposals/${s}/bid`], ['POST', `/api/v1/proposals/${s}`],
  ];
  for (const [method, p] of writes) {
    for (const body of BAD_BODIES) {
      for (const type of ['application/json', 'text/csv', 'application/x-www-form-urlencoded']) {
        const r = await call(method, p, { token, body, headers: { 'content-type': type } });
        const what = `${method} ${p} (${type}) ${String(body).slice(0, 20)}`;
        f.check(what, r);
        if (r.status < 400) f.list.push(`${what}: taken, ${r.status}`);
      }
    }
  }
  f.done();
});

test('every form, signed in, with fields that are wrong', async () => {
  const f = new Findings();
  const forms = [];
  for (const route of routes().keys()) {
    if (route === '^/api/' || route === '^/' || route.startsWith('/api/') ||
        route.startsWith('^/api/')) continue;
    forms.push(concrete(route, keys));
  }
  const junk = ['', 'x', '-1', '1e999', 'a'.repeat(100000), '\u0000', '<b>', '%ff'];
  const fieldNames = ['name', 'slug', 'value', 'year', 'source', 'unit', 'comment', 'revision',
    'base', 'title', 'cost', 'closes_at', 'bid', 'url', 'kind', 'parent', 'csv', 'next', 'role'];
  for (const p of forms) {
    // Signing in, out and up have tests of their own (auth.test.js); failed
    // sign-ins here would count against this address.
    if (['/login', '/logout', '/register'].includes(p)) continue;
    for (const v of junk) {
      const fields = Object.fromEntries(fieldNames.map((k) => [k, v]));
      // What a form may take and make is named as this run's, as the other
      // tests name theirs, so that it stays out of their lists.
      for (const k of ['name', 'slug', 'title']) fields[k] = `t-ho-${RUN}-${v}`;
      const r = await editor.form(p, fields);
      f.check(`POST ${p} ${v.slice(0, 10)}`, r);
    }
    // No CSRF token at all, and one of another session.
    f.check(`POST ${p} without CSRF`, await editor.post(p, { name: 'x' }));
  }
  f.done();
});

// What each prefix below gets after it: dot segments, empty segments, their
// encoded forms, a NUL, and directories with and without their slash.
const ODD_TAILS = [
  '', '.', '..', './', '../', '/', '//', '/.', './/', '...', '%2e', '%2E', '%2e%2e', '%2e/',
  '%2e%2e/', '%2e%2e%2f', '%2f', '%2F%2F', '.%2f', '..%2f..%2fetc%2fpasswd', '%2e%2e%2f%2e%2e%2fconf',
  '%00', '.%00', '..%00/', 'x%00.svg', '%', '%2', '%zz', 'x/', 'x/.', 'x/..', 'x//', '\\', '..\\..',
];

test('odd paths under every filemap and route prefix: each is answered, no worker dies', async () => {
  const bases = new Set();
  for (const [prefix, dir] of Object.entries(filemaps())) {
    bases.add(prefix);
    // Its directories too, in both forms: Kore redirects one to the other.
    for (const e of fs.readdirSync(path.join(ROOT, dir), { withFileTypes: true })) {
      if (e.isDirectory()) bases.add(`${prefix}${e.name}/`).add(`${prefix}${e.name}`);
      else bases.add(`${prefix}${e.name}/`);
    }
  }
  for (const route of routes().keys()) {
    if (!route.startsWith('^')) {
      bases.add(`${route.replace(/\/$/, '')}/`);
      continue;
    }
    const literal = route.slice(1).split(/[[(\\$]/)[0];
    if (literal !== '/') bases.add(literal);
    if (route !== '^/api/' && route !== '^/') bases.add(`${concrete(route, keys)}/`);
  }
  const f = new Findings();
  const mapped = Object.keys(filemaps());
  let unanswered = 0;
  let n = 0;
  for (const base of bases) {
    for (const tail of ODD_TAILS) {
      const p = base + tail;
      const r = await raw('GET', p);
      n++;
      if (r.status === null) {
        f.list.push(`GET ${p}: no answer`);
        // A worker the sandbox killed hangs: the rest would hang too.
        if (++unanswered === 3) break;
        continue;
      }
      // Kore's filemap answers 4xx with no body of ours: the status is all.
      if (mapped.some((m) => p.startsWith(m)) && r.status < 500) continue;
      const type = /content-type: *([^\r]*)/i.exec(r.head)?.[1] || '';
      let json = {};
      try { json = type.includes('json') ? JSON.parse(r.text) : {}; } catch { /* wrong() says so */ }
      f.check(`GET ${p}`, { ...r, type, json });
    }
    if (unanswered === 3) break;
  }
  // Both workers still serve: enough requests that each gets some.
  for (let i = 0; i < 20; i++) {
    const r = await raw('GET', '/static/favicon.svg');
    if (r.status !== 200) f.list.push(`after the sweep, GET /static/favicon.svg: ${r.status}`);
  }
  assert.ok(n > 1000, `only ${n} requests`);
  f.done();
});

test('links never come from a Host that does not name this machine', async () => {
  const { host } = new URL(process.env.FW_URL || 'http://127.0.0.1:8888');
  const [, port] = host.split(':');
  const [place, variable] = keys.series;
  for (const p of ['/changes.atom', `/series/${place}/${variable}`]) {
    const evil = await raw('GET', p, 5000, 'evil.example');
    assert.equal(evil.status, 200, p);
    assert.doesNotMatch(evil.text, /evil\.example/, `${p}: a link repeats the Host`);
    assert.match(evil.text, new RegExp(`http://127\\.0\\.0\\.1:${port}/`), `${p}: the listener's own address`);
    const local = await raw('GET', p, 5000, `localhost:${port}`);
    assert.match(local.text, new RegExp(`http://localhost:${port}/`), `${p}: a loopback Host is kept`);
  }
});

test('bound beyond loopback, the server will not start without FACTWIKI_URL, nor with a bad one', async () => {
  for (const [url, says] of [[undefined, /needs FACTWIKI_URL/], ['facts.example.org', /must be the site's address/]]) {
    const server = await startServer({ bind: '0.0.0.0', up: false, env: { FACTWIKI_URL: url } });
    assert.notEqual(await server.exited, 0, `it started (FACTWIKI_URL ${url}):\n${server.log()}`);
    assert.match(server.log(), says);
  }
});
