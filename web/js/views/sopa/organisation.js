// « Organisation des stages SOPA » (#/sopa/organisation): what the site's
// managers (responsable de site, délégués de stage, bureau des stages) set
// up for a year: the four periods' dates (one form, If-Match), the site's
// délégués and gestionnaires, the placements (list, one added by hand, a
// CSV file imported whole or not at all).
// GET/PUT /api/v1/sopa/sites/{id}[/periods], POST/DELETE …/staff,
// GET/POST/DELETE /api/v1/sopa/placements, POST …/placements/import

import { api, request, withQuery, ApiError } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { personName } from '../../format.js';
import { listView } from '../../list.js';
import { confirmButton } from '../../confirm.js';
import { personPicker, schoolPicker } from '../../picker.js';
import { versionedRecord, isConflict, offerConflictChoice } from '../../versioned.js';
import {
  pageTitle, breadcrumb, liveRegion, selectField, textField, wrapTable, rowHeader, button,
  buttonGroup, focusRegion, showFormError, clearFormErrors, checkRequired, whileBusy, loading,
} from '../../ui.js';
import {
  years, yearOf, sitesOf, stageLabel, periodName, statusBadge, MANAGES,
} from './site-common.js';

const ROLE_LABELS = { delegue_stage: 'Délégué de stage', gestionnaire_scolarite: 'Gestionnaire de scolarité', responsable_site: 'Responsable de site' };
const PAGE = 50;
/** The longest a period may last, in days (stage 1's weeks, stages 2 and 3). */
const LONGEST = { 1: 7, 2: 14, 3: 14, 4: 7 };

/** A filter of the address the list form keeps without showing it. */
function hidden(name, value) {
  const control = h('input', { type: 'hidden', name });
  control.value = value;
  return { control, group: null };
}

/** « Ligne 4 : mat — Identifiant inconnu. »: one refused line of an import. */
export const importLine = (e) => `Ligne ${e.line} : ${e.field} — ${e.detail}`;

export async function render(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  ctx.setTitle('Organisation des stages SOPA');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Stages SOPA', href: '#/sopa' }, { label: 'Organisation' }]),
    pageTitle('Organisation des stages SOPA'),
    h('p', null, 'Les dates des quatre périodes SOPA de l’année, les délégués de stage et gestionnaires de scolarité du site, et les affectations des étudiants chez leurs maîtres d’accueil temporaires (MAT).'),
    errors.node, status.node);

  let allYears;
  let sites;
  const yearId = () => yearOf(ctx.query, allYears);
  try {
    allYears = await years();
    sites = (await sitesOf(yearId())).filter(MANAGES);
  } catch (err) {
    if (!ctx.current) return;
    errors.error(err, 'Vos sites n’ont pas pu être chargés');
    return;
  }
  if (!ctx.current) return;
  if (!sites.length) {
    ctx.root.append(h('div', { class: 'fr-callout' }, h('p', { class: 'fr-callout__text' },
      'L’organisation des stages est réservée au responsable du site, aux délégués de stage et au bureau des stages.')));
    return;
  }
  const site = sites.find((s) => String(s.id) === ctx.query.get('site')) || sites[0];
  const year = yearId();

  // The site and the year: changing them opens the screen again.
  const siteField = selectField({ label: 'Site INSPÉ', name: 'site', options: sites.map((s) => ({ value: String(s.id), label: s.name })), value: String(site.id) });
  const yearField = selectField({ label: 'Année scolaire', name: 'annee', options: allYears.map((y) => ({ value: String(y.id), label: y.label })), value: year });
  ctx.root.append(h('form', {
    class: 'app-filters fr-mb-4w', 'aria-label': 'Choisir le site et l’année', novalidate: true,
    on: { submit: (event) => { event.preventDefault(); ctx.navigate(withQuery('#/sopa/organisation', { site: siteField.control.value, annee: yearField.control.value })); } },
  },
  h('div', { class: 'fr-grid-row fr-grid-row--gutters fr-grid-row--bottom' },
    sites.length > 1 ? h('div', { class: 'fr-col-12 fr-col-md-5' }, siteField.group) : null,
    h('div', { class: 'fr-col-12 fr-col-md-4' }, yearField.group),
    h('div', { class: 'fr-col-12 fr-col-md-3' }, h('button', { class: 'fr-btn fr-btn--secondary', type: 'submit' }, 'Afficher')))));

  const record = versionedRecord(`/sopa/sites/${encodeURIComponent(site.id)}?year_id=${encodeURIComponent(year)}`);
  // Filled once the site is read (their headings come then: no name before).
  const periodsSection = h('section', null, loading());
  const staffSection = h('section', { class: 'fr-mt-6w' });
  const placementsSection = h('section', { class: 'fr-mt-6w' });
  const importSection = h('section', { class: 'fr-mt-6w' });
  ctx.root.append(periodsSection, staffSection, placementsSection, importSection);

  try {
    await record.read();
  } catch (err) {
    if (!ctx.current) return;
    periodsSection.replaceChildren();
    errors.error(err, 'Le site n’a pas pu être chargé');
    return;
  }
  if (!ctx.current) return;

  // ---- the periods of the year ----
  const periodFields = [1, 2, 3, 4].map((n) => ({
    number: n,
    starts_on: textField({ label: 'Premier jour', name: `periode-${n}-debut`, type: 'date', required: true }),
    ends_on: textField({ label: 'Dernier jour', name: `periode-${n}-fin`, type: 'date', required: true, hint: `Au plus ${LONGEST[n]} jours` }),
  }));
  const periodErrors = liveRegion('alert');
  const fieldsByName = {};
  periodFields.forEach((p, i) => {
    fieldsByName[`periods[${i}].starts_on`] = p.starts_on;
    fieldsByName[`periods[${i}].ends_on`] = p.ends_on;
    fieldsByName[`periods[${i}]`] = p.starts_on;
  });
  fieldsByName.periods = periodFields[0].starts_on;

  function fillPeriods(data) {
    const stored = data.periods?.length ? data.periods : (data.proposed_periods || []);
    for (const f of periodFields) {
      const p = stored.find((x) => Number(x.number) === f.number) || {};
      f.starts_on.control.value = p.starts_on || '';
      f.ends_on.control.value = p.ends_on || '';
    }
  }
  fillPeriods(record.data);

  async function savePeriods(btn) {
    clearFormErrors(fieldsByName);
    periodErrors.clear();
    if (!checkRequired(Object.fromEntries(periodFields.flatMap((f) => [[`${f.number}s`, f.starts_on], [`${f.number}e`, f.ends_on]])))) return;
    const body = {
      year_id: Number(year),
      periods: periodFields.map((f) => ({ number: f.number, starts_on: f.starts_on.control.value, ends_on: f.ends_on.control.value })),
    };
    const first = !record.data.periods?.length;
    await whileBusy(btn, async () => {
      try {
        const path = `/sopa/sites/${encodeURIComponent(site.id)}/periods`;
        let res;
        if (first) {
          res = await request('PUT', path, { body });
          record.version = res.etag || record.version;
        } else {
          res = await record.write('PUT', body, { path });
        }
        record.data = res.data;
        if (!ctx.current) return;
        fillPeriods(record.data);
        periodErrors.show('success', null, 'Les dates des périodes sont enregistrées.');
      } catch (err) {
        if (!ctx.current) return;
        if (isConflict(err)) {
          await offerConflictChoice(record, periodErrors, {
            message: 'Quelqu’un d’autre a modifié les périodes de ce site pendant votre saisie.',
            saveAgain: () => savePeriods(btn), useStored: fillPeriods,
          });
          return;
        }
        showFormError(err, fieldsByName, periodErrors, 'Les périodes n’ont pas été enregistrées');
      }
    });
  }
  const saveBtn = button('Enregistrer les périodes', { type: 'submit', icon: 'save-line' });
  replace(periodsSection,
    h('h2', { id: 'sopa-periodes' }, 'Périodes de l’année'),
    record.data.periods?.length ? null : h('p', { class: 'fr-text--sm' }, 'Les dates proposées viennent du calendrier de l’académie : vérifiez-les puis enregistrez.'),
    h('form', { novalidate: true, 'aria-labelledby': 'sopa-periodes', on: { submit: (event) => { event.preventDefault(); savePeriods(saveBtn); } } },
      periodErrors.node,
      periodFields.map((f) => h('fieldset', { class: 'fr-fieldset' },
        h('legend', { class: 'fr-fieldset__legend' }, `${periodName(f.number)} — ${stageLabel({ number: f.number, stage: f.number === 4 ? 1 : f.number })}`),
        h('div', { class: 'fr-fieldset__element fr-fieldset__element--inline' }, f.starts_on.group),
        h('div', { class: 'fr-fieldset__element fr-fieldset__element--inline' }, f.ends_on.group))),
      buttonGroup([saveBtn], { extra: 'fr-btns-group--icon-left' })));

  // ---- the site's staff ----
  function drawStaff() {
    const staff = record.data.staff || [];
    const who = personPicker({ label: 'Personne', required: true, directory: false });
    const role = selectField({
      label: 'Rôle sur le site', name: 'role', required: true,
      options: [{ value: 'delegue_stage', label: 'Délégué de stage' }, { value: 'gestionnaire_scolarite', label: 'Gestionnaire de scolarité' }],
    });
    const staffErrors = liveRegion('alert');
    const addBtn = button('Ajouter au site', { type: 'submit', icon: 'user-add-line' });
    const fields = { person_id: who, role };
    replace(staffSection,
      h('h2', { id: 'sopa-equipe' }, 'Délégués de stage et gestionnaires de scolarité'),
      staff.length
        ? wrapTable({
          caption: `Équipe du site – ${site.name}`,
          columns: [{ label: 'Personne' }, { label: 'Rôle' }, { label: 'Courriel' }, { label: 'Action' }],
          rows: staff.map((s) => [
            rowHeader(personName(s.person) || '—'),
            ROLE_LABELS[s.role] || s.role,
            s.person?.email || '—',
            s.assignment_id && s.role !== 'responsable_site'
              ? confirmButton('Retirer', {
                title: 'Retirer cette personne du site ?',
                message: `${personName(s.person)} ne sera plus ${(ROLE_LABELS[s.role] || s.role).toLowerCase()} du site ${site.name}.`,
                confirmLabel: 'Retirer du site', keepLabel: 'Garder sur le site', srSuffix: personName(s.person),
                onConfirm: async () => {
                  try {
                    await api.delete(`/sopa/sites/${encodeURIComponent(site.id)}/staff/${encodeURIComponent(s.assignment_id)}`);
                    await record.read();
                    if (!ctx.current) return;
                    drawStaff();
                    status.show('success', null, `${personName(s.person)} a été retiré du site.`);
                  } catch (err) {
                    if (!ctx.current) return;
                    errors.error(err, 'La personne n’a pas pu être retirée');
                    focusRegion(errors);
                  }
                },
              })
              : '—',
          ]),
        })
        : h('p', null, 'Aucun délégué ni gestionnaire n’est encore rattaché à ce site.'),
      h('form', {
        class: 'fr-mt-2w', novalidate: true, 'aria-label': 'Ajouter un délégué ou un gestionnaire',
        on: {
          submit: async (event) => {
            event.preventDefault();
            clearFormErrors(fields);
            staffErrors.clear();
            if (!checkRequired(fields)) return;
            await whileBusy(addBtn, async () => {
              try {
                await api.post(`/sopa/sites/${encodeURIComponent(site.id)}/staff`, { person_id: Number(who.control.value), role: role.control.value });
                await record.read();
                if (!ctx.current) return;
                const name = who.selectedLabel();
                drawStaff();
                status.show('success', null, `${name} a été ajouté au site.`);
              } catch (err) {
                if (!ctx.current) return;
                showFormError(err, fields, staffErrors, 'La personne n’a pas été ajoutée');
              }
            });
          },
        },
      },
      h('h3', { class: 'fr-h6' }, 'Ajouter un délégué ou un gestionnaire'),
      staffErrors.node,
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
        h('div', { class: 'fr-col-12 fr-col-md-6' }, who.group),
        h('div', { class: 'fr-col-12 fr-col-md-6' }, role.group)),
      buttonGroup([addBtn], { extra: 'fr-btns-group--icon-left' })));
    who.refresh();
  }
  drawStaff();

  // ---- the placements ----
  const periodFilter = selectField({ label: 'Période', name: 'periode', placeholder: 'Toutes les périodes', options: [1, 2, 3, 4].map((n) => ({ value: String(n), label: periodName(n) })) });
  const search = textField({ label: 'Étudiant, maître d’accueil ou école', name: 'q' });
  const list = listView(ctx, {
    base: '#/sopa/organisation',
    pageSize: PAGE,
    filters: [
      // The site and the year stay in the address of every page.
      { name: 'site', field: hidden('site', String(site.id)), hidden: true, fallback: String(sites[0].id) },
      { name: 'annee', field: hidden('annee', year), hidden: true, fallback: String((allYears.find((y) => y.current) || allYears[0] || {}).id || '') },
      { name: 'periode', field: periodFilter, width: 3 },
      { name: 'q', field: search, width: 5 },
    ],
    formLabel: 'Rechercher une affectation',
    fetch: (f, { limit, offset }) => api.get(withQuery('/sopa/placements', {
      year_id: year, site_id: site.id, period: f.periode, q: f.q, limit, offset,
    })),
    count: (total) => plural(total, 'affectation trouvée', 'affectations trouvées'),
    empty: (state, filtered) => ({ text: filtered ? 'Aucune affectation ne correspond.' : 'Aucune affectation pour cette année.' }),
    pagerLabel: 'Pages des affectations',
    show: (items) => wrapTable({
      caption: `Affectations de l’année – ${site.name}`,
      columns: [{ label: 'Étudiant' }, { label: 'Période' }, { label: 'Maître d’accueil' }, { label: 'École' }, { label: 'Classe' }, { label: 'Compte rendu' }, { label: 'Action' }],
      rows: items.map((p) => [
        rowHeader(h('a', { href: `#/sopa/stages/${encodeURIComponent(p.id)}` }, personName(p.student) || '—')),
        `SOPA ${p.period?.number ?? '—'}`,
        personName(p.mat) || '—',
        p.school?.name || '—',
        [p.class_level, p.pupils != null ? plural(p.pupils, 'élève') : null].filter(Boolean).join(', '),
        statusBadge(p.status),
        p.report ? '—' : confirmButton('Supprimer', {
          title: 'Supprimer cette affectation ?',
          message: `L’affectation de ${personName(p.student)} chez ${personName(p.mat)} (SOPA ${p.period?.number}) sera supprimée.`,
          confirmLabel: 'Supprimer l’affectation', keepLabel: 'Garder l’affectation',
          srSuffix: `${personName(p.student)}, SOPA ${p.period?.number}`,
          onConfirm: async () => {
            try {
              await api.delete(`/sopa/placements/${encodeURIComponent(p.id)}`);
              if (!ctx.current) return;
              status.show('success', null, 'L’affectation a été supprimée.');
              await list.load();
            } catch (err) {
              if (!ctx.current) return;
              errors.error(err, 'L’affectation n’a pas pu être supprimée');
              focusRegion(errors);
            }
          },
        }),
      ]),
    }),
  });

  const add = {
    period: selectField({ label: 'Période', name: 'period', required: true, options: [1, 2, 3, 4].map((n) => ({ value: String(n), label: periodName(n) })) }),
    student_id: personPicker({ label: 'Étudiant', role: 'etudiant_sopa', required: true, directory: false }),
    mat_id: personPicker({ label: 'Maître d’accueil temporaire', role: 'mat', required: true, directory: false }),
    school_id: schoolPicker({ label: 'École', required: true }),
    class_level: textField({ label: 'Niveau de la classe', name: 'class_level', required: true, hint: 'Par exemple : CE1, CM1-CM2' }),
    pupils: textField({ label: 'Nombre d’élèves', name: 'pupils', type: 'number', required: true, attrs: { min: '1', max: '40', inputmode: 'numeric' } }),
  };
  const addErrors = liveRegion('alert');
  const addBtn = button('Ajouter l’affectation', { type: 'submit', icon: 'add-line' });
  const addForm = h('form', {
    novalidate: true, 'aria-labelledby': 'sopa-ajout',
    on: {
      submit: async (event) => {
        event.preventDefault();
        clearFormErrors(add);
        addErrors.clear();
        if (!checkRequired(add)) return;
        await whileBusy(addBtn, async () => {
          try {
            await api.post('/sopa/placements', {
              site_id: site.id, year_id: Number(year), period: Number(add.period.control.value),
              student_id: Number(add.student_id.control.value), mat_id: Number(add.mat_id.control.value),
              school_id: Number(add.school_id.control.value), class_level: add.class_level.control.value.trim(),
              pupils: Number(add.pupils.control.value),
            });
            if (!ctx.current) return;
            addErrors.show('success', null, `L’affectation de ${add.student_id.selectedLabel()} est enregistrée.`);
            add.class_level.control.value = '';
            add.pupils.control.value = '';
            await list.load();
          } catch (err) {
            if (!ctx.current) return;
            showFormError(err, add, addErrors, 'L’affectation n’a pas été enregistrée');
          }
        });
      },
    },
  },
  h('h3', { id: 'sopa-ajout', class: 'fr-h6' }, 'Ajouter une affectation'),
  addErrors.node,
  h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
    h('div', { class: 'fr-col-12 fr-col-md-4' }, add.period.group),
    h('div', { class: 'fr-col-12 fr-col-md-4' }, add.class_level.group),
    h('div', { class: 'fr-col-12 fr-col-md-4' }, add.pupils.group),
    h('div', { class: 'fr-col-12 fr-col-md-4' }, add.student_id.group),
    h('div', { class: 'fr-col-12 fr-col-md-4' }, add.mat_id.group),
    h('div', { class: 'fr-col-12 fr-col-md-4' }, add.school_id.group)),
  buttonGroup([addBtn], { extra: 'fr-btns-group--icon-left' }));
  replace(placementsSection,
    h('h2', { id: 'sopa-affectations' }, 'Affectations des étudiants'),
    list.form, list.node,
    h('div', { class: 'fr-mt-4w' }, addForm));
  add.student_id.refresh();
  add.mat_id.refresh();
  add.school_id.refresh();

  // ---- the CSV import ----
  const fileId = 'sopa-import-fichier';
  const file = h('input', { class: 'fr-upload', type: 'file', id: fileId, name: 'fichier', accept: '.csv,text/csv', 'aria-describedby': `${fileId}-aide` });
  const importResult = liveRegion('alert');
  const importBtn = button('Importer le fichier', { type: 'submit', icon: 'upload-line' });
  replace(importSection,
    h('h2', { id: 'sopa-import' }, 'Importer un fichier CSV'),
    h('form', {
      novalidate: true, 'aria-labelledby': 'sopa-import',
      on: {
        submit: async (event) => {
          event.preventDefault();
          importResult.clear();
          const chosen = file.files?.[0];
          if (!chosen) {
            importResult.show('error', 'Aucun fichier choisi', 'Choisissez le fichier CSV des affectations à importer.');
            file.focus();
            return;
          }
          await whileBusy(importBtn, async () => {
            try {
              const csv = await chosen.text();
              const res = await api.post(`/sopa/sites/${encodeURIComponent(site.id)}/placements/import`, { year_id: Number(year), csv });
              if (!ctx.current) return;
              const n = res?.created ?? 0;
              importResult.show('success', 'Fichier importé', `${plural(n, 'affectation créée', 'affectations créées')}.`);
              file.value = '';
              await list.load();
            } catch (err) {
              if (!ctx.current) return;
              const lines = err instanceof ApiError && Array.isArray(err.errors) ? err.errors : [];
              if (lines.length) {
                replace(importResult.node, h('div', { class: 'fr-alert fr-alert--error' },
                  h('h3', { class: 'fr-alert__title' }, `Fichier refusé : ${plural(lines.length, 'ligne à corriger', 'lignes à corriger')}`),
                  h('p', null, 'Aucune affectation n’a été créée. Corrigez ces lignes puis importez à nouveau le fichier entier.'),
                  h('ul', null, lines.map((e) => h('li', null, importLine(e))))));
              } else {
                importResult.error(err, 'Le fichier n’a pas été importé');
              }
              focusRegion(importResult);
            }
          });
        },
      },
    },
    h('div', { class: 'fr-upload-group' },
      h('label', { class: 'fr-label', for: fileId }, 'Fichier des affectations (CSV)',
        h('span', { class: 'fr-hint-text', id: `${fileId}-aide` },
          'Une ligne d’en-tête exactement « period,student,mat,school,class_level,pupils », puis une affectation par ligne : période (1 à 4), identifiants de l’étudiant et du maître d’accueil, code UAI de l’école, niveau, nombre d’élèves. Le fichier est importé en entier ou pas du tout.')),
      file),
    importResult.node,
    buttonGroup([importBtn], { extra: 'fr-btns-group--icon-left fr-mt-2w' })));
  await list.load();
}
