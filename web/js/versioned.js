// Records several people edit: read with their version (the ETag), written
// with If-Match, and the choice an edit form offers when someone else saved
// in between (412): save my input over theirs, or take what is stored.

import { request, ApiError } from './api.js';
import { h, replace } from './dom.js';
import { button, buttonGroup, focusRegion } from './ui.js';

/** The version to send with If-Match after a GET or a write: the ETag, else the body's version, else fallback. */
export function versionOf(res, fallback) {
  if (res?.etag) return res.etag;
  if (res?.data && typeof res.data === 'object' && res.data.version != null) return res.data.version;
  return fallback;
}

/** True for the answer to a write whose If-Match was no longer the stored version. */
export function isConflict(err) {
  return err instanceof ApiError && err.status === 412;
}

/**
 * A record of the API at `path` (« /people/12 »). read() GETs it and keeps
 * { data, version }; write(method, body, { path }) sends If-Match with that
 * version and keeps the version of the answer. A 412 rejects with ApiError
 * (see isConflict, offerConflictChoice).
 */
export function versionedRecord(path) {
  const record = {
    data: null,
    version: null,
    async read() {
      const res = await request('GET', path);
      record.data = res.data;
      record.version = versionOf(res, res.data?.version ?? null);
      return record.data;
    },
    async write(method, body, { path: target = path } = {}) {
      const res = await request(method, target, { body, ifMatch: record.version });
      record.version = versionOf(res, record.version);
      return res;
    },
  };
  return record;
}

/**
 * After a 412 on a form: reads the record again, so that the next write
 * carries the stored version, and shows in `region` (a ui.liveRegion) the
 * two ways on, with the user's input left in the form:
 *   « Enregistrer mes saisies »: saveAgain() writes them over the stored version;
 *   « Reprendre la version enregistrée »: useStored(record.data) puts the
 *   stored version in the form (the user's input is then dropped).
 * options: title and message of the warning, saveAgain, useStored.
 */
export async function offerConflictChoice(record, region, {
  title = 'Modifié entre-temps',
  message = 'Quelqu’un d’autre a enregistré une modification pendant que vous faisiez la vôtre.',
  saveAgain, useStored,
}) {
  try {
    await record.read();
  } catch (err) {
    region.error(err, 'La version enregistrée n’a pas pu être relue');
    focusRegion(region);
    return;
  }
  const keep = button('Enregistrer mes saisies', {
    size: 'sm', icon: 'save-line',
    onClick: () => { region.clear(); saveAgain(); },
  });
  const take = button('Reprendre la version enregistrée', {
    kind: 'secondary', size: 'sm', icon: 'refresh-line',
    onClick: () => {
      useStored(record.data);
      region.show('info', null, 'Le formulaire affiche maintenant la version enregistrée.');
      focusRegion(region);
    },
  });
  replace(region.node, h('div', { class: 'fr-alert fr-alert--warning' },
    h('h3', { class: 'fr-alert__title' }, title),
    h('p', null, message, ' Vos saisies sont gardées dans le formulaire : enregistrez-les à la place de la version enregistrée, ou reprenez la version enregistrée (vos saisies seront alors abandonnées).'),
    buttonGroup([keep, take], { extra: 'fr-btns-group--sm fr-btns-group--icon-left fr-mt-2w' })));
  focusRegion(region);
}
