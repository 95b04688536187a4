// Chains the tenant settles on, each with its node's head, lag, settlement queue, settler balance,
// and the follower's events parked for an operator (events it could not apply; the rest went on).
import { get } from './api.js';
import { badge, facts, h, table, when } from './dom.js';

export async function chains(view) {
  const list = await get('/v2/chains');
  const statuses = await Promise.all(list.map((chain) => get(`/v2/chains/${chain.id}/status`).catch((error) => ({ error }))));
  const parked = await Promise.all(list.map((chain, i) => (statuses[i].parkedEvents
    ? get(`/v2/chains/${chain.id}/parked-events`).catch(() => [])
    : [])));
  view.replaceChildren(
    h('h2', {}, `Chains (${list.length})`),
    ...(list.length ? list.map((chain, i) => section(chain, statuses[i], parked[i])) : [h('p', { class: 'muted' }, 'No chain is registered.')]));
}

function section(chain, status, parked) {
  return h('section', { 'data-testid': 'chain' },
    h('h2', {}, `${chain.name} · chain ${chain.id}`),
    facts([
      ['Node', badge(status.error ? 'UNREACHABLE' : 'UP')],
      ['RPC', h('code', {}, chain.rpcUrl)],
      ['Network', chain.testnet ? 'testnet' : 'mainnet'],
      ['Confirmations', chain.confirmations],
      ['Head block', status.headBlock],
      ['Head lag', status.lagSeconds === undefined ? undefined : `${status.lagSeconds} s`],
      ['Settlement queue', status.queueDepth],
      ['Settler', status.settlerAddress && h('code', {}, status.settlerAddress)],
      ['Settler balance (wei)', status.settlerBalanceWei],
      ['Parked follower events', status.parkedEvents ? badge(`PARKED ${status.parkedEvents}`) : status.parkedEvents],
      ['Error', status.error && `${status.error.code}: ${status.error.message}`],
    ]),
    parked.length ? table([
      ['Parked', (event) => when(event.parkedAt)],
      ['Block', (event) => event.blockNumber],
      ['Transaction', (event) => h('code', {}, `${event.txHash}:${event.logIndex}`)],
      ['Reason', (event) => event.reason],
    ], parked, { testId: 'parked-events' }) : undefined);
}
