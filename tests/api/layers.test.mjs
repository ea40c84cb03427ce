// Layers that point one way (issue 6): every #include of server/ and
// modules/ is checked against the layers that docs/architecture.md lists
// (its ```layers block): a file includes headers of its own layer or of a
// lower one. The data layer cannot reach the pipeline, nor the pipeline a
// module's internals, without this test and the picture changing together.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from '../lib/index.mjs';

function layers() {
  const doc = readFileSync(join(ROOT, 'docs/architecture.md'), 'utf8');
  const block = /```layers\n([\s\S]*?)```/.exec(doc);
  assert.ok(block, 'docs/architecture.md has a ```layers block');
  const rank = new Map();
  block[1].trim().split('\n').forEach((line, i) => {
    const [name, ...files] = line.trim().split(/\s+/);
    for (const f of files) rank.set(f, { i, name });
  });
  return rank;
}

/** Every C file of server/ and modules/*: {path, name, includes}. */
function files() {
  const out = [];
  const dirs = ['server', ...readdirSync(join(ROOT, 'modules')).map((m) => join('modules', m))];
  for (const dir of dirs) {
    for (const name of readdirSync(join(ROOT, dir))) {
      if (!/\.[ch]$/.test(name)) continue;
      const text = readFileSync(join(ROOT, dir, name), 'utf8');
      out.push({ path: join(dir, name), name, includes: [...text.matchAll(/^#include "([^"]+)"/gm)].map((m) => m[1]) });
    }
  }
  return out;
}

test('every #include points to the same layer or a lower one', () => {
  const rank = layers();
  const all = files();
  const moduleHeaders = new Set(all.filter((f) => f.path.startsWith('modules/')).map((f) => f.name));
  const layerOf = (path, name) => {
    if (path.startsWith('modules/') || (path === '' && moduleHeaders.has(name))) return rank.get('core');
    return rank.get(name) ?? rank.get(name.replace(/\.[ch]$/, ''));
  };
  const wrong = [];
  for (const f of all) {
    const own = layerOf(f.path, f.name);
    if (!own) { wrong.push(`${f.path}: not in the layers of docs/architecture.md`); continue; }
    for (const inc of f.includes) {
      const theirs = layerOf('', inc);
      if (!theirs) wrong.push(`${f.path}: includes ${inc}, which is in no layer`);
      else if (theirs.i > own.i) wrong.push(`${f.path} (${own.name}) includes ${inc} (${theirs.name})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the data layer includes nothing of the pipeline', () => {
  const data = files().filter((f) => ['db.c', 'db.h', 'audit.c', 'auth_db.c', 'auth_db.h', 'schema.c'].includes(f.name));
  assert.equal(data.length, 6);
  for (const f of data) {
    for (const inc of f.includes) assert.ok(!['dispatch.h', 'routes.h', 'validate.h', 'fcgi_io.h', 'authn.h', 'worker.h'].includes(inc), `${f.path} includes ${inc}`);
  }
});
