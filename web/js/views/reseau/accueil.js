// « Réseau de tuteurs »: a tutor's calls to answer, their volunteering and
// their collectives; an organiser's calls (and the form to open one per
// département and year) and the collectives of their scope — names and
// counts only, never what is said in them. Links to the library of
// published syntheses and the resources.
// GET /api/v1/reseau/calls, /my-volunteering, /collectives; POST /calls

import { api, getAll, withQuery } from '../../api.js';
import { h, plural } from '../../dom.js';
import { formatDate } from '../../format.js';
import {
  pageTitle, breadcrumb, liveRegion, table, rowHeader, selectField, textField, button, buttonLink,
  buttonGroup, whileBusy, showFormError, clearFormErrors, checkRequired, showFlash,
} from '../../ui.js';
import {
  isOrganiser, isTutor, CALL_STATE, COLLECTIVE_STATE, badge, currentYear, useStyles, DEGREES, SENIORITY,
} from './common.js';

export async function render(ctx) {
  useStyles();
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  ctx.setTitle('Réseau de tuteurs');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réseau de tuteurs' }]),
    pageTitle('Réseau de tuteurs'),
    h('p', { class: 'fr-text--lead' }, 'Des collectifs de tuteurs, accompagnés par un tuteur expérimenté, se réunissent 4 à 5 fois en présentiel de novembre à avril pour réfléchir ensemble à des situations vécues.'),
    errors.node, status.node);
  showFlash(status);
  const links = buttonGroup([
    buttonLink('Bibliothèque des fiches synthèses', '#/reseau/bibliotheque', { kind: 'secondary', icon: 'book-2-line' }),
    buttonLink('Ressources pour approfondir', '#/reseau/ressources', { kind: 'secondary', icon: 'links-line' }),
    isOrganiser(ctx.me) ? buttonLink('Bilan de l’expérimentation', '#/reseau/bilan', { kind: 'secondary', icon: 'bar-chart-box-line' }) : null,
  ], { extra: 'fr-btns-group--icon-left' });
  ctx.root.append(links);
  try {
    if (isOrganiser(ctx.me)) await organiserPart(ctx, errors);
    if (!ctx.current) return;
    if (isTutor(ctx.me) || !isOrganiser(ctx.me)) await tutorPart(ctx);
  } catch (err) {
    if (ctx.current) errors.error(err, 'Le réseau de tuteurs n’a pas pu être chargé');
  }
}

async function tutorPart(ctx) {
  const [calls, mine, collectives] = await Promise.all([
    api.get(withQuery('/reseau/calls', { limit: 100 })),
    isTutor(ctx.me) ? api.get('/reseau/my-volunteering') : Promise.resolve({ items: [] }),
    api.get(withQuery('/reseau/collectives', { limit: 50 })),
  ]);
  if (!ctx.current) return;
  const volunteered = new Map((mine?.items || []).map((v) => [String(v.call_id ?? v.call?.id), v]));
  const relations = (c) => c.my_relations || [];
  const open = (calls?.items || []).filter((c) => c.state !== 'closed');
  ctx.root.append(
    h('h2', { class: 'fr-h4 fr-mt-4w', id: 'appels-ouverts' }, 'Appels à volontaires'),
    open.length
      ? h('ul', { class: 'app-cards fr-grid-row fr-grid-row--gutters', 'aria-labelledby': 'appels-ouverts' },
        open.map((c) => {
          const v = volunteered.get(String(c.id)) || (c.volunteered ? {} : null);
          return h('li', { class: 'fr-col-12 fr-col-md-6' },
            h('div', { class: 'fr-card fr-card--no-arrow' },
              h('div', { class: 'fr-card__body' },
                h('div', { class: 'fr-card__content' },
                  h('h3', { class: 'fr-card__title' }, c.title),
                  h('p', { class: 'fr-card__desc' }, `${c.departement || 'Département'} — réponses du ${formatDate(c.opens_on)} au ${formatDate(c.closes_on)}.`),
                  v ? h('p', { class: 'fr-mb-0' }, badge('Vous êtes volontaire', 'success'), v.degree ? ` ${DEGREES[v.degree]}, ${(SENIORITY[v.seniority] || '').toLowerCase()}` : null) : null),
                v ? null : h('div', { class: 'fr-card__footer' },
                  buttonLink('Me porter volontaire', `#/reseau/appels/${encodeURIComponent(c.id)}/volontariat`, { srSuffix: `: ${c.title}` })))));
        }))
      : h('p', { class: 'app-result-count' }, 'Aucun appel à volontaires n’est ouvert pour le moment.'));
  const items = collectives?.items || [];
  ctx.root.append(
    h('h2', { class: 'fr-h4 fr-mt-4w' }, 'Mes collectifs'),
    items.length
      ? table({
        caption: plural(items.length, 'collectif dont vous êtes membre', 'collectifs dont vous êtes membre'),
        columns: [{ label: 'Collectif' }, { label: 'Membres' }, { label: 'Mon rôle' }, { label: 'Charte' }],
        rows: items.map((c) => [
          rowHeader(h('a', { href: `#/reseau/collectifs/${encodeURIComponent(c.id)}` }, c.name)),
          String(c.members ?? '—'),
          relations(c).includes('pilot') ? 'Pilote' : 'Membre',
          relations(c).includes('signed') ? badge('Acceptée', 'success') : badge('À accepter', 'warning'),
        ]),
      })
      : h('p', { class: 'app-result-count' }, 'Vous ne faites partie d’aucun collectif pour le moment.'));
}

async function organiserPart(ctx, errors) {
  ctx.root.append(h('h2', { class: 'fr-h4 fr-mt-4w' }, 'Appels à volontaires'));
  ctx.root.append(await callForm(ctx));
  const calls = await api.get(withQuery('/reseau/calls', { limit: 100 }));
  if (!ctx.current) return;
  const items = calls?.items || [];
  ctx.root.append(items.length
    ? table({
      caption: plural(items.length, 'appel de votre périmètre', 'appels de votre périmètre'),
      columns: [{ label: 'Appel' }, { label: 'Département' }, { label: 'Réponses' }, { label: 'Volontaires' }, { label: 'État' }],
      rows: items.map((c) => [
        rowHeader(h('a', { href: `#/reseau/appels/${encodeURIComponent(c.id)}` }, c.title)),
        c.departement || '—',
        `du ${formatDate(c.opens_on)} au ${formatDate(c.closes_on)}`,
        String(c.volunteers ?? '—'),
        badge(CALL_STATE[c.state] || c.state, c.state === 'open' ? 'success' : 'info'),
      ]),
    })
    : h('p', { class: 'app-result-count' }, 'Aucun appel pour le moment.'));
  const collectives = await api.get(withQuery('/reseau/collectives', { limit: 100 }));
  if (!ctx.current) return;
  const list = collectives?.items || [];
  ctx.root.append(
    h('h2', { class: 'fr-h4 fr-mt-4w' }, 'Collectifs'),
    h('p', null, 'Ce qui se dit dans un collectif y reste : vous voyez ses membres et le nombre de ses présentiels, jamais leurs notes ni les fiches synthèses non publiées.'),
    list.length
      ? table({
        caption: plural(list.length, 'collectif de votre périmètre', 'collectifs de votre périmètre'),
        columns: [{ label: 'Collectif' }, { label: 'Appel' }, { label: 'Membres' }, { label: 'Présentiels' }, { label: 'État' }],
        rows: list.map((c) => [
          rowHeader(h('a', { href: `#/reseau/collectifs/${encodeURIComponent(c.id)}` }, c.name)),
          c.call?.title || '—',
          String(c.members ?? '—'),
          String(c.meetings ?? '—'),
          badge(COLLECTIVE_STATE[c.state] || c.state, c.state === 'validated' ? 'success' : 'new'),
        ]),
      })
      : h('p', { class: 'app-result-count' }, 'Aucun collectif pour le moment.'));
}

/** « Ouvrir un appel »: year, département, title, dates. */
async function callForm(ctx) {
  const [years, departements] = await Promise.all([
    api.get('/years').then((r) => r.items || []).catch(() => []),
    getAll('/structures', { kind: 'departement' }).catch(() => []),
  ]);
  const year = currentYear(years);
  const fields = {
    year_id: selectField({ label: 'Année', name: 'year_id', required: true, value: year ? String(year.id) : '', options: years.map((y) => ({ value: String(y.id), label: y.label })) }),
    departement_id: selectField({ label: 'Département', name: 'departement_id', required: true, placeholder: 'Choisir un département', options: departements.map((d) => ({ value: String(d.id), label: d.name })) }),
    title: textField({ label: 'Intitulé de l’appel', name: 'title', required: true, attrs: { maxlength: '200' } }),
    opens_on: textField({ label: 'Ouverture des réponses', name: 'opens_on', type: 'date', required: true }),
    closes_on: textField({ label: 'Clôture des réponses', name: 'closes_on', type: 'date', required: true }),
  };
  const region = liveRegion('alert');
  return h('section', { class: 'app-panel fr-mb-3w', 'aria-labelledby': 'ouvrir-appel' },
    h('h3', { class: 'fr-h5', id: 'ouvrir-appel' }, 'Ouvrir un appel départemental'),
    h('form', {
      class: 'app-form', novalidate: true,
      on: {
        submit: (e) => {
          e.preventDefault();
          clearFormErrors(fields);
          if (!checkRequired(fields)) return;
          const body = {
            year_id: Number(fields.year_id.control.value), departement_id: Number(fields.departement_id.control.value),
            title: fields.title.control.value.trim(), opens_on: fields.opens_on.control.value, closes_on: fields.closes_on.control.value,
          };
          whileBusy(e.submitter || e.currentTarget.querySelector('button'), async () => {
            try {
              const created = await api.post('/reseau/calls', body);
              ctx.navigate(`#/reseau/appels/${encodeURIComponent(created.id)}`);
            } catch (err) {
              showFormError(err, fields, region, 'L’appel n’a pas pu être ouvert');
            }
          });
        },
      },
    }, region.node,
    h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
      h('div', { class: 'fr-col-12 fr-col-md-4' }, fields.year_id.group),
      h('div', { class: 'fr-col-12 fr-col-md-8' }, fields.departement_id.group),
      h('div', { class: 'fr-col-12' }, fields.title.group),
      h('div', { class: 'fr-col-12 fr-col-md-6' }, fields.opens_on.group),
      h('div', { class: 'fr-col-12 fr-col-md-6' }, fields.closes_on.group)),
    button('Ouvrir l’appel', { type: 'submit' })));
}

