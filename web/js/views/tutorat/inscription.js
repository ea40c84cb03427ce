// Inscriptions › one enrolment: what was recorded, the checks, the trio,
// and replacing a tutor during the year (PUT /api/v1/enrolments/{id}/tutors,
// after confirmation: the former tutor keeps no access to what follows). The
// replacement carries the version this page read (If-Match): when another
// manager changed the enrolment meanwhile, the page shows what is stored.

import { of } from '../../format.js';
import { request, ApiError } from '../../api.js';
import { h, replace } from '../../dom.js';
import { confirmButton } from '../../confirm.js';
import { pageTitle, breadcrumb, liveRegion, showFlash, buttonLink, focusRegion } from '../../ui.js';
import {
  loadOr404, loadEnrolment, traineeName, personName, terrainLabel, INSPE_LABEL, enrolmentDetails,
  checksBlock, describeWriteError,
  lowerFirst,
} from './common.js';
import { personPicker } from '../../picker.js';
import { isConflict } from '../../versioned.js';

const BASE = '#/inscriptions';

export async function render(ctx) {
  const loaded = await loadOr404(ctx, () => loadEnrolment(ctx.params.id), { back: BASE, backLabel: 'Retour aux inscriptions' });
  if (!loaded || !ctx.current) return;
  let { enrolment, version } = loaded;
  const id = encodeURIComponent(enrolment.id);
  const name = traineeName(enrolment);

  const notices = liveRegion('status');
  const details = h('div');
  const trio = h('div');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Inscriptions', href: BASE }, { label: name }]),
    h('div', { class: 'app-title-row' },
      pageTitle(name),
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' },
        h('li', null, buttonLink('Modifier l’inscription', `${BASE}/${id}/modifier`, { kind: 'secondary', icon: 'edit-line' })),
        h('li', null, buttonLink('Historique du dossier', `#/dossiers/${id}/historique`, { kind: 'tertiary', icon: 'history-line' })))),
    notices.node,
    details,
    h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'trio-titre' },
      h('h2', { id: 'trio-titre', tabindex: '-1' }, 'Trio'),
      h('p', null, 'Un tuteur remplacé en cours d’année n’a plus accès au dossier du stagiaire ; le nouveau tuteur voit tout le dossier.'),
      trio));
  showFlash(notices);
  ctx.setTitle(`${name} – Inscriptions`);
  draw();

  function draw() {
    replace(details, checksBlock(enrolment.checks), enrolmentDetails(enrolment));
    replace(trio, h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
      tutorCard('tuteur_terrain', terrainLabel(enrolment)),
      tutorCard('tuteur_inspe', INSPE_LABEL)));
  }

  function tutorCard(key, label) {
    const current = enrolment.tutors?.[key] || null;
    const region = liveRegion('alert');
    const pick = personPicker({ label: current ? `Nouveau ${lowerFirst(label)}` : label, role: key, required: true });
    const headingId = `${key}-titre`;
    const replaceBtn = confirmButton(current ? `Remplacer le ${lowerFirst(label)}` : `Désigner le ${lowerFirst(label)}`, {
      kind: 'primary', size: null,
      title: current ? `Remplacer ${personName(current)} ?` : `Désigner le ${lowerFirst(label)} ?`,
      message: current
        ? `${personName(current)} ne sera plus ${lowerFirst(label)} ${of(name)} et n’aura plus accès à son dossier. La personne choisie le devient et voit tout le dossier de suivi.`
        : `La personne choisie devient ${lowerFirst(label)} ${of(name)} et voit tout son dossier de suivi.`,
      confirmLabel: current ? 'Remplacer' : 'Désigner',
      onConfirm: async () => {
        region.clear(); pick.clearError();
        const value = pick.control.value;
        if (!value) { pick.setError('Choisissez une personne.'); pick.control.focus(); return; }
        if (current && String(current.id) === value) { pick.setError('C’est déjà le tuteur désigné : choisissez une autre personne.'); pick.control.focus(); return; }
        const chosen = pick.selectedLabel().replace(/ \(.*\)$/, '');
        try {
          await request('PUT', `/enrolments/${id}/tutors`, { body: { [`${key}_id`]: Number(value) }, ifMatch: version });
          ({ enrolment, version } = await loadEnrolment(enrolment.id));
        } catch (err) {
          if (!ctx.current) return;
          if (isConflict(err)) {
            try { ({ enrolment, version } = await loadEnrolment(enrolment.id)); } catch { /* the message below still holds */ }
            if (!ctx.current) return;
            draw();
            notices.show('warning', 'Inscription modifiée entre-temps',
              'Quelqu’un d’autre a modifié cette inscription pendant que vous faisiez votre choix. La page montre maintenant ce qui est enregistré : vérifiez le trio avant de recommencer.');
            focusRegion(notices);
            return;
          }
          if (err instanceof ApiError && (err.status === 422 || err.status === 409)) {
            pick.setError(err.detail || 'Cette personne ne peut pas être désignée.');
            pick.control.focus();
            return;
          }
          region.show('error', 'Le tuteur n’a pas été remplacé', describeWriteError(err));
          focusRegion(region);
          return;
        }
        if (!ctx.current) return;
        draw();
        document.getElementById('trio-titre')?.focus();
        notices.show('success', null, current
          ? `${chosen} remplace ${personName(current)} comme ${lowerFirst(label)}.`
          : `${chosen} est désigné comme ${lowerFirst(label)}.`);
      },
    });
    return h('div', { class: 'fr-col-12 fr-col-md-6' },
      h('section', { class: 'app-panel app-panel--full', 'aria-labelledby': headingId },
        h('h3', { class: 'fr-h5', id: headingId }, label),
        h('p', { class: 'fr-text--lg' }, personName(current) || 'Non désigné'),
        region.node,
        pick.group,
        replaceBtn));
  }
}
