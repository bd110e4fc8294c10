// The dashboard's only way to the data: the admin API, with the token kept for this tab only
// (sessionStorage: gone when the tab closes) and sent as a bearer, like the CLI's.

const TOKEN = 'strangler.token';
const NAME = 'strangler.name';

export class ApiError extends Error {
  constructor(status, problem) {
    super(problem && problem.detail ? problem.detail : `the admin answered ${status}`);
    this.status = status;
    this.problem = problem || {};
  }
}

export const session = {
  get token() { return sessionStorage.getItem(TOKEN) || ''; },
  get name() { return sessionStorage.getItem(NAME) || ''; },
  /** Actions need a name, for the audit log (actor dashboard:NAME). */
  get canAct() { return this.name !== ''; },
  signIn(name, token) {
    sessionStorage.setItem(NAME, name);
    if (token) sessionStorage.setItem(TOKEN, token); else sessionStorage.removeItem(TOKEN);
  },
  signOut() { sessionStorage.removeItem(NAME); sessionStorage.removeItem(TOKEN); },
};

/** GET or POST a JSON resource of /api; throws ApiError with the problem body on refusal. */
export async function api(path, { method = 'GET', body, token = session.token } = {}) {
  const headers = { Accept: 'application/json' };
  if (token) headers.Authorization = `Bearer ${token}`;
  if (body !== undefined) {
    headers['Content-Type'] = 'application/json';
    headers['X-Strangler-Actor'] = `dashboard:${session.name}`;
  }
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    credentials: 'omit', cache: 'no-store' });
  const text = await response.text();
  let json = null;
  try { json = text ? JSON.parse(text) : null; } catch (e) { json = { detail: text }; }
  if (!response.ok) throw new ApiError(response.status, json);
  return json;
}
