// « Stages SOPA » (#/sopa): the space of an INSPÉ site's staff
// (gestionnaires de scolarité, délégués de stage, responsable de site) and
// of the bureau des stages and the direction (every site). The site
// (selector when the caller has several), the year's calendar of the site,
// then the reports per period (site, year and period in the address):
// received, late, missing; « Saisi pour l'UE4 » for the gestionnaire; the
// period's CSV; the host teachers (MAT) and the UE4 oral jury of
// semester 2.
// GET /api/v1/sopa/sites, GET /api/v1/sopa/placements,
// PUT /api/v1/sopa/reports/{id}/ue4, PUT /api/v1/sopa/sites/{id}/jury,
// GET /api/v1/sopa/sites/{id}/reports.csv

import { api, getAll, withQuery } from '../../api.js';
import { h, replace, srOnly, plural } from '../../dom.js';
import { formatDate, personName } from '../../format.js';
import { listView } from '../../list.js';
import {
  pageTitle, breadcrumb, liveRegion, selectField, wrapTable, rowHeader, buttonLink, focusRegion,
} from '../../ui.js';
import {
  years, yearOf, sitesOf, stageLabel, periodName, periodDates, semesterOf, statusBadge, defaultPeriod,
  MANAGES, OFFICE,
} from './site-common.js';

const PAGE = 50;

/** « 12 reçus, 2 reçus en retard, 3 manquants »: the period's reports by status. */
export function countsLine(items) {
  const n = (status) => items.filter((p) => p.status === status).length;
  const parts = [plural(n('received'), 'reçu'), `${plural(n('late'), 'reçu')} en retard`, plural(n('missing'), 'manquant')];
  if (n('due')) parts.push(`${n('due').toLocaleString('fr-FR')} à rendre`);
  if (n('upcoming')) parts.push(`${n('upcoming').toLocaleString('fr-FR')} à venir`);
  return `${parts.join(', ')}.`;
}

export async function render(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  ctx.setTitle('Stages SOPA');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Stages SOPA' }]),
    pageTitle('Stages SOPA'),
    h('p', null, 'Les stages d’observation et de pratique accompagnée (SOPA) de votre site INSPÉ : le calendrier de l’année, les comptes rendus de stage reçus des maîtres d’accueil temporaires (MAT) par période, leur saisie pour l’UE4 et le jury de l’oral de l’UE4.'),
    errors.node, status.node);

  let allYears;
  let sites;
  const chosenYear = () => yearOf(ctx.query, allYears);
  try {
    allYears = await years();
    sites = await sitesOf(chosenYear());
  } catch (err) {
    if (!ctx.current) return;
    errors.error(err, 'Vos sites n’ont pas pu être chargés');
    return;
  }
  if (!ctx.current) return;
  if (!sites.length) {
    ctx.root.append(h('div', { class: 'fr-callout' },
      h('p', { class: 'fr-callout__text' },
        'Aucun site INSPÉ ne vous est rattaché pour les stages SOPA. Le responsable de votre site ou le bureau des stages vous y ajoute comme délégué de stage ou gestionnaire de scolarité.')));
    return;
  }

  const firstSite = sites.find((s) => String(s.id) === ctx.query.get('site')) || sites[0];
  const yearField = selectField({ label: 'Année scolaire', name: 'annee', options: allYears.map((y) => ({ value: String(y.id), label: y.label })), value: chosenYear() });
  const siteField = selectField({ label: 'Site INSPÉ', name: 'site', options: sites.map((s) => ({ value: String(s.id), label: s.name })), value: String(firstSite.id) });
  const periodField = selectField({ label: 'Période', name: 'periode', options: [1, 2, 3, 4].map((n) => ({ value: String(n), label: periodName(n) })) });
  const filters = [
    sites.length > 1 ? { name: 'site', field: siteField, width: 4, fallback: String(sites[0].id) } : null,
    { name: 'annee', field: yearField, width: 3, fallback: String((allYears.find((y) => y.current) || allYears[0] || {}).id || '') },
    { name: 'periode', field: periodField, width: 3, fallback: defaultPeriod(firstSite.periods) },
  ].filter(Boolean);

  // The calendar and the jury are drawn with the first page (their
  // headings too: no name before).
  const calendar = h('section', { class: 'fr-mt-4w' });
  const summary = h('div', { class: 'fr-mb-2w' });
  const jury = h('section', { class: 'fr-mt-6w' });
  let shown = { year: chosenYear(), siteId: null, site: firstSite };

  /** The site of the filters, the sites re-read when the year changed. */
  async function siteFor(filters) {
    if (filters.annee !== shown.year) {
      sites = await sitesOf(filters.annee);
      shown.year = filters.annee;
      shown.siteId = null;
    }
    const siteId = filters.site || String(sites[0]?.id || '');
    const site = sites.find((s) => String(s.id) === siteId) || sites[0];
    if (site && String(site.id) !== shown.siteId) {
      shown = { ...shown, siteId: String(site.id), site };
      drawCalendar(site, filters.annee);
      loadJury(site, filters.annee);
    }
    return site;
  }

  function drawCalendar(site, yearId) {
    const periods = [...(site.periods || [])].sort((a, b) => a.number - b.number);
    replace(calendar,
      h('h2', { id: 'sopa-calendrier' }, `Calendrier de l’année – ${site.name}`),
      periods.length
        ? wrapTable({
          caption: `Périodes SOPA de l’année – ${site.name}`,
          columns: [{ label: 'Période' }, { label: 'Stage' }, { label: 'Dates' }, { label: 'Comptes rendus' }],
          rows: periods.map((p) => [
            rowHeader(periodName(p.number)),
            stageLabel(p),
            periodDates(p),
            `Comptes rendus attendus le ${formatDate(p.due_on)}`,
          ]),
        })
        : h('p', null, 'Les dates des périodes SOPA de cette année ne sont pas encore fixées pour ce site.'),
      MANAGES(site)
        ? h('p', null, buttonLink('Organiser les stages du site', withQuery('#/sopa/organisation', { site: site.id, annee: yearId }), { kind: 'secondary', icon: 'settings-5-line' }))
        : null);
  }

  async function loadJury(site, yearId) {
    replace(jury, h('h2', { id: 'sopa-jury' }, 'Maîtres d’accueil et jury de l’UE4'), h('p', { class: 'app-loading', role: 'status' }, 'Chargement…'));
    let placements;
    try {
      placements = await getAll('/sopa/placements', { year_id: yearId, site_id: site.id });
    } catch (err) {
      if (!ctx.current) return;
      replace(jury, h('h2', { id: 'sopa-jury' }, 'Maîtres d’accueil et jury de l’UE4'));
      errors.error(err, 'Les maîtres d’accueil n’ont pas pu être chargés');
      return;
    }
    if (!ctx.current) return;
    const mats = new Map();
    for (const p of placements) {
      if (!p.mat) continue;
      const m = mats.get(p.mat.id) || { mat: p.mat, students: new Set(), periods: new Set() };
      if (p.mat.jury_ue4) m.mat = p.mat;
      m.students.add(personName(p.student));
      m.periods.add(p.period?.number);
      mats.set(p.mat.id, m);
    }
    const list = [...mats.values()].sort((a, b) => personName(a.mat).localeCompare(personName(b.mat), 'fr'));
    const canSet = MANAGES(site) || OFFICE(site);
    replace(jury,
      h('h2', { id: 'sopa-jury' }, 'Maîtres d’accueil et jury de l’UE4'),
      h('p', null, 'Un maître d’accueil peut être nommé membre du jury de l’oral de l’UE4 du semestre 2 ; il le voit dans son espace.'),
      list.length
        ? wrapTable({
          caption: `Maîtres d’accueil de l’année – ${site.name}`,
          columns: [{ label: 'Maître d’accueil' }, { label: 'Étudiants accueillis' }, { label: 'Périodes' }, { label: 'Jury de l’UE4' }],
          rows: list.map((m) => [
            rowHeader(personName(m.mat)),
            [...m.students].filter(Boolean).join(', '),
            [...m.periods].filter(Boolean).sort().map((n) => `SOPA ${n}`).join(', '),
            canSet ? juryBox(site, yearId, m.mat) : (m.mat.jury_ue4 ? 'Membre du jury (semestre 2)' : '—'),
          ]),
        })
        : h('p', null, 'Aucun maître d’accueil n’a d’étudiant affecté cette année.'));
  }

  function juryBox(site, yearId, mat) {
    const id = `jury-${site.id}-${mat.id}`;
    const box = h('input', { type: 'checkbox', id, name: id });
    box.checked = Boolean(mat.jury_ue4);
    box.addEventListener('change', async () => {
      const wanted = box.checked;
      box.disabled = true;
      errors.clear();
      try {
        await api.put(`/sopa/sites/${encodeURIComponent(site.id)}/jury`, { year_id: Number(yearId), mat_id: mat.id, jury: wanted });
        if (!ctx.current) return;
        status.show('success', null, wanted
          ? `${personName(mat)} est membre du jury de l’UE4 (semestre 2).`
          : `${personName(mat)} n’est plus membre du jury de l’UE4.`);
      } catch (err) {
        if (!ctx.current) return;
        box.checked = !wanted;
        errors.error(err, 'Le jury n’a pas pu être modifié');
        focusRegion(errors);
      } finally {
        box.disabled = false;
      }
    });
    return h('div', { class: 'fr-checkbox-group fr-checkbox-group--sm' },
      box, h('label', { class: 'fr-label', for: id }, 'Membre du jury UE4 (semestre 2)', srOnly(` : ${personName(mat)}`)));
  }

  function ue4Cell(site, p) {
    const report = p.report;
    if (!report || !report.sent_at) return '—';
    const semester = semesterOf(p.period?.number);
    if (!OFFICE(site)) return report.ue4_recorded ? `Saisi (semestre ${semester})` : 'Non saisi';
    const id = `ue4-${report.id}`;
    const box = h('input', { type: 'checkbox', id, name: id });
    box.checked = Boolean(report.ue4_recorded);
    box.addEventListener('change', async () => {
      const wanted = box.checked;
      box.disabled = true;
      errors.clear();
      try {
        await api.put(`/sopa/reports/${encodeURIComponent(report.id)}/ue4`, { recorded: wanted });
        if (!ctx.current) return;
        report.ue4_recorded = wanted;
        status.show('success', null, wanted
          ? `Compte rendu ${personName(p.student) ? `de ${personName(p.student)} ` : ''}marqué saisi pour l’UE4 (semestre ${semester}).`
          : `Compte rendu ${personName(p.student) ? `de ${personName(p.student)} ` : ''}marqué non saisi pour l’UE4.`);
      } catch (err) {
        if (!ctx.current) return;
        box.checked = !wanted;
        errors.error(err, 'La saisie pour l’UE4 n’a pas pu être enregistrée');
        focusRegion(errors);
      } finally {
        box.disabled = false;
      }
    });
    return h('div', { class: 'fr-checkbox-group fr-checkbox-group--sm' },
      box, h('label', { class: 'fr-label', for: id }, `Saisi pour l’UE4 (semestre ${semester})`, srOnly(` : ${personName(p.student)}`)));
  }

  const list = listView(ctx, {
    base: '#/sopa',
    pageSize: PAGE,
    filters,
    formLabel: 'Choisir le site, l’année et la période',
    submitLabel: 'Afficher',
    errorTitle: 'Les comptes rendus n’ont pas pu être chargés',
    fetch: async (f, { limit, offset }) => {
      const site = await siteFor(f);
      const all = await getAll('/sopa/placements', { year_id: f.annee, site_id: site.id, period: f.periode });
      const period = (site.periods || []).find((p) => String(p.number) === String(f.periode));
      replace(summary,
        h('p', { class: 'fr-text--lead fr-mb-1w' }, period
          ? `${periodName(f.periode)}, ${periodDates(period)} : comptes rendus attendus le ${formatDate(period.due_on)}.`
          : `${periodName(f.periode)} : dates non fixées.`),
        h('p', { class: 'app-sopa-counts' }, countsLine(all)),
        h('p', null, h('a', {
          class: 'fr-link fr-icon-download-line fr-link--icon-left',
          href: withQuery(`/api/v1/sopa/sites/${encodeURIComponent(site.id)}/reports.csv`, { year_id: f.annee, period: f.periode }),
          download: `sopa-${f.periode}.csv`,
        }, 'Exporter la période (CSV)', srOnly(` ${periodName(f.periode)}, ${site.name}`))));
      return { items: all.slice(offset, offset + limit), total: all.length };
    },
    count: (total) => plural(total, 'affectation'),
    empty: () => ({ text: 'Aucun étudiant affecté pour cette période.' }),
    show: (items) => wrapTable({
      caption: 'Comptes rendus de la période',
      columns: [{ label: 'Étudiant' }, { label: 'Maître d’accueil' }, { label: 'École' }, { label: 'État' }, { label: 'Envoyé le' }, { label: 'Compte rendu' }, { label: 'UE4' }],
      rows: items.map((p) => [
        rowHeader(h('a', { href: `#/sopa/stages/${encodeURIComponent(p.id)}` }, personName(p.student) || '—')),
        personName(p.mat) || '—',
        p.school?.name || '—',
        statusBadge(p.status),
        p.report?.sent_at ? formatDate(p.report.sent_at) : '—',
        p.report?.sent_at
          ? h('a', { href: `#/sopa/comptes-rendus/${encodeURIComponent(p.report.id)}` }, 'Lire le compte rendu', srOnly(` de ${personName(p.student)}`))
          : '—',
        ue4Cell(shown.site, p),
      ]),
    }),
    pagerLabel: 'Pages des comptes rendus',
  });

  ctx.root.append(
    list.form,
    calendar,
    h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'sopa-comptes-rendus' },
      h('h2', { id: 'sopa-comptes-rendus' }, 'Comptes rendus de stage par période'),
      summary,
      list.node),
    jury);
  await list.load();
}
