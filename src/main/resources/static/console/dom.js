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

const GOOD = ['COMPLETED', 'SETTLED', 'DELIVERED', 'UP', 'FIRES', 'ACTIVE', 'CLAIMED'];
const PENDING = ['RUNNING', 'PENDING', 'PENDING_SETTLEMENT', 'DECIDING', 'RETRY', 'SCHEDULED', 'RECEIVED', 'INACTIVE'];

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

/** A labelled form control with the place its problem goes: h('input', …) named `name`. */
export function field(label, control, hint) {
  return h('label', {}, label, control, hint && h('small', { class: 'muted' }, hint),
    h('span', { class: 'field-error error', 'data-error-for': control.name, role: 'alert' }));
}

export function clearProblems(form) {
  for (const slot of form.querySelectorAll('[data-error-for]')) slot.textContent = '';
  for (const invalid of form.querySelectorAll('[aria-invalid]')) invalid.removeAttribute('aria-invalid');
}

/**
 * Shows the API's problem (code and detail) next to the field it concerns: each of its `errors`
 * (or its `field`) at the control of that name (`trigger.maxMultiplier` and `tokenUnits[0].amount`
 * at maxMultiplier and amount); else the field its detail names ("endDate must …", "Field
 * 'amount' …", "mapping.condition: …"); else at the form's own slot (data-error-for="").
 */
export function showProblem(form, error) {
  clearProblems(form);
  const slots = [...form.querySelectorAll('[data-error-for]')];
  const own = slots.find((s) => s.dataset.errorFor === '');
  const slotOf = (path) => {
    if (!path) return undefined;
    const last = path.replace(/\[\d+\]/g, '').split('.').pop();
    return slots.find((s) => s.dataset.errorFor === path) || slots.find((s) => s.dataset.errorFor === last);
  };
  const code = error.code ?? 'ERROR';
  const named = error.errors?.length ? error.errors : error.field ? [{ field: error.field, detail: error.message }] : [];
  let first;
  for (const problem of named) {
    const slot = slotOf(problem.field) ?? own;
    const text = slot === own ? `${problem.field}: ${problem.detail}` : problem.detail;
    slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : `${code}: ${text}`;
    slot.closest('label')?.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
    first ??= slot;
  }
  if (first) return first;
  const detail = error.message ?? '';
  const word = detail.match(/^(?:Field ')?(?:mapping\.)?([A-Za-z]+)/);
  const slot = (word && slots.find((s) => s.dataset.errorFor === word[1])) || own;
  slot.textContent = `${code}: ${detail}`;
  slot.closest('label')?.querySelector('input, select, textarea')?.setAttribute('aria-invalid', 'true');
  return slot;
}

/** The form's own problem slot, for problems that name none of its fields. */
export const formProblem = () => h('p', { class: 'field-error error', 'data-error-for': '', role: 'alert' });

/** A form's named controls as an object: checkboxes as booleans, blank values left out. */
export function values(form) {
  const out = {};
  for (const control of form.elements) {
    if (!control.name) continue;
    if (control.type === 'checkbox') out[control.name] = control.checked;
    else if (control.value.trim() !== '') out[control.name] = control.value.trim();
  }
  return out;
}

export function options(list, selected, blank) {
  return [blank !== undefined && h('option', { value: '' }, blank),
    ...list.map(([value, text]) => h('option', { value, selected: value === selected }, text))];
}
