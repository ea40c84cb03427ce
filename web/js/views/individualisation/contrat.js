// A parcours d'individualisation, laid out like annex 2 or annex 3: the
// header, the five domains, the start date, the signatures of the current
// version (« Signer » asks for the password), « En vigueur » once every
// party has signed, the PDF, the history of versions and signatories, the
// points de situation and the bilan (written by the pilot).
// GET /api/v1/individualisations/{id}, POST .../versions/{vid}/signatures,
// POST .../points, POST .../bilan, GET .../versions/{vid}/pdf

import { api, request, ApiError, isNotFound } from '../../api.js';
import { h, replace, uid } from '../../dom.js';
import { formatDate, formatMoment } from '../../format.js';
import {
  pageTitle, breadcrumb, liveRegion, wrapTable, rowHeader, textField, textareaField, selectField, button, buttonLink,
  buttonGroup, whileBusy, showFormError, focusRegion, showFlash, textBlock, checkRequired,
} from '../../ui.js';
import {
  DOMAINS, ANNEX_TITLES, HEADER_FIELDS, DECISIONS, decisionLabel, shortDate, stateBadge, useStyles,
} from './common.js';

export async function render(ctx) {
  useStyles();
  const id = ctx.params.id;
  const errors = liveRegion('alert');
  const status = liveRegion('status');
  const body = h('div', { class: 'app-annexe' });
  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Parcours d’individualisation', href: '#/individualisation' }, { label: 'Parcours' }]),
    errors.node, status.node, body);
  showFlash(status);

  async function load(focusTitle = false) {
    let c;
    try {
      c = await api.get(`/individualisations/${encodeURIComponent(id)}`);
    } catch (err) {
      if (!ctx.current) return;
      replace(body, pageTitle('Parcours d’individualisation'));
      errors.error(err, isNotFound(err) ? 'Ce parcours n’existe pas ou ne vous est pas accessible' : 'Le parcours n’a pas pu être chargé');
      ctx.setTitle('Parcours d’individualisation');
      return;
    }
    if (!ctx.current) return;
    show(c);
    if (focusTitle) body.querySelector('h1')?.focus();
  }

  function show(c) {
    const v = c.versions.find((x) => x.current) || c.versions[0];
    const content = v.content;
    const pilot = (c.relations || []).includes('pilot');
    const mine = v.signatures.find((s) => s.person_id === ctx.me.id);
    ctx.setTitle(`Parcours d’individualisation de ${c.trainee_name}`);
    replace(body,
      pageTitle(ANNEX_TITLES[c.annex]),
      h('div', { class: 'fr-mb-2w' },
        stateBadge(v),
        h('p', { class: 'fr-text--sm fr-mt-1w fr-mb-0' }, `Version ${v.number} du ${formatMoment(v.created_at)}, par ${v.created_by}. Parcours ouvert le ${formatDate(c.opened_at)} par ${c.opened_by}, année ${c.year}.`)),
      buttonGroup([
        mine && !mine.signed_at ? signButton(c, v, errors, status, load) : null,
        buttonLink('Télécharger le PDF', `/api/v1/individualisations/${encodeURIComponent(c.id)}/versions/${encodeURIComponent(v.id)}/pdf`, { kind: 'secondary', icon: 'download-line', srSuffix: `de la version ${v.number}` }),
        button('Imprimer', { kind: 'tertiary', icon: 'printer-line', onClick: () => window.print() }),
        pilot ? buttonLink(v.signed > 0 ? 'Modifier (nouvelle version)' : 'Modifier', `#/individualisation/${encodeURIComponent(c.id)}/modifier`, { kind: 'tertiary', icon: 'edit-line' }) : null,
      ], { extra: 'fr-btns-group--icon-left app-no-print' }),
      header(c.annex, content.header),
      domainsTable(content.domains),
      h('p', null, h('strong', null, 'Mise en œuvre du parcours débutée le : '), content.started_on ? shortDate(content.started_on) : '—'),
      signaturesTable(v, content, `Signatures de la version ${v.number}`),
      h('p', { class: 'fr-text--xs app-hash' }, `Empreinte SHA-256 du contenu de la version ${v.number} : `, h('code', null, v.content_sha256)),
      history(c, v),
      points(c, pilot, errors, status, load),
      bilan(c, pilot, errors, status, load));
  }

  await load();
}

function header(annex, hd) {
  return h('dl', { class: 'app-annexe__header' },
    HEADER_FIELDS[annex].map(([key, label]) => [
      h('div', null, h('dt', null, label), h('dd', null, key === 'date' ? shortDate(hd[key]) : (hd[key] || '—'))),
    ]));
}

function domainsTable(domains) {
  const byKey = Object.fromEntries(domains.map((d) => [d.key, d]));
  const node = wrapTable({
    caption: 'Difficultés, besoins et dispositif proposé',
    columns: [{ label: 'Difficultés concernant' }, { label: 'Description de la situation' }, { label: 'Besoins identifiés' }, { label: 'Dispositif de médiation, remédiation, accompagnement proposé' }],
    rows: DOMAINS.map((d) => [rowHeader(d.label), byKey[d.key]?.situation || '—', byKey[d.key]?.needs || '—', byKey[d.key]?.support || '—']),
  });
  node.classList.add('app-annexe__domains');
  return [node, h('p', { class: 'fr-text--xs' }, 'Ex. : renforcement de l’aide pédagogique et didactique, visite(s) supplémentaire(s), module(s) de formation supplémentaire(s), observations et pratiques accompagnées supplémentaires, …')];
}

function signaturesTable(v, content, caption) {
  const labels = Object.fromEntries((content.parties || []).map((p) => [p.role, p.label]));
  return wrapTable({
    caption,
    columns: [{ label: 'Signataire' }, { label: 'Nom' }, { label: 'Signature' }],
    rows: v.signatures.map((s) => [
      rowHeader(labels[s.role] || s.role),
      s.name,
      s.signed_at ? `Signé le ${formatMoment(s.signed_at)}` : (v.current ? 'En attente' : 'Non signé'),
    ]),
  });
}

/** « Signer »: a dialog asks for the password (the académie's directory checks it). */
function signButton(c, v, errors, status, reload) {
  const titleId = uid('signer-titre');
  const password = textField({ label: 'Votre mot de passe', name: 'password', type: 'password', required: true, autocomplete: 'current-password', hint: 'Celui de votre compte de l’académie : il confirme que c’est bien vous qui signez.' });
  const dialogErrors = liveRegion('alert');
  const submit = button('Signer le document', { type: 'submit', icon: 'edit-line' });
  const cancel = button('Annuler', { kind: 'secondary', onClick: () => dialog.close() });
  const form = h('form', { method: 'dialog', class: 'app-dialog__body', novalidate: true },
    h('h2', { class: 'fr-h5', id: titleId }, 'Signer le parcours d’individualisation'),
    h('p', null, `Vous signez la version ${v.number} de ce document, telle qu’elle est affichée. Toute modification ultérieure donnera lieu à une nouvelle version, à signer de nouveau par tous.`),
    dialogErrors.node, password.group, buttonGroup([submit, cancel]));
  const dialog = h('dialog', { class: 'app-dialog fr-background-default--grey', 'aria-labelledby': titleId }, form);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    password.clearError();
    dialogErrors.clear();
    if (!checkRequired({ password })) return;
    await whileBusy(submit, async () => {
      try {
        await request('POST', `/individualisations/${encodeURIComponent(c.id)}/versions/${encodeURIComponent(v.id)}/signatures`,
          { body: { password: password.control.value }, ifMatch: v.version });
        password.control.value = '';
        dialog.close();
        await reload(true);
        status.show('success', null, 'Votre signature est enregistrée.');
      } catch (err) {
        password.control.value = '';
        if (err instanceof ApiError && err.status === 412) {
          dialog.close();
          await reload(true);
          errors.show('warning', 'Le document a changé', 'Une nouvelle version a été enregistrée entre-temps : relisez-la avant de la signer.');
          focusRegion(errors);
          return;
        }
        showFormError(err, { password }, dialogErrors, 'La signature n’a pas abouti');
      }
    });
  });
  const open = button('Signer', { icon: 'edit-line', onClick: () => { dialog.showModal(); password.control.focus(); } });
  return [open, dialog];
}

function history(c, current) {
  const older = c.versions.filter((v) => v.id !== current.id);
  return h('section', { class: 'fr-mt-4w app-no-print', 'aria-labelledby': 'historique-titre' },
    h('h2', { class: 'fr-h4', id: 'historique-titre' }, 'Historique des versions'),
    older.length
      ? older.map((v) => h('div', { class: 'fr-mb-3w' },
        h('h3', { class: 'fr-h6 fr-mb-1w' }, `Version ${v.number} du ${formatMoment(v.created_at)}`),
        stateBadge(v),
        h('p', { class: 'fr-text--sm fr-mt-1w' }, v.superseded_at ? `Remplacée le ${formatMoment(v.superseded_at)} : ses signatures ne valent plus pour la version en cours.` : null),
        signaturesTable(v, v.content, `Signataires de la version ${v.number}`),
        h('p', { class: 'fr-text--xs' }, `Empreinte SHA-256 : `, h('code', null, v.content_sha256), ' – ',
          h('a', { href: `/api/v1/individualisations/${encodeURIComponent(c.id)}/versions/${encodeURIComponent(v.id)}/pdf` }, `PDF de la version ${v.number}`))))
      : h('p', null, 'Aucune version antérieure.'));
}

function points(c, pilot, errors, status, reload) {
  const section = h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'points-titre' },
    h('h2', { class: 'fr-h4', id: 'points-titre' }, 'Points de situation'),
    c.points.length
      ? h('ul', { class: 'app-plain-list' }, c.points.map((p) => h('li', { class: 'fr-mb-2w' },
        h('p', { class: 'fr-text--bold fr-mb-1v' }, `Le ${shortDate(p.held_on)}, par ${p.author}`), textBlock(p.body))))
      : h('p', null, 'Aucun point de situation pour l’instant.'));
  if (!pilot) return section;
  const date = textField({ label: 'Date du point de situation', name: 'held_on', type: 'date', required: true });
  const text = textareaField({ label: 'Point de situation', name: 'body', required: true, rows: 4, hint: 'Dans le premier degré, au sein du pôle de formation ; dans le second degré, entre corps d’inspection et responsable de parcours.' });
  const submit = button('Enregistrer le point de situation', { type: 'submit', kind: 'secondary' });
  const form = h('form', { class: 'app-no-print', novalidate: true }, h('h3', { class: 'fr-h6' }, 'Ajouter un point de situation'), date.group, text.group, submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!checkRequired({ date, text })) return;
    await whileBusy(submit, async () => {
      try {
        await api.post(`/individualisations/${encodeURIComponent(c.id)}/points`, { held_on: date.control.value, body: text.control.value });
        await reload();
        status.show('success', null, 'Le point de situation est enregistré.');
      } catch (err) {
        showFormError(err, { held_on: date, body: text }, errors, 'Le point de situation n’a pas été enregistré');
      }
    });
  });
  section.append(form);
  return section;
}

function bilan(c, pilot, errors, status, reload) {
  const b = c.bilan;
  const section = h('section', { class: 'fr-mt-4w', 'aria-labelledby': 'bilan-titre' },
    h('h2', { class: 'fr-h4', id: 'bilan-titre' }, 'Bilan du parcours'),
    b
      ? [
        h('p', null, h('strong', null, 'Décision : '), decisionLabel(b.decision), ` (bilan du ${shortDate(b.held_on)}, par ${b.author}${b.revision > 1 ? `, révision ${b.revision}` : ''})`),
        wrapTable({
          caption: 'Bilan par domaine',
          columns: [{ label: 'Domaine' }, { label: 'Bilan' }],
          rows: DOMAINS.map((d) => [rowHeader(d.label), b.outcomes[d.key] || '—']),
        }),
      ]
      : h('p', null, 'Le bilan n’est pas encore établi (fin avril, réunion de pôle N°3).'));
  if (!pilot) return section;
  const date = textField({ label: 'Date du bilan', name: 'held_on', type: 'date', required: true, value: b?.held_on || '' });
  const decision = selectField({ label: 'Décision', name: 'decision', required: true, placeholder: 'Choisir la décision', options: DECISIONS, value: b?.decision || '' });
  const outcomes = DOMAINS.map((d) => ({ d, f: textareaField({ label: d.label, name: `outcome-${d.key}`, rows: 2, value: b?.outcomes?.[d.key] || '' }) }));
  const submit = button(b ? 'Enregistrer une nouvelle révision du bilan' : 'Enregistrer le bilan', { type: 'submit', kind: 'secondary' });
  const form = h('form', { class: 'app-no-print', novalidate: true },
    h('h3', { class: 'fr-h6' }, b ? 'Corriger le bilan' : 'Établir le bilan'),
    b ? h('p', { class: 'fr-text--sm' }, 'Le bilan enregistré reste dans l’historique : une correction en est une nouvelle révision.') : null,
    date.group, decision.group,
    h('fieldset', { class: 'fr-fieldset' }, h('legend', { class: 'fr-fieldset__legend' }, 'Bilan par domaine'),
      outcomes.map(({ f }) => h('div', { class: 'fr-fieldset__element' }, f.group))),
    submit);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    if (!checkRequired({ date, decision })) return;
    await whileBusy(submit, async () => {
      try {
        await api.post(`/individualisations/${encodeURIComponent(c.id)}/bilan`, {
          held_on: date.control.value,
          decision: decision.control.value,
          outcomes: outcomes.filter(({ f }) => f.control.value.trim()).map(({ d, f }) => ({ key: d.key, outcome: f.control.value })),
        });
        await reload();
        status.show('success', null, 'Le bilan est enregistré.');
      } catch (err) {
        showFormError(err, { held_on: date, decision }, errors, 'Le bilan n’a pas été enregistré');
      }
    });
  });
  section.append(form);
  return section;
}
