// The editor of the académie's « Informations et données personnelles »
// (issue 15, docs/rgpd-access.md), for its admin: one text per section,
// none empty, saved with the version read (If-Match).
//
// GET /api/v1/privacy-notice?academy=CODE   the page and its ETag
// PUT /api/v1/admin/privacy-notice           every section, If-Match

import { api, withQuery, request } from '../../api.js';
import { h } from '../../dom.js';
import {
  pageTitle, liveRegion, textareaField, button, buttonGroup, whileBusy, showFormError, clearFormErrors,
  checkRequired, focusRegion,
} from '../../ui.js';
import { SECTIONS } from '../../privacy-sections.js';

export async function render(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const res = await request('GET', withQuery('/privacy-notice', { academy: ctx.me.academy }));
  let version = res.data.version;
  const fields = Object.fromEntries(SECTIONS.map((s) => [s.key, textareaField({
    label: s.title, name: s.key, required: true, rows: 6, value: res.data[s.key] || '', hint: s.hint,
    attrs: { maxlength: '8000' },
  })]));
  const save = button('Enregistrer la page', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-label': 'Informations et données personnelles' },
    errors.node, status.node, SECTIONS.map((s) => fields[s.key].group), buttonGroup([save]));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.clear();
    status.clear();
    clearFormErrors(fields);
    if (!checkRequired(fields)) return;
    whileBusy(save, async () => {
      let saved;
      try {
        saved = await request('PUT', '/admin/privacy-notice', {
          body: Object.fromEntries(SECTIONS.map((s) => [s.key, fields[s.key].control.value])), ifMatch: version,
        });
      } catch (err) {
        if (!ctx.current) return;
        if (err.status === 412) {
          errors.error('La page a été modifiée entre-temps par un autre administrateur : rechargez-la avant de la modifier. Copiez d’abord vos saisies si vous voulez les garder.', 'La page n’a pas été enregistrée');
          focusRegion(errors);
          return;
        }
        showFormError(err, fields, errors, 'La page n’a pas été enregistrée');
        return;
      }
      if (!ctx.current) return;
      version = saved.data.version;
      status.show('success', null, 'La page est enregistrée : elle est publiée pour tous.');
      focusRegion(status);
    });
  });
  ctx.root.append(
    pageTitle('Modifier la page « Informations et données personnelles »'),
    h('p', null, 'Cette page est publique : elle est lue avant toute connexion, depuis la page de connexion et le pied de chaque page. Chaque rubrique est obligatoire ; laissez une ligne vide entre deux paragraphes. ',
      h('a', { href: `/informations.html?academie=${encodeURIComponent(ctx.me.academy || '')}` }, 'Voir la page publiée'), '.'),
    form);
}
