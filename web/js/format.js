// How the screens of every module write dates, times, names and numbers
// for French readers. Plain functions over the API's values: they return
// text (never markup) and a dash for what is missing.

/** A Date from the API's ISO text, or null. */
function parseDate(value) {
  if (!value) return null;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? null : date;
}

/** « mardi 24 novembre 2026 à 09:00 » (in the browser's time zone). */
export function formatDateTime(value) {
  const date = parseDate(value);
  if (!date) return value || '—';
  const day = new Intl.DateTimeFormat('fr-FR', { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' }).format(date);
  const time = new Intl.DateTimeFormat('fr-FR', { hour: '2-digit', minute: '2-digit' }).format(date);
  return `${day} à ${time}`;
}

/** « 24 novembre 2026 à 09:00 »: a moment in a record (last sign-in, last change). */
export function formatMoment(value) {
  const date = parseDate(value);
  if (!date) return value || '—';
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'long', timeStyle: 'short' }).format(date);
}

/** « 24 novembre 2026 ». */
export function formatDate(value) {
  const date = parseDate(value);
  if (!date) return value || '—';
  return new Intl.DateTimeFormat('fr-FR', { day: 'numeric', month: 'long', year: 'numeric' }).format(date);
}

/** « 24/11/2026 09:00 », short, for tables on small screens. */
export function formatShort(value) {
  const date = parseDate(value);
  if (!date) return value || '—';
  return new Intl.DateTimeFormat('fr-FR', { dateStyle: 'short', timeStyle: 'short' }).format(date);
}

/** True when the moment has passed. */
export function isPast(value) {
  const date = parseDate(value);
  return date ? date.getTime() < Date.now() : false;
}

/** 14.5 → « 14,5 » (a decimal as French readers write it). */
export function formatDecimal(value) {
  if (value === null || value === undefined || value === '') return '—';
  return String(value).replace('.', ',');
}

/** The name to show for a person of the API ({display_name, username}) or a plain string. */
export function personName(person) {
  if (!person) return null;
  if (typeof person === 'string') return person;
  return person.display_name || person.username || null;
}

/** « Camille Martin (cmartin) »: a person among others that may share a name. */
export function personLabel(person) {
  const name = personName(person);
  return person?.username && name !== person.username ? `${name} (${person.username})` : name;
}

/** « École Les Tilleuls (0691234A) »: a structure with its code when it has one. */
export function structureLabel(structure) {
  if (!structure) return '—';
  return structure.code ? `${structure.name} (${structure.code})` : structure.name;
}

/** « Tuteur Inspé » → « tuteur Inspé » (only the first letter). */
export function lowerFirst(text) {
  const s = String(text ?? '');
  return s.charAt(0).toLowerCase() + s.slice(1);
}

/**
 * « de » before a name, elided before a vowel as French writes it:
 * of('Inès Roux') is « d’Inès Roux », of('Camille Martin') « de Camille Martin ».
 */
export function of(name) {
  const text = String(name ?? '');
  return /^[aeiouyàâäéèêëîïôöùûüœæ]/i.test(text) ? `d’${text}` : `de ${text}`;
}
