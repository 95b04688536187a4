// The console's shell: sign-in, navigation, and a hash route per view.
import { ApiError, session, signIn } from './api.js';
import { campaign, campaignForm, campaigns } from './campaigns.js';
import { chains } from './chains.js';
import { charts } from './charts.js';
import { claim, claims } from './claims.js';
import { connection, connections } from './connections.js';
import { failure } from './dom.js';
import { mappingForm } from './mapping.js';
import { mappings } from './mappings.js';
import { people } from './people.js';
import { webhooks } from './webhooks.js';

const ID = '([0-9a-f-]{36})';

const ROUTES = [
  [/^\/campaigns$/, campaigns, 'campaigns'],
  [/^\/campaigns\/new$/, campaignForm, 'campaigns'],
  [new RegExp(`^/campaigns/${ID}$`), campaign, 'campaigns'],
  [new RegExp(`^/campaigns/${ID}/edit$`), campaignForm, 'campaigns'],
  [/^\/connections$/, connections, 'connections'],
  [new RegExp(`^/connections/${ID}$`), connection, 'connections'],
  [new RegExp(`^/claims/${ID}$`), (view, params, id) => claim(view, id), 'claims'],
  [/^\/claims$/, claims, 'claims'],
  [/^\/mappings$/, mappings, 'mappings'],
  [/^\/mappings\/new$/, mappingForm, 'mappings'],
  [new RegExp(`^/mappings/${ID}$`), mappingForm, 'mappings'],
  [/^\/people$/, people, 'people'],
  [/^\/charts$/, charts, 'charts'],
  [/^\/webhooks$/, webhooks, 'webhooks'],
  [/^\/chains$/, chains, 'chains'],
];

const $ = (id) => document.getElementById(id);

async function render() {
  const signedIn = session.signedIn;
  $('sign-in').hidden = signedIn;
  $('nav').hidden = !signedIn;
  $('who').hidden = !signedIn;
  const view = $('view');
  if (!signedIn) {
    view.replaceChildren();
    $('sign-in-form').projectKey.value = session.projectKey;
    return;
  }
  const [path, query = ''] = location.hash.replace(/^#/, '').split('?');
  const route = ROUTES.find(([pattern]) => pattern.test(path));
  if (!route) {
    location.hash = '#/claims';
    return;
  }
  const [pattern, show, section] = route;
  for (const link of document.querySelectorAll('nav a')) {
    link.classList.toggle('active', link.dataset.view === section);
  }
  view.setAttribute('data-view', section);
  view.setAttribute('aria-busy', 'true');
  try {
    await show(view, new URLSearchParams(query), ...path.match(pattern).slice(1));
  } catch (error) {
    view.replaceChildren(failure(error instanceof ApiError ? error : { code: 'ERROR', message: error.message }));
  } finally {
    view.removeAttribute('aria-busy');
  }
}

$('sign-in-form').addEventListener('submit', async (event) => {
  event.preventDefault();
  const form = event.target;
  $('sign-in-error').textContent = '';
  try {
    const tokens = await signIn(form.projectKey.value.trim(), form.email.value.trim(), form.password.value);
    form.password.value = '';
    $('who-name').textContent = `${form.email.value.trim()} · tenant ${tokens.tenantId.slice(0, 8)}`;
    sessionStorage.setItem('pers.console.who', $('who-name').textContent);
    if (!location.hash || location.hash === '#') location.hash = '#/claims';
    else render();
  } catch (error) {
    $('sign-in-error').textContent = `${error.code ?? 'ERROR'}: ${error.message}`;
  }
});

$('sign-out').addEventListener('click', () => {
  session.signOut();
  render();
});

window.addEventListener('pers:signed-out', render);
window.addEventListener('hashchange', render);
$('who-name').textContent = sessionStorage.getItem('pers.console.who') || '';
render();
