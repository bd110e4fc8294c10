// The dashboard's shell: sign-in, the pages (#/, #/route/NAME, #/catalog) and live updates by light
// polling (every POLL_MS while the tab is visible; a page re-draws only its data, never a form).
import { api, ApiError, session } from './api.js';
import { esc } from './format.js';
import * as overview from './overview.js';
import * as route from './route.js';
import * as catalog from './catalog.js';

const POLL_MS = Number(new URLSearchParams(location.search).get('poll')) || 2000;
const main = document.getElementById('main');
let current = null; // { page, arg }
let timer = null;
let refreshing = false;

function pageFor(hash) {
  const h = hash.replace(/^#/, '') || '/';
  if (h === '/login') return { page: null, arg: null, login: true };
  const r = h.match(/^\/route\/(.+)$/);
  if (r) return { page: route, arg: decodeURIComponent(r[1]), nav: null };
  if (h === '/catalog') return { page: catalog, arg: null, nav: 'nav-catalog' };
  return { page: overview, arg: null, nav: 'nav-overview' };
}

async function show() {
  clearTimeout(timer);
  const target = pageFor(location.hash);
  document.querySelectorAll('.top nav a').forEach(a => a.removeAttribute('aria-current'));
  if (target.nav) document.getElementById(target.nav).setAttribute('aria-current', 'page');
  showWho();
  if (target.login) { login(); return; }
  current = target;
  main.innerHTML = '';
  target.page.mount(main, target.arg, { refresh: refreshNow });
  await refresh();
  main.focus({ preventScroll: true });
}

async function refresh() {
  clearTimeout(timer);
  if (!current || refreshing) return;
  refreshing = true;
  try {
    await current.page.refresh();
    setStatus(null);
    main.dataset.updated = String(Date.now());
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      current = null;
      refreshing = false;
      location.hash = '#/login';
      return;
    }
    setStatus(e.message);
  } finally {
    refreshing = false;
  }
  timer = setTimeout(() => { if (!document.hidden) refresh(); else timer = setTimeout(refresh, POLL_MS); }, POLL_MS);
}

/** After an action: the change is shown at once, not at the next poll. */
function refreshNow() {
  return refresh();
}

function setStatus(problem) {
  const s = document.getElementById('store-status');
  s.textContent = problem ? `Cannot read the admin API: ${problem}` : '';
  s.className = problem ? 'badge problem' : '';
}

export function storeStatus(text, bad) {
  const s = document.getElementById('store-status');
  s.textContent = text;
  s.className = bad ? 'badge problem' : 'muted';
}

function showWho() {
  const who = document.getElementById('who');
  const out = document.getElementById('sign-out');
  if (session.canAct) {
    who.textContent = `Signed in as dashboard:${session.name}`;
    out.hidden = false;
  } else {
    who.innerHTML = 'Read-only. <a href="#/login" id="sign-in">Sign in to act</a>';
    out.hidden = true;
  }
}

function login(message) {
  current = null;
  main.innerHTML = `
    <h1>Sign in</h1>
    <form class="login" id="login-form">
      <p class="muted">The admin token is kept in this browser tab only and sent to the admin API as a bearer token.
        Your name goes into the audit log as <code>dashboard:NAME</code>.</p>
      <div id="login-message" role="alert"></div>
      <label for="login-name">Your name</label>
      <input id="login-name" name="name" autocomplete="username" required pattern="[A-Za-z0-9._@ -]{1,60}"
        value="${esc(session.name)}">
      <label for="login-token">Admin token</label>
      <input id="login-token" name="token" type="password" autocomplete="current-password">
      <div class="buttons">
        <button class="primary" id="login-submit">Sign in</button>
        <a href="#/" id="read-only">Continue read-only</a>
      </div>
    </form>`;
  if (message) showLoginMessage(message);
  document.getElementById('login-form').addEventListener('submit', async ev => {
    ev.preventDefault();
    const name = document.getElementById('login-name').value.trim();
    const token = document.getElementById('login-token').value.trim();
    try {
      await api('/api/routes', { token });
    } catch (e) {
      showLoginMessage(e instanceof ApiError && e.status === 401
        ? 'The admin refused this token (401). Check admin.token in the config or STRANGLER_ADMIN_TOKEN.'
        : `The admin API cannot be reached: ${e.message}`);
      return;
    }
    session.signIn(name, token);
    location.hash = '#/';
  });
  document.getElementById('login-name').focus();
}

function showLoginMessage(text) {
  const m = document.getElementById('login-message');
  m.className = 'message error';
  m.textContent = text;
}

document.getElementById('sign-out').addEventListener('click', () => {
  session.signOut();
  location.hash = '#/login';
});
window.addEventListener('hashchange', show);
document.addEventListener('visibilitychange', () => { if (!document.hidden) refresh(); });
show();
