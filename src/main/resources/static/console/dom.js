// Small DOM helpers: every value goes in as text, never as HTML.

/** An element: h('td', { class: 'mono' }, 'text', child, ...). Attributes starting with "on" are listeners. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on')) element.addEventListener(name.slice(2), value);
    else element.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children.flat()) {
    if (child === undefined || child === null) continue;
    element.append(child instanceof Node ? child : String(child));
  }
  return element;
}

/**
 * A table of rows: columns are [heading, row => cell content]; onRow(row, tr) makes rows clickable.
 * An empty list shows `empty`.
 */
export function table(columns, rows, { onRow, empty = 'Nothing yet.', testId } = {}) {
  if (!rows.length) return h('p', { class: 'muted', 'data-testid': testId }, empty);
  return h('table', { 'data-testid': testId },
    h('thead', {}, h('tr', {}, columns.map(([heading]) => h('th', {}, heading)))),
    h('tbody', {}, rows.map((row) => {
      const tr = h('tr', { class: onRow ? 'link' : null }, columns.map(([, cell]) => h('td', {}, cell(row) ?? '')));
      if (onRow) tr.addEventListener('click', () => onRow(row, tr));
      return tr;
    })));
}

const GOOD = ['COMPLETED', 'SETTLED', 'DELIVERED', 'UP', 'FIRES'];
const PENDING = ['RUNNING', 'PENDING', 'PENDING_SETTLEMENT', 'DECIDING', 'RETRY', 'SCHEDULED'];

/** A status as a coloured badge: green when done well, amber while under way, red otherwise. */
export function badge(status) {
  if (status === undefined || status === null) return '';
  const kind = GOOD.includes(status) ? 'ok' : PENDING.includes(status) ? 'warn' : 'bad';
  return h('span', { class: `badge ${kind}` }, status);
}

export function facts(pairs) {
  return h('dl', { class: 'facts' }, pairs.flatMap(([term, value]) => [h('dt', {}, term), h('dd', {}, value ?? '–')]));
}

export function when(timestamp) {
  return timestamp ? new Date(timestamp).toISOString().replace('T', ' ').replace(/\.\d+Z$/, 'Z') : '';
}

export function shortId(id) {
  return id ? h('code', { title: id }, id.slice(0, 8)) : '';
}

export function failure(error) {
  return h('p', { class: 'error', role: 'alert' }, `${error.code ?? 'ERROR'}: ${error.message}`);
}
