// The screens of a module import only shared code (web/js/*.js) and their
// own folder (web/js/views/<module>/): never another module's views. A
// module can then change, or be left out, without breaking the others;
// what two modules need is moved to web/js/ (docs/architecture.md, "The
// web interface").
//
// Reads the files; needs no stack. Static imports, `export … from` and
// dynamic import() with a literal path are all checked.

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const JS = path.join(ROOT, 'web', 'js');
const VIEWS = path.join(JS, 'views');

/** The module specifiers of a source text. */
export function specifiers(text) {
  const found = [];
  const patterns = [
    /\bimport\s+(?:[\w*{}\s,$]+\s+from\s+)?['"]([^'"]+)['"]/g, // import x from '…', import '…'
    /\bexport\s+(?:\*|\{[^}]*\})\s*(?:as\s+\w+\s+)?from\s+['"]([^'"]+)['"]/g, // export … from '…'
    /\bimport\(\s*['"`]([^'"`$]+)['"`]\s*\)/g, // import('…')
  ];
  for (const re of patterns) for (const m of text.matchAll(re)) found.push(m[1]);
  return found;
}

/**
 * The imports of `file` (a view of `module`) that leave shared code and the
 * module's own folder: [{ file, spec, target }].
 */
export function violations(file, module, text) {
  const own = path.join(VIEWS, module) + path.sep;
  const out = [];
  for (const spec of specifiers(text)) {
    if (!spec.startsWith('.')) {
      out.push({ file, spec, target: spec }); // no bare or absolute specifiers in web/ either
      continue;
    }
    const target = path.resolve(path.dirname(file), spec);
    const shared = path.dirname(target) === JS;
    if (!shared && !target.startsWith(own)) out.push({ file, spec, target });
  }
  return out;
}

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const p = path.join(dir, name);
    return statSync(p).isDirectory() ? walk(p) : (p.endsWith('.js') ? [p] : []);
  });
}

test('a module’s views import only web/js/ shared code and their own folder', () => {
  const modules = readdirSync(VIEWS).filter((name) => statSync(path.join(VIEWS, name)).isDirectory());
  assert.ok(modules.includes('annuaire') && modules.includes('tutorat'), `module folders found: ${modules}`);
  let scanned = 0;
  let imports = 0;
  const bad = [];
  for (const module of modules) {
    for (const file of walk(path.join(VIEWS, module))) {
      const text = readFileSync(file, 'utf8');
      scanned += 1;
      imports += specifiers(text).length;
      bad.push(...violations(file, module, text));
    }
  }
  assert.ok(scanned >= 10 && imports >= 50, `the scan read the views (${scanned} files, ${imports} imports)`);
  assert.deepEqual(bad.map((v) => `${path.relative(ROOT, v.file)} imports ${v.spec}`), []);
});

test('the scan recognises an import from another module, in each form', () => {
  const file = path.join(VIEWS, 'annuaire', 'exemple.js');
  const text = [
    "import { placeLabel } from '../tutorat/common.js';",
    "export { personPicker } from '../tutorat/pickers.js';",
    "const m = () => import('../tutorat/dossier.js');",
    "import '../tutorat/side-effect.js';",
    "import { h } from '../../dom.js';",
    "import { fill } from './personne-form.js';",
    "import { x } from '../../views/annuaire/y.js';",
  ].join('\n');
  assert.deepEqual(violations(file, 'annuaire', text).map((v) => v.spec), [
    '../tutorat/common.js', '../tutorat/side-effect.js', '../tutorat/pickers.js', '../tutorat/dossier.js',
  ]);
});
