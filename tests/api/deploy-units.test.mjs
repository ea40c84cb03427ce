// The systemd units of deploy/systemd/ (issue 14 §5, docs/deploy.md §4):
// systemd itself reads each one without a warning (an unknown key or
// system-call group is ignored by systemd, silently for the service: here it
// fails), and the confinement the security review asked for is there: the
// FastCGI sockets belong to a group of their own, the daemon filters its
// system calls and the network it may reach.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ROOT } from '../lib/index.mjs';

const DIR = join(ROOT, 'deploy', 'systemd');
const unit = (name) => readFileSync(join(DIR, name), 'utf8');
const keys = (text, key) => text.split('\n').filter((l) => l.startsWith(`${key}=`)).map((l) => l.slice(key.length + 1));

test('systemd reads every unit without a warning', (t) => {
  if (spawnSync('systemd-analyze', ['--version']).status !== 0) {
    t.skip('no systemd-analyze on this machine');
    return;
  }
  const dir = mkdtempSync(join(tmpdir(), 'tutorat-units-'));
  try {
    const names = readdirSync(DIR);
    // The programs they start are installed elsewhere: any executable stands in.
    for (const n of names) writeFileSync(join(dir, n), unit(n).replace(/\/usr\/local\/bin\/tutorat(ctl|d)/g, '/bin/true'));
    const targets = names.map((n) => join(dir, n.includes('@.') ? n.replace('@.', '@1.') : n));
    const r = spawnSync('systemd-analyze', ['verify', ...targets], { encoding: 'utf8' });
    const said = `${r.stdout}${r.stderr}`.split('\n').filter((l) => l.trim() && !/Failed to (open|connect|prepare)|bus/i.test(l));
    assert.deepEqual(said, [], `systemd-analyze verify: ${r.stdout}${r.stderr}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('the FastCGI sockets belong to a group of their own, mode 0660', () => {
  for (const name of ['tutoratd@.socket', 'tutoratd-health@.socket']) {
    const text = unit(name);
    assert.deepEqual(keys(text, 'SocketGroup'), ['tutorat-fcgi'], name);
    assert.deepEqual(keys(text, 'SocketMode'), ['0660'], name);
  }
});

test('the daemon filters its system calls and the network it may reach, and gains no privilege', () => {
  const text = unit('tutoratd@.service');
  assert.ok(keys(text, 'SystemCallFilter').includes('@system-service'));
  assert.ok(keys(text, 'SystemCallFilter').some((v) => v.startsWith('~') && v.includes('@privileged')));
  for (const [k, v] of [['NoNewPrivileges', 'yes'], ['RestrictSUIDSGID', 'yes'], ['ProtectClock', 'yes'],
    ['ProtectSystem', 'strict'], ['IPAddressDeny', 'any'], ['CapabilityBoundingSet', ''], ['MemoryDenyWriteExecute', 'yes']]) {
    assert.deepEqual(keys(text, k), [v], k);
  }
  assert.deepEqual(keys(text, 'IPAddressAllow'), ['localhost']);
});
