// Clients that misbehave, for `make soak`, until killed: headers sent one
// byte a second, requests dropped before their answer, bodies past the
// limit, and unsigned uploads.  Counts what it did on SIGTERM.
'use strict';
const net = require('node:net');

const [host, port] = [process.argv[2], Number(process.argv[3])];
const done = { slow: 0, dropped: 0, huge: 0, unsigned: 0 };

function slowHeaders() {
  const s = net.connect(port, host);
  const text = 'GET /places HTTP/1.1\r\nHost: localhost\r\nX-Slow: ' + 'x'.repeat(30) + '\r\n\r\n';
  let i = 0;
  const t = setInterval(() => {
    if (i < text.length && !s.destroyed) s.write(text[i++]);
    else { clearInterval(t); s.destroy(); done.slow++; slowHeaders(); }
  }, 1000);
  s.on('error', () => {});
}

function dropped() {
  const s = net.connect(port, host, () => {
    s.write('GET /series/norway/population HTTP/1.1\r\nHost: localhost\r\n\r\n');
    s.destroy();
    done.dropped++;
    setTimeout(dropped, 20);
  });
  s.on('error', () => setTimeout(dropped, 20));
}

// A body past http_body_max (413), then one under it without credentials
// (401 once read): each answered, neither kept.
function body(size, path, key) {
  const s = net.connect(port, host, () => {
    s.write(`POST ${path} HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/csv\r\n` +
      `Content-Length: ${size}\r\nConnection: close\r\n\r\n`);
    const chunk = Buffer.alloc(1 << 20, 'a');
    let sent = 0;
    const more = () => {
      while (sent < size && !s.destroyed) {
        sent += chunk.length;
        if (!s.write(chunk)) return s.once('drain', more);
      }
      return undefined;
    };
    more();
  });
  s.on('data', () => {});
  s.on('error', () => {});
  s.on('close', () => { done[key]++; setTimeout(() => body(size, path, key), 1000); });
}

for (let i = 0; i < 20; i++) slowHeaders();
for (let i = 0; i < 4; i++) dropped();
body(70 << 20, '/api/v1/imports', 'huge');
body(32 << 20, '/api/v1/imports', 'unsigned');
process.on('SIGTERM', () => {
  console.log(`misbehaving clients: ${done.slow} slow headers, ${done.dropped} dropped, ` +
    `${done.huge} bodies over the limit, ${done.unsigned} unsigned uploads`);
  process.exit(0);
});
