// « Copie de mes données » (RGPD art. 15 and 20, docs/copy.md): what the
// copy holds, the request, its state while `tutoratctl copies` prepares it
// (read again every few seconds, less often as time passes, never while
// the tab is hidden), then the download link, valid once.
// GET/POST /api/v1/me/copies, POST /api/v1/me/copies/{id}/link.

import { api } from '../../api.js';
import { h, replace } from '../../dom.js';
import { formatMoment } from '../../format.js';
import {
  pageTitle, liveRegion, button, whileBusy, focusRegion, alertBox, table,
} from '../../ui.js';

const STATUS = {
  pending: 'En préparation',
  ready: 'Prête à télécharger',
  downloaded: 'Téléchargée',
  expired: 'Expirée',
  failed: 'Échec de la préparation',
};

/** « 12,3 ko » for a size in bytes. */
function size(bytes) {
  if (bytes == null) return '—';
  if (bytes < 1024) return `${bytes} octets`;
  const k = bytes / 1024;
  if (k < 1024) return `${k.toLocaleString('fr-FR', { maximumFractionDigits: 1 })} ko`;
  return `${(k / 1024).toLocaleString('fr-FR', { maximumFractionDigits: 1 })} Mo`;
}

export async function render(ctx) {
  const status = liveRegion('status');
  const errors = liveRegion('alert');
  const state = h('div', { id: 'copie-etat' });
  const history = h('div');
  let timer = null;
  let waits = 0;

  ctx.root.append(
    pageTitle('Copie de mes données'),
    h('p', { class: 'fr-text--lead' }, 'Vous pouvez obtenir une copie de toutes les données personnelles que le service de tutorat détient sur vous (droit d’accès et droit à la portabilité, articles 15 et 20 du RGPD).'),
    h('h2', { class: 'fr-h4' }, 'Ce que contient la copie'),
    h('ul', null,
      h('li', null, 'votre identité, votre compte et vos rôles ;'),
      h('li', null, 'votre dossier de tutorat : inscriptions, lieux d’exercice, tuteurs, temps de suivi (visites, entretiens), auto-positionnements, traces et retours, bilans et résultat ;'),
      h('li', null, 'les documents de votre dossier et ceux que vous avez déposés ;'),
      h('li', null, 'votre dossier d’accompagnement personnalisé, tel que vous pouvez le lire ;'),
      h('li', null, 'vos stages SOPA et leurs comptes-rendus transmis ;'),
      h('li', null, 'vos réponses et participations au réseau de tuteurs (jamais les échanges écrits par les autres membres) ;'),
      h('li', null, 'vos notifications et la liste des personnes qui ont consulté vos données sensibles.')),
    h('p', null, 'La copie est un fichier ZIP : « resume.html », un résumé lisible à ouvrir dans un navigateur, « donnees.json », les mêmes données dans un format lisible par une machine, et le dossier « documents ». Elle est préparée en quelques instants ; vous recevez une notification quand elle est prête. Le lien de téléchargement ne sert qu’une fois et la copie est supprimée 24 heures après avoir été préparée.'),
    status.node, errors.node, state, history);
  await refresh();

  function stop() {
    clearTimeout(timer);
    timer = null;
  }

  /** Reads the copies again after 2 s, then 3, 5, up to 10 s between reads. */
  function later() {
    stop();
    const delay = [2000, 3000, 5000][waits] ?? 10000;
    waits += 1;
    timer = setTimeout(async () => {
      if (!ctx.current) return;
      if (document.hidden) { later(); return; }
      await refresh();
    }, delay);
  }

  async function refresh() {
    let list;
    try {
      list = await api.get('/me/copies');
    } catch (err) {
      if (ctx.current) errors.error(err, 'L’état de vos copies n’a pas pu être lu');
      return;
    }
    if (!ctx.current) return;
    const items = list.items;
    const latest = items[0];
    if (latest?.status === 'pending') {
      replace(state,
        alertBox('info', 'Copie en préparation', `Demandée le ${formatMoment(latest.requested_at)}. Cette page se met à jour d’elle-même ; vous pouvez aussi la quitter : une notification vous préviendra.`));
      later();
    } else if (latest?.status === 'ready') {
      stop();
      await showReady(latest);
    } else {
      stop();
      replace(state, button('Demander une copie de mes données', { icon: 'download-line', onClick: (event) => ask(event.currentTarget) }));
    }
    replace(history, items.length === 0 ? null : table({
      caption: 'Mes demandes de copie',
      columns: [{ label: 'Demandée le' }, { label: 'État' }, { label: 'Disponible jusqu’au' }, { label: 'Taille' }],
      rows: items.map((c) => [formatMoment(c.requested_at), STATUS[c.status] ?? c.status,
        c.status === 'ready' ? formatMoment(c.expires_at) : '—', size(c.size)]),
    }));
  }

  async function ask(btn) {
    errors.clear();
    let done = false;
    await whileBusy(btn, async () => {
      try {
        await api.post('/me/copies', {});
        done = true;
      } catch (err) {
        errors.error(err, 'La copie n’a pas pu être demandée');
        focusRegion(errors);
      }
    });
    if (!done || !ctx.current) return;
    status.show('success', null, 'Votre demande est enregistrée : la copie est en préparation.');
    waits = 0;
    await refresh();
  }

  /** A ready copy: a fresh one-time link (it replaces any earlier one). */
  async function showReady(copy) {
    let link;
    try {
      link = await api.post(`/me/copies/${copy.id}/link`, {});
    } catch (err) {
      errors.error(err, 'Le lien de téléchargement n’a pas pu être préparé');
      return;
    }
    if (!ctx.current) return;
    status.show('success', null, 'Votre copie est prête.');
    const anchor = h('a', {
      class: 'fr-link fr-icon-download-line fr-link--icon-left',
      href: link.href,
      download: 'copie-de-mes-donnees.zip',
      // The link serves once: after the download the page offers a new request.
      on: { click: () => setTimeout(() => { if (ctx.current) refresh(); }, 2000) },
    }, 'Télécharger ma copie', h('span', { class: 'fr-link__detail' }, `ZIP – ${size(copy.size)}`));
    replace(state,
      h('p', null, `Votre copie est prête jusqu’au ${formatMoment(copy.expires_at)}. Le lien ne sert qu’une fois : enregistrez le fichier.`),
      h('p', null, anchor));
  }
}
