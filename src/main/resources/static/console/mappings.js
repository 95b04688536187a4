// Trigger mappings (each opens to edit, mapping.js), and the simulate tool: which live mappings a
// pasted event would fire, minting nothing.
import { get, post } from './api.js';
import { badge, failure, h, shortId, table } from './dom.js';

const SAMPLE = {
  specversion: '1.0',
  id: 'console-sample-1',
  source: 'https://shop.example.com',
  type: 'com.shopify.order.paid',
  connector: 'shopify',
  subject: 'customer@example.com',
  time: new Date().toISOString(),
  data: { total_price: '60.00', currency: 'EUR', tags: 'vip' },
};

export async function mappings(view) {
  const list = await get('/v2/trigger-mappings');
  const event = h('textarea', { name: 'event', 'aria-label': 'Event', spellcheck: 'false' }, JSON.stringify(SAMPLE, null, 2));
  const result = h('div', { 'data-testid': 'simulation' });
  const run = async (e) => {
    e.preventDefault();
    let parsed;
    try {
      parsed = JSON.parse(event.value);
    } catch (error) {
      result.replaceChildren(failure({ code: 'MALFORMED_JSON', message: error.message }));
      return;
    }
    try {
      const simulation = await post('/v2/trigger-mappings/simulate', { event: parsed });
      result.replaceChildren(table([
        ['Mapping', (v) => shortId(v.mappingId)],
        ['Campaign', (v) => shortId(v.campaignId)],
        ['Action', (v) => v.action],
        ['Fires', (v) => (v.fires ? badge('FIRES') : badge('NO'))],
        ['Multiplier', (v) => v.multiplier],
        ['Reference', (v) => v.reference],
        ['Amount', (v) => v.amount],
        ['Reason', (v) => v.reason],
      ], simulation.mappings, { testId: 'verdicts', empty: 'No mapping is about this source and type.' }));
    } catch (error) {
      result.replaceChildren(failure(error));
    }
  };
  view.replaceChildren(
    h('h2', {}, `Trigger mappings (${list.length})`),
    h('div', { class: 'toolbar' }, h('a', { class: 'button', href: '#/mappings/new' }, 'New mapping')),
    table([
      ['Mapping', (m) => shortId(m.id)],
      ['Source', (m) => m.source],
      ['Event type', (m) => h('code', {}, m.eventType)],
      ['Action', (m) => m.action],
      ['Condition', (m) => m.condition && h('code', {}, m.condition)],
      ['Multiplier', (m) => h('code', {}, m.multiplier)],
      ['Campaign', (m) => shortId(m.campaignId)],
      ['Active', (m) => (m.active ? 'yes' : 'no')],
      ['Version', (m) => m.version],
    ], list, { onRow: (m) => { location.hash = `#/mappings/${m.id}`; }, testId: 'mappings', empty: 'No trigger mappings.' }),
    h('h2', {}, 'Simulate'),
    h('p', { class: 'muted' }, 'A canonical trigger (CloudEvents JSON): which mappings would fire, with which multiplier. Mints nothing.'),
    h('form', { onsubmit: run }, event, h('div', { class: 'toolbar' }, h('button', { type: 'submit' }, 'Simulate'))),
    result);
}
