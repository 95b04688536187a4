// Webhook subscriptions and each one's delivery log (messages, their attempts and last errors).
import { get } from './api.js';
import { badge, facts, h, shortId, table, when } from './dom.js';

export async function webhooks(view, params) {
  const page = await get('/v2/webhooks?size=100');
  const chosen = params.get('subscription') || page.items[0]?.id;
  view.replaceChildren(
    h('h2', {}, `Webhook subscriptions (${page.total})`),
    table([
      ['Subscription', (s) => shortId(s.id)],
      ['URL', (s) => h('code', {}, s.url)],
      ['Events', (s) => (s.eventTypes.length ? s.eventTypes.join(', ') : 'all')],
      ['Enabled', (s) => (s.enabled ? 'yes' : `no${s.disabledReason ? ` (${s.disabledReason})` : ''}`)],
      ['Failing since', (s) => when(s.failingSince)],
    ], page.items, {
      onRow: (s) => { location.hash = `#/webhooks?subscription=${s.id}`; },
      testId: 'subscriptions',
      empty: 'No webhook subscriptions.',
    }));
  if (!chosen) return;
  const messages = await get(`/v2/webhooks/${chosen}/messages?size=50&sort=createdAt,desc`);
  const detail = h('div', { 'data-testid': 'message' });
  view.append(
    h('h2', {}, 'Delivery log of ', h('code', {}, chosen)),
    table([
      ['Message', (m) => shortId(m.id)],
      ['Event type', (m) => m.eventType],
      ['Status', (m) => badge(m.status)],
      ['Attempts', (m) => m.attempts],
      ['Last error', (m) => m.lastError && h('span', { class: 'error' }, m.lastError)],
      ['Delivered', (m) => when(m.deliveredAt)],
      ['Created', (m) => when(m.createdAt)],
    ], messages.items, {
      onRow: async (m) => { detail.replaceChildren(attempts(await get(`/v2/webhooks/messages/${m.id}`))); },
      testId: 'deliveries',
      empty: 'Nothing delivered to this subscription yet.',
    }),
    detail);
}

function attempts({ message, attempts: tries }) {
  return h('div', {},
    h('h2', {}, 'Attempts of ', h('code', {}, message.id)),
    facts([['Event', message.eventType], ['Body', h('code', {}, message.body)]]),
    table([
      ['#', (a) => a.attempt],
      ['HTTP', (a) => a.statusCode],
      ['Latency', (a) => `${a.latencyMs} ms`],
      ['Error', (a) => a.error],
      ['Response', (a) => a.responseExcerpt && h('code', {}, a.responseExcerpt)],
      ['At', (a) => when(a.at)],
    ], tries, { empty: 'Not attempted yet.' }));
}
