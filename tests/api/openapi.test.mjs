// docs/openapi.yaml and the router agree: the same set of (method, path),
// and for each operation the same access rule (`x-access` against the
// ACCESS column of `tutoratctl routes`). A route added to the code without
// its documentation fails here, and so does a documented route that does
// not exist.
//
// The route reader below relies on the layout of
// docs/openapi.yaml (two-space indentation): `paths:` at column 0, each
// path at 2 spaces, each operation (get/post/put/patch/delete) at 4, its
// `x-access:` at 6. Anything else under `paths:` is skipped.
//
// Environment (set by ./deploy/dev test): TUTORAT_TUTORATCTL, TUTORAT_CONFIG;
// defaults build/tutoratctl and var/tutorat.ini of this checkout.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const SPEC = path.join(ROOT, 'docs', 'openapi.yaml');
const CTL = path.resolve(ROOT, process.env.TUTORAT_TUTORATCTL || 'build/tutoratctl');
const CONFIG = path.resolve(ROOT, process.env.TUTORAT_CONFIG || 'var/tutorat.ini');
const METHODS = new Set(['get', 'post', 'put', 'patch', 'delete']);

/** The router's routes: Map "METHOD /path" -> access string; `objects`
 * gets "METHOD /path" -> "KIND see=RELATIONS act=RELATIONS" for the
 * routes that address an object. */
function routerRoutes(objects = new Map()) {
  const out = execFileSync(CTL, ['-c', CONFIG, 'routes'], { encoding: 'utf8' });
  const routes = new Map();
  for (const line of out.split('\n')) {
    if (line.trim() === '') continue;
    const m = /^(GET|POST|PUT|PATCH|DELETE) (\S+) (\S+)(?: (\S+) (\S+) (\S+))?$/.exec(line);
    assert.ok(m, `unexpected line from tutoratctl routes: ${JSON.stringify(line)}`);
    const key = `${m[1]} ${m[2]}`;
    assert.ok(!routes.has(key), `the router declares ${key} twice`);
    routes.set(key, m[3]);
    if (m[4]) objects.set(key, `${m[4]} see=${m[5]} act=${m[6]}`);
  }
  return routes;
}

function unquote(s) {
  const t = s.trim();
  if ((t.startsWith('"') && t.endsWith('"')) || (t.startsWith("'") && t.endsWith("'"))) {
    return t.slice(1, -1);
  }
  return t;
}

/**
 * The documented operations: Map "METHOD /path" -> x-access (or null when
 * the operation has none; `field` reads another extension, x-object).
 * Throws on a layout it does not understand.
 */
export function specOperations(text, field = 'x-access') {
  const ops = new Map();
  const lines = text.split('\n');
  let inPaths = false;
  let currentPath = null;
  let currentOp = null;

  lines.forEach((raw, i) => {
    const where = `docs/openapi.yaml:${i + 1}`;
    const line = raw.replace(/\s+$/, '');
    if (line === '' || /^\s*#/.test(line)) return;
    if (/\t/.test(raw.slice(0, raw.length - raw.trimStart().length))) {
      throw new Error(`${where}: tab in indentation`);
    }
    const indent = line.length - line.trimStart().length;

    if (indent === 0) {
      inPaths = line === 'paths:';
      currentPath = null;
      currentOp = null;
      return;
    }
    if (!inPaths) return;

    if (indent === 2) {
      const m = /^ {2}(\/\S*):$/.exec(line) || /^ {2}"(\/[^"]*)":$/.exec(line);
      if (!m) throw new Error(`${where}: expected a path key at 2 spaces, got ${JSON.stringify(line)}`);
      currentPath = m[1];
      currentOp = null;
      return;
    }
    if (indent === 4) {
      const m = /^ {4}([a-z]+):/.exec(line);
      if (m && METHODS.has(m[1])) {
        if (currentPath === null) throw new Error(`${where}: operation outside a path`);
        currentOp = `${m[1].toUpperCase()} ${currentPath}`;
        if (ops.has(currentOp)) throw new Error(`${where}: ${currentOp} documented twice`);
        ops.set(currentOp, null);
      } else {
        currentOp = null; // path-level parameters, summary, ...
      }
      return;
    }
    if (indent === 6 && currentOp !== null) {
      const m = line.startsWith(`      ${field}:`) ? [null, line.slice(field.length + 7)] : null;
      if (m) {
        if (ops.get(currentOp) !== null) throw new Error(`${where}: second ${field} for ${currentOp}`);
        const value = unquote(m[1]);
        if (value === '') throw new Error(`${where}: empty ${field} for ${currentOp}`);
        ops.set(currentOp, value);
      }
    }
  });
  return ops;
}

test('the reader understands the layout it relies on', () => {
  const sample = [
    'openapi: 3.1.0',
    'paths:',
    '  /a/{id}:',
    '    parameters:',
    '      - name: id',
    '    get:',
    '      summary: x',
    '      x-access: public',
    '      responses:',
    '        x-access: not-this-one',
    '    patch:',
    '      x-access: "admin,ien"',
    'components:',
    '  /not/a/path:',
    '    get:',
    '      x-access: public',
  ].join('\n');
  assert.deepEqual(
    [...specOperations(sample)],
    [
      ['GET /a/{id}', 'public'],
      ['PATCH /a/{id}', 'admin,ien'],
    ],
  );
});

test('docs/openapi.yaml documents exactly the routes of the router, with their access rule', () => {
  const routes = routerRoutes();
  const ops = specOperations(readFileSync(SPEC, 'utf8'));

  assert.ok(routes.size > 0, 'tutoratctl routes printed no route');
  const undocumented = [...routes.keys()].filter((k) => !ops.has(k));
  const inexistent = [...ops.keys()].filter((k) => !routes.has(k));
  assert.deepEqual(
    { undocumented, inexistent },
    { undocumented: [], inexistent: [] },
    'routes of the router missing from docs/openapi.yaml (undocumented), or documented ' +
      'operations the router does not have (inexistent)',
  );

  const wrongAccess = [];
  for (const [key, access] of routes) {
    const documented = ops.get(key);
    if (documented !== access) wrongAccess.push({ route: key, router: access, 'x-access': documented });
  }
  assert.deepEqual(wrongAccess, [], 'x-access differs from the ACCESS column of tutoratctl routes');
});

test('docs/openapi.yaml gives each route the object it addresses and the relations it admits, as the router does', () => {
  const objects = new Map();
  routerRoutes(objects);
  const documented = specOperations(readFileSync(SPEC, 'utf8'), 'x-object');
  const wrong = [];
  for (const [key, value] of documented) {
    if ((objects.get(key) ?? null) !== value) wrong.push({ route: key, router: objects.get(key) ?? null, 'x-object': value });
  }
  assert.ok(objects.size >= 30, `${objects.size} routes address an object`);
  assert.deepEqual(wrong, [], 'x-object differs from the OBJECT SEE ACT columns of tutoratctl routes');
});

// The file is read by OpenAPI tools too (Swagger UI, code generators): it
// must be valid YAML (a plain scalar holding ": " is not), without a key
// given twice, an OpenAPI 3 document whose every local $ref resolves.
test('docs/openapi.yaml is valid YAML: an OpenAPI 3 document whose $refs all resolve', () => {
  const require = createRequire(new URL('../../web/package.json', import.meta.url));
  const YAML = require('yaml');
  const doc = YAML.parseDocument(readFileSync(SPEC, 'utf8'), { uniqueKeys: true, prettyErrors: true });
  assert.deepEqual(doc.errors.map((e) => e.message), [], 'YAML errors in docs/openapi.yaml');
  const spec = doc.toJS();
  assert.match(String(spec.openapi), /^3\./, 'the openapi field');
  const missing = [];
  const walk = (node, where) => {
    if (Array.isArray(node)) node.forEach((v, i) => walk(v, `${where}/${i}`));
    else if (node && typeof node === 'object') {
      for (const [k, v] of Object.entries(node)) {
        if (k === '$ref' && typeof v === 'string' && v.startsWith('#/')) {
          const target = v.slice(2).split('/').reduce((o, part) => o?.[part.replace(/~1/g, '/').replace(/~0/g, '~')], spec);
          if (target === undefined) missing.push(`${where}: ${v}`);
        } else walk(v, `${where}/${k}`);
      }
    }
  };
  walk(spec, '#');
  assert.deepEqual(missing, [], '$refs that point nowhere');
});
