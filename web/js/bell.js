// The bell of the header (issue 9): a link to the notifications with the
// number of unread ones, on every signed-in page. The count comes from
// GET /api/v1/notifications/unread-count ({ unread, capped }); it is read
// when the app starts, after each navigation, every minute while the page
// is shown (not while the tab is hidden) and when the tab comes back.
//
// The link's accessible name carries the count (« Notifications : 3 non
// lues »); the figure drawn beside the icon is hidden from screen readers,
// which would otherwise read it twice. A polite live region says when the
// count grows while the person is on a page: a new notification arrived.

import { api, ApiError } from './api.js';
import { h, replace } from './dom.js';

const EVERY = 60000;
const HREF = '#/notifications';

let last = null;          // the count shown, null before the first answer
let timer = null;
let announcer = null;
let pending = null;       // the refresh under way, shared by callers

/** « 3 non lues », « plus de 99 non lues », « aucune non lue ». */
export function unreadText(unread, capped = false) {
  if (capped) return `plus de ${unread} non lues`;
  if (!unread) return 'aucune non lue';
  return unread > 1 ? `${unread} non lues` : '1 non lue';
}

/**
 * The bell's list item for the header's tools; `suffix` tells the desktop
 * header from the copy in the mobile menu (ids stay unique).
 */
export function bellItem(suffix = '') {
  return h('li', null,
    h('a', {
      class: 'fr-btn fr-icon-notification-3-line app-bell', href: HREF, id: `app-cloche${suffix}`,
      dataset: { bell: '' },
    }, 'Notifications',
    h('span', { class: 'app-bell__count', 'aria-hidden': 'true', hidden: true }),
    h('span', { class: 'fr-sr-only app-bell__text' })));
}

/** Draws a count in every bell of the page (desktop and mobile copies). */
function draw(unread, capped) {
  for (const link of document.querySelectorAll('a[data-bell]')) {
    const badge = link.querySelector('.app-bell__count');
    badge.textContent = capped ? `${unread}+` : String(unread);
    badge.hidden = !unread;
    link.classList.toggle('app-bell--unread', unread > 0);
    link.querySelector('.app-bell__text').textContent = ` : ${unreadText(unread, capped)}`;
  }
}

/**
 * Reads the count and shows it. Failures leave the bell as it was: a
 * missing figure must not stop the page (the list says what went wrong).
 * Resolves to the count, or null when it could not be read.
 */
export function refreshBell() {
  if (pending) return pending;
  pending = (async () => {
    try {
      // A session that ended is not the bell's to report: the next thing
      // the person does takes them to the login page, with their drafts kept.
      const data = await api.get('/notifications/unread-count', { loginOn401: false });
      const unread = Number(data?.unread) || 0;
      const capped = Boolean(data?.capped);
      draw(unread, capped);
      if (last !== null && unread > last && announcer) {
        replace(announcer, `Nouvelle notification : ${unreadText(unread, capped)}.`);
      }
      last = unread;
      return unread;
    } catch (err) {
      if (!(err instanceof ApiError)) throw err;
      return null;
    } finally {
      pending = null;
    }
  })();
  return pending;
}

/**
 * Starts the bell once the header holds its items: the live region, the
 * first read, the minute timer and the read on return to the tab.
 */
export function startBell() {
  if (!announcer) {
    announcer = h('p', { class: 'fr-sr-only', id: 'app-cloche-annonce', role: 'status', 'aria-live': 'polite' });
    document.querySelector('header.fr-header').append(announcer);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden) refreshBell();
    });
  }
  clearInterval(timer);
  timer = setInterval(() => {
    if (!document.hidden) refreshBell();
  }, EVERY);
  return refreshBell();
}
