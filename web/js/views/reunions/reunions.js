// « Réunions de pôle »: the meetings the signed-in person pilots or takes
// part in (all of them for the bureau des stages), with their status and
// counts only. GET /api/v1/pole-meetings

import { api, withQuery } from '../../api.js';
import { h, srOnly } from '../../dom.js';
import { formatDate } from '../../format.js';
import { pageTitle, breadcrumb, rowHeader, liveRegion, table } from '../../ui.js';
import { MEETING_STATUS, meetingTitle, statusBadge } from './common.js';

export async function render(ctx) {
  const errors = liveRegion('alert');
  ctx.setTitle('Réunions de pôle');
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Réunions de pôle' }]),
    pageTitle('Réunions de pôle'),
    h('p', null, 'Trois réunions par pôle de formation (1er degré) ou par discipline (2nd degré) : N°1 avant les vacances d’automne, N°2 fin décembre ou début janvier, N°3 début avril. Le pilote prépare la liste des stagiaires à examiner, puis enregistre une décision pour chacun.'),
    errors.node);
  let page;
  try {
    page = await api.get(withQuery('/pole-meetings', { limit: 200 }));
  } catch (err) {
    if (ctx.current) errors.error(err, 'La liste des réunions n’a pas pu être chargée');
    return;
  }
  if (!ctx.current) return;
  const items = page.items || [];
  if (!items.length) {
    ctx.root.append(h('p', { class: 'app-result-count' }, 'Aucune réunion de pôle ne vous concerne pour le moment.'));
    return;
  }
  ctx.root.append(
    h('p', { class: 'app-result-count', role: 'status' }, items.length > 1 ? `${items.length} réunions.` : '1 réunion.'),
    table({
      caption: 'Réunions de pôle et de discipline',
      columns: [{ label: 'Réunion' }, { label: 'Date' }, { label: 'Statut' }, { label: 'Stagiaires à examiner' }, { label: 'Décisions' }],
      rows: items.map((m) => [
        rowHeader(h('a', { href: `#/reunions/reunion/${encodeURIComponent(m.id)}` }, meetingTitle(m))),
        formatDate(m.held_on),
        statusBadge(MEETING_STATUS[m.status] || m.status, m.status === 'held' ? 'success' : m.status === 'list_ready' ? 'new' : 'info'),
        m.status === 'upcoming' ? h('span', null, '—', srOnly(' liste pas encore prête')) : String(m.reviews),
        m.status === 'upcoming' ? '—' : `${m.decided} sur ${m.reviews}`,
      ]),
    }));
}
