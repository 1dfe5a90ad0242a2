// Accounts over HTTP: registering, signing in and out, sessions and their
// cookies, CSRF, the limits on sign-in attempts, API tokens and roles.
// Cookies are kept by hand, as a browser would.  The database is checked
// with psql (DATABASE_URL) for what it must never hold: a token or a
// password in clear.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('node:crypto');
const helpers = require('./helpers');

const { cli, csrfOf, needsDatabase, psql } = helpers;

const RUN = crypto.randomBytes(4).toString('hex');
const PASSWORD = 'correct horse 1';
const MISMATCH = 'that name and password do not match an account';
let names = 0;
const newName = (what) => `auth${RUN}${what}${names++}`;

// A documentation address (RFC 5737) of its own for each test that fails
// sign-ins on purpose, sent as X-Forwarded-For: the server trusts it from
// this host (a proxy), and so the tests spend no failures of 127.0.0.1.
let addresses = 0;
const newAddress = () => `198.51.${100 + (addresses++ % 100)}.${crypto.randomInt(1, 255)}`;

// A browser, with this file's password unless told another.
class Browser extends helpers.Browser {
  register(name, password = PASSWORD, extra = {}, opts) {
    return this.submit('/register', '/register',
      { name, password, password_again: password, ...extra }, opts);
  }

  login(name, password = PASSWORD, extra = {}, opts) {
    return super.login(name, password, extra, opts);
  }

  me(headers) { return this.get('/api/v1/me', { headers }); }
}

function cookieOf(res, name) {
  return res.setCookies.find((c) => c.startsWith(`${name}=`));
}

// Each from an address of its own: ten accounts an hour come from one.
async function registered(what) {
  const b = new Browser();
  const name = newName(what);
  const res = await b.register(name, PASSWORD, {}, fromAddress(newAddress()));
  assert.equal(res.status, 303, res.text);
  return { b, name };
}

function fromAddress(address) {
  return { headers: { 'x-forwarded-for': `203.0.113.9, ${address}` } };
}

test('the sign-in form comes with a pre-session CSRF cookie', async () => {
  const b = new Browser();
  const res = await b.get('/login?next=/places');
  assert.equal(res.status, 200);
  const c = cookieOf(res, 'fw_pre');
  assert.match(c, /^fw_pre=fw_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax$/);
  assert.equal(b.cookies.get('fw_pre'), csrfOf(res.text, '/login'));
  assert.match(res.text, /name="next" value="\/places"/);
  // The same token while the cookie lasts: several tabs all work.
  const again = await b.get('/register');
  assert.equal(csrfOf(again.text, '/register'), b.cookies.get('fw_pre'));
  assert.equal(cookieOf(again, 'fw_pre'), undefined);
});

test('Set-Cookie headers are read one by one on every Node, undici 5.15 included', () => {
  const cookies = ['fw_session=fw_a; Path=/; HttpOnly; SameSite=Lax; Max-Age=2592000',
    'fw_pre=; Path=/; Expires=Thu, 01 Jan 1970 00:00:00 GMT; Max-Age=0', 'fw_csrf=b=c; Path=/'];
  const h = new Headers();
  for (const c of cookies) h.append('set-cookie', c);
  // What Debian 12's undici has: only get(), which joins them with ", ".
  const joined = cookies.join(', ');
  assert.deepEqual(helpers.setCookies({ get: () => joined }), cookies);
  assert.deepEqual(helpers.setCookies({ get: () => null }), []);
  assert.deepEqual(helpers.setCookies(h), cookies);
});

test('registering signs in, with a session cookie that scripts cannot read', needsDatabase, async () => {
  const b = new Browser();
  const name = newName('reg');
  const res = await b.register(name, PASSWORD, { next: '/places' });
  assert.equal(res.status, 303, res.text);
  assert.equal(res.headers.get('location'), '/places');
  const c = cookieOf(res, 'fw_session');
  assert.match(c, /^fw_session=fw_[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; SameSite=Lax; Max-Age=2592000$/);
  const me = await b.me();
  assert.equal(me.status, 200, me.text);
  assert.deepEqual(me.json, { name, role: 'editor', credentials: 'session' });
  const account = await b.get('/account');
  assert.equal(account.status, 200);
  assert.match(account.text, new RegExp(`<h1>${name}</h1>`));
  assert.match(account.text, /Role: <strong>editor<\/strong>/);
  // The session lasts as long as its cookie says.
  const days = psql(`select round(extract(epoch from s.expires_at - now()) / 86400)
      from sessions s join users u on u.id = s.user_id where u.name = '${name}'`);
  assert.equal(days, '30');
});

test('an expired session signs no one in, and the next sign-in deletes it', needsDatabase, async () => {
  const { b, name } = await registered('expired');
  const where = `user_id = (select id from users where name = '${name}')`;
  psql(`update sessions set expires_at = now() - interval '1 second' where ${where}`);
  assert.equal((await b.me()).status, 401);
  await registered('after');
  assert.equal(psql(`select count(*) from sessions where ${where}`), '0');
});

test('behind a TLS proxy the cookies are Secure', async () => {
  const b = new Browser({ 'x-forwarded-proto': 'https' });
  const res = await b.register(newName('tls'));
  assert.equal(res.status, 303, res.text);
  assert.match(cookieOf(res, 'fw_session'), /; Secure$/);
  const form = await new Browser({ 'x-forwarded-proto': 'https' }).get('/login');
  assert.match(cookieOf(form, 'fw_pre'), /; Secure$/);
});

test('registering shows each mistake beside its field, with 422', async () => {
  const { name } = await registered('taken');
  const b = new Browser();
  let res = await b.register(name.toUpperCase());
  assert.equal(res.status, 422);
  assert.match(res.text, /this name is taken: choose another/);
  assert.equal(b.cookies.get('fw_session'), undefined);

  res = await b.register('-bad name');
  assert.equal(res.status, 422);
  assert.match(res.text, /a user name has letters, digits and \. _ - \(not first\)/);

  res = await b.register(newName('short'), 'short');
  assert.equal(res.status, 422);
  assert.match(res.text, /a password has at least 8 characters/);

  const other = newName('again');
  res = await b.submit('/register', '/register',
    { name: other, password: PASSWORD, password_again: `${PASSWORD}x` });
  assert.equal(res.status, 422);
  assert.match(res.text, /type the same password again/);
  // What was typed comes back, but never a password.
  assert.match(res.text, new RegExp(`value="${other}"`));
  assert.ok(!res.text.includes(PASSWORD));

  res = await b.submit('/register', '/register', { name: newName('nopw') });
  assert.equal(res.status, 422);
  assert.match(res.text, /choose a password/);
});

test('a sign-in or register form without its CSRF token is refused with 403', async () => {
  const b = new Browser();
  const form = await b.get('/login');
  let res = await b.post('/login', { name: 'x', password: PASSWORD });
  assert.equal(res.status, 403);
  assert.match(res.text, /this form had expired, or your browser did not send its cookie/);
  res = await b.post('/login', { csrf: `fw_${'A'.repeat(43)}`, name: 'x', password: PASSWORD });
  assert.equal(res.status, 403);
  // Another site can post the field, but cannot send our cookie with it.
  const stranger = new Browser();
  res = await stranger.post('/register', {
    csrf: csrfOf(form.text, '/login'), name: newName('csrf'), password: PASSWORD, password_again: PASSWORD,
  });
  assert.equal(res.status, 403);
  assert.equal(stranger.cookies.get('fw_session'), undefined);
});

test('signing in: a wrong password and an unknown name get the same answer', async () => {
  const { name } = await registered('login');
  const address = newAddress();
  const timed = async (who, password) => {
    const b = new Browser();
    const started = process.hrtime.bigint();
    const res = await b.login(who, password, {}, fromAddress(address));
    return { res, ms: Number(process.hrtime.bigint() - started) / 1e6, b };
  };
  const wrong = await timed(name, 'not the password');
  const unknown = await timed(newName('nobody'), 'not the password');
  for (const { res, b } of [wrong, unknown]) {
    assert.equal(res.status, 401);
    assert.match(res.text, new RegExp(MISMATCH));
    assert.equal(b.cookies.get('fw_session'), undefined);
  }
  // Both check a password: neither answers much sooner than the other.
  const ratio = wrong.ms / unknown.ms;
  assert.ok(ratio > 0.4 && ratio < 2.5, `wrong ${wrong.ms} ms, unknown ${unknown.ms} ms`);
  const right = await timed(name.toUpperCase(), PASSWORD);
  assert.equal(right.res.status, 303, right.res.text);
  assert.equal(right.res.headers.get('location'), '/');
  assert.equal((await right.b.me()).json.name, name);
});

test('a sign-in with an empty field says which', async () => {
  const b = new Browser();
  const res = await b.submit('/login', '/login', { name: newName('empty') });
  assert.equal(res.status, 422);
  assert.match(res.text, /enter your password/);
});

test('signing in goes back to next, and only to a path of this site', async () => {
  const { name } = await registered('next');
  let b = new Browser();
  let res = await b.login(name, PASSWORD, { next: '/places/norway' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/places/norway');
  b = new Browser();
  res = await b.login(name, PASSWORD, { next: '//evil.example/' });
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  res = await new Browser().get('/login?next=//evil.example/');
  assert.equal(res.status, 400);
  assert.match(res.text, /parameter &#39;next&#39; must be a path on this site/);
});

test('signing in makes a new session, and ends the one the browser had', async () => {
  const { b, name } = await registered('rotate');
  const before = b.cookies.get('fw_session');
  const res = await b.login(name);
  assert.equal(res.status, 303);
  const after = b.cookies.get('fw_session');
  assert.notEqual(after, before);
  const old = new Browser();
  old.cookies.set('fw_session', before);
  assert.equal((await old.me()).status, 401);
  assert.equal((await b.me()).status, 200);
});

test('signing out needs the session CSRF token, ends the session and drops the cookie', async () => {
  const { b } = await registered('logout');
  const token = b.cookies.get('fw_session');
  let res = await b.post('/logout', {});
  assert.equal(res.status, 403);
  assert.match(res.text, /CSRF token does not match/);
  res = await b.post('/logout', { csrf: `fw_${'B'.repeat(43)}` });
  assert.equal(res.status, 403);
  assert.equal((await b.me()).status, 200);

  res = await b.submit('/account', '/logout', {});
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/');
  assert.match(cookieOf(res, 'fw_session'), /^fw_session=; Path=\/; HttpOnly; SameSite=Lax; Max-Age=0$/);
  const old = new Browser();
  old.cookies.set('fw_session', token);
  res = await old.me();
  assert.equal(res.status, 401);
  assert.equal(res.json.detail, 'sign in first: your session has ended');
  // Signing out of an ended session is no error.
  res = await old.post('/logout', {});
  assert.equal(res.status, 303);
  res = await new Browser().get('/logout');
  assert.equal(res.status, 405);
});

test('ten failed sign-ins lock an account for 15 minutes, from any address', needsDatabase, async () => {
  const { name } = await registered('lock');
  for (let i = 0; i < 10; i++) {
    const res = await new Browser().login(name, 'wrong password', {}, fromAddress(newAddress()));
    assert.equal(res.status, 401, `attempt ${i + 1}`);
  }
  // Even the right password waits: a guesser must not learn it is right.
  const res = await new Browser().login(name, PASSWORD, {}, fromAddress(newAddress()));
  assert.equal(res.status, 429);
  const wait = Number(res.headers.get('retry-after'));
  assert.ok(wait > 840 && wait <= 900, `Retry-After: ${wait}`);
  assert.match(res.text, /too many failed sign-ins for this account in the last 15 minutes: try again in 15 minutes/);
  // The attempts are gone once their 15 minutes are: pretend they are.
  psql(`update login_attempts set at = at - interval '15 minutes'
      where name = lower('${name}')`);
  const later = await new Browser().login(name, PASSWORD, {}, fromAddress(newAddress()));
  assert.equal(later.status, 303, later.text);
});

test('from one address, failed sign-ins at one account wait longer each time', needsDatabase, async () => {
  const { name } = await registered('pair');
  const address = newAddress();
  const forget = (seconds) => psql(`update login_attempts set at = at - interval '${seconds} seconds'
      where name = lower('${name}')`);
  for (let i = 0; i < 3; i++) {
    const res = await new Browser().login(name, 'wrong password', {}, fromAddress(address));
    assert.equal(res.status, 401, `attempt ${i + 1}`);
  }
  let last = 0;
  for (const want of [10, 20, 40]) {
    const res = await new Browser().login(name, PASSWORD, {}, fromAddress(address));
    assert.equal(res.status, 429, `after ${want / 10 + 2} failures`);
    const wait = Number(res.headers.get('retry-after'));
    assert.ok(wait > want - 3 && wait <= want, `Retry-After ${wait}, want about ${want}`);
    assert.ok(wait > last, 'each failure waits longer');
    last = wait;
    assert.match(res.text, /too many failed sign-ins for this account from your address in the last 15 minutes: try again in \d+ seconds/);
    // Once the wait is over (pretend it is), one more guess is let through.
    forget(want);
    const again = await new Browser().login(name, 'wrong password', {}, fromAddress(address));
    assert.equal(again.status, 401);
  }
  // From another address its owner was never held back by these guesses.
  const elsewhere = await new Browser().login(name, PASSWORD, {}, fromAddress(newAddress()));
  assert.equal(elsewhere.status, 303);
});

test('a browser that signed in before still signs in while guessers hold its account or address locked', needsDatabase, async () => {
  const { name } = await registered('owner');
  const owner = new Browser();
  const home = newAddress();
  let res = await owner.login(name, PASSWORD, {}, fromAddress(home));
  assert.equal(res.status, 303, res.text);
  assert.match(res.setCookies.find((c) => c.startsWith('fw_device=')) ?? '', /HttpOnly; SameSite=Lax; Max-Age=31536000/);
  for (let i = 0; i < 10; i++) {
    res = await new Browser().login(name, 'wrong password', {}, fromAddress(newAddress()));
    assert.equal(res.status, 401, `guess ${i + 1}`);
  }
  res = await new Browser().login(name, PASSWORD, {}, fromAddress(newAddress()));
  assert.equal(res.status, 429, 'a browser it never signed in with waits');
  res = await owner.login(name, PASSWORD, {}, fromAddress(home));
  assert.equal(res.status, 303, 'its owner\'s browser does not');
  // Thirty failures lock the shared address; the owner there signs in.
  for (let i = 0; i < 30; i++) {
    res = await new Browser().login(newName('nat'), 'wrong password', {}, fromAddress(home));
    assert.equal(res.status, 401, `guess ${i + 1} from the shared address`);
  }
  res = await new Browser().login(newName('nat'), 'wrong password', {}, fromAddress(home));
  assert.equal(res.status, 429);
  res = await owner.login(name, PASSWORD, {}, fromAddress(home));
  assert.equal(res.status, 303, 'the owner behind the locked address');
  // A trusted browser is limited on its own failures: ten.
  for (let i = 0; i < 10; i++) {
    res = await owner.login(name, 'wrong password', {}, fromAddress(home));
    assert.equal(res.status, 401, `the owner's mistake ${i + 1}`);
  }
  res = await owner.login(name, PASSWORD, {}, fromAddress(home));
  assert.equal(res.status, 429);
  assert.match(res.text, /too many failed sign-ins from this browser/);
  // Another account's device cookie trusts nothing here.
  const other = await registered('other');
  const stranger = new Browser();
  stranger.cookies.set('fw_device', owner.cookies.get('fw_device'));
  res = await stranger.login(other.name, 'wrong password', {}, fromAddress(home));
  assert.equal(res.status, 429, 'the locked address holds a cookie of another account');
  psql(`delete from login_attempts where address = '${home}' or name = lower('${name}')`);
});

test('ten accounts an hour from one address; the eleventh waits', async () => {
  const address = newAddress();
  for (let i = 0; i < 10; i++) {
    const res = await new Browser().register(newName('many'), PASSWORD, {}, fromAddress(address));
    assert.equal(res.status, 303, `account ${i + 1}`);
  }
  const name = newName('many');
  let res = await new Browser().register(name, PASSWORD, {}, fromAddress(address));
  assert.equal(res.status, 429);
  const wait = Number(res.headers.get('retry-after'));
  assert.ok(wait > 3500 && wait <= 3600, `Retry-After: ${wait}`);
  assert.match(res.text, /ten accounts were made from your address in the last hour: try again in 60 minutes/);
  assert.match(res.text, new RegExp(`value="${name}"`));
  res = await new Browser().register(name, PASSWORD, {}, fromAddress(newAddress()));
  assert.equal(res.status, 303);
});

test('thirty failed sign-ins lock an address out of every account', needsDatabase, async () => {
  const { name } = await registered('addr');
  const address = newAddress();
  for (let i = 0; i < 30; i++) {
    const res = await new Browser().login(newName('guess'), 'wrong password', {}, fromAddress(address));
    assert.equal(res.status, 401, `attempt ${i + 1}`);
  }
  let res = await new Browser().login(name, PASSWORD, {}, fromAddress(address));
  assert.equal(res.status, 429);
  assert.ok(Number(res.headers.get('retry-after')) > 0);
  assert.match(res.text, /too many failed sign-ins from your address/);
  // Another address is not held back.
  res = await new Browser().login(name, PASSWORD, {}, fromAddress(newAddress()));
  assert.equal(res.status, 303);
  psql(`delete from login_attempts where address = '${address}'`);
});

test('the account page needs a session', async () => {
  const res = await new Browser().get('/account');
  assert.equal(res.status, 303);
  assert.equal(res.headers.get('location'), '/login?next=/account');
  const stale = new Browser();
  stale.cookies.set('fw_session', `fw_${'C'.repeat(43)}`);
  assert.equal((await stale.get('/account')).status, 303);
});

test('an API token is shown once, works as Bearer, and stops working when revoked', needsDatabase, async () => {
  const { b, name } = await registered('token');
  let res = await b.submit('/account', '/account/tokens', { label: 'nightly import' });
  assert.equal(res.status, 201, res.text);
  assert.equal(res.headers.get('cache-control'), 'no-store');
  const token = (res.text.match(/<code class="token" id="new-token">(fw_[A-Za-z0-9_-]{43})<\/code>/) || [])[1];
  assert.ok(token, 'the new token is on the page');
  const page = await b.get('/account');
  assert.ok(!page.text.includes(token), 'shown once only');
  assert.match(page.text, /nightly import/);
  assert.match(page.text, /<span class="muted">never<\/span>/);

  // A token opens what a session does, without CSRF: no browser sends it
  // by itself.
  const api = new Browser({ authorization: `Bearer ${token}` });
  res = await api.me();
  assert.equal(res.status, 200);
  assert.deepEqual(res.json, { name, role: 'editor', credentials: 'token' });
  res = await api.post('/account/tokens', { label: 'made by a token' });
  assert.equal(res.status, 201);
  const used = await b.get('/account');
  assert.match(used.text, /made by a token/);
  // The token's last use shows.
  assert.match(used.text, /nightly import<\/td><td>[^<]+<\/td><td>\d{4}-\d\d-\d\d \d\d:\d\d UTC<\/td>/);

  // Revoking, from the account page.
  const id = page.text.match(/action="\/account\/tokens\/(\d+)\/revoke"/)[1];
  res = await b.submit('/account', `/account/tokens/${id}/revoke`, {});
  assert.equal(res.status, 200, res.text);
  assert.match(res.text, /The token “nightly import” is revoked/);
  res = await api.me();
  assert.equal(res.status, 401);
  assert.equal(res.headers.get('content-type'), 'application/problem+json');
  assert.equal(res.json.detail, 'this API token is not valid (revoked, or never made)');
  res = await api.post('/account/tokens', { label: 'again' });
  assert.equal(res.status, 401);

  // Nothing of it in clear in the database: only its BLAKE2b hash.
  const rows = psql(`select t::text from api_tokens t join users u on u.id = t.user_id
      where u.name = '${name}'`);
  if (rows !== null) {
    assert.equal(rows.split('\n').length, 2);
    assert.ok(!rows.includes(token));
    assert.ok(!rows.includes(token.slice(3)));
    assert.equal(psql(`select length(hash) from api_tokens where id = ${id}`), '32');
  }
});

test('token forms: CSRF for sessions, credentials for all, labels of 200 characters', async () => {
  const { b } = await registered('tokform');
  let res = await b.post('/account/tokens', { label: 'no csrf' });
  assert.equal(res.status, 403);
  res = await new Browser().post('/account/tokens', { label: 'nobody' });
  assert.equal(res.status, 401);
  res = await b.submit('/account', '/account/tokens', { label: 'x'.repeat(201) });
  assert.equal(res.status, 422);
  assert.match(res.text, /a label has at most 200 characters/);
  // Someone else's token, or none: 404.
  res = await b.submit('/account', '/account/tokens/999999999/revoke', {});
  assert.equal(res.status, 404);
  assert.match(res.text, /you have no API token number 999999999/);
});

test('passwords are stored as argon2id strings only', needsDatabase, async () => {
  const { name } = await registered('stored');
  const row = psql(`select u::text from users u where name = '${name}'`);
  assert.match(row, /\$argon2id\$v=19\$m=65536,t=2,p=1\$/);
  assert.ok(!row.includes(PASSWORD));
  const sessions = psql(`select s::text from sessions s join users u on u.id = s.user_id
      where u.name = '${name}'`);
  assert.equal(sessions.split('\n').length, 1);
  assert.match(sessions, /^\("\\\\x[0-9a-f]{64}",/);
});

test('an admin gives roles on the account page; others may not', async () => {
  const admin = newName('admin');
  const made = cli(['user', 'add', admin, '--role', 'admin'], `${PASSWORD}\n`);
  assert.equal(made.code, 0, made.stderr);
  const a = new Browser();
  assert.equal((await a.login(admin)).status, 303);
  const page = await a.get('/account');
  assert.match(page.text, /<h2>Roles<\/h2>/);

  const { b, name } = await registered('promoted');
  assert.doesNotMatch((await b.get('/account')).text, /<h2>Roles<\/h2>/);
  let res = await a.submit('/account', '/account/role', { name, role: 'curator' });
  assert.equal(res.status, 200, res.text);
  assert.match(res.text, new RegExp(`${name} is now a curator\\.`));
  assert.equal((await b.me()).json.role, 'curator');

  res = await b.submit('/account', '/account/role', { name: admin, role: 'editor' });
  assert.equal(res.status, 403);
  assert.match(res.text, /this needs the admin role/);
  res = await a.submit('/account', '/account/role', { name: admin, role: 'editor' });
  assert.equal(res.status, 409);
  res = await a.submit('/account', '/account/role', { name: newName('ghost'), role: 'editor' });
  assert.equal(res.status, 404);
  res = await a.submit('/account', '/account/role', { name, role: 'king' });
  assert.equal(res.status, 422);
  assert.match(res.text, /a role is editor, curator or admin/);
});

test('GET /api/v1/me without credentials is a 401 problem', needsDatabase, async () => {
  const res = await new Browser().me();
  assert.equal(res.status, 401);
  assert.equal(res.json.detail, 'sign in, or send an API token (Authorization: Bearer ...)');
});
