// docs/security.md's section "ASVS 5.0.0 level 2 checklist" (whatever its
// number) stays true to its own form and to the tests it names: every
// row's id is a well-formed v5.0.0-x.y.z of its chapter and appears once;
// every status is one of the four; an n/a says why; every test named
// exists, in a file that exists; chapters V1 to V16 each have their table.
//
// A row's last cell names tests as `tests/<path>` followed by one or more
// "name", separated by commas (several files separated by "; "). In a
// *.mjs file the name must be a string literal of the file, as written (a
// template literal with its ${...} included); in a C file it must be a
// function, `name(`. A cell that says "(branch totp)" or "(branch
// bulkhead)" names work not merged yet: its tests are not looked for.
// The counts given in the section's introduction are the tables' counts.
//
// Reads files only; no stack needed.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const DOC = readFileSync(path.join(ROOT, 'docs', 'security.md'), 'utf8');
const STATUSES = new Set(['met', 'partly', 'not met', 'n/a']);

/** The checklist section: from its heading to the next "## " heading. */
function checklist() {
  const start = DOC.search(/\n## \d+\. ASVS 5\.0\.0 level 2 checklist\n/);
  assert.ok(start >= 0, 'security.md has the section "## N. ASVS 5.0.0 level 2 checklist"');
  const next = DOC.indexOf('\n## ', start + 1);
  return DOC.slice(start, next < 0 ? DOC.length : next);
}

/** Every requirement row, with the chapter heading it is under. */
function rows() {
  const out = [];
  let chapter = null;
  for (const [i, line] of checklist().split('\n').entries()) {
    const h = /^### V(\d+) /.exec(line);
    if (h) chapter = Number(h[1]);
    if (!line.startsWith('| `v5.0.0-')) continue;
    const cells = line.slice(1, -1).split(' | ').map((c) => c.trim());
    out.push({ line: i, text: line, chapter, cells });
  }
  return out;
}

/** [{file, names}] of a test cell. */
function references(cell) {
  const refs = [];
  const re = /`(tests\/[^`]+)`((?:\s*"[^"]*",?)+)/g;
  for (let m; (m = re.exec(cell)) !== null;) {
    refs.push({ file: m[1], names: [...m[2].matchAll(/"([^"]*)"/g)].map((n) => n[1]) });
  }
  return refs;
}

/** Does `source` hold `name` as a test name (a string literal in
 * JavaScript, a function in C)? JavaScript escapes of quotes and
 * backslashes are read as the characters they stand for. */
function holds(file, source, name) {
  if (file.endsWith('.c')) return new RegExp(`\\b${name}\\(`).test(source);
  const text = source.replace(/\\(['"`\\])/g, '$1');
  return ["'", '"', '`'].some((q) => text.includes(q + name + q));
}

test('the checklist has a table for each chapter V1 to V16, and says why V17 does not apply', () => {
  const section = checklist();
  for (let c = 1; c <= 16; c++) {
    assert.match(section, new RegExp(`\\n### V${c} [^\\n]+\\n\\n\\| requirement \\| status \\| how \\| test, or why not applicable \\|\\n`),
      `chapter V${c} has its table`);
    assert.ok(rows().some((r) => r.chapter === c), `chapter V${c} has rows`);
  }
  assert.match(section, /\n### V17 WebRTC\n\n`v5\.0\.0-17\.1\.1` to `v5\.0\.0-17\.3\.2`: n\/a, /);
});

test('every row: four cells, a well-formed id of its chapter given once, a known status, a reason for n/a', () => {
  const all = rows();
  assert.ok(all.length > 200, `the checklist holds ${all.length} rows`);
  const seen = new Map();
  for (const r of all) {
    assert.equal(r.cells.length, 4, `four cells: ${r.text}`);
    const [req, status, how, last] = r.cells;
    const m = /^`v5\.0\.0-(\d+)\.(\d+)\.(\d+)` \S/.exec(req);
    assert.ok(m, `an id v5.0.0-x.y.z and a few words: ${req}`);
    const id = `${m[1]}.${m[2]}.${m[3]}`;
    assert.equal(Number(m[1]), r.chapter, `v5.0.0-${id} is under the heading of its chapter`);
    assert.ok(!seen.has(id), `v5.0.0-${id} appears once (again at line ${r.line}, first at ${seen.get(id)})`);
    seen.set(id, r.line);
    assert.ok(STATUSES.has(status), `v5.0.0-${id}: status "${status}" is one of ${[...STATUSES].join(', ')}`);
    assert.ok(last.length > 0, `v5.0.0-${id} names a test, says "not tested", or gives its reason`);
    if (status === 'n/a') assert.ok(references(last).length === 0 && last !== 'not tested', `v5.0.0-${id}: n/a gives a reason`);
    else assert.ok(how.length > 0, `v5.0.0-${id}: says how`);
  }
});

test('every test the checklist names exists, in a file that exists', () => {
  let named = 0;
  for (const r of rows()) {
    const last = r.cells[3];
    if (/\(branch (totp|bulkhead)\)/.test(last)) continue;
    const refs = references(last);
    assert.ok(refs.length > 0 || last === 'not tested' || r.cells[1] === 'n/a',
      `${r.cells[0]}: the last cell is a test reference, "not tested" or a reason: ${last}`);
    for (const { file, names } of refs) {
      const full = path.join(ROOT, file);
      assert.ok(existsSync(full), `${r.cells[0]}: ${file} exists`);
      const source = readFileSync(full, 'utf8');
      for (const name of names) {
        assert.ok(holds(file, source, name), `${r.cells[0]}: ${file} holds the test "${name}"`);
        named++;
      }
    }
  }
  assert.ok(named > 100, `${named} tests named`);
});

test('the counts in the introduction are those of the tables', () => {
  const m = /over the (\d+) requirements of V1-V16: \*\*(\d+) met, (\d+) partly,\s+(\d+) not met, (\d+) n\/a\*\*/.exec(checklist());
  assert.ok(m, 'the introduction gives the counts per status');
  const all = rows();
  const count = (s) => all.filter((r) => r.cells[1] === s).length;
  assert.deepEqual(m.slice(1).map(Number),
    [all.length, count('met'), count('partly'), count('not met'), count('n/a')]);
});
