// Préférences de notification (issue 9): for each kind of event, how the
// person wants to hear of it (in the service only, by e-mail at once, or in
// the daily digest), the address the mails go to, and their calendar feed
// (« Mon agenda (iCalendar) »: a secret address to subscribe to from
// Thunderbird, Outlook or a phone).
//
// GET /api/v1/me/notification-preferences   { email, kinds: [{ kind, label, channel, default_channel }] }
// PUT /api/v1/me/notification-preferences   { preferences: [{ kind, channel }] } (all or nothing)
// GET|POST|DELETE /api/v1/me/calendar-feed  { active, created_at } | 201 { url } | 204

import { api, request, isNotFound } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { formatMoment } from '../../format.js';
import { confirmButton } from '../../confirm.js';
import { pageTitle, liveRegion, loading, alertBox, button, buttonGroup, whileBusy, focusRegion } from '../../ui.js';

export const CHANNELS = [
  { value: 'app', label: 'Dans le service seulement' },
  { value: 'email', label: 'Par courriel immédiatement' },
  { value: 'digest', label: 'Résumé quotidien par courriel' },
];

/**
 * One kind's radio group (a DSFR fieldset): its legend is the kind's
 * label, the kind's default is said beside its option. Returns
 * { node, kind, value(), setError(text), clearError(), focus() }.
 */
function channelGroup(kind) {
  const id = uid('preference');
  const legendId = `${id}-legende`;
  const messagesId = `${id}-messages`;
  const radios = CHANNELS.map((c, i) => {
    const input = h('input', { type: 'radio', id: `${id}-${i}`, name: id, value: c.value });
    input.checked = c.value === kind.channel;
    return { input, node: h('div', { class: 'fr-fieldset__element' },
      h('div', { class: 'fr-radio-group' },
        input,
        h('label', { class: 'fr-label', for: input.id }, c.label,
          c.value === kind.default_channel ? h('span', { class: 'fr-hint-text' }, 'Réglage par défaut') : null))) };
  });
  const messages = h('div', { class: 'fr-messages-group', id: messagesId, 'aria-live': 'polite' });
  const node = h('fieldset', { class: 'fr-fieldset', id, 'aria-labelledby': `${legendId} ${messagesId}`, dataset: { kind: kind.kind } },
    h('legend', { class: 'fr-fieldset__legend', id: legendId }, kind.label || kind.kind),
    radios.map((r) => r.node),
    messages);
  const clearError = () => {
    node.classList.remove('fr-fieldset--error');
    messages.replaceChildren();
  };
  for (const r of radios) r.input.addEventListener('change', clearError);
  return {
    node,
    kind: kind.kind,
    value: () => radios.find((r) => r.input.checked)?.input.value || kind.channel,
    setError(text) {
      node.classList.add('fr-fieldset--error');
      replace(messages, h('p', { class: 'fr-message fr-message--error' }, text));
    },
    clearError,
    focus: () => (radios.find((r) => r.input.checked) || radios[0]).input.focus(),
  };
}

/** The preferences form, once read. */
function preferencesForm(ctx, data) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const groups = (data.kinds || []).map(channelGroup);
  const address = data.email
    ? h('p', { id: 'preferences-adresse' }, 'Les courriels vous sont envoyés à l’adresse ', h('strong', null, data.email), '.')
    : h('div', { id: 'preferences-adresse' },
      alertBox('warning', null, 'Aucune adresse électronique connue : vous ne recevrez pas de courriel. Contactez votre administrateur.'));

  if (!groups.length) {
    return h('section', { 'aria-labelledby': 'preferences-titre' },
      h('h2', { id: 'preferences-titre' }, 'Vos notifications'),
      address,
      h('p', { class: 'app-empty' }, 'Aucun type de notification ne vous concerne pour le moment.'));
  }

  const save = button('Enregistrer mes préférences', { type: 'submit' });
  const form = h('form', { novalidate: true, 'aria-labelledby': 'preferences-titre' },
    h('h2', { id: 'preferences-titre' }, 'Vos notifications'),
    address,
    h('p', null, 'Pour chaque type d’événement, choisissez comment en être averti. Tout ce qui vous concerne reste toujours visible dans vos notifications, depuis la cloche en haut de chaque page.'),
    groups.map((g) => g.node),
    errors.node, status.node,
    buttonGroup([save]));

  form.addEventListener('submit', (event) => {
    event.preventDefault();
    errors.clear();
    status.clear();
    for (const g of groups) g.clearError();
    whileBusy(save, async () => {
      try {
        await api.put('/me/notification-preferences', { preferences: groups.map((g) => ({ kind: g.kind, channel: g.value() })) });
        if (!ctx.current) return;
        status.show('success', null, 'Vos préférences de notification ont été enregistrées.');
      } catch (err) {
        if (!ctx.current) return;
        // « preferences[2].channel »: the group of that kind.
        const index = /^preferences\[(\d+)\]/.exec(err.field || '')?.[1];
        const group = index !== undefined ? groups[Number(index)] : null;
        if (group && err.status === 422) {
          group.setError(err.detail || 'Ce choix n’est pas accepté.');
          group.focus();
          return;
        }
        errors.error(err, 'Les préférences n’ont pas été enregistrées');
        focusRegion(errors);
      }
    });
  });
  return form;
}

/**
 * The calendar feed block: what it is for, and its state. The address
 * itself is shown once, when it is made: the server keeps only its
 * fingerprint.
 */
function feedSection(ctx) {
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div', { id: 'agenda-etat' }, loading());
  const section = h('section', { class: 'fr-mt-6w', 'aria-labelledby': 'agenda-titre', id: 'agenda' },
    h('h2', { id: 'agenda-titre' }, 'Mon agenda (iCalendar)'),
    h('p', null, 'Vos visites, vos temps de suivi et les échéances de l’année (réunions de pôle, bilans à rendre) peuvent s’afficher dans votre agenda habituel : Thunderbird, Outlook, ou l’agenda de votre téléphone. Créez une adresse d’abonnement, puis ajoutez-la dans votre agenda comme « agenda en ligne » ou « abonnement à un calendrier (iCal) ». Il se met ensuite à jour tout seul.'),
    h('p', null, 'L’agenda montre les dates, les titres et les lieux, jamais le contenu des écrits ni des notes.'),
    h('div', { class: 'fr-callout fr-mb-3w' },
      h('p', { class: 'fr-callout__text' }, 'Cette adresse est secrète : toute personne qui la connaît peut lire votre agenda, sans mot de passe. Ne la partagez pas. Si vous pensez qu’elle a été vue par quelqu’un d’autre, renouvelez-la ou révoquez-la : l’ancienne adresse cessera aussitôt de fonctionner.')),
    errors.node, status.node, body);

  /** Shows the address just made, with a button to copy it. */
  function showUrl(url) {
    const inputId = uid('agenda-adresse');
    const input = h('input', { class: 'fr-input', id: inputId, type: 'text', readonly: true, 'aria-describedby': `${inputId}-aide`, spellcheck: 'false' });
    input.value = url;
    const copy = button('Copier l’adresse', {
      kind: 'secondary', icon: 'clipboard-line',
      onClick: async () => {
        input.select();
        let done = false;
        try {
          await navigator.clipboard.writeText(url);
          done = true;
        } catch {
          try { done = document.execCommand('copy'); } catch { done = false; }
        }
        status.show(done ? 'success' : 'info', null, done
          ? 'L’adresse est copiée : collez-la dans votre agenda.'
          : 'La copie automatique n’est pas possible ici : l’adresse est sélectionnée, copiez-la avec Ctrl+C (ou Cmd+C).');
      },
    });
    return h('div', { class: 'fr-input-group fr-mb-2w' },
      h('label', { class: 'fr-label', for: inputId }, 'Adresse de votre agenda',
        h('span', { class: 'fr-hint-text', id: `${inputId}-aide` }, 'Copiez-la maintenant : pour votre sécurité, elle ne sera plus affichée. Perdue, elle se renouvelle.')),
      input,
      h('p', { class: 'fr-mt-1w' }, copy));
  }

  async function create(event, confirmText) {
    errors.clear();
    status.clear();
    const run = async () => {
      try {
        const data = await api.post('/me/calendar-feed', {});
        if (!ctx.current) return;
        draw({ active: true, created_at: new Date().toISOString() }, data?.url);
        status.show('success', null, confirmText);
        section.querySelector('input.fr-input')?.focus();
      } catch (err) {
        if (!ctx.current) return;
        errors.error(err, 'L’adresse de l’agenda n’a pas pu être créée');
        focusRegion(errors);
      }
    };
    if (event?.currentTarget instanceof HTMLButtonElement) await whileBusy(event.currentTarget, run);
    else await run();
  }

  async function revoke() {
    errors.clear();
    status.clear();
    try {
      await request('DELETE', '/me/calendar-feed');
      if (!ctx.current) return;
      draw({ active: false });
      status.show('success', null, 'L’adresse de votre agenda est révoquée : elle ne fonctionne plus.');
      section.querySelector('#agenda-creer')?.focus();
    } catch (err) {
      if (!ctx.current) return;
      errors.error(err, 'L’adresse de l’agenda n’a pas pu être révoquée');
      focusRegion(errors);
    }
  }

  function draw(feed, url = null) {
    if (!feed.active) {
      replace(body,
        h('p', null, 'Vous n’avez pas d’adresse d’agenda.'),
        buttonGroup([button('Créer l’adresse de mon agenda', {
          icon: 'calendar-line', attrs: { id: 'agenda-creer' },
          onClick: (event) => create(event, 'L’adresse de votre agenda est créée.'),
        })]));
      return;
    }
    replace(body,
      h('p', null, feed.created_at ? `Votre adresse d’agenda est active depuis le ${formatMoment(feed.created_at)}.` : 'Votre adresse d’agenda est active.'),
      url ? showUrl(url) : h('p', null, 'Vous l’avez copiée lors de sa création. Pour l’ajouter sur un autre appareil, renouvelez-la : une nouvelle adresse est affichée, l’ancienne cesse de fonctionner.'),
      buttonGroup([
        confirmButton('Renouveler l’adresse', {
          kind: 'secondary', size: null, icon: 'refresh-line',
          title: 'Renouveler l’adresse de votre agenda ?',
          message: 'Une nouvelle adresse va être créée. L’ancienne cessera aussitôt de fonctionner : les agendas qui l’utilisent ne se mettront plus à jour tant que vous n’y aurez pas mis la nouvelle.',
          confirmLabel: 'Renouveler l’adresse', keepLabel: 'Garder l’adresse actuelle',
          onConfirm: () => create(null, 'Une nouvelle adresse est créée ; l’ancienne ne fonctionne plus.'),
        }),
        confirmButton('Révoquer l’adresse', {
          kind: 'tertiary', size: null, icon: 'delete-line',
          title: 'Révoquer l’adresse de votre agenda ?',
          message: 'L’adresse cessera aussitôt de fonctionner : vos agendas abonnés n’afficheront plus vos visites ni vos échéances.',
          confirmLabel: 'Révoquer l’adresse', keepLabel: 'Garder l’adresse',
          onConfirm: revoke,
        }),
      ]));
  }

  async function load() {
    try {
      const feed = await api.get('/me/calendar-feed');
      if (!ctx.current) return;
      draw(feed || { active: false });
    } catch (err) {
      if (!ctx.current) return;
      replace(body, isNotFound(err)
        ? h('p', { class: 'app-empty' }, 'L’agenda n’est pas encore proposé par ce service.')
        : null);
      if (!isNotFound(err)) errors.error(err, 'L’état de votre agenda n’a pas pu être lu');
    }
  }
  return { section, load };
}

export async function render(ctx) {
  const errors = liveRegion('alert');
  const main = h('div', null, loading());
  const feed = feedSection(ctx);
  ctx.root.append(
    pageTitle('Préférences de notification'),
    h('p', { class: 'fr-text--lead' }, 'Choisissez comment être averti de ce qui se passe dans les dossiers qui vous concernent.'),
    errors.node, main, feed.section);
  ctx.setTitle('Préférences de notification');
  const feedLoaded = feed.load();
  try {
    const data = await api.get('/me/notification-preferences');
    if (ctx.current) replace(main, preferencesForm(ctx, data || {}));
  } catch (err) {
    if (!ctx.current) return;
    main.replaceChildren();
    errors.error(err, 'Vos préférences n’ont pas pu être lues');
  }
  await feedLoaded;
}
