// The school years of the académie (GET /api/v1/years), read once per page
// load: every module's screens that choose or default a year share them.

import { api } from './api.js';

let yearsCache = null;

/** The school years (newest first); the current one has `current: true`. */
export async function years() {
  if (!yearsCache) yearsCache = api.get('/years').then((d) => d.items || []).catch((err) => { yearsCache = null; throw err; });
  return yearsCache;
}

/** The current school year, else the newest, else null. */
export async function currentYear() {
  const list = await years();
  return list.find((y) => y.current) || list[0] || null;
}
