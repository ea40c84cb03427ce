// Durées de conservation (issue 15, docs/rgpd.md), for the académie's
// admin: for each kind of personal record, how many days it is kept after
// the date that starts its count, within the bounds the kind admits; the
// default is shown, and a value equal to it goes back to it. The purge
// (tutoratctl purge, every night) applies what is stored.
//
// GET /api/v1/admin/retention   { kinds: [{ kind, label, basis, days, default_days, min_days, max_days, custom, updated_at }] }
// PUT /api/v1/admin/retention   { kinds: [{ kind, days }] } → every kind as stored

import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import {
  pageTitle, breadcrumb, liveRegion, loading, textField, button, buttonGroup, whileBusy, focusRegion,
} from '../../ui.js';

/** « 395 jours (environ 13 mois) ». */
export function daysText(days) {
  const n = Number(days);
  if (!Number.isInteger(n)) return '';
  const about = n >= 60 ? ` (environ ${Math.round(n / 30.4)} mois)` : '';
  return `${n} jour${n > 1 ? 's' : ''}${about}`;
}

const hintOf = (k) => [
  `Compté à partir de ${k.basis}.`,
  `Entre ${k.min_days} et ${k.max_days} jours.`,
  k.custom ? `Par défaut : ${daysText(k.default_days)}.` : 'Valeur par défaut.',
].join(' ');

function form(ctx, kinds, errors, status) {
  const rows = kinds.map((k) => {
    const field = textField({
      label: k.label, name: `jours-${k.kind}`, value: String(k.days), hint: hintOf(k),
      attrs: { inputmode: 'numeric', pattern: '[0-9]*', spellcheck: 'false' },
    });
    return { kind: k, field, node: h('div', { class: 'fr-mb-3w', dataset: { kind: k.kind } }, field.group) };
  });
  const save = button('Enregistrer les durées de conservation', { type: 'submit' });
  const node = h('form', { novalidate: true, 'aria-labelledby': 'durees-titre' }, rows.map((r) => r.node), buttonGroup([save]));
  node.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.clear();
    status.clear();
    for (const r of rows) r.field.clearError();
    // A value that is not a whole number is said under its field, unsent.
    const bad = rows.find((r) => !/^\d{1,4}$/.test(r.field.control.value.trim()));
    if (bad) {
      bad.field.setError('Indiquez un nombre entier de jours.');
      bad.field.control.focus();
      return;
    }
    whileBusy(save, async () => {
      try {
        const saved = await api.put('/admin/retention', {
          kinds: rows.map((r) => ({ kind: r.kind.kind, days: Number(r.field.control.value.trim()) })),
        });
        if (!ctx.current) return;
        for (const k of saved?.kinds || []) {
          const row = rows.find((r) => r.kind.kind === k.kind);
          if (!row) continue;
          row.kind = k;
          row.field.control.value = String(k.days);
          const hint = row.field.group.querySelector('.fr-hint-text');
          if (hint) hint.textContent = hintOf(k);
        }
        status.show('success', null, 'Les durées de conservation sont enregistrées. La prochaine purge, cette nuit, les appliquera.');
      } catch (err) {
        if (!ctx.current) return;
        // « kinds[2].days »: the field of that kind.
        const index = /^kinds\[(\d+)\]\.days/.exec(err.field || '')?.[1];
        const row = index !== undefined ? rows[Number(index)] : null;
        if (row && err.status === 422) {
          row.field.setError(err.detail || 'Cette durée n’est pas acceptée.');
          row.field.control.focus();
          return;
        }
        errors.error(err, 'Les durées de conservation n’ont pas été enregistrées');
        focusRegion(errors);
      }
    });
  });
  return node;
}

export async function render(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div', null, loading());
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Durées de conservation' }]),
    pageTitle('Durées de conservation'),
    h('p', { class: 'fr-text--lead' }, 'Combien de temps votre académie garde chaque type de données personnelles. Passé ce délai, la purge de la nuit les supprime, ou rend anonyme l’identité d’une personne partie dont d’autres dossiers gardent la trace.'),
    h('section', { 'aria-labelledby': 'durees-titre' },
      h('h2', { id: 'durees-titre' }, 'Durées par type de données'),
      h('p', null, 'Une durée se compte en jours à partir de la date indiquée sous chaque champ. Une personne désactivée dans l’annuaire garde ses dossiers jusqu’à la fin de leur durée de conservation.'),
      errors.node, status.node, body));
  ctx.setTitle('Durées de conservation');
  let data;
  try {
    data = await api.get('/admin/retention');
  } catch (err) {
    if (!ctx.current) return;
    body.replaceChildren();
    errors.error(err, 'Les durées de conservation n’ont pas pu être lues');
    return;
  }
  if (!ctx.current) return;
  replace(body, form(ctx, data?.kinds || [], errors, status));
}
