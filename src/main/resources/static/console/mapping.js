// One trigger mapping, written or edited with the API's own checks as you type: each change sends
// the draft to simulate (which checks it as a save would) against a connector's sample or a
// connection's last real events, and shows the problem at the field or the verdicts. Then save,
// switch on or off, delete, and its versions.
import { del, get, patch, post } from './api.js';
import { badge, field, formProblem, h, options, showProblem, shortId, table, values, when, clearProblems } from './dom.js';

const EXPRESSIONS = [
  ['condition', 'Condition', 'CEL over event: when it fires; empty: always'],
  ['multiplier', 'Multiplier', 'CEL: how many times the campaign\'s token units; empty: 1'],
  ['reference', 'Order reference', 'CEL: the order a refund reverses (REVERSE needs it)'],
  ['amount', 'Amount', 'CEL: the order\'s amount, for partial refunds'],
];

export async function mappingForm(view, params, id) {
  const [found, campaigns, connections, types] = await Promise.all([
    id ? get(`/v2/trigger-mappings/${id}`) : null,
    get('/v2/campaigns?size=200&sort=createdAt,desc'),
    get('/v2/connectors'),
    get('/v2/connector-types'),
  ]);
  // The connectors this instance runs (GET /v2/connector-types): the sources, their canonical event
  // types, and the samples simulate takes.
  const source = found?.source ?? types[0]?.name ?? '';
  const typeOf = (name) => types.find((t) => t.name === name);
  const eventTypes = (name) => [...new Set(Object.values(typeOf(name)?.events ?? {}))].sort();
  const input = (name, attributes = {}) => h('input', { name, autocomplete: 'off', spellcheck: 'false', ...attributes });
  const form = h('form', { class: 'grid', novalidate: true },
    field('Source', h('select', { name: 'source' }, options([
      ...types.map((t) => [t.name, `${t.title} (${t.name})`]),
      ...(typeOf(source) || !source ? [] : [[source, `${source} (not loaded)`]])], source)),
      'the connector whose events it judges'),
    field('Event type', input('eventType', { value: found?.eventType ?? eventTypes(source)[0] ?? '', list: 'event-types' }),
      'a canonical type the connector declares'),
    h('datalist', { id: 'event-types' }),
    field('Action', h('select', { name: 'action' }, options([['CLAIM', 'CLAIM: earns'], ['REVERSE', 'REVERSE: takes back']], found?.action))),
    field('Campaign', h('select', { name: 'campaignId' },
      options(campaigns.items.map((c) => [c.id, `${c.name} · ${c.id.slice(0, 8)}`]), found?.campaignId ?? params.get('campaign'), 'choose a campaign'))),
    EXPRESSIONS.map(([name, label, hint]) => field(label, input(name, { value: found?.[name] ?? '', class: 'mono' }), hint)),
    field('Active', input('active', { type: 'checkbox', checked: found ? found.active : false }), 'live for the next event once saved'),
    formProblem(),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, id ? 'Save mapping' : 'Create mapping')));

  const against = h('form', { class: 'toolbar' },
    h('label', {}, 'Try it against', h('select', { name: 'against', 'aria-label': 'Try it against' },
      options([['sample', 'a sample of connectors/'], ...connections.map((c) => [c.id, `the last events of ${c.connector} ${c.id.slice(0, 8)}`])]))),
    h('label', {}, 'Sample', h('select', { name: 'sample', 'aria-label': 'Sample' })),
    h('button', { type: 'button', onclick: () => check() }, 'Simulate'));
  const verdicts = h('div', { 'data-testid': 'draft-simulation' });
  // The source's samples first, then every other connector's.
  function offer() {
    const chosen = form.source.value;
    const ordered = [...types].sort((a, b) => (b.name === chosen) - (a.name === chosen));
    against.sample.replaceChildren(...options(ordered.flatMap((t) => t.samples.map((name) => [`${t.name}/${name}`, `${t.name}/${name}`]))).filter(Boolean));
    form.querySelector('#event-types').replaceChildren(...eventTypes(chosen).map((type) => h('option', { value: type })));
  }
  form.source.addEventListener('change', () => {
    const declared = eventTypes(form.source.value);
    if (!declared.includes(form.eventType.value)) form.eventType.value = declared[0] ?? '';
    offer();
  });
  offer();

  // Only the latest answer is shown: a slower earlier one must not overwrite it.
  let asked = 0;
  async function check() {
    const mine = ++asked;
    const events = against.against.value === 'sample'
      ? { sample: against.sample.value }
      : { connectionId: against.against.value, last: 10 };
    try {
      // Judged as it would decide once on: a draft saved switched off would otherwise never fire.
      const simulation = await post('/v2/trigger-mappings/simulate', { ...events, mapping: { ...body(), active: true } });
      if (mine !== asked) return;
      clearProblems(form);
      verdicts.replaceChildren(outcomes(simulation.events));
    } catch (error) {
      if (mine !== asked) return;
      showProblem(form, error);
      verdicts.replaceChildren();
    }
  }
  function body() {
    const v = values(form);
    // Every expression goes as typed, '' included: on a change, '' removes it.
    for (const [name] of EXPRESSIONS) v[name] = form[name].value.trim();
    return v;
  }
  let timer;
  form.addEventListener('input', () => { clearTimeout(timer); timer = setTimeout(check, 300); });
  against.addEventListener('change', check);
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const saved = id ? await patch(`/v2/trigger-mappings/${id}`, body()) : await post('/v2/trigger-mappings', body());
      location.hash = `#/mappings/${saved.id}?saved=${saved.version ?? Date.now()}`;
    } catch (error) {
      showProblem(form, error);
    }
  });

  const versions = found ? await get(`/v2/trigger-mappings/${id}/versions`) : null;
  view.replaceChildren(...[
    h('p', {}, h('a', { href: '#/mappings' }, '← Trigger mappings')),
    h('h2', {}, found ? `Mapping ${found.id.slice(0, 8)} · version ${found.version}` : 'New mapping'),
    found && h('p', {}, badge(found.active ? 'ACTIVE' : 'INACTIVE'), ' ',
      h('button', { type: 'button', onclick: () => switchTo(!found.active) }, found.active ? 'Turn off' : 'Turn on'), ' ',
      h('button', { type: 'button', class: 'danger', onclick: remove }, 'Delete')),
    h('div', { class: 'columns' },
      h('div', {}, form),
      h('div', {}, h('h3', {}, 'What it would do'),
        h('p', { class: 'muted' }, 'Checked as you type, as a save would check it; claims and stores nothing.'),
        against, verdicts)),
    found && h('h2', {}, 'Versions'),
    found && table([
      ['Version', (v) => v.version],
      ['Active', (v) => (v.deleted ? 'deleted' : v.active ? 'yes' : 'no')],
      ['Condition', (v) => v.condition && h('code', {}, v.condition)],
      ['Multiplier', (v) => h('code', {}, v.multiplier)],
      ['Campaign', (v) => shortId(v.campaignId)],
      ['By', (v) => v.createdBy],
      ['At', (v) => when(v.createdAt)],
    ], versions, { testId: 'versions' }),
  ].filter(Boolean));
  check();

  async function switchTo(active) {
    try {
      await patch(`/v2/trigger-mappings/${id}`, { active });
      location.hash = `#/mappings/${id}?at=${Date.now()}`;
    } catch (error) {
      showProblem(form, error);
    }
  }
  async function remove() {
    try {
      await del(`/v2/trigger-mappings/${id}`);
      location.hash = '#/mappings';
    } catch (error) {
      showProblem(form, error);
    }
  }
}

/** Per event: whether it fires, and each mapping's verdict or why not. */
export function outcomes(events) {
  return table([
    ['Event', (e) => h('code', {}, e.eventId)],
    ['Subject', (e) => e.subject],
    ['Fires', (e) => badge(e.fires ? 'FIRES' : 'NO')],
    ['Multiplier', (e) => e.mappings.map((v) => v.multiplier).filter((m) => m != null).join(', ')],
    ['Why not', (e) => e.reason || e.mappings.map((v) => v.reason).filter(Boolean).join('; ')],
  ], events, { testId: 'draft-verdicts', empty: 'No events to try it on.' });
}
