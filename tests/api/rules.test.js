// Each limit and enumeration has one home, the database's check
// constraint; the copies that the edge needs (C checks, form attributes,
// the OpenAPI document) are held against it here, so that a copy that
// drifts fails the run instead of a user.  The tax and payout rules have
// theirs in the tally's tables (app/core/clarke_rules.c), from which the
// database, the server and the command line make what they list.
const test = require('node:test');
const assert = require('node:assert');
const crypto = require('node:crypto');
const fs = require('node:fs');
const path = require('node:path');
const { spawnSync } = require('node:child_process');
const { ROOT, Browser, call, cli, get, needsDatabase } = require('./helpers');

// "table.column" -> its check constraints' definitions.
function constraints() {
  const r = spawnSync('psql', [process.env.DATABASE_URL, '-XAtF\t', '-c',
    `SELECT c.relname || '.' || a.attname, pg_get_constraintdef(k.oid)
       FROM pg_constraint k JOIN pg_class c ON c.oid = k.conrelid
       JOIN pg_attribute a ON a.attrelid = k.conrelid AND a.attnum = k.conkey[1]
      WHERE k.contype = 'c' AND cardinality(k.conkey) = 1
        AND c.relnamespace = 'public'::regnamespace`], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const m = new Map();
  for (const line of r.stdout.trim().split('\n')) {
    const [col, def] = line.split('\t');
    m.set(col, [...(m.get(col) || []), def]);
  }
  return m;
}

function maxOf(defs, col) {
  for (const d of defs.get(col) || []) {
    const m = /length\(\w+\) <= (\d+)/.exec(d);
    if (m) return Number(m[1]);
  }
  assert.fail(`${col} has no length limit in the database`);
}

function valuesOf(defs, col) {
  for (const d of defs.get(col) || []) {
    const m = /ANY \(ARRAY\[(.*)\]\)/.exec(d);
    if (m) return [...m[1].matchAll(/'([^']*)'::text/g)].map((x) => x[1]);
  }
  assert.fail(`${col} has no list of values in the database`);
}

// The numbers that re (one capture group, global) finds in file.
function grep(file, re) {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const found = [...text.matchAll(re)].map((m) => m[1]);
  assert.ok(found.length > 0, `${file}: ${re} is not there any more; update this test`);
  return found;
}

const input = (name) => new RegExp(`<(?:input|textarea)[^>]* name="${name}"[^>]* maxlength="(\\d+)"`, 'g');
const define = (macro) => new RegExp(`#define\\s+${macro}\\s+(\\d+)`, 'g');
const nameCheck = new RegExp('text_input_check\\("name", "name", form_field\\(req, "name"\\), (\\d+)', 'g');

// Each column and where its limit is written again.
const LIMITS = {
  'places.name': [['templates/place_edit.html', input('name')], ['app/edit_place.c', nameCheck],
    ['app/core/factcsv.c', define('NAME_MAX_CP')]],
  'variables.name': [['templates/variable_edit.html', input('name')], ['app/edit_variable.c', nameCheck],
    ['app/core/factcsv.c', define('NAME_MAX_CP')]],
  'places.description': [['app/edit_place.c', define('DESCRIPTION_MAX')]],
  'variables.description': [['app/edit_variable.c', define('DESCRIPTION_MAX')]],
  'variables.unit': [['templates/variable_edit.html', input('unit')]],
  'sources.title': [['templates/source_edit.html', input('title')], ['app/edit_source.c', define('TITLE_MAX')]],
  'sources.publisher': [['templates/source_edit.html', input('publisher')], ['app/edit_source.c', define('TITLE_MAX')]],
  'sources.url': [['templates/source_edit.html', input('url')], ['app/core/text.c', define('URL_MAX')]],
  'sources.notes': [['app/edit_source.c', define('NOTES_MAX')]],
  'facts.note': [['templates/fact-fields.html', input('note')], ['app/core/factcsv.h', define('FACTCSV_NOTE_MAX')]],
  'changes.comment': [['templates/import.html', input('comment')], ['templates/series.html', input('comment')],
    ['templates/history.html', input('comment')], ['app/form.h', define('COMMENT_MAX')]],
  'api_tokens.label': [['templates/account.html', input('label')], ['app/account.c', define('LABEL_MAX')],
    ['app/account.c', /a label has at most (\d+) characters/g]],
  'proposals.title': [['templates/proposal_new.html', input('title')], ['app/proposals.c', define('TITLE_MAX')]],
  'proposals.project': [['templates/proposal_new.html', input('project')], ['app/proposals.c', define('PROJECT_MAX')]],
  'proposals.description': [['app/proposals.c', define('DESCRIPTION_MAX')]],
};

// The same limits as the OpenAPI document states them: column -> schemas.
const param = (p, name) => (doc) => doc.paths[p].get.parameters.find((x) => x.name === name).schema;
const prop = (schema, name) => (doc) => doc.components.schemas[schema].properties[name];
const LIMITS_API = {
  'changes.comment': [prop('FactWrite', 'comment')],
  'facts.note': [prop('FactWrite', 'note')],
  'proposals.title': [prop('ProposalInput', 'title')],
  'proposals.project': [prop('ProposalInput', 'project')],
  'proposals.description': [prop('ProposalInput', 'description')],
};

const listItem = (schema, name) => (doc) => {
  const s = doc.components.schemas[schema];
  return (s.allOf ? s.allOf[1] : s).properties.data.items.properties[name];
};
// Each list of values, and the schemas and forms that restate it.
const ENUMS = {
  'places.kind': {
    api: [param('/api/v1/places', 'kind'), listItem('PlaceList', 'kind')],
    forms: [['templates/place_edit.html', /<option value="([a-z]+)"\{\{#kind_is/g]],
  },
  'users.role': {
    // "system" is the importer's own account, never given to a person.
    except: ['system'],
    api: [prop('Me', 'role')],
    forms: [['templates/account.html', /<option>([a-z]+)<\/option>/g]],
    usage: [['tools/cli/main.c', /--role ([a-z|]+)/g], ['tools/cli/cmd_user.c', /--role ([a-z|]+)/g]],
  },
  'changes.kind': {
    api: [param('/api/v1/changes', 'kind'), listItem('ChangeList', 'kind')],
  },
  'fact_revisions.action': {
    api: [(doc) => doc.components.schemas.History.properties.revisions.items.properties.action,
      (doc) => doc.components.schemas.Change.properties.revisions.items.properties.action],
  },
  'entity_revisions.entity': { api: [prop('EntityHistory', 'entity')] },
  'ledger.memo': { api: [(doc) => doc.components.schemas.Ledger.allOf[1].properties.data.items.properties.memo] },
  // A user's statement shows their own accounts; the pool and the world
  // are no one's.
  'ledger.account': {
    except: ['pool', 'world'],
    api: [(doc) => doc.components.schemas.Ledger.allOf[1].properties.data.items.properties.account],
  },
  'proposals.electorate': {
    api: [prop('ProposalSummary', 'electorate'), (doc) => doc.components.schemas.ProposalInput.properties.electorate.oneOf[1]],
    forms: [['templates/proposal_new.html', /name="electorate" value="([a-z]+)"/g]],
  },
  'entity_revisions.action': {
    api: [(doc) => doc.components.schemas.EntityHistory.properties.revisions.items.properties.action],
  },
};

test('each length limit: the forms, the C checks and the OpenAPI document say what the database does', needsDatabase, async () => {
  const defs = constraints();
  const doc = (await get('/api/v1/openapi.json')).json;
  const wrong = [];
  for (const [col, copies] of Object.entries(LIMITS)) {
    const max = maxOf(defs, col);
    for (const [file, re] of copies) {
      for (const n of grep(file, re)) {
        if (Number(n) !== max) wrong.push(`${file} says ${n} for ${col}; the database says ${max}`);
      }
    }
    for (const at of LIMITS_API[col] || []) {
      const n = at(doc).maxLength;
      if (n !== max) wrong.push(`openapi.json says ${n} for ${col}; the database says ${max}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('each enumeration: the forms, the CLI and the OpenAPI document list what the database does', needsDatabase, async () => {
  const defs = constraints();
  const doc = (await get('/api/v1/openapi.json')).json;
  const wrong = [];
  for (const [col, { except = [], api = [], forms = [], usage = [] }] of Object.entries(ENUMS)) {
    const want = valuesOf(defs, col).filter((v) => !except.includes(v)).sort();
    const differs = (what, got) => {
      if (JSON.stringify([...got].sort()) !== JSON.stringify(want)) {
        wrong.push(`${what} lists ${got.join(', ')} for ${col}; the database: ${want.join(', ')}`);
      }
    };
    for (const at of api) differs('openapi.json', at(doc).enum);
    for (const [file, re] of forms) differs(file, grep(file, re));
    for (const [file, re] of usage) for (const u of grep(file, re)) differs(file, u.split('|'));
  }
  assert.deepEqual(wrong, []);
});

// The names in the tally's table of rules of kind "tax" or "payout".
function ruleNames(kind) {
  const text = fs.readFileSync(path.join(ROOT, 'app/core/clarke_rules.c'), 'utf8');
  const table = new RegExp(`clarke_${kind}_rules\\[\\w+\\] = \\{([\\s\\S]*?)\\n\\};`).exec(text);
  assert.ok(table, `app/core/clarke_rules.c has no clarke_${kind}_rules[]; update this test`);
  return [...table[1].matchAll(/\[CLARKE_\w+\] = \{ "([a-z0-9-]+)"/g)].map((m) => m[1]);
}

function psqlRows(sql) {
  const r = spawnSync('psql', [process.env.DATABASE_URL, '-XAqtF\t', '-c', sql], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return r.stdout.split('\n').filter((l) => l !== '').map((l) => l.split('\t'));
}

const RULES = [
  { kind: 'tax', field: 'tax_rule', option: '--tax-rule', schema: 'TaxRule' },
  { kind: 'payout', field: 'payout_rule', option: '--payout', schema: 'PayoutRule' },
];
const RUN = crypto.randomBytes(4).toString('hex');
const PASSWORD = 'rules test password';
const html = (s) => s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]);
// The Markdown of an explanation as the page shows it: bold, and no more.
const md = (s) => `<p>${s.replace(/\*\*(.+?)\*\*/g, '<strong>$1</strong>')}</p>`;
const inWords = (names) => `${names.slice(0, -1).join(', ')} or ${names[names.length - 1]}`;

test('each tax and payout rule: the database, the OpenAPI document, the API, the form and the CLI list the tally\'s', needsDatabase, async () => {
  const name = `rules${RUN}`;
  assert.equal(cli(['user', 'add', name], `${PASSWORD}\n`).code, 0);
  const form = await (await new Browser().signIn(name, PASSWORD)).get('/proposals/new');
  assert.equal(form.status, 200);
  const doc = (await get('/api/v1/openapi.json')).json;
  const refused = await call('POST', '/api/v1/proposals', { json: { tax_rule: 'x', payout_rule: 'x' } });
  assert.equal(refused.status, 422);
  const usage = cli(['--help']).stdout;
  const wrong = [];
  for (const { kind, field, option, schema } of RULES) {
    const want = ruleNames(kind);
    assert.ok(want.length > 0, `no ${kind} rules in app/core/clarke_rules.c; update this test`);
    const differs = (what, got, sorted = false) => {
      const w = sorted ? [...want].sort() : want;
      if (JSON.stringify(got) !== JSON.stringify(w)) wrong.push(`${what} lists ${got.join(', ')}; the tally: ${w.join(', ')}`);
    };
    const rows = psqlRows(`select name, summary from ${kind}_rules order by name`);
    differs(`the table ${kind}_rules`, rows.map((r) => r[0]), true);
    const fk = psqlRows(`select confrelid::regclass from pg_constraint
      where conrelid = 'proposals'::regclass and contype = 'f'
      and conkey = array[(select attnum from pg_attribute
        where attrelid = 'proposals'::regclass and attname = '${field}')]`);
    if (JSON.stringify(fk) !== JSON.stringify([[`${kind}_rules`]])) wrong.push(`proposals.${field} does not reference ${kind}_rules`);

    differs(`openapi.json's ${schema}`, doc.components.schemas[schema].enum);
    for (const s of ['ProposalInput', 'ProposalSummary']) {
      const ref = doc.components.schemas[s].properties[field].$ref;
      if (ref !== `#/components/schemas/${schema}`) wrong.push(`openapi.json's ${s}.${field} is not a ${schema}`);
    }
    const message = refused.json.errors.find((e) => e.field === field).message;
    if (message !== `the ${kind} rule is ${inWords(want)}`) wrong.push(`the API says '${message}'`);
    differs(`the usage's ${option}`, new RegExp(`${option} ([a-z0-9|-]+)\\]`).exec(usage)[1].split('|'));
    differs('the form', [...form.text.matchAll(new RegExp(`name="${field}" value="([^"]+)"`, 'g'))].map((m) => m[1]));
    for (const [rule, summary] of rows) {
      if (!form.text.includes(`<strong>${rule}</strong>: ${html(summary)}</label>`)) wrong.push(`the form does not explain ${rule}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('each proposal\'s page explains its rules, and its result who is pivotal', needsDatabase, async () => {
  const name = `rulespages${RUN}`;
  assert.equal(cli(['user', 'add', name], `${PASSWORD}\n`).code, 0);
  const token = cli(['token', 'create', name]).stdout.trim();
  const taxes = psqlRows('select name, explanation, pivotal from tax_rules');
  const payouts = psqlRows('select name, explanation from payout_rules');
  const closes = new Date(Date.now() + 3600e3).toISOString();
  // Every pair of rules: made, or refused for not going together.
  const pairs = taxes.flatMap((tax) => payouts.map((payout) => [tax, payout]));
  const shown = new Set();
  for (const [i, [tax, payout]] of pairs.entries()) {
    const made = await call('POST', '/api/v1/proposals', {
      token,
      json: { title: `Rules ${RUN} ${i}`, project: 'x', cost: '1', currency: 'EUR', max_bid: '2000.00', closes_at: closes, tax_rule: tax[0], payout_rule: payout[0] },
    });
    if (made.status === 422) {
      assert.deepEqual(made.json.errors.map((e) => e.field), ['payout_rule'], made.text);
      assert.match(made.json.errors[0].message, new RegExp(`^the payout rule ${payout[0]} works only with the tax rule`));
      continue;
    }
    assert.equal(made.status, 201, made.text);
    shown.add(tax[0]).add(payout[0]);
    const page = (await get(`/proposals/${made.json.slug}`)).text;
    assert.ok(page.includes(md(tax[1])), `the page of a ${tax[0]} proposal does not explain it`);
    assert.ok(page.includes(md(payout[1])), `the page of a ${payout[0]} proposal does not explain it`);
    // A result as the tally stores one, to see its page.
    const stored = psqlRows(`with p as (update proposals set tally_started_at = now(), tallied_at = now()
        where slug = '${made.json.slug}' returning id)
      insert into results (proposal_id, adopt, voters, total_net, total_tax, total_payout, doc, csv)
      select id, true, 1, 100, 0, 0, json_build_object('voters', json_build_array(json_build_object(
        'voter', '${name}', 'bid', '1.00', 'cost_share', '0.00', 'net', '1.00', 'pivotal', true,
        'tax', '0.00', 'payout', '0.00', 'receipt', repeat('0', 64)))), '' from p returning 1`);
    assert.equal(stored.length, 1);
    const result = (await get(`/proposals/${made.json.slug}/result`)).text;
    assert.ok(result.includes(html(tax[2])), `the result of a ${tax[0]} proposal does not say who is pivotal`);
  }
  assert.deepEqual([...shown].sort(), [...taxes, ...payouts].map((r) => r[0]).sort(), 'some rule goes with no other');
});

test('a proposal that names no payout rule gets the default that goes with its tax rule', needsDatabase, async () => {
  const name = `rulesdefault${RUN}`;
  assert.equal(cli(['user', 'add', name], `${PASSWORD}\n`).code, 0);
  const token = cli(['token', 'create', name]).stdout.trim();
  const doc = (await get('/api/v1/openapi.json')).json;
  const closes = new Date(Date.now() + 3600e3).toISOString();
  const got = {};
  for (const tax of ruleNames('tax')) {
    const made = await call('POST', '/api/v1/proposals', {
      token, json: { title: `Default ${RUN} ${tax}`, project: 'x', cost: '1', currency: 'EUR', max_bid: '2000.00', closes_at: closes, tax_rule: tax },
    });
    assert.equal(made.status, 201, made.text);
    got[tax] = made.json.payout_rule;
  }
  assert.equal(got[doc.components.schemas.TaxRule.default], doc.components.schemas.PayoutRule.default);
  assert.equal(doc.components.schemas.PayoutRule.default, 'redistribute');
  for (const [tax, payout] of Object.entries(got)) assert.ok(['redistribute', 'none'].includes(payout), `${tax}: ${payout}`);
});

test('the members of a new proposal: the API takes what the OpenAPI document lists', async () => {
  const doc = (await get('/api/v1/openapi.json')).json;
  const r = await call('POST', '/api/v1/proposals', { json: { nonsense: '1' } });
  assert.equal(r.status, 422);
  const message = r.json.errors.find((e) => e.field === 'nonsense').message;
  const m = /^unknown member: a proposal has (.*)$/.exec(message);
  assert.ok(m, message);
  const taken = m[1].split(/, | and /).sort();
  assert.deepEqual(taken, Object.keys(doc.components.schemas.ProposalInput.properties).sort());
});
