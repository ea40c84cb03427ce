// server/db.c against the stack's MariaDB (issue 6): the cmocka program
// tests/unit/test_db.c, built beside tutoratctl, run here once the stack is
// up (under plain ctest it has no database and skips). It checks that a
// result set is freed on every exit of its reader, so that an arena that
// runs out never leaves the worker's connection "out of sync" (2014), and
// that a statement that does not fit its declaration is refused when it is
// prepared, and that a route running its own transactions writes only inside
// one and commits none without an audit row.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { dirname, join } from 'node:path';
import { CONFIG, STATE_DIR, TUTORATCTL } from '../lib/index.mjs';

test('the data layer on a real MariaDB: test_db passes all of its tests, none skipped', async () => {
  const bin = join(dirname(TUTORATCTL), 'test_db');
  const out = await new Promise((resolve) => {
    execFile(bin, [], { cwd: STATE_DIR, env: { ...process.env, TUTORAT_CONFIG: CONFIG } }, (err, stdout, stderr) => {
      resolve({ code: err ? err.code : 0, text: stdout + stderr });
    });
  });
  assert.equal(out.code, 0, out.text);
  assert.match(out.text, /\[  PASSED  \] 4 test\(s\)\./);
  assert.doesNotMatch(out.text, /SKIPPED/);
});
