// What the site's screens of SOPA share (« Stages SOPA » and
// « Organisation des stages SOPA »): the French words of the periods and
// the sites the caller may see. The statuses of a placement's report and
// the periods' dates are reference.js's, the words every SOPA screen uses.
// GET /api/v1/years, GET /api/v1/sopa/sites?year_id=

import { api, withQuery } from '../../api.js';

export { periodDates, statusBadge } from './reference.js';

/** The stage a period belongs to (SOPA 1 and 4 are the two weeks of stage 1). */
export function stageLabel(period) {
  if (period.number === 1) return 'Stage 1 (première semaine)';
  if (period.number === 4) return 'Stage 1 (seconde semaine)';
  return `Stage ${period.stage ?? period.number}`;
}

/** The semester of the UE4 a period counts for: SOPA 1-2 → 1, SOPA 3-4 → 2. */
export const semesterOf = (number) => (Number(number) <= 2 ? 1 : 2);

export const MONTHS = { 1: 'octobre', 2: 'novembre', 3: 'mars', 4: 'mai' };

/** « SOPA 2 (novembre) ». */
export const periodName = (number) => `SOPA ${number} (${MONTHS[number] || ''})`.replace(' ()', '');

export { years } from '../../years.js';

/** The year a site's screen shows: the address's `annee`, else the current one (an id, as text). */
export function yearOf(query, allYears) {
  return query.get('annee') || String((allYears.find((y) => y.current) || allYears[0] || {}).id || '');
}

/** The sites of the caller for a year ({items}). */
export async function sitesOf(yearId) {
  const out = [];
  for (;;) {
    const page = await api.get(withQuery('/sopa/sites', { year_id: yearId, limit: 200, offset: out.length }));
    const got = page?.items || [];
    out.push(...got);
    if (!got.length || out.length >= (page.total ?? out.length)) return out;
  }
}

/** The period a screen opens on: the last one ended, else the first. */
export function defaultPeriod(periods, today = new Date().toISOString().slice(0, 10)) {
  const ended = (periods || []).filter((p) => p.ends_on < today).map((p) => p.number);
  return String(ended.length ? Math.max(...ended) : 1);
}

export const MANAGES = (site) => (site?.my_relations || []).includes('site_manager');
export const OFFICE = (site) => (site?.my_relations || []).includes('site_office');
