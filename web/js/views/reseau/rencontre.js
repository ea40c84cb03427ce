// A meeting of a collective, the pilot's screen during or after it (laid
// out for a tablet held upright, 768 × 1024): who was present, the
// canvas of the meeting in the seed's order, the fiche synthèse (1- Notre
// problématique, 2- Nos réponses envisagées) and « Publier la fiche
// synthèse ». The canvas and synthesis are versioned (ETag, If-Match,
// 412: offerConflictChoice). The other members read them. Only the
// collective's members reach this screen (the API answers 404 to anyone
// else, and to a member who has not accepted the charter).
// GET /api/v1/reseau/meetings/{id}, .../canvas, .../synthesis,
// /reseau/collectives/{id}; PUT .../attendance, .../canvas, .../synthesis;
// POST .../synthesis/publish

import { api, isNotFound } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { formatDate } from '../../format.js';
import { confirmButton } from '../../confirm.js';
import { versionedRecord, isConflict, offerConflictChoice } from '../../versioned.js';
import {
  pageTitle, breadcrumb, liveRegion, textField, textareaField, selectField, button, whileBusy, showFormError,
  clearFormErrors, textBlock, focusRegion,
} from '../../ui.js';
import { CANVAS, TEXT_MAX, MEETING_STATE, badge, slot, useStyles, personId, personName } from './common.js';

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div', { class: 'app-rencontre' });
  ctx.setTitle('Présentiel');
  const crumbs = h('div');
  ctx.root.append(crumbs, errors.node, status.node, body);
  const base = `/reseau/meetings/${encodeURIComponent(id)}`;
  const canvas = versionedRecord(`${base}/canvas`);
  const synthesis = versionedRecord(`${base}/synthesis`);

  let meeting;
  try {
    meeting = await api.get(base);
    await Promise.all([canvas.read(), synthesis.read()]);
  } catch (err) {
    if (!ctx.current) return;
    replace(crumbs, breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' }, { label: 'Présentiel' }]));
    if (isNotFound(err)) replace(body, pageTitle('Présentiel introuvable'), h('p', null, 'Ce présentiel n’existe pas, ou il n’est visible que des membres de son collectif qui ont accepté la charte.'));
    else errors.error(err, 'Le présentiel n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;

  const collective = meeting.collective || {};
  const members = meeting.members || [];
  const me = members.find((m) => String(personId(m)) === String(ctx.me.id));
  const isPilot = Boolean(meeting.is_pilot ?? me?.pilot ?? me?.is_pilot);
  const title = `Présentiel du ${slot(meeting.starts_at, meeting.ends_at)}`;
  const synthesisZone = h('div');
  ctx.setTitle(title);
  replace(crumbs, breadcrumb([
    { label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs', href: '#/reseau' },
    { label: collective.name, href: `#/reseau/collectifs/${encodeURIComponent(collective.id)}` }, { label: 'Présentiel' },
  ]));
  replace(body,
    pageTitle(title),
    h('p', null, h('strong', null, collective.name), ` — ${meeting.place || ''} `, badge(MEETING_STATE[meeting.state] || meeting.state || '', meeting.state === 'held' ? 'success' : 'info')),
    h('div', { class: 'fr-notice fr-notice--info fr-mb-3w' },
      h('div', { class: 'fr-container' }, h('div', { class: 'fr-notice__body' },
        h('p', { class: 'fr-notice__title' }, 'Ce qui se dit dans le collectif reste dans le collectif : ces notes ne sont visibles que de ses membres. Seule la fiche synthèse, une fois publiée par le pilote, sort du collectif.')))),
    attendanceSection(),
    canvasSection(),
    synthesisZone);
  replace(synthesisZone, synthesisSection());

  function attendanceSection() {
    const present = new Set(members.filter((m) => m.present).map((m) => String(personId(m))));
    const region = liveRegion('alert');
    if (!isPilot) {
      return h('section', { 'aria-labelledby': 'presences' },
        h('h2', { class: 'fr-h4', id: 'presences' }, 'Présences'),
        present.size
          ? h('ul', null, members.filter((m) => present.has(String(personId(m)))).map((m) => h('li', null, personName(m))))
          : h('p', { class: 'app-empty' }, 'Les présences ne sont pas encore relevées.'));
    }
    const boxes = members.map((m) => {
      const input = h('input', { type: 'checkbox', id: uid('present'), name: `present-${personId(m)}`, value: String(personId(m)) });
      input.checked = present.has(String(personId(m)));
      return { m, input };
    });
    return h('section', { class: 'app-attendance', 'aria-labelledby': 'presences' },
      h('h2', { class: 'fr-h4', id: 'presences' }, 'Présences'),
      h('form', {
        novalidate: true,
        on: {
          submit: (e) => {
            e.preventDefault();
            whileBusy(e.submitter || e.currentTarget.querySelector('button[type=submit]'), async () => {
              try {
                await api.put(`${base}/attendance`, { present: boxes.filter((b) => b.input.checked).map((b) => Number(b.input.value)) });
                const n = boxes.filter((b) => b.input.checked).length;
                status.show('success', null, `Présences enregistrées : ${n} membre${n > 1 ? 's' : ''} présent${n > 1 ? 's' : ''} sur ${boxes.length}.`);
              } catch (err) { region.error(err, 'Les présences n’ont pas pu être enregistrées'); focusRegion(region); }
            });
          },
        },
      }, region.node,
      h('fieldset', { class: 'fr-fieldset' },
        h('legend', { class: 'fr-fieldset__legend' }, 'Membres présents'),
        boxes.map(({ m, input }) => h('div', { class: 'fr-fieldset__element' },
          h('div', { class: 'fr-checkbox-group' }, input, h('label', { class: 'fr-label', for: input.id }, personName(m)))))),
      button('Enregistrer les présences', { type: 'submit', kind: 'secondary', icon: 'user-line' })));
  }

  function canvasSection() {
    const data = canvas.data || {};
    const heading = h('h2', { class: 'fr-h4 fr-mt-4w', id: 'canevas' }, 'Canevas du présentiel');
    if (!isPilot) {
      const presenter = members.find((m) => String(personId(m)) === String(data.presenter_id));
      return h('section', { class: 'app-canvas', 'aria-labelledby': 'canevas' }, heading,
        h('p', null, 'Présenté par : ', presenter ? personName(presenter) : (data.presenter || 'non renseigné')),
        data.fallback_case_url ? h('p', null, 'Situation de secours : ', h('a', { href: data.fallback_case_url, target: '_blank', rel: 'noopener', title: 'Situation de secours — nouvelle fenêtre' }, data.fallback_case_url)) : null,
        CANVAS.map((step) => [h('h3', { class: 'fr-h6 fr-mt-2w fr-mb-1w' }, step.title), textBlock(data[step.name])]));
    }
    const region = liveRegion('alert');
    const fields = {
      presenter_id: selectField({ label: 'Membre qui présente la situation', name: 'presenter_id', placeholder: 'Personne (situation de secours)', options: members.map((m) => ({ value: String(personId(m)), label: personName(m) })), value: data.presenter_id != null ? String(data.presenter_id) : '' }),
      fallback_case_url: textField({ label: 'Situation de secours : lien vers une vidéo Néopass@ction', name: 'fallback_case_url', type: 'url', value: data.fallback_case_url || '', hint: 'Pour le premier présentiel, par exemple dans le thème « Débuter comme formateur » (http://neo.ens-lyon.fr/neo).' }),
    };
    for (const step of CANVAS) {
      fields[step.name] = textareaField({ label: step.title, name: step.name, value: data[step.name] || '', hint: step.hint, rows: 4, attrs: { maxlength: String(TEXT_MAX) } });
    }
    const values = () => {
      const out = { presenter_id: fields.presenter_id.control.value ? Number(fields.presenter_id.control.value) : null, fallback_case_url: fields.fallback_case_url.control.value.trim() || null };
      for (const step of CANVAS) out[step.name] = fields[step.name].control.value;
      return out;
    };
    const fill = (d) => {
      fields.presenter_id.control.value = d.presenter_id != null ? String(d.presenter_id) : '';
      fields.fallback_case_url.control.value = d.fallback_case_url || '';
      for (const step of CANVAS) fields[step.name].control.value = d[step.name] || '';
    };
    async function save(btn) {
      clearFormErrors(fields);
      await whileBusy(btn, async () => {
        try {
          await canvas.write('PUT', values());
          region.clear();
          status.show('success', null, 'Le canevas est enregistré.');
        } catch (err) {
          if (isConflict(err)) {
            await offerConflictChoice(canvas, region, { saveAgain: () => save(btn), useStored: fill });
            return;
          }
          showFormError(err, fields, region, 'Le canevas n’a pas pu être enregistré');
        }
      });
    }
    const submit = button('Enregistrer le canevas', { type: 'submit', icon: 'save-line' });
    return h('section', { class: 'app-canvas', 'aria-labelledby': 'canevas' }, heading,
      h('form', { novalidate: true, on: { submit: (e) => { e.preventDefault(); save(submit); } } },
        region.node,
        h('fieldset', { class: 'fr-fieldset' },
          h('legend', { class: 'fr-fieldset__legend' }, 'Pour commencer'),
          h('div', { class: 'fr-fieldset__element' }, fields.debrief.group)),
        h('fieldset', { class: 'fr-fieldset' },
          h('legend', { class: 'fr-fieldset__legend' }, 'La situation présentée'),
          h('div', { class: 'fr-fieldset__element' }, fields.presenter_id.group),
          h('div', { class: 'fr-fieldset__element' }, fields.fallback_case_url.group)),
        CANVAS.slice(1).map((step) => h('div', { class: 'fr-mb-2w' }, fields[step.name].group)),
        submit));
  }

  function synthesisSection() {
    const data = synthesis.data || {};
    const published = Boolean(data.published_at || data.state === 'published');
    const heading = h('h2', { class: 'fr-h4 fr-mt-4w', id: 'synthese' }, 'Fiche synthèse');
    if (!isPilot || published) {
      return h('section', { 'aria-labelledby': 'synthese' }, heading,
        published ? h('p', null, badge(`Publiée le ${formatDate(data.published_at)}`, 'success'), ' Elle figure dans la bibliothèque des fiches synthèses de l’académie, sans le nom des membres.') : h('p', null, badge('Non publiée', 'info')),
        h('h3', { class: 'fr-h6 fr-mb-1w' }, '1- Notre problématique'), textBlock(data.problem),
        h('h3', { class: 'fr-h6 fr-mb-1w' }, '2- Nos réponses envisagées'), textBlock(data.answers));
    }
    const region = liveRegion('alert');
    const fields = {
      problem: textareaField({ label: '1- Notre problématique', name: 'synthesis_problem', value: data.problem || '', rows: 5, attrs: { maxlength: String(TEXT_MAX) } }),
      answers: textareaField({ label: '2- Nos réponses envisagées', name: 'synthesis_answers', value: data.answers || '', rows: 6, attrs: { maxlength: String(TEXT_MAX) } }),
    };
    const values = () => ({ problem: fields.problem.control.value, answers: fields.answers.control.value });
    const fill = (d) => { fields.problem.control.value = d.problem || ''; fields.answers.control.value = d.answers || ''; };
    async function save(btn, announce = true) {
      clearFormErrors(fields);
      return whileBusy(btn, async () => {
        try {
          await synthesis.write('PUT', values());
          region.clear();
          if (announce) status.show('success', null, 'La fiche synthèse est enregistrée. Elle reste dans le collectif tant qu’elle n’est pas publiée.');
          return true;
        } catch (err) {
          if (isConflict(err)) {
            await offerConflictChoice(synthesis, region, { saveAgain: () => save(btn), useStored: fill });
            return false;
          }
          showFormError(err, fields, region, 'La fiche synthèse n’a pas pu être enregistrée');
          return false;
        }
      });
    }
    const submit = button('Enregistrer la fiche synthèse', { type: 'submit', kind: 'secondary', icon: 'save-line' });
    const publish = confirmButton('Publier la fiche synthèse', {
      title: 'Publier la fiche synthèse ?',
      message: 'La fiche (problématique et réponses envisagées) rejoindra la bibliothèque que tous les tuteurs de l’académie peuvent lire, avec le nom du collectif mais sans le nom de ses membres. Elle ne pourra plus être modifiée. Les notes du canevas restent dans le collectif.',
      confirmLabel: 'Publier la fiche synthèse', keepLabel: 'Ne pas publier', kind: 'primary', size: null, icon: 'send-plane-line',
      check: () => {
        clearFormErrors(fields);
        let ok = true;
        for (const f of [fields.answers, fields.problem]) if (!f.control.value.trim()) { f.setError('À remplir avant de publier.'); f.control.focus(); ok = false; }
        return ok;
      },
      onConfirm: async () => {
        if (!(await save(publish, false))) return;
        try {
          await api.post(`${base}/synthesis/publish`, {});
          await synthesis.read();
          replace(synthesisZone, synthesisSection());
          status.show('success', null, 'La fiche synthèse est publiée dans la bibliothèque de l’académie. Les membres du collectif sont prévenus.');
        } catch (err) { region.error(err, 'La fiche synthèse n’a pas pu être publiée'); focusRegion(region); }
      },
    });
    return h('section', { 'aria-labelledby': 'synthese' }, heading,
      h('p', null, 'Rédigée par le pilote après le présentiel. Elle ne sort du collectif que lorsque vous la publiez.'),
      h('form', { novalidate: true, on: { submit: (e) => { e.preventDefault(); save(submit); } } },
        region.node, fields.problem.group, fields.answers.group,
        h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left' }, h('li', null, submit), h('li', null, publish))));
  }
}
