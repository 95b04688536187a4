// Chains the tenant settles on, each with its node's head, lag, settlement queue and settler balance.
import { get } from './api.js';
import { badge, facts, h } from './dom.js';

export async function chains(view) {
  const list = await get('/v2/chains');
  const statuses = await Promise.all(list.map((chain) => get(`/v2/chains/${chain.id}/status`).catch((error) => ({ error }))));
  view.replaceChildren(
    h('h2', {}, `Chains (${list.length})`),
    ...(list.length ? list.map((chain, i) => section(chain, statuses[i])) : [h('p', { class: 'muted' }, 'No chain is registered.')]));
}

function section(chain, status) {
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
      ['Error', status.error && `${status.error.code}: ${status.error.message}`],
    ]));
}
