// Courriels et rappels (issue 9), for the académie's admin: whether mails
// leave (the relay, the count of each state), who was notified but has no
// address, the mails in each state with the reason of a failure and a
// button to send a failed one again; and the reminder rules (the days
// around each due date at which a reminder goes).
//
// GET  /api/v1/admin/mail/summary
// GET  /api/v1/admin/mail?state=&limit=&offset=   { items, total }
// POST /api/v1/admin/mail/{id}/retry               (a failed mail → pending; 409 otherwise)
// GET|PUT /api/v1/admin/reminder-rules

import { api, withQuery } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { formatShort } from '../../format.js';
import { listView } from '../../list.js';
import {
  pageTitle, breadcrumb, liveRegion, loading, selectField, table, rowHeader, button, alertBox, whileBusy, focusRegion,
} from '../../ui.js';
import { reminderRulesSection } from './rappels.js';

const BASE = '#/administration/courriels';
const PAGE_SIZE = 20;

export const MAIL_STATES = {
  failed: 'En échec',
  pending: 'En attente',
  sending: 'En cours d’envoi',
  sent: 'Envoyé',
};

/** The French reason of a failure (the mailer's last_error). */
export function failureText(error) {
  if (!error) return '—';
  if (error === 'no_address') return 'Aucune adresse électronique connue';
  return error;
}

function summarySection(ctx) {
  const errors = liveRegion('alert');
  const body = h('div', null, loading());
  const section = h('section', { 'aria-labelledby': 'courriels-etat' },
    h('h2', { id: 'courriels-etat' }, 'État des envois'), errors.node, body);

  async function load() {
    let summary;
    try {
      summary = await api.get('/admin/mail/summary');
    } catch (err) {
      if (!ctx.current) return;
      body.replaceChildren();
      errors.error(err, 'L’état des envois n’a pas pu être lu');
      return;
    }
    if (!ctx.current) return;
    const counts = summary?.counts || {};
    const missing = summary?.without_address || [];
    replace(body,
      summary?.relay?.configured
        ? h('p', { id: 'courriels-relais' }, 'Le relais d’envoi de votre académie est configuré : les courriels partent dès qu’ils sont prêts, ou à l’heure du résumé quotidien',
          summary.relay.from ? [', avec l’expéditeur ', h('strong', null, summary.relay.from)] : null, '.')
        : h('div', { id: 'courriels-relais' }, alertBox('warning', 'Aucun relais d’envoi', 'Aucun serveur d’envoi (SMTP) ou aucune adresse d’expéditeur n’est configuré pour votre académie : les courriels restent en attente. Demandez à l’exploitant de renseigner smtp_url et mail_from dans la configuration de l’académie.')),
      table({
        caption: 'Courriels par état',
        columns: [{ label: 'État' }, { label: 'Nombre' }],
        rows: Object.entries(MAIL_STATES).map(([state, label]) => [rowHeader(label), String(counts[state] ?? 0)]),
      }),
      h('h3', { class: 'fr-mt-4w', id: 'courriels-sans-adresse' }, 'Personnes notifiées sans adresse électronique'),
      missing.length
        ? [h('p', null, 'Elles voient leurs notifications dans le service mais ne reçoivent aucun courriel. Ajoutez leur adresse à leur fiche (ou dans l’annuaire académique).'),
          h('ul', { 'aria-labelledby': 'courriels-sans-adresse', id: 'courriels-sans-adresse-liste' }, missing.map((p) => h('li', null,
            h('a', { href: `#/annuaire/personnes/${encodeURIComponent(p.id)}` }, p.display_name || String(p.id)),
            p.mails ? ` — ${plural(Number(p.mails), 'courriel non envoyé', 'courriels non envoyés')}` : null)))]
        : h('p', { class: 'app-empty' }, 'Aucune : toutes les personnes notifiées ont une adresse.'));
  }
  return { section, load };
}

function mailList(ctx, onRetried) {
  const status = liveRegion('status');
  const errors = liveRegion('alert');
  const list = listView(ctx, {
    base: BASE,
    pageSize: PAGE_SIZE,
    filters: [{
      name: 'state', width: 4, fallback: 'failed',
      field: selectField({ label: 'État', name: 'state', options: [...Object.entries(MAIL_STATES).map(([value, label]) => ({ value, label })), { value: 'all', label: 'Tous les états' }] }),
    }],
    formLabel: 'Filtrer les courriels',
    submitLabel: 'Afficher',
    pagerLabel: 'Pagination des courriels',
    errorTitle: 'La liste des courriels n’a pas pu être chargée',
    fetch: async (filters, { limit, offset }) => {
      const data = await api.get(withQuery('/admin/mail', {
        state: filters.state === 'all' ? '' : filters.state, limit, offset,
      }));
      return { items: data?.items || [], total: data?.total ?? (data?.items || []).length };
    },
    count: (total) => plural(total, 'courriel', 'courriels'),
    empty: (state) => ({ text: state.state === 'failed' ? 'Aucun courriel en échec.' : 'Aucun courriel dans cet état.' }),
    show: (items, state) => table({
      caption: state.state === 'all' ? 'Courriels, du plus récent au plus ancien' : `Courriels ${MAIL_STATES[state.state]?.toLowerCase() || ''}, du plus récent au plus ancien`,
      columns: [{ label: 'Destinataire' }, { label: 'Objet' }, { label: 'État' }, { label: 'Tentatives' }, { label: 'Motif de l’échec' }, { label: 'Créé le' }, { label: 'Action' }],
      rows: items.map((mail) => {
        const who = mail.recipient?.display_name || '—';
        return [
          rowHeader(who, mail.to_addr ? [h('br'), h('span', { class: 'fr-text--sm' }, mail.to_addr)] : null),
          mail.subject || '—',
          MAIL_STATES[mail.state] || mail.state,
          String(mail.attempts ?? 0),
          failureText(mail.last_error),
          h('time', { datetime: mail.created_at || '' }, formatShort(mail.created_at)),
          // A mail without an address goes again too: the address is read
          // again from the person, who may have one by now.
          mail.state === 'failed'
            ? button('Renvoyer', {
              kind: 'secondary', size: 'sm', icon: 'refresh-line', srSuffix: `le courriel « ${mail.subject || ''} » à ${who}`,
              onClick: (event) => whileBusy(event.currentTarget, async () => {
                errors.clear();
                try {
                  await api.post(`/admin/mail/${encodeURIComponent(mail.id)}/retry`, {});
                  if (!ctx.current) return;
                  status.show('success', null, `Le courriel à ${who} repart : il sera envoyé dans un instant.`);
                  await Promise.all([list.load(), onRetried()]);
                } catch (err) {
                  if (!ctx.current) return;
                  errors.error(err, 'Le courriel n’a pas pu être renvoyé');
                  focusRegion(errors);
                }
              }),
            })
            : '—',
        ];
      }),
    }),
  });
  const section = h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'courriels-liste' },
    h('h2', { id: 'courriels-liste' }, 'Courriels'),
    h('p', null, 'Un courriel en échec a été refusé par le serveur du destinataire, n’a pas pu partir après de nombreux essais, ou n’avait pas d’adresse. Corrigez la cause (l’adresse de la personne, le plus souvent), puis renvoyez-le : l’adresse est relue sur la fiche de la personne.'),
    errors.node, status.node, list.form, list.node);
  return { section, load: () => list.load() };
}

export async function render(ctx) {
  const summary = summarySection(ctx);
  const mails = mailList(ctx, () => summary.load());
  const rules = reminderRulesSection(ctx);
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Courriels et rappels' }]),
    pageTitle('Courriels et rappels'),
    h('p', { class: 'fr-text--lead' }, 'Les courriels de notification de votre académie : ce qui est parti, ce qui attend, ce qui a échoué ; et quand les rappels partent.'),
    summary.section, mails.section, rules.section);
  ctx.setTitle('Courriels et rappels');
  await Promise.all([summary.load(), mails.load(), rules.load()]);
}
