// Shared by the API tests: the server under test, the CLI, temporary files.
'use strict';
const { spawnSync } = require('node:child_process');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const BASE = process.env.FW_URL || 'http://127.0.0.1:8888';
const CLI = process.env.FW_CLI || path.resolve(__dirname, '../../build/factwiki');
const ROOT = path.resolve(__dirname, '../..');

async function get(p, headers = {}) {
  const res = await fetch(BASE + p, { headers });
  const text = await res.text();
  let json = null;
  const type = res.headers.get('content-type') || '';
  if (type.includes('json') && text !== '') json = JSON.parse(text);
  return { status: res.status, headers: res.headers, type, text, json };
}

// Runs the factwiki CLI; input goes to its standard input.
function cli(args, input, env = {}) {
  const r = spawnSync(CLI, args, {
    input, encoding: 'utf8', env: { ...process.env, ...env },
    maxBuffer: 256 * 1024 * 1024,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
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

module.exports = { BASE, CLI, ROOT, get, cli, tmpfile, summary };
