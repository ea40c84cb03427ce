// Declared statements (issue 6): every statement of the server and of every
// module is declared with its parameters and its result columns, listed in
// its file's statement list, and `tutoratctl check-sql` prepares each one
// against the migrated schema of the stack under test: MariaDB's count of
// placeholders and columns, and the names it gives plain columns and
// aliases, must be those declared.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, ctl, db } from '../lib/index.mjs';

/** The C files of server/ and modules/ that declare statements. */
function sources() {
  const out = [];
  for (const dir of ['server', ...readdirSync(join(ROOT, 'modules')).map((m) => join('modules', m))]) {
    for (const f of readdirSync(join(ROOT, dir))) {
      if (!f.endsWith('.c')) continue;
      const text = readFileSync(join(ROOT, dir, f), 'utf8');
      if (/struct db_sql \w+ = \{/.test(text)) out.push({ file: join(dir, f), text });
    }
  }
  return out;
}

test('tutoratctl check-sql: every statement fits its declaration on the migrated schema', async () => {
  const res = await ctl('check-sql');
  assert.equal(res.code, 0, res.stderr);
  const m = /check-sql: (\d+) statements, 0 do not fit their declaration/.exec(res.stdout);
  assert.ok(m, res.stdout);
  const declared = sources().reduce((n, s) => n + [...s.text.matchAll(/^(?:static )?const struct db_sql \w+ = \{/gm)].length, 0);
  assert.equal(Number(m[1]), declared, 'check-sql prepares every declared statement, once');
});

test('every declared statement is in its file\'s statement list, with a parameter signature and, for a read, its columns', () => {
  const wrong = [];
  for (const { file, text } of sources()) {
    const list = /const struct db_sql \*const \w+\[\] = \{([^}]*)\}/.exec(text);
    for (const d of text.matchAll(/^(?:static )?const struct db_sql (\w+) = \{(.*?)\};/gms)) {
      const [, name, body] = d;
      if (!list || !new RegExp(`&${name}\\b`).test(list[1])) wrong.push(`${file}: ${name} is not in the file's statement list`);
      if (!/,\s*"[Aizsb]*"\s*(,|$)/.test(body)) wrong.push(`${file}: ${name} declares no parameter signature`);
      if (/^\s*"\s*(SELECT|WITH)\b/i.test(body) && !/DB_COLS\(/.test(body)) wrong.push(`${file}: ${name} reads rows but declares no columns`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('a statement that no longer fits the schema fails check-sql, naming it', async (t) => {
  // A column that a declaration names, renamed in the schema: the
  // statements that read it no longer prepare.
  await db('ALTER TABLE school_year RENAME COLUMN label TO label_renamed');
  t.after(() => db('ALTER TABLE school_year RENAME COLUMN label_renamed TO label'));
  const res = await ctl('check-sql');
  assert.equal(res.code, 1, res.stdout);
  assert.match(res.stderr, /label/);
  assert.match(res.stdout, /check-sql: \d+ statements, [1-9]\d* do not fit their declaration/);
});
