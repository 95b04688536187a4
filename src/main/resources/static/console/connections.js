// Connections to source systems: add one for any connector this instance runs, with the fields its
// declaration asks for (GET /v2/connector-types; its ingest URL and signing secret are shown this
// once), a connection's page with its recent ingest events and their outcome, switching it off,
// and rotating its secret (a new one made in the browser, sent once).
import { get, patch, post } from './api.js';
import { badge, facts, field, formProblem, h, options, shortId, showProblem, table, values, when } from './dom.js';

const OUTCOMES = ['', 'RECEIVED', 'CLAIMED', 'REVERSED', 'REJECTED', 'UNMATCHED'];
const CONTROL = { SECRET: 'password', URL: 'url', TEXT: 'text' };

export async function connections(view) {
  // The connectors this instance runs, each as its connector.yaml declares it (GET /v2/connector-types):
  // the form shows the fields the chosen one's connection takes, nothing else.
  const [list, types] = await Promise.all([get('/v2/connectors'), get('/v2/connector-types')]);
  const title = (name) => types.find((t) => t.name === name)?.title ?? name;
  const choice = h('select', { name: 'connector' },
    options(types.map((t) => [t.name, `${t.title} · ${t.kind === 'POLLED' ? 'polled' : 'webhook'}`]), undefined, 'choose a connector'));
  const about = h('div', { 'data-testid': 'connector-about' });
  const declared = h('div', { class: 'grid', 'data-testid': 'connector-fields' });
  const form = h('form', { class: 'grid', novalidate: true },
    field('Connector', choice, `${types.length} connectors of connectors/`),
    about, declared,
    formProblem(),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, 'Connect')));
  const show = () => {
    const type = types.find((t) => t.name === choice.value);
    about.replaceChildren(type ? describe(type) : '');
    declared.replaceChildren(...(type?.fields ?? []).map((f) => field(
      `${f.label}${f.required ? '' : ' (optional)'}`,
      h('input', { name: f.name, type: CONTROL[f.type] ?? 'text', autocomplete: 'off', required: f.required }),
      f.hint)));
  };
  choice.addEventListener('change', show);
  const made = h('div', { 'data-testid': 'new-connection' });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await post('/v2/connectors', values(form));
      form.reset();
      show();
      made.replaceChildren(secretOnce(created.connection, created.ingestUrl, created.signingSecret, title));
      listed.replaceChildren(...listing(await get('/v2/connectors')));
    } catch (error) {
      showProblem(form, error);
    }
  });
  const listing = (connected) => [
    h('h2', {}, `Connections (${connected.length})`),
    table([
      ['Connector', (c) => title(c.connector)],
      ['Description', (c) => c.description],
      ['Active', (c) => badge(c.active ? 'ACTIVE' : 'INACTIVE')],
      ['Polling', (c) => c.polling && badge(c.polling.status)],
      ['Created', (c) => when(c.createdAt)],
      ['Connection', (c) => shortId(c.id)],
    ], connected, { onRow: (c) => { location.hash = `#/connections/${c.id}`; }, testId: 'connections', empty: 'No connections yet.' })];
  const listed = h('div', {}, ...listing(list));
  view.replaceChildren(listed, h('h2', {}, 'Add a connection'), form, made);
}

/** What a connector is and does, as it declares it. */
function describe(type) {
  const s = type.signature;
  return h('div', { class: 'notice' },
    h('p', {}, type.description),
    facts([
      ['Kind', type.kind === 'POLLED' ? `polled: PERS reads GET ${type.polling.path} every ${type.polling.interval}` : 'webhook: it delivers to the ingest URL'],
      ['Signed', s && `${s.header}: ${s.algorithm}, ${s.encoding}${s.toleranceSeconds ? `, at most ${s.toleranceSeconds} s old` : ''}`],
      ['Events', Object.entries(type.events).map(([from, to]) => `${from} → ${to}`).join(' · ') || 'as posted'],
      ['Samples', type.samples.join(', ') || 'none to simulate'],
    ]));
}

/** What the source system is configured with; the secret is never shown again. */
function secretOnce(connection, ingestUrl, secret, title) {
  const id = connection.id;
  return h('div', { class: 'notice' },
    h('p', {}, ingestUrl
      ? `Configure ${title(connection.connector)} with these. The secret is shown this once.`
      : `PERS reads ${title(connection.connector)} with the credential you gave; it is never shown again.`),
    facts([
      ['Ingest URL', ingestUrl && h('code', { 'data-testid': 'ingest-url' }, ingestUrl)],
      ['Signing secret', secret && h('code', { 'data-testid': 'signing-secret' }, secret)],
      ['Connection', h('a', { href: `#/connections/${id}` }, id)],
    ]));
}

export async function connection(view, params, id) {
  const found = (await get('/v2/connectors')).find((c) => c.id === id);
  if (!found) throw Object.assign(new Error('No such connection'), { code: 'NOT_FOUND' });
  const outcome = params.get('outcome') || '';
  const query = new URLSearchParams({ connectionId: id, size: '50' });
  if (outcome) query.set('outcome', outcome);
  const events = await get(`/v2/ingest-events?${query}`);
  const filter = h('select', { name: 'outcome', 'aria-label': 'Outcome' },
    OUTCOMES.map((o) => h('option', { value: o, selected: o === outcome }, o || 'any outcome')));
  filter.addEventListener('change', () => { location.hash = `#/connections/${id}${filter.value ? `?outcome=${filter.value}` : ''}`; });
  const rotated = h('div', { 'data-testid': 'rotated' });
  const actions = h('form', { class: 'toolbar' },
    h('button', { type: 'button', onclick: () => rotate(id, rotated).catch((error) => showProblem(actions, error)) }, 'Rotate secret'),
    h('button', { type: 'button', onclick: () => activate(id, !found.active) }, found.active ? 'Switch off' : 'Switch on'),
    h('button', { type: 'button', onclick: () => { location.hash = `#/connections/${id}?outcome=${outcome}&at=${Date.now()}`; } }, 'Refresh'),
    formProblem());
  view.replaceChildren(
    h('p', {}, h('a', { href: '#/connections' }, '← Connections')),
    h('h2', {}, `${found.connector} connection`),
    facts([
      ['Active', badge(found.active ? 'ACTIVE' : 'INACTIVE')],
      ['Description', found.description],
      ['Ingest URL', h('code', {}, `${location.origin}/v2/ingest/${found.connector}/${found.id}`)],
      ['Polling', found.polling && `${found.polling.status}, last success ${when(found.polling.lastSuccessAt)} ${found.polling.lastError ?? ''}`],
      ['Id', h('code', {}, found.id)],
    ]),
    actions, rotated,
    h('h2', {}, `Recent events (${events.total})`),
    h('div', { class: 'toolbar' }, h('label', {}, 'Outcome', filter)),
    table([
      ['Received', (e) => when(e.receivedAt)],
      ['Event', (e) => h('code', {}, e.eventId)],
      ['Type', (e) => e.type],
      ['Subject', (e) => e.subject],
      ['Outcome', (e) => badge(e.outcome)],
      ['Code', (e) => e.code],
      ['Reason', (e) => e.reason],
      ['Claim', (e) => e.claimId && h('a', { href: `#/claims/${e.claimId}` }, e.claimId.slice(0, 8))],
      ['Mapping', (e) => e.mappingId && `${e.mappingId.slice(0, 8)} v${e.mappingVersion}`],
    ], events.items, { testId: 'ingest-events', empty: 'No events yet.' }));

  async function activate(connectionId, active) {
    try {
      await patch(`/v2/connectors/${connectionId}`, { active });
      location.hash = `#/connections/${connectionId}?at=${Date.now()}`;
    } catch (error) {
      showProblem(actions, error);
    }
  }
}

/** A new secret from the browser's CSPRNG, set on the connection and shown this once. */
async function rotate(id, into) {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const secret = btoa(String.fromCharCode(...bytes)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
  await patch(`/v2/connectors/${id}`, { signingSecret: secret });
  into.replaceChildren(h('div', { class: 'notice' },
    h('p', {}, 'The new secret, shown this once: set it in the source system now; deliveries signed with the old one are refused.'),
    h('code', { 'data-testid': 'signing-secret' }, secret)));
}
