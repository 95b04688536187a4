// People: a user found by email or id, with their balances, what is about to expire, their tier,
// their claims and their redemptions (GET /v2/redemption-redeems?userId=).
import { get } from './api.js';
import { badge, facts, h, shortId, table, when } from './dom.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function people(view, params) {
  const q = params.get('q') || '';
  const search = h('input', { name: 'q', value: q, 'aria-label': 'Email or user id', placeholder: 'email or user id', autocomplete: 'off' });
  const form = h('form', { class: 'toolbar' }, search, h('button', { type: 'submit' }, 'Find'));
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/people?q=${encodeURIComponent(search.value.trim())}&at=${Date.now()}`;
  });
  view.replaceChildren(h('h2', {}, 'People'), form);
  if (!q) return;
  const user = UUID.test(q)
    ? await get(`/v2/users/${q}`)
    : (await get(`/v2/users?email=${encodeURIComponent(q)}&size=1`)).items[0];
  if (!user) {
    view.append(h('p', { class: 'muted', 'data-testid': 'person' }, `No user with the email ${q}.`));
    return;
  }
  const [balances, expiring, status, claims, redeems, redemptions, tokens] = await Promise.all([
    get(`/v2/balances/users/${user.id}`),
    get(`/v2/balances/users/${user.id}/expiring`),
    get(`/v2/users/${user.id}/status`),
    get(`/v2/campaigns/claims?userId=${user.id}&size=50&sort=createdAt,desc`),
    get(`/v2/redemption-redeems?userId=${user.id}&size=50&sort=createdAt,desc`),
    get('/v2/redemptions?size=200'),
    get('/v2/tokens'),
  ]);
  const redemptionName = (id) => redemptions.items.find((r) => r.id === id)?.name ?? id.slice(0, 8);
  const symbol = (id) => tokens.find((t) => t.id === id)?.symbol ?? id.slice(0, 8);
  view.append(
    h('div', { 'data-testid': 'person' }, facts([
      ['Email', user.email],
      ['External id', user.externalId],
      ['Name', [user.firstName, user.lastName].filter(Boolean).join(' ')],
      ['Tier', status.tier?.name ?? 'none'],
      ['Since', when(user.createdAt)],
      ['Id', h('code', {}, user.id)],
    ])),
    h('h2', {}, 'Balances'),
    table([
      ['Token', (b) => b.symbol],
      ['Amount', (b) => b.amount],
      ['Decimals', (b) => b.decimals],
    ], balances, { testId: 'balances', empty: 'No tokens yet.' }),
    h('h2', {}, 'About to expire'),
    table([
      ['Token', (e) => e.symbol],
      ['Amount', (e) => e.amount],
      ['Gone at', (e) => when(e.expiresAt)],
    ], expiring, { testId: 'expiring', empty: 'Nothing expires.' }),
    h('h2', {}, `Claims (${claims.total})`),
    table([
      ['Claim', (c) => shortId(c.id)],
      ['Status', (c) => badge(c.status)],
      ['Reason', (c) => c.rejectionCode || c.failureReason],
      ['Campaign', (c) => h('a', { href: `#/campaigns/${c.campaignId}` }, c.campaignId.slice(0, 8))],
      ['Created', (c) => when(c.createdAt)],
    ], claims.items, { onRow: (c) => { location.hash = `#/claims/${c.id}`; }, testId: 'person-claims', empty: 'No claims.' }),
    h('h2', {}, `Redemptions (${redeems.total})`),
    table([
      ['Redeem', (r) => shortId(r.id)],
      ['Redemption', (r) => redemptionName(r.redemptionId)],
      ['Status', (r) => badge(r.status)],
      ['Cost', (r) => `${r.costAmount} ${symbol(r.costTokenId)}${r.discountBps ? ` (list ${r.listCostAmount}, ${r.statusTierName ?? 'tier'} discount)` : ''}`],
      ['Reason', (r) => r.failureCode && `${r.failureCode}: ${r.failureReason ?? ''}`],
      ['Business', (r) => shortId(r.businessId)],
      ['Asked', (r) => when(r.createdAt)],
      ['Decided', (r) => when(r.decidedAt)],
    ], redeems.items, { testId: 'person-redeems', empty: 'No redemptions.' }));
}
