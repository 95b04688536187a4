// Charts over a date range (UTC days, both included): claims per day by status, tokens minted vs
// burned with the liability outstanding, tokens issued, redeemed and expired per day, top
// campaigns, redemptions by status and per day, and ingest events per day by outcome. Drawn with
// Chart.js, vendored in vendor/chart.js/ (window.Chart), each with its figures as text beside it.
import { get } from './api.js';
import { h } from './dom.js';

const COLOURS = {
  COMPLETED: '#1f7a3f', SETTLED: '#2e9e5b', PENDING_SETTLEMENT: '#a66300', PENDING: '#e0a030',
  REJECTED: '#b3261e', FAILED: '#6d1a14', CLAIMED: '#1f7a3f', REVERSED: '#6a4fb3', UNMATCHED: '#8a94a6',
  RECEIVED: '#e0a030', minted: '#2457c5', burned: '#b3261e', outstanding: '#a66300',
  issued: '#2457c5', redeemed: '#1f7a3f', expired: '#8a94a6',
};
const DAY_MS = 86_400_000;
const EVENT_PAGES = 5;

let drawn = [];

export async function charts(view, params) {
  const today = new Date().toISOString().slice(0, 10);
  const to = params.get('to') || today;
  const from = params.get('from') || new Date(Date.parse(to) - 29 * DAY_MS).toISOString().slice(0, 10);
  const range = h('form', { class: 'toolbar' },
    h('label', {}, 'From', h('input', { type: 'date', name: 'from', value: from })),
    h('label', {}, 'To', h('input', { type: 'date', name: 'to', value: to })),
    h('button', { type: 'submit' }, 'Show'));
  range.addEventListener('submit', (event) => {
    event.preventDefault();
    location.hash = `#/charts?from=${range.from.value}&to=${range.to.value}&at=${Date.now()}`;
  });
  const query = `from=${from}&to=${to}`;
  const [claims, tokens, tokenDays, redemptions, redemptionDays, events] = await Promise.all([
    get(`/v2/analytics/claims?${query}`),
    get(`/v2/analytics/tokens?${query}`),
    get(`/v2/analytics/tokens/days?${query}`),
    get(`/v2/analytics/redemptions?${query}`),
    get(`/v2/analytics/redemptions/days?${query}`),
    ingestEvents(from, to),
  ]);
  const top = topCampaigns(claims.data);
  const days = daysOf(from, to);
  for (const chart of drawn) chart.destroy();
  drawn = [];
  view.replaceChildren(
    h('h2', {}, 'Charts'), range,
    panel('Claims per day, by status', 'claims', stacked(days, claims.data, dayOf, 'status', (row) => row.claims),
      `${sum(claims.data.map((r) => r.claims))} claims`),
    panel('Tokens: minted, burned, outstanding (the liability at the range\'s end)', 'tokens', circulation(tokens.data),
      tokens.data.map((t) => `${t.symbol}: minted ${t.minted}, burned ${t.burned} (redeemed ${t.redeemed}, expired ${t.expired}), outstanding ${t.outstanding}`).join(' · ') || 'no tokens moved'),
    panel('Tokens issued, redeemed and expired per day', 'flows', flows(days, tokenDays.data),
      tokens.data.map((t) => `${t.symbol}: issued ${t.minted}, redeemed ${t.redeemed}, expired ${t.expired}`).join(' · ') || 'no tokens moved'),
    panel('Redemptions per day, by status', 'redemption-days', stacked(days, redemptionDays.data, dayOf, 'status', (r) => r.redeems),
      redeemFigures(redemptionDays.data)),
    panel('Top campaigns, by claims', 'campaigns', ranking(top.map((c) => c.name), top.map((c) => c.claims), 'claims'),
      top.map((c) => `${c.name}: ${c.claims}`).join(' · ') || 'no claims'),
    panel('Redemptions, by status', 'redemptions', stacked([...new Set(redemptions.data.map((r) => r.redemptionName))], redemptions.data,
      (r) => r.redemptionName, 'status', (r) => r.redeems),
      `${sum(redemptions.data.map((r) => r.redeems))} redeems`),
    panel('Ingest events per day, by outcome', 'events', stacked(days, events.items, dayOf, 'outcome', () => 1),
      `${events.items.length} events${events.more ? ' (the latest only)' : ''}`));
}

function panel(title, name, config, figures) {
  const canvas = h('canvas', { 'aria-label': title, role: 'img' });
  drawn.push(new window.Chart(canvas, { ...config, options: { ...config.options, animation: false, maintainAspectRatio: false } }));
  return h('section', { class: 'chart', 'data-testid': `chart-${name}` },
    h('h3', {}, title), h('div', { class: 'canvas' }, canvas), h('p', { class: 'muted', 'data-testid': `${name}-figures` }, figures));
}

/**
 * A stacked bar per category (`categoryOf(row)`, one of `categories`): one dataset per value of
 * `key`, adding up `count(row)`.
 */
function stacked(categories, rows, categoryOf, key, count) {
  const series = [...new Set(rows.map((row) => row[key]))].sort();
  return {
    type: 'bar',
    data: {
      labels: categories,
      datasets: series.map((value) => ({
        label: value,
        backgroundColor: COLOURS[value],
        data: categories.map((category) => sum(rows.filter((row) => row[key] === value && categoryOf(row) === category).map(count))),
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

const dayOf = (row) => row.day ?? row.receivedAt.slice(0, 10);

function circulation(rows) {
  return {
    type: 'bar',
    data: {
      labels: rows.map((t) => t.symbol),
      datasets: ['minted', 'burned', 'outstanding'].map((figure) => ({
        label: figure, backgroundColor: COLOURS[figure], data: rows.map((t) => Number(t[figure])),
      })),
    },
    options: { scales: { y: { beginAtZero: true } } },
  };
}

/** Per day, a bar each for issued, redeemed and expired (every token's base units added up; a token each when several). */
function flows(days, rows) {
  const tokens = [...new Set(rows.map((r) => r.symbol))];
  return {
    type: 'bar',
    data: {
      labels: days,
      datasets: ['issued', 'redeemed', 'expired'].flatMap((figure) => tokens.map((symbol) => ({
        label: tokens.length > 1 ? `${figure} ${symbol}` : figure,
        backgroundColor: COLOURS[figure],
        data: days.map((day) => sum(rows.filter((r) => r.day === day && r.symbol === symbol).map((r) => Number(r[figure])))),
      }))),
    },
    options: { scales: { y: { beginAtZero: true } } },
  };
}

/** "3 redeems: COMPLETED 2 (16 PTS), FAILED 1 (8 PTS)": counts and what they cost, per status and token. */
function redeemFigures(rows) {
  if (!rows.length) return '0 redeems';
  const by = new Map();
  for (const r of rows) {
    const key = `${r.status} ${r.symbol}`;
    const seen = by.get(key) ?? { status: r.status, symbol: r.symbol, redeems: 0, amount: 0n };
    seen.redeems += r.redeems;
    seen.amount += BigInt(r.amount);
    by.set(key, seen);
  }
  return `${sum(rows.map((r) => r.redeems))} redeems: ${[...by.values()].map((s) => `${s.status} ${s.redeems} (${s.amount} ${s.symbol})`).join(', ')}`;
}

const TOP = 10;

function topCampaigns(rows) {
  const byCampaign = new Map();
  for (const row of rows) {
    const seen = byCampaign.get(row.campaignId) ?? { name: row.campaignName, claims: 0 };
    seen.claims += row.claims;
    byCampaign.set(row.campaignId, seen);
  }
  return [...byCampaign.values()].sort((a, b) => b.claims - a.claims).slice(0, TOP);
}

function ranking(labels, counts, label) {
  return {
    type: 'bar',
    data: { labels, datasets: [{ label, backgroundColor: COLOURS.minted, data: counts }] },
    options: { indexAxis: 'y', scales: { x: { beginAtZero: true, ticks: { precision: 0 } } } },
  };
}

/** The events received in the range, newest first, at most EVENT_PAGES pages of 200. */
async function ingestEvents(from, to) {
  const end = Date.parse(to) + DAY_MS;
  const items = [];
  for (let page = 0; page < EVENT_PAGES; page++) {
    const found = await get(`/v2/ingest-events?since=${from}T00:00:00Z&size=200&page=${page}&sort=receivedAt,desc`);
    items.push(...found.items.filter((e) => Date.parse(e.receivedAt) < end));
    if (found.items.length < 200) return { items, more: false };
  }
  return { items, more: true };
}

function daysOf(from, to) {
  const days = [];
  for (let t = Date.parse(from); t <= Date.parse(to); t += DAY_MS) days.push(new Date(t).toISOString().slice(0, 10));
  return days;
}

const sum = (numbers) => numbers.reduce((a, b) => a + b, 0);
