// Notifications (issue 9): what happened that concerns the signed-in
// person, newest first, 20 at a time (« Plus anciennes » adds the next
// ones). Each item says what happened, who did it, when and about whom;
// an unread one is marked by its look and by the words « Non lue ».
// Opening an item marks it read, then goes to its screen.
//
// GET  /api/v1/notifications?limit=&offset=     { items, limit, offset, more }
// POST /api/v1/notifications/{id}/read         204
// POST /api/v1/notifications/read-all          { marked }

import { api, request, withQuery } from '../../api.js';
import { h, replace, plural } from '../../dom.js';
import { formatMoment } from '../../format.js';
import { refreshBell } from '../../bell.js';
import { pageTitle, liveRegion, loading, button, buttonLink, whileBusy, focusRegion } from '../../ui.js';

const PER_PAGE = 20;

/**
 * The link of an item, when it stays in this service: a path of this site
 * (« /app.html#/… ») or a screen of the app (« #/… »); anything else is not
 * followed.
 */
export function safeLink(link) {
  if (typeof link !== 'string') return null;
  if (link.startsWith('#/')) return link;
  if (link.startsWith('/') && !link.startsWith('//') && !link.startsWith('/\\')) return link;
  return null;
}

export async function render(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const list = h('ul', { class: 'app-notices', id: 'notifications-liste' });
  const results = h('div', { class: 'app-results' }, loading());
  const more = h('p', { class: 'fr-mt-3w' });
  let page = 0;

  const markAll = button('Tout marquer comme lu', {
    kind: 'secondary', icon: 'check-line',
    onClick: (event) => whileBusy(event.currentTarget, async () => {
      errors.clear();
      try {
        const data = await api.post('/notifications/read-all', {});
        if (!ctx.current) return;
        for (const item of list.querySelectorAll('.app-notice--unread')) markShown(item);
        const marked = Number(data?.marked) || 0;
        status.show('success', null, marked
          ? `${plural(marked, 'notification marquée', 'notifications marquées')} comme lue${marked > 1 ? 's' : ''}.`
          : 'Aucune notification n’était non lue.');
        refreshBell();
      } catch (err) {
        errors.error(err, 'Les notifications n’ont pas pu être marquées comme lues');
        focusRegion(errors);
      }
    }),
  });

  /** Opens an item: marks it read (when unread), then goes to its screen. */
  async function open(event, item, node) {
    event.preventDefault();
    const target = event.currentTarget.getAttribute('href');
    if (!item.read) {
      try {
        await request('POST', `/notifications/${encodeURIComponent(item.id)}/read`);
        item.read = true;
        markShown(node);
      } catch (err) {
        // The screen matters more than the mark: go anyway, the item
        // stays unread and can be marked from here later.
        if (!ctx.current) return;
      }
    }
    if (!ctx.current) return;
    if (target.startsWith('#')) location.hash = target;
    else location.assign(target);
  }

  function itemNode(item) {
    const href = safeLink(item.link);
    const sentence = href
      ? h('a', { class: 'app-notice__link', href, on: { click: (event) => open(event, item, node) } }, item.text)
      : h('span', null, item.text);
    const who = item.actor?.display_name ? `De ${item.actor.display_name}` : 'Rappel automatique';
    const node = h('li', { class: ['app-notice', item.read ? null : 'app-notice--unread'], dataset: { id: String(item.id) } },
      h('p', { class: 'app-notice__text' },
        item.read ? null : h('span', { class: 'fr-badge fr-badge--sm fr-badge--new app-notice__badge' }, 'Non lue'),
        item.read ? null : ' ',
        sentence),
      h('p', { class: 'app-notice__meta fr-text--sm' },
        item.subject ? h('span', null, `Concerne : ${item.subject}`) : null,
        item.subject ? ' · ' : null,
        h('span', null, who),
        ' · ',
        h('time', { datetime: item.created_at || '' }, formatMoment(item.created_at))));
    return node;
  }

  /** Shows an item as read, where it is. */
  function markShown(node) {
    node.classList.remove('app-notice--unread');
    node.querySelector('.app-notice__badge')?.remove();
    const text = node.querySelector('.app-notice__text');
    if (text.firstChild?.nodeType === Node.TEXT_NODE) text.firstChild.remove();
  }

  /** Loads the next page; focus: move focus to its first item (after « Plus anciennes »). */
  async function next({ focus = false } = {}) {
    errors.clear();
    let data;
    try {
      // The offset counts the rows the server read, shown or not: an item
      // its reader may no longer see is left out of its page.
      data = await api.get(withQuery('/notifications', { limit: PER_PAGE, offset: page * PER_PAGE }));
    } catch (err) {
      if (!ctx.current) return;
      if (page === 0) results.replaceChildren();
      errors.error(err, 'Les notifications n’ont pas pu être chargées');
      return;
    }
    if (!ctx.current) return;
    page += 1;
    const items = data?.items || [];
    if (page === 1) {
      if (!items.length) {
        replace(results, h('p', { class: 'app-empty', id: 'notifications-vide' }, 'Aucune notification'),
          h('p', null, 'Vous serez averti ici quand quelqu’un agira sur un dossier qui vous concerne : un retour transmis, un écrit publié, une visite planifiée.'));
        markAll.hidden = true;
        more.replaceChildren();
        return;
      }
      replace(results, list);
    }
    const nodes = items.map(itemNode);
    list.append(...nodes);
    if (focus && nodes[0]) {
      // The first of the new items: the focus does not fall back to the top.
      const target = nodes[0].querySelector('.app-notice__link') || nodes[0];
      if (target.tagName !== 'A') target.setAttribute('tabindex', '-1');
      target.focus();
    }
    replace(more, data?.more
      ? button('Plus anciennes', {
        kind: 'secondary', icon: 'arrow-down-line',
        onClick: (event) => whileBusy(event.currentTarget, () => next({ focus: true })),
      })
      : (page > 1 ? h('span', { class: 'app-empty' }, 'Il n’y a pas de notification plus ancienne.') : null));
  }

  ctx.root.append(
    h('div', { class: 'app-title-row' },
      pageTitle('Notifications'),
      h('div', { class: 'app-title-row__actions' },
        markAll, buttonLink('Préférences de notification', '#/preferences', { kind: 'tertiary', icon: 'settings-5-line' }))),
    errors.node, status.node, results, more);
  ctx.setTitle('Notifications');
  await next();
}
