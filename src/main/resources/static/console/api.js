// The /v2 API as the console calls it: the admin's bearer token (this tab only), the project
// key (kept in this browser), problem+json errors thrown as ApiError with their stable code.

const TOKEN = 'pers.console.token';
const PROJECT_KEY = 'pers.console.projectKey';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem.detail || problem.title || `HTTP ${status}`);
    this.status = status;
    this.code = problem.code || `HTTP_${status}`;
    // The body members the problem concerns (`trigger.maxMultiplier`), when it names them.
    this.field = problem.field;
    this.errors = problem.errors ?? [];
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN); },
  get projectKey() { return localStorage.getItem(PROJECT_KEY) || ''; },
  get signedIn() { return Boolean(this.token); },
  signOut() { sessionStorage.removeItem(TOKEN); },
};

/** Exchanges the admin's email and password for an access token; refuses other roles. */
export async function signIn(projectKey, email, password) {
  localStorage.setItem(PROJECT_KEY, projectKey);
  const tokens = await call('POST', '/v2/auth/token', { grantType: 'PASSWORD', email, password }, false);
  if (tokens.role !== 'ADMIN') {
    throw new ApiError(403, { code: 'FORBIDDEN', detail: 'The console is for the tenant\'s admins' });
  }
  sessionStorage.setItem(TOKEN, tokens.accessToken);
  return tokens;
}

export const get = (path) => call('GET', path);
export const post = (path, body) => call('POST', path, body);
export const patch = (path, body) => call('PATCH', path, body);
export const del = (path) => call('DELETE', path);

async function call(method, path, body, authenticated = true) {
  const headers = { accept: 'application/json, application/problem+json' };
  if (authenticated) {
    headers.authorization = `Bearer ${session.token}`;
  } else {
    headers['x-project-key'] = session.projectKey;
  }
  if (body !== undefined) {
    headers['content-type'] = 'application/json';
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const text = await response.text();
  const json = text ? JSON.parse(text) : null;
  if (!response.ok) {
    if (response.status === 401 && authenticated) {
      session.signOut();
      window.dispatchEvent(new Event('pers:signed-out'));
    }
    throw new ApiError(response.status, json || {});
  }
  return json;
}
