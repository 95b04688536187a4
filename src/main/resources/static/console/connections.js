// Connections to source systems: add one for a connector of connectors/ (its ingest URL and
// signing secret are shown this once), a connection's page with its recent ingest events and their
// outcome, switching it off, and rotating its secret (a new one made in the browser, sent once).
import { get, patch, post } from './api.js';
import { badge, facts, field, formProblem, h, shortId, showProblem, table, values, when } from './dom.js';

// The connectors shipped in connectors/ (the API names an unknown one at the field).
const SHIPPED = ['shopify', 'woocommerce', 'square', 'pers-webhook', 'hubspot', 'cloudbeds'];
const OUTCOMES = ['', 'RECEIVED', 'CLAIMED', 'REVERSED', 'REJECTED', 'UNMATCHED'];

export async function connections(view) {
  const list = await get('/v2/connectors');
  const input = (name, attributes = {}) => h('input', { name, autocomplete: 'off', ...attributes });
  const form = h('form', { class: 'grid', novalidate: true },
    field('Connector', input('connector', { list: 'connector-names' }), 'a folder of connectors/, e.g. shopify'),
    h('datalist', { id: 'connector-names' }, SHIPPED.map((name) => h('option', { value: name }))),
    field('Description', input('description')),
    field('Signing secret', input('signingSecret', { type: 'password' }), 'the secret the system already signs with (Shopify: the app\'s client secret); empty: PERS makes one'),
    h('details', {}, h('summary', {}, 'A polled connector (Cloudbeds): where PERS reads'),
      field('Base URL', input('baseUrl')),
      field('Account', input('accountId')),
      field('Credential', input('credential', { type: 'password' }), 'stored encrypted, never shown again')),
    formProblem(),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, 'Connect')));
  const made = h('div', { 'data-testid': 'new-connection' });
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const created = await post('/v2/connectors', values(form));
      form.reset();
      made.replaceChildren(secretOnce(created.connection.id, created.ingestUrl, created.signingSecret));
    } catch (error) {
      showProblem(form, error);
    }
  });
  view.replaceChildren(
    h('h2', {}, `Connections (${list.length})`),
    table([
      ['Connector', (c) => c.connector],
      ['Description', (c) => c.description],
      ['Active', (c) => badge(c.active ? 'ACTIVE' : 'INACTIVE')],
      ['Polling', (c) => c.polling && badge(c.polling.status)],
      ['Created', (c) => when(c.createdAt)],
      ['Connection', (c) => shortId(c.id)],
    ], list, { onRow: (c) => { location.hash = `#/connections/${c.id}`; }, testId: 'connections', empty: 'No connections yet.' }),
    h('h2', {}, 'Add a connection'), form, made);
}

/** What the source system is configured with; the secret is never shown again. */
function secretOnce(id, ingestUrl, secret) {
  return h('div', { class: 'notice' },
    h('p', {}, 'Configure the source system with these. The secret is shown this once.'),
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
