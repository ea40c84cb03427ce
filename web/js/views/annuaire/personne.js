// Annuaire › Personnes › one person: their record, their roles with scope,
// adding a role, removing one (after confirmation).
// GET /api/v1/people/{id}, POST /api/v1/people/{id}/assignments,
// DELETE /api/v1/assignments/{id}, POST /api/v1/people/{id}/directory-link,
// GET/DELETE /api/v1/people/{id}/sessions[/{sid}] (the open sessions, ended
// by the admin), DELETE /api/v1/people/{id}/totp (the second factor reset)
// (after an identity mismatch), GET /api/v1/structures?kind=&q= (the
// scope is searched among the structures of its kind: there may be
// thousands of schools).

import { api, request } from '../../api.js';
import { h, replace } from '../../dom.js';
import { ROLE_LABELS, SCOPE_KINDS, DEFAULT_SCOPE, roleLabel, scopeKindLabel, sourceLabel } from '../../labels.js';
import { confirmButton } from '../../confirm.js';
import { formatMoment, of } from '../../format.js';
import { structurePicker } from '../../picker.js';
import {
  pageTitle, breadcrumb, table, rowHeader, liveRegion, buttonLink, selectField,
  showFormError, clearFormErrors, checkRequired, whileBusy, showFlash, focusRegion,
} from '../../ui.js';

const BASE = '#/annuaire/personnes';

export async function render(ctx) {
  const id = ctx.params.id;
  let person = (await request('GET', `/people/${encodeURIComponent(id)}`)).data;
  const name = () => person.display_name || person.username;

  const notices = liveRegion('status');
  const roleNotices = liveRegion('status');
  const roleErrors = liveRegion('alert');
  const rolesHeading = h('h2', { class: 'fr-mt-6w', tabindex: '-1', id: 'roles-titre' }, 'Rôles et périmètres');
  const rolesTable = h('div');
  const details = h('div');
  const sessionsHeading = h('h2', { class: 'fr-mt-6w', tabindex: '-1', id: 'sessions-titre' }, 'Sessions ouvertes');
  const sessionNotices = liveRegion('status');
  const sessionErrors = liveRegion('alert');
  const sessionsBlock = h('div');
  const totpHeading = h('h2', { class: 'fr-mt-6w', tabindex: '-1', id: 'totp-titre' }, 'Double authentification');
  const totpNotices = liveRegion('status');
  const totpErrors = liveRegion('alert');

  ctx.root.append(
    breadcrumb([{ label: 'Accueil', href: '#/' }, { label: 'Personnes', href: BASE }, { label: name() }]),
    notices.node,
    h('div', { class: 'app-title-row' },
      pageTitle(name()),
      buttonLink('Modifier la fiche', `${BASE}/${encodeURIComponent(id)}/modifier`, { kind: 'secondary', icon: 'edit-line' })),
    details,
    rolesHeading,
    roleNotices.node,
    roleErrors.node,
    rolesTable,
    addRoleForm(),
    sessionsHeading,
    h('p', { class: 'fr-text--sm' }, 'Une session se ferme d’elle-même après une période sans activité ou à la fin de sa durée maximale. Fermer une session déconnecte la personne de l’appareil concerné : elle devra se reconnecter.'),
    sessionNotices.node,
    sessionErrors.node,
    sessionsBlock,
    totpHeading,
    h('p', { class: 'fr-text--sm' }, 'Si la personne a perdu son téléphone ou ses codes de secours, réinitialisez sa double authentification : elle pourra se connecter avec son seul mot de passe, puis l’activer de nouveau (immédiatement si son rôle l’exige).'),
    totpNotices.node,
    totpErrors.node,
    h('p', null, confirmButton('Réinitialiser la double authentification', {
      kind: 'secondary', icon: 'lock-unlock-line',
      title: 'Réinitialiser la double authentification ?',
      message: `${name()} ne pourra plus utiliser son application d’authentification ni ses codes de secours actuels.`,
      confirmLabel: 'Réinitialiser',
      onConfirm: resetTotp,
    })));
  showFlash(notices);
  showDetails();
  showRoles();
  ctx.setTitle(`${name()} – Personnes`);
  await showSessions();

  /** Another directory entry holds the username: the admin re-links the person to it, or not. */
  function mismatchNotice() {
    if (!person.directory_mismatch) return null;
    const relinkErrors = liveRegion('alert');
    const relink = confirmButton('Relier à la nouvelle entrée de l’annuaire', {
      kind: 'secondary', size: 'sm', icon: 'links-line',
      title: `Relier ${name()} à la nouvelle entrée de l’annuaire ?`,
      message: `L’entrée de l’annuaire qui porte l’identifiant « ${person.username} » deviendra celle de ${name()} : la personne qui s’y connecte retrouvera cette fiche, ses rôles et ses suivis. Ne le faites que si c’est bien la même personne.`,
      confirmLabel: 'Relier la fiche',
      onConfirm: async () => {
        relinkErrors.clear();
        try {
          const res = await request('POST', `/people/${encodeURIComponent(id)}/directory-link`, { body: {} });
          person = res.data;
        } catch (err) {
          relinkErrors.error(err, 'La fiche n’a pas été reliée');
          return;
        }
        if (!ctx.current) return;
        showDetails();
        showRoles();
        notices.show('success', null, `${name()} est relié à l’entrée de l’annuaire qui porte son identifiant.`);
      },
    });
    return h('div', { class: 'fr-alert fr-alert--warning fr-mb-3w' },
      h('h2', { class: 'fr-alert__title' }, 'Identité de l’annuaire différente'),
      h('p', null, `L’identifiant « ${person.username} » appartient maintenant à une autre entrée de l’annuaire que celle de cette fiche (compte supprimé puis recréé, ou attribué à quelqu’un d’autre). Sa connexion est refusée et rien de cette fiche ne lui est transmis tant que vous ne l’avez pas reliée.`),
      relinkErrors.node,
      h('p', { class: 'fr-mt-2w' }, relink));
  }

  function showDetails() {
    const row = (label, value) => [h('dt', null, label), h('dd', null, value || '—')];
    replace(details,
      mismatchNotice(),
      person.active === false
        ? h('p', { class: 'fr-badge fr-badge--warning fr-mb-2w' }, 'Fiche désactivée')
        : null,
      h('dl', { class: 'app-dl' },
        row('Identifiant', person.username),
        row('Nom affiché', person.display_name),
        'given_name' in person ? row('Prénom', person.given_name) : null,
        'family_name' in person ? row('Nom de famille', person.family_name) : null,
        row('Courriel', person.email),
        'origin' in person ? row('Origine de la fiche', sourceLabel(person.origin)) : null,
        'last_login_at' in person ? row('Dernière connexion', person.last_login_at ? formatMoment(person.last_login_at) : 'Aucune connexion à Tutorat') : null));
  }

  function showRoles() {
    const assignments = person.assignments || [];
    if (!assignments.length) {
      replace(rolesTable, h('p', null, `Aucun rôle n’est attribué à ${name()}.`));
      return;
    }
    replace(rolesTable, table({
      caption: `Rôles ${of(name())}`,
      columns: [{ label: 'Rôle' }, { label: 'Périmètre' }, { label: 'Origine' }, { label: 'Action', className: 'app-col-action' }],
      rows: assignments.map((a) => {
        const scope = scopeText(a);
        return [
          rowHeader(roleLabel(a.role)),
          scope,
          sourceLabel(a.source),
          confirmButton('Retirer', {
            srSuffix: `le rôle ${roleLabel(a.role)} (${scope})`,
            icon: 'delete-line',
            title: 'Retirer ce rôle ?',
            message: `${name()} perdra le rôle « ${roleLabel(a.role)} » sur le périmètre « ${scope} » et les accès qui en découlent.`,
            confirmLabel: 'Retirer le rôle',
            onConfirm: () => removeAssignment(a, scope),
          }),
        ];
      }),
    }));
  }

  async function showSessions() {
    let items;
    try {
      items = (await request('GET', `/people/${encodeURIComponent(id)}/sessions`)).data.items;
    } catch (err) {
      sessionErrors.error(err, 'Les sessions n’ont pas pu être chargées');
      return;
    }
    if (!ctx.current) return;
    if (!items.length) {
      replace(sessionsBlock, h('p', null, `${name()} n’a aucune session ouverte.`));
      return;
    }
    replace(sessionsBlock,
      table({
        caption: `Sessions ouvertes ${of(name())}`,
        columns: [{ label: 'Ouverte le' }, { label: 'Dernière activité' }, { label: 'Se ferme au plus tard le' }, { label: 'Adresse' }, { label: 'Action', className: 'app-col-action' }],
        rows: items.map((s) => [
          rowHeader(formatMoment(s.created_at)),
          formatMoment(s.last_seen_at),
          formatMoment(s.ends_at),
          s.client_addr || '—',
          s.current ? 'Votre session' : confirmButton('Fermer', {
            srSuffix: `la session ouverte le ${formatMoment(s.created_at)}`,
            icon: 'logout-box-r-line',
            title: 'Fermer cette session ?',
            message: `${name()} sera déconnecté de l’appareil où cette session est ouverte.`,
            confirmLabel: 'Fermer la session',
            onConfirm: () => endSessions(`/people/${encodeURIComponent(id)}/sessions/${encodeURIComponent(s.id)}`, 'La session a été fermée.'),
          }),
        ]),
      }),
      h('p', { class: 'fr-mt-2w' }, confirmButton('Fermer toutes les sessions', {
        kind: 'secondary', icon: 'logout-box-r-line',
        title: 'Fermer toutes les sessions ?',
        message: `${name()} sera déconnecté de tous ses appareils et devra se reconnecter.`,
        confirmLabel: 'Fermer toutes les sessions',
        onConfirm: () => endSessions(`/people/${encodeURIComponent(id)}/sessions`, 'Toutes les sessions ont été fermées.'),
      })));
  }

  async function endSessions(path, done) {
    sessionNotices.clear();
    sessionErrors.clear();
    try {
      await api.delete(path);
    } catch (err) {
      if (!ctx.current) return;
      sessionErrors.error(err, 'La session n’a pas été fermée');
      focusRegion(sessionErrors);
      return;
    }
    if (!ctx.current) return;
    await showSessions();
    sessionsHeading.focus();
    sessionNotices.show('success', null, done);
  }

  async function resetTotp() {
    totpNotices.clear();
    totpErrors.clear();
    let result;
    try {
      result = await api.delete(`/people/${encodeURIComponent(id)}/totp`);
    } catch (err) {
      if (!ctx.current) return;
      totpErrors.error(err, 'La double authentification n’a pas été réinitialisée');
      focusRegion(totpErrors);
      return;
    }
    if (!ctx.current) return;
    totpHeading.focus();
    totpNotices.show('success', null, result.reset
      ? 'La double authentification a été réinitialisée.'
      : `${name()} n’avait pas activé la double authentification.`);
  }

  async function reload() {
    person = (await request('GET', `/people/${encodeURIComponent(id)}`)).data;
    if (!ctx.current) return;
    showDetails();
    showRoles();
  }

  async function removeAssignment(assignment, scope) {
    roleNotices.clear();
    roleErrors.clear();
    try {
      await api.delete(`/assignments/${encodeURIComponent(assignment.id)}`);
    } catch (err) {
      if (!ctx.current) return;
      roleErrors.error(err, 'Le rôle n’a pas été retiré');
      focusRegion(roleErrors);
      return;
    }
    if (!ctx.current) return;
    try {
      await reload();
    } catch (err) {
      roleErrors.error(err, 'La liste des rôles n’a pas pu être rechargée');
    }
    rolesHeading.focus();
    roleNotices.show('success', null, `Le rôle « ${roleLabel(assignment.role)} » (${scope}) a été retiré.`);
  }

  function addRoleForm() {
    const role = selectField({
      label: 'Rôle', name: 'role', placeholder: 'Sélectionner un rôle', required: true,
      options: Object.entries(ROLE_LABELS).map(([value, label]) => ({ value, label })),
    });
    const scopeKind = selectField({
      label: 'Type de périmètre', name: 'scope_kind', required: true, value: 'academy',
      options: Object.entries(SCOPE_KINDS).map(([value, label]) => ({ value, label })),
    });
    const scope = structurePicker({
      label: 'Périmètre', required: true,
      kind: () => (scopeKind.control.value === 'academy' ? null : scopeKind.control.value),
    });
    const scopeCol = h('div', { class: 'fr-col-12 fr-col-md-4', hidden: true }, scope.group);
    const fields = { role, scope_kind: scopeKind, scope_id: scope };
    const errors = liveRegion('alert');
    const submit = h('button', { class: 'fr-btn fr-icon-add-line fr-btn--icon-left', type: 'submit' }, 'Ajouter le rôle');

    /** The structure is asked for (and required) only for a scope narrower than the académie. */
    function showScope(shown) {
      scopeCol.hidden = !shown;
      scope.control.required = shown;
      if (shown) scope.control.setAttribute('aria-required', 'true');
      else scope.control.removeAttribute('aria-required');
    }

    async function loadScopes() {
      const kind = scopeKind.control.value;
      scope.clearError();
      if (kind === 'academy') {
        showScope(false);
        return;
      }
      showScope(true);
      scope.search.value = '';
      const page = await scope.refresh();
      if (page && !page.total) scope.setError(`Aucune structure de type « ${scopeKindLabel(kind)} » : créez-la d’abord dans Annuaire › Structures.`);
    }

    role.control.addEventListener('change', () => {
      const preferred = DEFAULT_SCOPE[role.control.value];
      if (preferred && preferred !== scopeKind.control.value) {
        scopeKind.control.value = preferred;
        loadScopes();
      }
    });
    scopeKind.control.addEventListener('change', loadScopes);
    showScope(scopeKind.control.value !== 'academy');

    const form = h('form', { novalidate: true, class: 'fr-mt-4w app-panel', 'aria-labelledby': 'ajout-role-titre' },
      h('h3', { id: 'ajout-role-titre', class: 'fr-h5' }, `Ajouter un rôle à ${name()}`),
      h('p', { class: 'fr-text--sm' }, 'Tous les champs sont obligatoires. Le type de périmètre habituel du rôle est proposé.'),
      errors.node,
      h('div', { class: 'fr-grid-row fr-grid-row--gutters' },
        h('div', { class: 'fr-col-12 fr-col-md-4' }, role.group),
        h('div', { class: 'fr-col-12 fr-col-md-4' }, scopeKind.group),
        scopeCol),
      h('ul', { class: 'fr-btns-group fr-btns-group--inline-md fr-btns-group--icon-left fr-mt-2w' }, h('li', null, submit)));

    form.addEventListener('submit', async (event) => {
      event.preventDefault();
      errors.clear();
      roleNotices.clear();
      roleErrors.clear();
      clearFormErrors(fields);
      // A hidden field is not asked for: « Toute l’académie » has no structure.
      if (!checkRequired(scopeCol.hidden ? { role, scope_kind: scopeKind } : fields)) return;
      const body = { role: role.control.value, scope_kind: scopeKind.control.value };
      if (body.scope_kind !== 'academy') body.scope_id = Number(scope.control.value) || scope.control.value;
      const scopeName = body.scope_kind === 'academy'
        ? SCOPE_KINDS.academy
        : scope.control.selectedOptions[0]?.textContent || '';
      await whileBusy(submit, async () => {
        try {
          await api.post(`/people/${encodeURIComponent(id)}/assignments`, body);
        } catch (err) {
          if (ctx.current) showFormError(err, fields, errors, 'Le rôle n’a pas été ajouté');
          return;
        }
        if (!ctx.current) return;
        try {
          await reload();
        } catch (err) {
          roleErrors.error(err, 'La liste des rôles n’a pas pu être rechargée');
        }
        role.control.value = '';
        rolesHeading.focus();
        roleNotices.show('success', null, `Le rôle « ${roleLabel(body.role)} » (${scopeName}) a été ajouté.`);
      });
    });
    return form;
  }
}

/** "Académie" or "Circonscription : Lyon 3". */
function scopeText(assignment) {
  if (assignment.scope_kind === 'academy') return SCOPE_KINDS.academy;
  const kind = scopeKindLabel(assignment.scope_kind);
  return assignment.scope_name ? `${kind} : ${assignment.scope_name}` : kind;
}
