// nginx counts logins by the key of deploy/nginx/login-limit-key.map (issue
// 14 §1): an IPv4 address as itself, an IPv6 address by its /64, whatever
// the place of "::" in its RFC 5952 spelling. The map file is run by a real
// nginx of its own here, on a query argument in place of $remote_addr (the
// stack's nginx listens on IPv4 loopback only).

import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, mkdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT, sleep } from '../lib/index.mjs';

let dir, port, nginx;

const freePort = () => new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
});

before(async () => {
  dir = mkdtempSync(join(tmpdir(), 'tutorat-limit-key-'));
  mkdirSync(join(dir, 'tmp'));
  port = await freePort();
  writeFileSync(join(dir, 'nginx.conf'), `
daemon off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${dir}/tmp; fastcgi_temp_path ${dir}/tmp; proxy_temp_path ${dir}/tmp;
  uwsgi_temp_path ${dir}/tmp; scgi_temp_path ${dir}/tmp;
  map $arg_ip $login_limit_key {
    include ${ROOT}/deploy/nginx/login-limit-key.map;
  }
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "$login_limit_key"; }
  }
}
`);
  execFileSync('nginx', ['-t', '-q', '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
  nginx = spawn('nginx', ['-c', join(dir, 'nginx.conf')], { stdio: 'ignore' });
  for (let i = 0; i < 100; i++) {
    try { await fetch(`http://127.0.0.1:${port}/`); return; } catch { await sleep(50); }
  }
  throw new Error('the test nginx did not start');
});

after(() => {
  nginx?.kill('SIGTERM');
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function key(ip) {
  // As it is: nginx does not decode $arg_ip, and ':' and '.' need no escape.
  const res = await fetch(`http://127.0.0.1:${port}/?ip=${ip}`);
  return res.text();
}

/** The /64 of an IPv6 address, its four first groups spelled out. */
function prefix64(ip) {
  const [l, r] = ip.includes('::') ? ip.split('::') : [ip, null];
  const left = l ? l.split(':') : [];
  const right = r === null ? [] : (r ? r.split(':') : []);
  const groups = r === null ? left : [...left, ...Array(8 - left.length - right.length).fill('0'), ...right];
  return groups.slice(0, 4).map((g) => g.replace(/^0+(?=.)/, '')).join(':');
}

test('an IPv4 address is its own key; an IPv4-mapped one is the IPv4 address', async () => {
  assert.equal(await key('192.0.2.10'), '192.0.2.10');
  assert.equal(await key('127.4.5.6'), '127.4.5.6');
  assert.equal(await key('::ffff:192.0.2.10'), '192.0.2.10');
});

test('every IPv6 spelling gives its /64: two addresses of one /64 share a key, the next /64 does not', async () => {
  const cases = [
    '2001:db8:1:2:3:4:5:6', '2001:db8:1:2::6', '2001:db8:1::6', '2001:db8::6', '2001:db8::', '2001::1:2:3:4',
    '2001::1:2:3:4:5', '2001::1:2:3:4:5:6', '::1', '::', '::1:2:3:4:5', '::1:2:3:4:5:6', '::1:2:3:4:5:6:7',
    'fe80::1', '2a01:cb00:12:3400::1', '2a01:cb00:12:3400:8c2f:11ff:fe00:1', 'a:b:c::d:e:f:1', 'a:b:c:d::', 'a:b:c:d:e::f',
  ];
  for (const ip of cases) assert.equal(await key(ip), prefix64(ip), ip);
  assert.equal(await key('2a01:cb00:12:3400::1'), await key('2a01:cb00:12:3400:8c2f:11ff:fe00:1'), 'one subscriber\'s /64');
  assert.notEqual(await key('2a01:cb00:12:3400::1'), await key('2a01:cb00:12:3401::1'), 'the next /64');
});
