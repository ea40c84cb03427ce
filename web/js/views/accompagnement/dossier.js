// A case (« Dossier d’accompagnement »): its level and period, its actors,
// the fiche de suivi with the form that adds a dated entry, the traces the
// tutors share, the agreements to raise the alert, the levels and their
// bilans, and for the trainee and the tutors « Qui a consulté ce dossier ».
// The fiche prints like the paper form (css/accompagnement-print.css).
// GET /api/v1/cases/{id}, POST .../entries, .../agreements, .../levels,
// .../shares, DELETE /api/v1/case-shares/{id}, GET .../reads,
// GET /api/v1/enrolments/{id}/timeline (the tutors' follow-up times).

import { api, request, isNotFound } from '../../api.js';
import { h } from '../../dom.js';
import { formatMoment, formatDateTime } from '../../format.js';
import { roleLabel } from '../../labels.js';
import {
  pageTitle, breadcrumb, rowHeader, wrapTable, liveRegion, selectField, textField, textareaField,
  button, clearFormErrors, checkRequired, showFormError, whileBusy, setFlash, showFlash,
  focusRegion,
} from '../../ui.js';
import {
  LEVELS, ENTRY_KINDS, OUTCOMES, STATES, levelLabel, entryLabel, writableKinds, period, day,
  audienceHelp, note,
} from './common.js';

const PRINT_CSS = '/css/accompagnement-print.css';

/** The print stylesheet of the fiche, added once to the document. */
function printStyles() {
  if (document.querySelector(`link[href="${PRINT_CSS}"]`)) return;
  document.head.append(h('link', { rel: 'stylesheet', href: PRINT_CSS, media: 'print' }));
}

export async function render(ctx) {
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  let res;
  try {
    res = await request('GET', `/cases/${encodeURIComponent(id)}`);
  } catch (err) {
    if (!ctx.current) return;
    ctx.root.append(breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Accompagnement personnalisé', href: '#/accompagnement' }, { label: 'Dossier' }]),
      pageTitle('Dossier d’accompagnement'), errors.node);
    errors.error(err, isNotFound(err) ? 'Ce dossier n’existe pas ou ne vous est pas ouvert' : 'Le dossier n’a pas pu être chargé');
    ctx.setTitle('Dossier d’accompagnement');
    return;
  }
  if (!ctx.current) return;
  printStyles();
  const c = res.data;
  const etag = res.etag;
  const name = c.enrolment.trainee.name;
  const title = `Dossier d’accompagnement de ${name}`;
  const reload = (text) => {
    setFlash('success', text);
    ctx.navigate(`#/accompagnement/${c.id}?t=${Date.now()}`);
  };
  ctx.setTitle(title);
  // The sections a reader may not use are null: left out, not printed.
  ctx.root.append(...[
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Accompagnement personnalisé', href: '#/accompagnement' }, { label: name }]),
    pageTitle(title),
    status.node, errors.node,
    summary(c),
    h('p', { class: 'app-no-print' }, button('Imprimer la fiche de suivi', { kind: 'secondary', onClick: () => window.print() })),
    fiche(c),
    entryForm(c, reload),
    actorsSection(c),
    sharesSection(ctx, c, reload, errors),
    agreementsSection(c, reload, errors, ctx.me.id),
    levelsSection(c),
    moveForm(c, etag, reload)].filter(Boolean));
  showFlash(status);
  if (c.relations.includes('trainee') || c.relations.includes('tutor')) ctx.root.append(await readsSection(c));
}

/** The case at a glance: level, period the trainee knows, state, place. */
function summary(c) {
  const current = c.levels[c.levels.length - 1];
  const e = c.enrolment;
  const items = [
    ['Niveau', levelLabel(c.level)],
    ['Période', current ? `${period(current.starts_on, current.ends_on)} (fin prévue)` : '—'],
    ['État', c.state === 'open' ? STATES.open : `${STATES.closed} le ${formatMoment(c.closed_at)}`],
    ['Année scolaire', e.year],
    ['Parcours', [e.parcours, e.degre === 1 ? '1er degré' : '2nd degré'].join(' · ')],
    ['Lieu d’exercice', e.schools || '—'],
    [e.degre === 1 ? 'Pôle' : 'Discipline', (e.degre === 1 ? e.pole : e.discipline) || '—'],
    ['Site INSPÉ', e.site || '—'],
    ['Renouvellement', e.renouvellement ? `oui (tuteur Inspé : ${String(e.inspe_hours).replace('.', ',')} h TD)` : 'non'],
  ];
  return facts('app-case-summary', items);
}

/** Label / value lines: « Niveau : Niveau 2 – … ». */
function facts(className, items) {
  return h('ul', { class: ['app-plain-list', 'fr-mb-2w', className] },
    items.map(([k, v]) => h('li', null, h('span', { class: 'fr-text--bold' }, `${k} : `), v)));
}

/** The fiche de suivi: each part of the paper form with its dated entries. */
function fiche(c) {
  const tutors = c.actors.filter((a) => a.role === 'tuteur_terrain' || a.role === 'tuteur_inspe');
  const kinds = ENTRY_KINDS.filter((k) => !k.level || c.levels.some((l) => l.level >= k.level));
  return h('section', { class: 'app-fiche', 'aria-labelledby': 'fiche-titre' },
    h('h2', { id: 'fiche-titre' }, 'Fiche de suivi'),
    facts('app-fiche__head', [
      ['Stagiaire', c.enrolment.trainee.name],
      ['Tuteurs', tutors.map((t) => `${t.name} (${roleLabel(t.role)})`).join(', ') || '—'],
      ['Lieu d’exercice', c.enrolment.schools || '—'],
      ['Niveau', levelLabel(c.level)],
    ]),
    kinds.map((k) => {
      const entries = c.entries.filter((x) => x.kind === k.kind);
      return h('section', { class: 'app-fiche__part', 'aria-labelledby': `fiche-${k.kind}` },
        h('h3', { class: 'fr-h6', id: `fiche-${k.kind}` }, k.label),
        entries.length
          ? h('ul', { class: 'app-fiche__entries' }, entries.map((x) => h('li', null,
            h('p', { class: 'fr-text--bold fr-mb-0' }, `Le ${day(x.happened_on)}`),
            h('p', { class: 'app-prewrap fr-mb-0' }, x.body),
            h('p', { class: 'fr-text--xs fr-mb-1w' }, `${x.author.name}, niveau ${x.level}, écrit le ${formatMoment(x.written_at)}`,
              x.corrects_id ? ' — corrige une entrée précédente' : ''))))
          : h('p', { class: 'app-empty fr-text--sm' }, 'Aucune entrée.'));
    }));
}

/** « Ajouter une entrée »: the parts the reader writes at this level. */
function entryForm(c, reload) {
  const kinds = writableKinds(c);
  if (!kinds.length) return null;
  const errors = liveRegion('alert');
  const fields = {
    kind: selectField({ label: 'Rubrique', name: 'rubrique', required: true, options: kinds.map((k) => ({ value: k.kind, label: k.label })) }),
    happened_on: textField({ label: 'Date', name: 'date', type: 'date', required: true, hint: 'Le jour de l’action, de l’observation ou de l’information.' }),
    body: textareaField({ label: 'Texte', name: 'texte', required: true, rows: 4 }),
  };
  fields.happened_on.control.value = new Date().toISOString().slice(0, 10);
  const submit = button('Ajouter à la fiche de suivi', { type: 'submit' });
  const form = h('form', { class: 'app-no-print fr-mt-2w', novalidate: true, 'aria-labelledby': 'entree-titre' },
    h('h2', { id: 'entree-titre', class: 'fr-h4' }, 'Ajouter une entrée à la fiche de suivi'),
    note('Une entrée ne se modifie pas : pour corriger, ajoutez une nouvelle entrée.'),
    errors.node, Object.values(fields).map((f) => f.group), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(fields);
    errors.clear();
    if (!checkRequired(fields)) return;
    await whileBusy(submit, async () => {
      try {
        await api.post(`/cases/${c.id}/entries`, { kind: fields.kind.control.value, happened_on: fields.happened_on.control.value, body: fields.body.control.value });
        reload('L’entrée est ajoutée à la fiche de suivi.');
      } catch (err) {
        showFormError(err, fields, errors, 'L’entrée n’a pas été ajoutée');
      }
    });
  });
  return form;
}

function actorsSection(c) {
  return h('section', { class: 'app-no-print', 'aria-labelledby': 'acteurs-titre' },
    h('h2', { id: 'acteurs-titre', class: 'fr-mt-4w' }, `Acteurs du dossier (${levelLabel(c.level).toLowerCase()})`),
    wrapTable({
      caption: 'Acteurs du dossier à son niveau',
      columns: [{ label: 'Nom' }, { label: 'Rôle' }, { label: 'Acteur depuis le' }],
      rows: c.actors.map((a) => [rowHeader(a.name), roleLabel(a.role), `niveau ${a.level}`]),
    }),
    h('details', { class: 'fr-mb-2w' },
      h('summary', null, 'Qui est acteur à chaque niveau ?'),
      audienceHelp(),
      note('En montant, le dossier s’ouvre aussitôt aux acteurs du nouveau niveau ; en descendant, il se referme aussitôt pour ceux qui n’en sont plus. Ce qui a été écrit au niveau 1 reste au trio.')));
}

/** The elements of the trio's traces shared with the case. */
function sharesSection(ctx, c, reload, errors) {
  const tutor = c.relations.includes('tutor') && c.state === 'open';
  const section = h('section', { class: 'app-no-print', 'aria-labelledby': 'partages-titre' },
    h('h2', { id: 'partages-titre', class: 'fr-mt-4w' }, 'Traces du tutorat partagées'),
    note('Un tuteur peut partager un élément choisi du dossier de tutorat (un temps de suivi) ; rien d’autre du trio n’est visible ici.'));
  if (!c.shares.length) section.append(h('p', { class: 'app-empty' }, 'Aucune trace partagée.'));
  else {
    section.append(h('ul', null, c.shares.map((s) => h('li', { class: 'fr-mb-2w' },
      h('p', { class: 'fr-text--bold fr-mb-0' }, `Temps de suivi du ${formatDateTime(s.scheduled_at)}`),
      ['analyses', 'remediations', 'action_paths', 'points_appui', 'axes_evolution', 'body']
        .filter((k) => s.content[k]).map((k) => h('p', { class: 'app-prewrap fr-mb-0' }, s.content[k])),
      h('p', { class: 'fr-text--xs fr-mb-0' }, `Partagé par ${s.shared_by.name} le ${formatMoment(s.shared_at)}`),
      tutor ? button('Retirer le partage', { kind: 'tertiary', size: 'sm', srSuffix: `du temps de suivi du ${formatDateTime(s.scheduled_at)}`, onClick: async (event) => {
        await whileBusy(event.currentTarget, async () => {
          try {
            await api.delete(`/case-shares/${s.id}`);
            reload('Le partage est retiré.');
          } catch (err) {
            errors.error(err, 'Le partage n’a pas été retiré');
            focusRegion(errors);
          }
        });
      } }) : null))));
  }
  if (tutor) section.append(shareForm(ctx, c, reload));
  return section;
}

function shareForm(ctx, c, reload) {
  const errors = liveRegion('alert');
  const field = selectField({ label: 'Temps de suivi à partager', name: 'temps', required: true, placeholder: 'Chargement…' });
  const submit = button('Partager avec le dossier', { type: 'submit', kind: 'secondary' });
  const form = h('form', { novalidate: true, 'aria-label': 'Partager un temps de suivi' }, errors.node, field.group, submit);
  api.get(`/enrolments/${c.enrolment.id}/timeline`).then((t) => {
    if (!ctx.current) return;
    const shared = new Set(c.shares.map((s) => s.element_id));
    const list = (t.followups || []).filter((f) => !shared.has(f.id));
    field.setOptions(list.map((f) => ({ value: f.id, label: formatDateTime(f.scheduled_at) })), '');
    field.control.firstElementChild?.replaceChildren(list.length ? 'Choisir un temps de suivi' : 'Aucun temps de suivi à partager');
  }).catch(() => {});
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    errors.clear();
    if (!checkRequired({ field })) return;
    await whileBusy(submit, async () => {
      try {
        await api.post(`/cases/${c.id}/shares`, { element: 'followup', element_id: Number(field.control.value) });
        reload('Le temps de suivi est partagé avec le dossier.');
      } catch (err) {
        showFormError(err, { element_id: field }, errors, 'Le partage n’a pas abouti');
      }
    });
  });
  return form;
}

/** Level 2: who agreed to raise the alert, and the button to agree. */
function agreementsSection(c, reload, errors, me) {
  if (c.level !== 2 || c.state !== 'open') return null;
  const current = c.agreements.filter((a) => a.current);
  const mine = current.some((a) => a.person.id === me);
  const can = (c.relations.includes('tutor') || c.relations.includes('level2_actor'));
  return h('section', { class: 'app-no-print', 'aria-labelledby': 'accords-titre' },
    h('h2', { id: 'accords-titre', class: 'fr-mt-4w' }, 'Accords pour passer au niveau 3 (alerte)'),
    note('L’alerte suppose l’accord des deux tuteurs et d’au moins un autre acteur du niveau 2.'),
    current.length
      ? h('ul', null, current.map((a) => h('li', null, `${a.person.name} (${a.as_role === 'actor' ? 'acteur du niveau 2' : roleLabel(a.as_role)}), le ${formatMoment(a.agreed_at)}`)))
      : h('p', { class: 'app-empty' }, 'Aucun accord enregistré.'),
    c.raise.possible ? h('p', null, 'Tous les accords nécessaires sont enregistrés.') : h('p', null, `En attente : ${c.raise.missing}.`),
    can && !mine ? button('Donner mon accord pour l’alerte', { kind: 'secondary', onClick: async (event) => {
      await whileBusy(event.currentTarget, async () => {
        try {
          await api.post(`/cases/${c.id}/agreements`, {});
          reload('Votre accord est enregistré.');
        } catch (err) {
          errors.error(err, 'L’accord n’a pas été enregistré');
          focusRegion(errors);
        }
      });
    } }) : null);
}

function levelsSection(c) {
  return h('section', { 'aria-labelledby': 'niveaux-titre', class: 'app-levels' },
    h('h2', { id: 'niveaux-titre', class: 'fr-mt-4w' }, 'Niveaux et bilans'),
    wrapTable({
      caption: 'Les niveaux successifs du dossier et leurs bilans',
      columns: [{ label: 'Niveau' }, { label: 'Période' }, { label: 'Ouvert par' }, { label: 'Bilan' }],
      rows: c.levels.map((l) => [
        rowHeader(levelLabel(l.level)),
        period(l.starts_on, l.ends_on),
        [l.opened_by.name, ` le ${formatMoment(l.opened_at)}`, l.reason ? h('p', { class: 'app-prewrap fr-text--sm fr-mb-0' }, l.reason) : null],
        l.closed_at
          ? [h('p', { class: 'fr-text--bold fr-mb-0' }, OUTCOMES[l.outcome]), l.bilan ? h('p', { class: 'app-prewrap fr-mb-0' }, l.bilan) : null,
            h('p', { class: 'fr-text--xs fr-mb-0' }, `${l.closed_by?.name || ''}, le ${formatMoment(l.closed_at)}`)]
          : 'Période en cours',
      ]),
    }));
}

/** « Bilan de la période »: moves the case one level, or closes it. */
function moveForm(c, etag, reload) {
  if (c.state !== 'open' || !['tutor', 'level2_actor', 'level3_actor'].some((r) => c.relations.includes(r))) return null;
  const options = [];
  if (c.level < 3) options.push({ value: String(c.level + 1), label: `Passer au ${LEVELS[c.level + 1].toLowerCase()}` });
  if (c.level > 1) options.push({ value: String(c.level - 1), label: `Revenir au ${LEVELS[c.level - 1].toLowerCase()}` });
  options.push({ value: '0', label: 'Clore le dossier (fin de l’accompagnement)' });
  const errors = liveRegion('alert');
  const fields = {
    to_level: selectField({ label: 'Suite donnée', name: 'suite', required: true, options }),
    bilan: textareaField({ label: 'Bilan de la période', name: 'bilan', required: true, rows: 4 }),
    starts_on: textField({ label: 'Début de la nouvelle période', name: 'nouveau-debut', type: 'date', hint: 'Aujourd’hui si vide.' }),
    ends_on: textField({ label: 'Fin prévue de la nouvelle période', name: 'nouvelle-fin', type: 'date', hint: 'Sauf pour clore le dossier.' }),
  };
  const submit = button('Enregistrer le bilan', { type: 'submit' });
  const form = h('form', { class: 'app-no-print fr-mt-4w', novalidate: true, 'aria-labelledby': 'bilan-titre' },
    h('h2', { id: 'bilan-titre' }, 'Bilan de la période en cours'),
    note('Le bilan clôt la période : le dossier monte d’un niveau, redescend d’un niveau ou se clôt. Les acteurs du nouveau niveau sont prévenus.'),
    errors.node, Object.values(fields).map((f) => f.group), submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    clearFormErrors(fields);
    errors.clear();
    if (!checkRequired(fields)) return;
    const body = { to_level: Number(fields.to_level.control.value), bilan: fields.bilan.control.value };
    if (fields.starts_on.control.value) body.starts_on = fields.starts_on.control.value;
    if (fields.ends_on.control.value) body.ends_on = fields.ends_on.control.value;
    await whileBusy(submit, async () => {
      try {
        await api.post(`/cases/${c.id}/levels`, body, { ifMatch: etag });
        reload(body.to_level === 0 ? 'Le dossier est clos.' : `Le dossier est au niveau ${body.to_level}.`);
      } catch (err) {
        showFormError(err, fields, errors, 'Le bilan n’a pas été enregistré');
      }
    });
  });
  return form;
}

/** « Qui a consulté ce dossier » (the trainee and the tutors). */
async function readsSection(c) {
  const section = h('section', { class: 'app-no-print', 'aria-labelledby': 'consultations-titre' },
    h('h2', { id: 'consultations-titre', class: 'fr-mt-4w' }, 'Qui a consulté ce dossier'));
  try {
    const log = await api.get(`/cases/${c.id}/reads?limit=200`);
    section.append(
      h('p', null, `${log.total} consultation${log.total > 1 ? 's' : ''} enregistrée${log.total > 1 ? 's' : ''}${log.total > log.items.length ? ` ; les ${log.items.length} plus récentes :` : '.'}`),
      wrapTable({
        caption: 'Consultations du dossier, les plus récentes d’abord',
        columns: [{ label: 'Personne' }, { label: 'Date' }, { label: 'Consultation' }, { label: 'Niveau du dossier' }],
        rows: log.items.map((r) => [rowHeader(r.person.name), formatMoment(r.read_at), r.what === 'case' ? 'Le dossier' : 'Ce journal des consultations', `niveau ${r.level}`]),
      }));
  } catch {
    section.append(h('p', { class: 'app-empty' }, 'Le journal des consultations n’a pas pu être chargé.'));
  }
  return section;
}
