// Campaigns: the list, a form to create or edit one (schedule, countries, segments) with its
// trigger (who claims, caps, the multiplier's bound) and a token unit (what a claim mints), and a
// campaign's page with its claims.
// The form is saved in one call (the API makes or changes every part in one transaction); a refusal
// shows at the field the API names.
import { get, patch, post } from './api.js';
import { badge, facts, field, formProblem, h, options, shortId, showProblem, table, values, when } from './dom.js';

const TRIGGER_TYPES = ['CLAIM_BY_SYSTEM', 'CLAIM_BY_USER', 'CLAIM_BY_BUSINESS'];
const TRIGGER_FIELDS = ['triggerType', 'maxMultiplier', 'maxPerUser', 'maxPerDay', 'minCooldownSeconds'];

export async function campaigns(view) {
  const page = await get('/v2/campaigns?size=200&sort=createdAt,desc');
  view.replaceChildren(
    h('h2', {}, `Campaigns (${page.total})`),
    h('div', { class: 'toolbar' }, h('a', { class: 'button', href: '#/campaigns/new' }, 'New campaign')),
    table([
      ['Name', (c) => c.name],
      ['Active', (c) => (c.isActive ? badge('ACTIVE') : badge('INACTIVE'))],
      ['Testnet', (c) => (c.isTestnet ? 'yes' : '')],
      ['Starts', (c) => when(c.startDate)],
      ['Ends', (c) => when(c.endDate)],
      ['Token units', (c) => c.tokenUnits.map((u) => u.amount).join(', ')],
      ['Campaign', (c) => shortId(c.id)],
    ], page.items, { onRow: (c) => { location.hash = `#/campaigns/${c.id}`; }, testId: 'campaigns', empty: 'No campaigns yet.' }));
}

export async function campaign(view, params, id) {
  const found = await get(`/v2/campaigns/${id}`);
  // Its figures since it was made (at most the 366 days an analytics range covers).
  const today = new Date().toISOString().slice(0, 10);
  const yearAgo = new Date(Date.now() - 365 * 86_400_000).toISOString().slice(0, 10);
  const made = found.createdAt.slice(0, 10);
  const [trigger, claims, tokens, figures] = await Promise.all([
    found.triggerId ? get(`/v2/campaign-triggers/${found.triggerId}`) : null,
    get(`/v2/campaigns/claims?campaignId=${id}&size=50&sort=createdAt,desc`),
    get('/v2/tokens'),
    get(`/v2/analytics/campaigns/${id}?from=${made > yearAgo ? made : yearAgo}&to=${today}`),
  ]);
  const symbol = (tokenId) => tokens.find((t) => t.id === tokenId)?.symbol ?? tokenId;
  const f = figures.data;
  view.replaceChildren(
    h('p', {}, h('a', { href: '#/campaigns' }, '← Campaigns')),
    h('h2', { 'data-testid': 'campaign-name' }, found.name),
    facts([
      ['Active', badge(found.isActive ? 'ACTIVE' : 'INACTIVE')],
      ['Testnet', found.isTestnet ? 'yes' : 'no'],
      ['Schedule', `${when(found.startDate) || 'now'} → ${when(found.endDate) || 'open'}`],
      ['Countries', found.countryCodeRestrictions?.join(', ') || 'any'],
      ['Segments', found.segmentIds?.length ? `${found.segmentIds.length} targeted` : 'everyone'],
      ['Trigger', trigger && `${trigger.triggerType}, multiplier up to ${trigger.maxMultiplier ?? 1}`],
      ['Caps', trigger && `per user ${trigger.maxPerUser ?? '–'}, per day ${trigger.maxPerDay ?? '–'}`],
      ['Mints per claim', found.tokenUnits.map((u) => `${u.amount} ${symbol(u.tokenId)}${u.maxAmount ? ` (budget ${u.maxAmount})` : ''}`).join(', ')],
      ['Id', h('code', {}, found.id)],
    ]),
    h('h2', {}, `Figures since ${figures.from}`),
    h('div', { 'data-testid': 'campaign-figures' }, facts([
      ['Claims', String(f.claims)],
      ['By status', f.byStatus.map((s) => `${s.status} ${s.claims}`).join(' · ') || 'none'],
      ['People who earned', String(f.people)],
      ['Tokens issued', f.issued.map((i) => `${i.amount} ${i.symbol}`).join(', ') || '0'],
      ['Budget used', found.tokenUnits.map((u) => (u.maxAmount
        ? `${u.usedAmount} of ${u.maxAmount} ${symbol(u.tokenId)} (${u.remaining} left)`
        : `${u.usedAmount} ${symbol(u.tokenId)}, no cap`)).join(', ') || 'no token unit'],
    ])),
    h('div', { class: 'toolbar' }, h('a', { class: 'button', href: `#/campaigns/${id}/edit` }, 'Edit')),
    h('h2', {}, `Claims (${claims.total})`),
    table([
      ['Claim', (c) => shortId(c.id)],
      ['Status', (c) => badge(c.status)],
      ['Reason', (c) => c.rejectionCode || c.failureReason],
      ['User', (c) => shortId(c.userId)],
      ['Mapping', (c) => c.mappingId && `${c.mappingId.slice(0, 8)} v${c.mappingVersion}`],
      ['Created', (c) => when(c.createdAt)],
    ], claims.items, { onRow: (c) => { location.hash = `#/claims/${c.id}`; }, testId: 'campaign-claims', empty: 'No claims yet.' }));
}

/** Create (no id) or edit: the campaign, its trigger's rules and its token unit, saved in one call. */
export async function campaignForm(view, params, id) {
  const [found, tokens, segments] = await Promise.all([
    id ? get(`/v2/campaigns/${id}`) : null, get('/v2/tokens'), get('/v2/segments')]);
  const trigger = found?.triggerId ? await get(`/v2/campaign-triggers/${found.triggerId}`) : {};
  const unit = found?.tokenUnits[0];
  const local = (instant) => (instant ? instant.slice(0, 16) : '');
  const input = (name, attributes = {}) => h('input', { name, ...attributes });
  const form = h('form', { class: 'grid', novalidate: true },
    h('fieldset', {}, h('legend', {}, 'Campaign'),
      field('Name', input('name', { value: found?.name ?? '' })),
      field('Starts', input('startDate', { type: 'datetime-local', value: local(found?.startDate) }), 'empty: now'),
      field('Ends', input('endDate', { type: 'datetime-local', value: local(found?.endDate) }), 'empty: open-ended'),
      field('Countries', input('countryCodeRestrictions', { value: found?.countryCodeRestrictions?.join(', ') ?? '' }), 'ISO codes, comma-separated; empty: any'),
      field('Segments', h('select', { name: 'segmentIds', multiple: true },
        segments.map((g) => h('option', { value: g.id, selected: found?.segmentIds?.includes(g.id) }, g.name))), 'only their members may claim; none: everyone'),
      field('Active', input('isActive', { type: 'checkbox', checked: found?.isActive ?? false })),
      field('Testnet', input('isTestnet', { type: 'checkbox', checked: found?.isTestnet ?? false }))),
    h('fieldset', {}, h('legend', {}, 'Trigger: who claims, and the caps'),
      field('Trigger type', h('select', { name: 'triggerType' }, options(TRIGGER_TYPES.map((t) => [t, t]), trigger.triggerType)),
        'CLAIM_BY_SYSTEM for connectors and mappings'),
      field('Max multiplier', input('maxMultiplier', { type: 'number', value: trigger.maxMultiplier ?? '' }), '1 unless set, at most 1000'),
      field('Max per user', input('maxPerUser', { type: 'number', value: trigger.maxPerUser ?? '' })),
      field('Max per day', input('maxPerDay', { type: 'number', value: trigger.maxPerDay ?? '' })),
      field('Cooldown (s)', input('minCooldownSeconds', { type: 'number', value: trigger.minCooldownSeconds ?? '' }))),
    h('fieldset', {}, h('legend', {}, 'Token unit: what one claim mints'),
      field('Token', h('select', { name: 'tokenId', disabled: Boolean(unit) },
        options(tokens.map((t) => [t.id, `${t.symbol} · ${t.name}`]), unit?.tokenId, 'none'))),
      field('Amount per claim', input('amount', { type: 'number', value: unit?.amount ?? '', disabled: Boolean(unit) }), 'times the claim\'s multiplier, in base units'),
      field('Budget', input('maxAmount', { type: 'number', value: unit?.maxAmount ?? '', disabled: Boolean(unit) }), 'what all claims may mint; empty: none')),
    formProblem(),
    h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, id ? 'Save campaign' : 'Create campaign')));
  form.addEventListener('submit', async (event) => {
    event.preventDefault();
    try {
      const saved = await save(form, found);
      location.hash = `#/campaigns/${saved.id}`;
    } catch (error) {
      showProblem(form, error);
    }
  });
  view.replaceChildren(h('p', {}, h('a', { href: id ? `#/campaigns/${id}` : '#/campaigns' }, '← Back')),
    h('h2', {}, id ? `Edit ${found.name}` : 'New campaign'), form);
}

/**
 * One call: the campaign with its trigger's rules and (a new campaign, or one without any) its token
 * unit, saved by the API in one transaction; a refusal of any part saves nothing and names the field.
 */
async function save(form, found) {
  const v = values(form);
  const trigger = Object.fromEntries(TRIGGER_FIELDS.filter((n) => v[n] !== undefined)
    .map((n) => [n, n === 'triggerType' ? v[n] : Number(v[n])]));
  const body = {
    name: v.name,
    trigger,
    isActive: v.isActive,
    isTestnet: v.isTestnet,
    startDate: v.startDate && new Date(`${v.startDate}Z`).toISOString(),
    endDate: v.endDate && new Date(`${v.endDate}Z`).toISOString(),
    countryCodeRestrictions: v.countryCodeRestrictions ? v.countryCodeRestrictions.split(',').map((c) => c.trim()) : [],
    segmentIds: [...form.segmentIds.selectedOptions].map((o) => o.value),
  };
  if (!found?.tokenUnits.length && v.tokenId) {
    body.tokenUnits = [{ tokenId: v.tokenId, amount: v.amount, maxAmount: v.maxAmount }];
  }
  return found ? patch(`/v2/campaigns/${found.id}`, body) : post('/v2/campaigns', body);
}
