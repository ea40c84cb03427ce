// « Fiches de personnalisation »: the fiches the signed-in person sees
// (their trainees as tutor, their pôle or discipline as pilot, all of them
// for the cellule), with status and hours only.
// GET /api/v1/personalisations

import { api, withQuery } from '../../api.js';
import { h } from '../../dom.js';
import { formatDate } from '../../format.js';
import { pageTitle, breadcrumb, rowHeader, liveRegion, table, buttonLink, buttonGroup } from '../../ui.js';
import { FICHE_STATUS, statusBadge } from './common.js';

const WRITERS = ['tuteur_terrain', 'tuteur_inspe', 'pilote_pole', 'ien', 'ia_ipr'];

export async function render(ctx) {
  const errors = liveRegion('alert');
  ctx.setTitle('Fiches de personnalisation');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Fiches de personnalisation' }]),
    pageTitle('Fiches de personnalisation'),
    h('p', null, 'Décidée à la réunion de pôle N°1 ou par les tuteurs, la fiche décrit pour chaque difficulté la situation, le dispositif d’accompagnement proposé et les heures du tuteur Inspé. Le tuteur Inspé la transmet à la cellule d’accompagnement du bureau des stages, qui accorde ou non les moyens et les heures.'),
    (ctx.me?.roles || []).some((r) => WRITERS.includes(r))
      ? buttonGroup([buttonLink('Nouvelle fiche de personnalisation', '#/reunions/fiches/nouvelle', { icon: 'add-line' })]) : null,
    errors.node);
  let page;
  try {
    page = await api.get(withQuery('/personalisations', { limit: 200 }));
  } catch (err) {
    if (ctx.current) errors.error(err, 'La liste des fiches n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  ctx.root.append(fichesTable(page.items || [], 'Fiches de personnalisation'));
}

/** The table of fiches (also on the cellule's page). */
export function fichesTable(items, caption) {
  if (!items.length) return h('p', { class: 'app-result-count' }, 'Aucune fiche de personnalisation.');
  return h('div', null,
    h('p', { class: 'app-result-count' }, items.length > 1 ? `${items.length} fiches.` : '1 fiche.'),
    table({
      caption,
      columns: [{ label: 'Stagiaire' }, { label: 'Pôle ou discipline' }, { label: 'Décidée le' }, { label: 'Statut' }, { label: 'Heures demandées' }, { label: 'Heures accordées' }],
      rows: items.map((f) => [
        rowHeader(h('a', { href: `#/reunions/fiche/${encodeURIComponent(f.id)}` }, f.trainee_name)),
        f.scope_name || '—',
        formatDate(f.decided_on),
        statusBadge(FICHE_STATUS[f.status] || f.status, f.status === 'agreed' ? 'success' : f.status === 'refused' ? 'error' : f.status === 'sent' ? 'new' : 'info'),
        `${f.hours} h`,
        f.agreed_hours != null ? `${f.agreed_hours} h` : '—',
      ]),
    }));
}
