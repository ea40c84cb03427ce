// The one way the pages talk to the server: JSON over same-origin fetch,
// authenticated by the __Host-tutorat_session cookie (the access token returned by
// the login is never stored by the browser code).

const BASE = '/api/v1';

/** An API failure: HTTP status plus the problem+json members. */
export class ApiError extends Error {
  constructor(status, problem = {}, retryAfter = null) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.name = 'ApiError';
    this.status = status;             // 0 when the server could not be reached
    this.code = problem.code || (status === 0 ? 'network_error' : 'http_error');
    this.field = problem.field || null;
    this.detail = problem.detail || null;
    this.title = problem.title || null;
    // A refused import names every bad line: [{line, field, detail}].
    this.errors = Array.isArray(problem.errors) ? problem.errors : null;
    this.retryAfter = retryAfter;     // seconds, from Retry-After, or null
  }

  /** True when the service (or the network) is down rather than the request wrong. */
  get unavailable() {
    return this.status === 0 || this.status === 502 || this.status === 503 || this.status === 504;
  }
}

/** Where a 401 sends the user: the login page, remembering where they were. */
function loginUrl() {
  const params = new URLSearchParams({ session: 'expiree' });
  if (location.pathname.endsWith('/app.html') && location.hash.startsWith('#/')) {
    params.set('retour', location.hash);
  }
  return `/?${params}`;
}

function parseRetryAfter(value) {
  if (!value) return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, Math.round((date - Date.now()) / 1000));
}

/**
 * Sends one request. `path` is relative to /api/v1 ("/people?q=x").
 * Options: body (sent as JSON), raw (a Blob or File sent as is, with
 * Content-Type rawType or application/octet-stream), ifMatch (a version, sent as If-Match:
 * "<version>"), loginOn401 (default true: a 401 sends the browser to the
 * login page and the returned promise never settles, so callers stop there).
 * Resolves to { status, data, etag, headers }; rejects with ApiError.
 */
export async function request(method, path, { body, raw, rawType, ifMatch, loginOn401 = true } = {}) {
  const headers = { Accept: 'application/json, application/problem+json' };
  if (method !== 'GET' && method !== 'HEAD') headers['X-Requested-With'] = 'tutorat';
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (raw !== undefined) headers['Content-Type'] = rawType || 'application/octet-stream';
  if (ifMatch !== undefined && ifMatch !== null) {
    headers['If-Match'] = String(ifMatch).startsWith('"') ? String(ifMatch) : `"${ifMatch}"`;
  }

  let response;
  try {
    response = await fetch(BASE + path, {
      method,
      headers,
      body: raw !== undefined ? raw : (body === undefined ? undefined : JSON.stringify(body)),
      credentials: 'same-origin',
      cache: 'no-store',
    });
  } catch {
    throw new ApiError(0, { detail: null });
  }

  let data = null;
  const type = response.headers.get('Content-Type') || '';
  if (response.status !== 204 && /json/.test(type)) {
    try {
      data = await response.json();
    } catch {
      data = null;
    }
  }

  if (response.status === 401 && loginOn401) {
    window.location.assign(loginUrl());
    return new Promise(() => {});
  }
  if (!response.ok) {
    const problem = data && typeof data === 'object' ? data : {};
    throw new ApiError(response.status, problem, parseRetryAfter(response.headers.get('Retry-After')));
  }
  const etag = response.headers.get('ETag');
  return { status: response.status, data, etag: etag ? etag.replace(/^W\//, '') : null, headers: response.headers };
}

/** True for a 404: the record is absent or not visible to the caller (the API answers both alike). */
export function isNotFound(err) {
  return err instanceof ApiError && err.status === 404;
}

/** Shorthands that resolve to the JSON body. */
export const api = {
  get: async (path, opts) => (await request('GET', path, opts)).data,
  post: async (path, body, opts) => (await request('POST', path, { ...opts, body })).data,
  patch: async (path, body, opts) => (await request('PATCH', path, { ...opts, body })).data,
  delete: async (path, opts) => (await request('DELETE', path, opts)).data,
  put: async (path, body, opts) => (await request('PUT', path, { ...opts, body })).data,
};

/** Builds "/path?a=1&b=2", leaving out empty values. */
export function withQuery(path, params) {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

/**
 * Every item of a paged list ({items, total}, at most 200 a page): for the
 * short lists a select offers whole (pôles, sites, disciplines). A long
 * list is searched instead (picker.js).
 */
export async function getAll(path, params = {}) {
  const items = [];
  for (;;) {
    const page = await api.get(withQuery(path, { ...params, limit: 200, offset: items.length }));
    const got = page?.items || [];
    items.push(...got);
    if (!got.length || items.length >= (page.total ?? items.length)) return items;
  }
}

/** The sentence to show a user for a failed call (French, no jargon). */
export function describeError(err) {
  if (!(err instanceof ApiError)) {
    return 'Une erreur inattendue est survenue. Rechargez la page ; si le problème persiste, contactez l’assistance.';
  }
  // No answer at all (fetch failed): the device's connection, most often.
  if (err.status === 0) {
    return 'Connexion perdue : vérifiez votre connexion à Internet, puis réessayez.';
  }
  if (err.unavailable) return 'Le service est momentanément indisponible. Réessayez dans quelques instants.';
  switch (err.status) {
    case 403: return err.code === 'second_factor_required'
      ? 'Cette action demande une connexion avec un code de vérification : activez la double authentification (« Sécurité du compte »), puis reconnectez-vous.'
      : 'Vous n’avez pas les droits nécessaires pour cette action.';
    case 404: return 'Cette fiche n’existe pas ou plus.';
    case 409: return err.detail || 'Cette opération est en conflit avec les données existantes.';
    case 412: return 'Cette fiche a été modifiée par quelqu’un d’autre entre-temps.';
    case 413: return err.detail || 'Les données envoyées sont trop volumineuses.';
    case 415: return err.detail || 'Ce type de fichier ou de données n’est pas accepté.';
    case 422: return err.detail || 'Une valeur saisie n’est pas valide.';
    case 429: return 'Trop de demandes en peu de temps. Patientez un instant puis réessayez.';
    default: return 'Une erreur inattendue est survenue. Réessayez ; si le problème persiste, contactez l’assistance.';
  }
}
