// The server as root runs it (tools/run.sh): the parent alone stays root,
// and only it reads the key file; the workers and the key keepers run as
// a user without privileges, with no capabilities, shut in var/root/.
// The master key is in the keepers' memory and in no worker's.
'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('node:fs');
const path = require('node:path');
const { ROOT } = require('./helpers');

const PID = Number(process.env.FW_PID || 0);
const skip = !PID ? 'FW_PID is not set: this test looks at the processes of the server tools/test.sh started'
  : process.getuid() !== 0 ? 'not root: the server runs as this user, and can neither chroot nor change user'
    : false;

function status(pid) {
  const out = {};
  for (const line of fs.readFileSync(`/proc/${pid}/status`, 'utf8').split('\n')) {
    const i = line.indexOf(':');
    if (i > 0) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

// The server's children, each a worker or a keeper (its title says which).
function children(parent) {
  const out = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let stat;
    try {
      stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
    } catch {
      continue;
    }
    const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
    if (ppid !== parent) continue;
    const title = fs.readFileSync(`/proc/${name}/cmdline`, 'utf8');
    out.push({ pid: Number(name), keeper: title.includes('[keeper]') });
  }
  return out;
}

// Whether needle lies anywhere in the memory pid can read.
function inMemory(pid, needle) {
  const fd = fs.openSync(`/proc/${pid}/mem`, 'r');
  const chunk = Buffer.alloc(8 << 20);
  try {
    for (const line of fs.readFileSync(`/proc/${pid}/maps`, 'utf8').trim().split('\n')) {
      const [range, perms, , , , name] = line.split(/\s+/);
      if (perms[0] !== 'r' || name === '[vvar]' || name === '[vsyscall]') continue;
      const [start, end] = range.split('-').map((h) => BigInt(`0x${h}`));
      for (let at = start; at < end; at += BigInt(chunk.length - needle.length)) {
        const want = Number(end - at < BigInt(chunk.length) ? end - at : BigInt(chunk.length));
        let n;
        try {
          n = fs.readSync(fd, chunk, 0, want, at);
        } catch {
          break;
        }
        if (chunk.subarray(0, n).indexOf(needle) >= 0) return true;
        if (n < want) break;
      }
    }
  } finally {
    fs.closeSync(fd);
  }
  return false;
}

function keyFile() {
  return process.env.FACTWIKI_KEY_FILE || path.join(ROOT, 'var/master.key');
}

test('workers and keepers run without privileges, shut in var/root/', { skip }, () => {
  assert.equal(status(PID).Uid.split('\t')[0], '0', 'the parent is root');
  const kids = children(PID);
  assert.equal(kids.filter((k) => !k.keeper).length, 2, 'two workers');
  assert.equal(kids.filter((k) => k.keeper).length, 2, 'a keeper for each');
  const root = fs.realpathSync(path.join(ROOT, 'var/root'));
  const uids = new Set();
  for (const { pid, keeper } of kids) {
    const s = status(pid);
    const ids = [...s.Uid.split('\t'), ...s.Gid.split('\t')];
    assert.ok(ids.every((id) => id !== '0'), `${pid}: uid and gid ${ids} are not root's`);
    uids.add(s.Uid);
    assert.equal(s.CapEff, '0000000000000000', `${pid}: no capabilities`);
    assert.equal(s.CapPrm, '0000000000000000', `${pid}: none to take back`);
    assert.equal(s.Seccomp, '2', `${pid}: a seccomp filter`);
    assert.equal(fs.readlinkSync(`/proc/${pid}/root`), root, `${pid}: its root is var/root/`);
    if (keeper) {
      assert.equal(s.NoNewPrivs, '1', `${pid}: can gain no privileges`);
    }
  }
  assert.equal(uids.size, 1, 'one user for them all');
  const inside = fs.readdirSync(root, { recursive: true });
  assert.deepEqual(inside.filter((f) => /master\.key|PG_VERSION/.test(f)), [], 'no key and no database in the root');
});

test('the key file is root\'s alone; the key is in the keepers, in no worker', { skip }, () => {
  const file = keyFile();
  const st = fs.statSync(file);
  assert.equal(st.uid, 0);
  assert.equal(st.mode & 0o077, 0, 'no one else may read it');
  const hex = fs.readFileSync(file, 'utf8').trim();
  const key = Buffer.from(hex, 'hex');
  assert.equal(key.length, 32);
  const kids = children(PID);
  // The keepers hold it: the search can find what is there.
  for (const { pid } of kids.filter((k) => k.keeper)) {
    assert.ok(inMemory(pid, key), `keeper ${pid} holds the key`);
  }
  for (const { pid } of kids.filter((k) => !k.keeper)) {
    assert.ok(!inMemory(pid, key), `worker ${pid} does not hold the key`);
    assert.ok(!inMemory(pid, Buffer.from(hex)), `worker ${pid} does not hold its text`);
  }
});
