// Claims from the claims table (newest first), and one claim with its Temporal workflow:
// state and history through the describe and history calls.
import { get } from './api.js';
import { badge, facts, failure, h, shortId, table, when } from './dom.js';

const STATUSES = ['', 'PENDING', 'REJECTED', 'PENDING_SETTLEMENT', 'COMPLETED', 'SETTLED', 'FAILED'];

export async function claims(view, params) {
  const status = params.get('status') || '';
  const filter = h('select', { name: 'status', 'aria-label': 'Status' },
    STATUSES.map((s) => h('option', { value: s, selected: s === status }, s || 'any status')));
  filter.addEventListener('change', () => { location.hash = `#/claims${filter.value ? `?status=${filter.value}` : ''}`; });
  const query = new URLSearchParams({ size: '50', sort: 'createdAt,desc' });
  if (status) query.set('status', status);
  const page = await get(`/v2/campaigns/claims?${query}`);
  view.replaceChildren(
    h('h2', {}, `Claims (${page.total})`),
    h('div', { class: 'toolbar' }, h('label', {}, 'Status', filter)),
    table([
      ['Claim', (c) => h('code', {}, c.id)],
      ['Status', (c) => badge(c.status)],
      ['Reason', (c) => c.rejectionCode || c.failureReason],
      ['Campaign', (c) => shortId(c.campaignId)],
      ['User', (c) => shortId(c.userId)],
      ['Caller', (c) => c.callerRole],
      ['Created', (c) => when(c.createdAt)],
    ], page.items, { onRow: (c) => { location.hash = `#/claims/${c.id}`; }, testId: 'claims', empty: 'No claims.' }));
}

export async function claim(view, id) {
  view.replaceChildren(h('p', { class: 'muted' }, 'Loading…'));
  const detail = await get(`/v2/campaigns/claims/${id}`);
  const parts = [
    h('p', {}, h('a', { href: '#/claims' }, '← Claims')),
    h('h2', {}, 'Claim ', h('code', { 'data-testid': 'claim-id' }, detail.id)),
    facts([
      ['Status', badge(detail.status)],
      ['Rejection / failure', detail.rejectionCode || detail.failureReason],
      ['Campaign', h('code', {}, detail.campaignId)],
      ['User', detail.userId && h('code', {}, detail.userId)],
      ['Caller', detail.callerRole],
      ['Created', when(detail.createdAt)],
      ['Decided', when(detail.decidedAt)],
      ['Workflow id', h('code', {}, detail.workflowId)],
    ]),
    h('h2', {}, 'Status history'),
    table([
      ['At', (e) => when(e.at)],
      ['Status', (e) => badge(e.status)],
      ['Detail', (e) => e.detail],
    ], detail.history || [], { testId: 'claim-history' }),
  ];
  view.replaceChildren(...parts);
  try {
    view.append(...workflow(await get(`/v2/campaigns/claims/${id}/workflow`)));
  } catch (error) {
    view.append(h('h2', {}, 'Workflow'), failure(error));
  }
}

function workflow(found) {
  const run = found.workflow;
  return [
    h('h2', {}, 'Workflow'),
    facts([
      ['Status', h('span', { 'data-testid': 'workflow-status' }, badge(run.status))],
      ['Type', run.workflowType],
      ['Run id', h('code', {}, run.runId)],
      ['Task queue', run.taskQueue],
      ['Started', when(run.startTime)],
      ['Closed', when(run.closeTime)],
    ]),
    h('h2', {}, `History (${run.events.length} events${run.truncated ? ', truncated' : ''})`),
    table([
      ['#', (e) => e.id],
      ['Time', (e) => when(e.time)],
      ['Event', (e) => h('code', {}, e.type)],
      ['Activity', (e) => e.activity],
      ['Attempt', (e) => e.attempt],
      ['Failure', (e) => e.failure && h('span', { class: 'error' }, e.failure)],
    ], run.events, { testId: 'workflow-history' }),
  ];
}
