// The trends of a dashboard as charts in the DSFR's style (docs/pilotage.md,
// « Trends »): inline SVG drawn with DOM calls, coloured by the DSFR's
// tokens (web/css/pilotage.css), no chart library. Each chart is an image
// (role="img") whose name says what it shows and that the figures are in
// the captioned table right below it (RGAA 1.3: the table is the chart's
// text alternative, with the same figures).

import { h } from '../../dom.js';
import { table, rowHeader } from '../../ui.js';

const NS = 'http://www.w3.org/2000/svg';

/** An SVG element with its attributes and children (SVG nodes or text). */
function svg(tag, attrs, ...children) {
  const el = document.createElementNS(NS, tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value !== null && value !== undefined) el.setAttribute(name, String(value));
  }
  for (const child of children.flat(Infinity)) {
    if (child === null || child === undefined || child === false) continue;
    el.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return el;
}

const MONTHS = ['janv.', 'févr.', 'mars', 'avr.', 'mai', 'juin', 'juil.', 'août', 'sept.', 'oct.', 'nov.', 'déc.'];
const MONTH_NAMES = ['janvier', 'février', 'mars', 'avril', 'mai', 'juin', 'juillet', 'août', 'septembre', 'octobre', 'novembre', 'décembre'];

/** « septembre 2025 » for "2025-09". */
export function monthName(month) {
  const [y, m] = month.split('-').map(Number);
  return `${MONTH_NAMES[m - 1]} ${y}`;
}

/** « semaine du 1er septembre 2025 » for a Monday (YYYY-MM-DD). */
export function weekName(startsOn) {
  const [y, m, d] = startsOn.split('-').map(Number);
  return `${d === 1 ? '1er' : d} ${MONTH_NAMES[m - 1]} ${y}`;
}

const W = 720; // the drawing's width (viewBox units)
const H = 220;
const LEFT = 36;
const BOTTOM = 28;
const TOP = 10;

/** The scale of the y axis: a round maximum and its ticks. */
function scale(max) {
  const top = Math.max(1, max);
  const step = top <= 5 ? 1 : Math.ceil(top / 4);
  const ticks = [];
  for (let v = 0; v <= top + step - 1; v += step) ticks.push(v);
  return { top: ticks.at(-1) || 1, ticks };
}

/** The frame of a bar chart: horizontal grid lines with their values. */
function frame(ticks, top) {
  const y = (v) => TOP + (H - TOP - BOTTOM) * (1 - v / top);
  return {
    y,
    nodes: ticks.map((v) => svg('g', { class: 'app-chart__grid' },
      svg('line', { x1: LEFT, x2: W, y1: y(v), y2: y(v) }),
      svg('text', { x: LEFT - 6, y: y(v) + 4, 'text-anchor': 'end' }, v.toLocaleString('fr-FR')))),
  };
}

/** A legend: coloured marks and their words (the marks are decoration). */
function legend(items) {
  return h('ul', { class: 'app-chart__legend' }, items.map(([cls, text]) => h('li', null,
    h('span', { class: `app-chart__swatch ${cls}`, 'aria-hidden': 'true' }), text)));
}

/**
 * Visits per ISO week against the plan: for each week a light bar (the
 * visits planned) with a dark one inside (those done), then the same
 * figures as a table.
 */
export function weeksChart(weeks, id) {
  const caption = 'Visites prévues et faites, par semaine';
  const tableId = `${id}-tableau`;
  const { top, ticks } = scale(Math.max(0, ...weeks.map((w) => Math.max(w.planned, w.done))));
  const { y, nodes } = frame(ticks, top);
  const slot = (W - LEFT) / Math.max(1, weeks.length);
  const bars = weeks.map((w, i) => {
    const x = LEFT + i * slot;
    return svg('g', null,
      w.planned ? svg('rect', { class: 'app-chart__planned', x: x + 1, width: Math.max(1, slot - 2), y: y(w.planned), height: y(0) - y(w.planned) }) : null,
      w.done ? svg('rect', { class: 'app-chart__done', x: x + slot * 0.25, width: Math.max(1, slot * 0.5), y: y(w.done), height: y(0) - y(w.done) }) : null);
  });
  // A month's name under the first week starting in it (not under a
  // first week that ends the previous month: the names would overlap).
  let last = '';
  const labels = weeks.map((w, i) => {
    const month = w.starts_on.slice(0, 7);
    if (month === last) return null;
    last = month;
    if (i === 0 && weeks[1] && weeks[1].starts_on.slice(0, 7) !== month) return null;
    return svg('text', { class: 'app-chart__axis', x: LEFT + i * slot + 1, y: H - 8 }, MONTHS[Number(month.slice(5)) - 1]);
  });
  return h('figure', { class: 'app-chart fr-mb-3w', id },
    h('h4', { class: 'fr-h6' }, caption),
    legend([['app-chart__swatch--planned', 'Visites prévues (le calendrier des trios)'], ['app-chart__swatch--done', 'Visites faites']]),
    svg('svg', {
      class: 'app-chart__svg', viewBox: `0 0 ${W} ${H}`, role: 'img', focusable: 'false',
      'aria-label': `${caption} : graphique en barres ; les chiffres sont dans le tableau qui le suit.`,
    }, nodes, bars, labels),
    table({
      id: tableId,
      caption,
      columns: [{ label: 'Semaine du' }, { label: 'Visites prévues' }, { label: 'Visites faites' }],
      rows: weeks.map((w) => [rowHeader(h('span', null, weekName(w.starts_on), h('span', { class: 'fr-sr-only' }, ` (${w.week})`))),
        w.planned.toLocaleString('fr-FR'), w.done.toLocaleString('fr-FR')]),
    }));
}

const LEVELS = [['level_1', 'Niveau 1'], ['level_2', 'Niveau 2'], ['level_3', 'Niveau 3']];

/**
 * Open accompaniment cases per level at the end of each month: a stacked
 * bar per month, then the same figures as a table.
 */
export function levelsChart(months, id) {
  const caption = 'Accompagnements en cours par niveau, à la fin de chaque mois';
  const total = (m) => LEVELS.reduce((a, [k]) => a + (m[k] || 0), 0);
  const { top, ticks } = scale(Math.max(0, ...months.map(total)));
  const { y, nodes } = frame(ticks, top);
  const slot = (W - LEFT) / Math.max(1, months.length);
  const bars = months.map((m, i) => {
    let base = 0;
    const x = LEFT + i * slot + slot * 0.2;
    return svg('g', null, LEVELS.map(([k], l) => {
      const v = m[k] || 0;
      if (!v) return null;
      const rect = svg('rect', { class: `app-chart__level${l + 1}`, x, width: slot * 0.6, y: y(base + v), height: y(base) - y(base + v) });
      base += v;
      return rect;
    }));
  });
  const labels = months.map((m, i) => svg('text', { class: 'app-chart__axis', x: LEFT + i * slot + slot / 2, y: H - 8, 'text-anchor': 'middle' },
    MONTHS[Number(m.month.slice(5)) - 1]));
  return h('figure', { class: 'app-chart fr-mb-3w', id },
    h('h4', { class: 'fr-h6' }, caption),
    legend(LEVELS.map(([, text], l) => [`app-chart__swatch--level${l + 1}`, text])),
    svg('svg', {
      class: 'app-chart__svg', viewBox: `0 0 ${W} ${H}`, role: 'img', focusable: 'false',
      'aria-label': `${caption} : graphique en barres empilées ; les chiffres sont dans le tableau qui le suit.`,
    }, nodes, bars, labels),
    table({
      caption,
      columns: [{ label: 'Mois' }, ...LEVELS.map(([, text]) => ({ label: text })), { label: 'Total' }],
      rows: months.map((m) => [rowHeader(monthName(m.month)), ...LEVELS.map(([k]) => (m[k] || 0).toLocaleString('fr-FR')),
        total(m).toLocaleString('fr-FR')]),
    }));
}
