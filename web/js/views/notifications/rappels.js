// The reminder rules of the académie (issue 9 §4), on the admin's
// « Courriels et rappels » page: for each kind of reminder, the days
// relative to its due date at which it goes (« -7,-1,1 »: a week before,
// the day before, the day after) and whether it is on.
//
// GET /api/v1/admin/reminder-rules   { rules: [{ kind, label, offsets, default_offsets, active, updated_at }] }
// PUT /api/v1/admin/reminder-rules   { rules: [{ kind, offsets, active }] } → the rules as stored (offsets sorted)

import { api, isNotFound } from '../../api.js';
import { h, replace } from '../../dom.js';
import { liveRegion, loading, textField, checkboxField, button, buttonGroup, whileBusy, focusRegion } from '../../ui.js';

/** « -7,-1,1 » → « 7 jours avant, la veille, le lendemain ». */
export function offsetsText(offsets) {
  const parts = String(offsets || '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
  if (!parts.length || parts.some((n) => !Number.isInteger(n))) return '';
  return parts.map((n) => {
    if (n === 0) return 'le jour même';
    if (n === -1) return 'la veille';
    if (n === 1) return 'le lendemain';
    return n < 0 ? `${-n} jours avant` : `${n} jours après`;
  }).join(', ');
}

export function reminderRulesSection(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div', null, loading());
  const section = h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'rappels-titre', id: 'rappels' },
    h('h2', { id: 'rappels-titre' }, 'Règles de rappel'),
    h('p', null, 'Un rappel part une seule fois à chaque échéance choisie, aux personnes concernées, tant que ce qui est attendu n’est pas fait. Indiquez les jours par rapport à l’échéance, séparés par des virgules : un nombre négatif avant, positif après (par exemple -7,-1,1). Au plus 6 jours, entre -60 et 60.'),
    errors.node, status.node, body);

  /** « Actuellement : la veille, le lendemain. Par défaut : … » */
  const hintOf = (rule) => [
    offsetsText(rule.offsets) ? `Actuellement : ${offsetsText(rule.offsets)}.` : null,
    rule.default_offsets && rule.default_offsets !== rule.offsets ? `Par défaut : ${rule.default_offsets} (${offsetsText(rule.default_offsets)}).` : null,
  ].filter(Boolean).join(' ') || 'Jours par rapport à l’échéance, par exemple -7,-1,1.';

  function form(rules) {
    const rows = rules.map((rule) => {
      const offsets = textField({
        label: rule.label || rule.kind, name: `offsets-${rule.kind}`, value: rule.offsets || '',
        hint: hintOf(rule),
        attrs: { inputmode: 'text', spellcheck: 'false' },
      });
      const active = checkboxField({ label: `Envoyer ce rappel (${rule.label || rule.kind})`, name: `active-${rule.kind}`, checked: rule.active !== false });
      return { rule, offsets, active, node: h('div', { class: 'fr-mb-3w', dataset: { kind: rule.kind } }, offsets.group, active.group) };
    });
    const save = button('Enregistrer les règles de rappel', { type: 'submit' });
    const node = h('form', { novalidate: true, 'aria-labelledby': 'rappels-titre' }, rows.map((r) => r.node), buttonGroup([save]));
    node.addEventListener('submit', (event) => {
      event.preventDefault();
      errors.clear();
      status.clear();
      for (const r of rows) r.offsets.clearError();
      whileBusy(save, async () => {
        try {
          const saved = await api.put('/admin/reminder-rules', {
            rules: rows.map((r) => ({ kind: r.rule.kind, offsets: r.offsets.control.value.replace(/\s+/g, ''), active: r.active.control.checked })),
          });
          if (!ctx.current) return;
          // What was stored (the days sorted), shown where it was typed.
          for (const rule of saved?.rules || []) {
            const row = rows.find((r) => r.rule.kind === rule.kind);
            if (!row) continue;
            row.rule = rule;
            row.offsets.control.value = rule.offsets;
            row.active.control.checked = rule.active !== false;
            const hint = row.offsets.group.querySelector('.fr-hint-text');
            if (hint) hint.textContent = hintOf(rule);
          }
          status.show('success', null, 'Les règles de rappel sont enregistrées.');
        } catch (err) {
          if (!ctx.current) return;
          // « rules[1].offsets »: the field of that rule.
          const index = /^rules\[(\d+)\]\.offsets/.exec(err.field || '')?.[1];
          const row = index !== undefined ? rows[Number(index)] : null;
          if (row && err.status === 422) {
            row.offsets.setError(err.detail || 'Ces jours ne sont pas acceptés.');
            row.offsets.control.focus();
            return;
          }
          errors.error(err, 'Les règles de rappel n’ont pas été enregistrées');
          focusRegion(errors);
        }
      });
    });
    return node;
  }

  async function load() {
    let data;
    try {
      data = await api.get('/admin/reminder-rules');
    } catch (err) {
      if (!ctx.current) return;
      if (isNotFound(err)) {
        replace(body, h('p', { class: 'app-empty' }, 'Les règles de rappel ne se modifient pas encore ici.'));
        return;
      }
      body.replaceChildren();
      errors.error(err, 'Les règles de rappel n’ont pas pu être lues');
      return;
    }
    if (!ctx.current) return;
    const rules = data?.rules || [];
    replace(body, rules.length ? form(rules) : h('p', { class: 'app-empty' }, 'Aucune règle de rappel.'));
  }
  return { section, load };
}
